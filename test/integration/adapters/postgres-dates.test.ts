// Dates, times and other exact values through the PostgreSQL data sources, in a process whose time
// zone is not UTC (America/New_York, DST on 2024-03-10 and 2024-11-03) and with a server session
// time zone that is not UTC either. Values read come back as the server's text (timestamptz in UTC),
// and an update or delete keyed on them (a composite primary key with a timestamp, like Fides'
// `visit` table; a table without a primary key matched on every value) changes exactly its row.
// Node re-reads process.env.TZ when it is assigned, so setting it here applies to every Date below.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { openSqlSource, type SqlDataSource } from '../../../shared/adapters/sql-source';
import { RedshiftSource } from '../../../shared/adapters/redshift/redshift-source';
import type { Row } from '../../../shared/adapters/port';
import { timestamptzToUtc } from '../../../shared/store/pg-exact-types';

const SCHEMA = `
CREATE TABLE visit (email TEXT NOT NULL, last_visit TIMESTAMP NOT NULL, note TEXT, PRIMARY KEY (email, last_visit));
INSERT INTO visit VALUES
  ('ann@example.com', '2024-03-10 02:30:00', NULL),
  ('ann@example.com', '2024-01-01 10:00:00.123456', NULL),
  ('ann@example.com', '2024-11-03 01:30:00', NULL),
  ('ben@example.com', '2024-03-10 02:30:00', NULL);

CREATE TABLE events (email TEXT, happened_at TIMESTAMPTZ, day DATE, at_time TIME, at_timetz TIMETZ, took INTERVAL,
  amount NUMERIC(30, 10), big BIGINT, payload JSONB, note TEXT);
INSERT INTO events VALUES
  ('ann@example.com', '2024-03-10 07:30:00.5+00', '2024-03-10', '02:30:00', '02:30:00+05:30', '1 day 02:00:00',
    12345678901234567890.1234567890, 9007199254740993, '{"b": 1, "a": [1, 2]}', 'first'),
  ('ann@example.com', '2024-01-01 15:00:00.123456+00', '2024-01-01', '10:00:00.123456', '10:00:00-05', '00:00:00.000001',
    0.1, -9007199254740993, '{"a": "x"}', 'second'),
  ('ann@example.com', '2024-11-03 05:30:00+00', '2024-11-03', '01:30:00', '01:30:00+00', '-1 mons',
    NULL, 1, NULL, 'third');

CREATE TABLE logins (at TIMESTAMP PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO logins VALUES ('2024-03-10 02:30:00', 'a@x'), ('2024-03-10 03:30:00', 'b@x'), ('2024-11-03 01:30:00', 'c@x'),
  ('2024-11-03 01:30:00.000001', 'd@x'), ('2024-01-01 10:00:00.123456', 'e@x');

CREATE TABLE rs_visit (email VARCHAR(256) NOT NULL, last_visit TIMESTAMP NOT NULL, seen TIMESTAMPTZ, day DATE, note VARCHAR(32));
INSERT INTO rs_visit VALUES
  ('ann@example.com', '2024-03-10 02:30:00', '2024-03-10 07:30:00+00', '2024-03-10', NULL),
  ('ann@example.com', '2024-01-01 10:00:00.123456', '2024-01-01 15:00:00.123456+00', '2024-01-01', NULL),
  ('ben@example.com', '2024-03-10 02:30:00', NULL, NULL, NULL);
`;

let server: PostgresServer;
let shopUrl: string;
let admin: pg.Client;
let src: SqlDataSource;
const originalTz = process.env.TZ;

/** Rows as the server prints them (every column cast to text in SQL, so no client parser is involved). */
async function serverRows(table: string, cols: string[]): Promise<Array<Record<string, string | null>>> {
  const r = await admin.query(`SELECT ${cols.map((c) => `${c}::text AS ${c}`).join(', ')} FROM ${table} ORDER BY ${cols.join(', ')}`);
  return r.rows as Array<Record<string, string | null>>;
}

beforeAll(async () => {
  server = await startPostgres();
  const boot = new pg.Client({ connectionString: server.url });
  await boot.connect();
  await boot.query('CREATE DATABASE shop');
  // Every new session on the shop database prints timestamptz in New York time (-05 / -04).
  await boot.query("ALTER DATABASE shop SET TimeZone = 'America/New_York'");
  await boot.end();
  shopUrl = server.url.replace(/\/[^/]+$/u, '/shop');
  admin = new pg.Client({ connectionString: shopUrl });
  await admin.connect();
  await admin.query(SCHEMA);
  src = await openSqlSource({ engine: 'postgres', url: shopUrl });
}, 180_000);

afterAll(async () => {
  await src?.close();
  await admin?.end();
  await server?.stop();
  process.env.TZ = originalTz;
});

describe('PostgreSQL dates and exact values through the data sources (process TZ America/New_York)', () => {
  it('really runs in New York time, and the server session is not UTC', async () => {
    expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(300);
    expect(new Date(2024, 6, 1).getTimezoneOffset()).toBe(240);
    expect((await admin.query('SHOW TimeZone')).rows[0].TimeZone).toBe('America/New_York');
    // What the default pg parsers would do with the DST-gap time: a JS Date an hour off.
    const raw = await admin.query("SELECT '2024-03-10 02:30:00'::timestamp AS t");
    expect((raw.rows[0].t as Date).toISOString()).toBe('2024-03-10T07:30:00.000Z');
  });

  it('SqlDataSource.find returns timestamp, date, time, timestamptz, interval, numeric, bigint and jsonb values exactly', async () => {
    const visits = await src.find('visit', [{ field: 'email', values: ['ann@example.com'] }]);
    expect(visits.map((r) => r.last_visit).sort()).toEqual(['2024-01-01 10:00:00.123456', '2024-03-10 02:30:00', '2024-11-03 01:30:00']);
    const events = await src.find('events', [{ field: 'email', values: ['ann@example.com'] }]);
    const byNote = Object.fromEntries(events.map((r) => [r.note as string, r]));
    expect(byNote.first).toEqual({
      email: 'ann@example.com', happened_at: '2024-03-10 07:30:00.5+00', day: '2024-03-10', at_time: '02:30:00', at_timetz: '02:30:00+05:30',
      took: '1 day 02:00:00', amount: '12345678901234567890.1234567890', big: '9007199254740993', payload: { b: 1, a: [1, 2] }, note: 'first',
    });
    expect(byNote.second).toMatchObject({ happened_at: '2024-01-01 15:00:00.123456+00', day: '2024-01-01', at_time: '10:00:00.123456', at_timetz: '10:00:00-05', took: '00:00:00.000001', amount: '0.1000000000', big: '-9007199254740993' });
    expect(byNote.third).toMatchObject({ happened_at: '2024-11-03 05:30:00+00', day: '2024-11-03', took: '-1 mons', amount: null, big: 1, payload: null });
    // A timestamp found in one table finds the same instant in another (traversal binds values read).
    expect((await src.find('logins', [{ field: 'at', values: visits.map((r) => r.last_visit) }])).map((r) => r.email).sort()).toEqual(['a@x', 'c@x', 'e@x']);
    expect((await src.sample('events', 'happened_at', 10)).sort()).toEqual(['2024-01-01 15:00:00.123456+00', '2024-03-10 07:30:00.5+00', '2024-11-03 05:30:00+00']);
  });

  it('SqlDataSource.apply: update and delete keyed on (email, timestamp) change exactly their rows', async () => {
    const visits = await src.find('visit', [{ field: 'email', values: ['ann@example.com'] }]);
    const key = (r: Row) => ({ email: r.email, last_visit: r.last_visit });
    const gap = visits.find((r) => r.last_visit === '2024-03-10 02:30:00')!;
    const micro = visits.find((r) => r.last_visit === '2024-01-01 10:00:00.123456')!;
    expect(await src.apply([{ collection: 'visit', key: key(gap), action: 'update', set: { note: 'masked' } }])).toMatchObject({ deleted: 0, updated: 1 });
    expect(await src.apply([{ collection: 'visit', key: key(micro), action: 'delete' }])).toMatchObject({ deleted: 1, updated: 0 });
    expect(await serverRows('visit', ['email', 'last_visit', 'note'])).toEqual([
      { email: 'ann@example.com', last_visit: '2024-03-10 02:30:00', note: 'masked' },
      { email: 'ann@example.com', last_visit: '2024-11-03 01:30:00', note: null },
      { email: 'ben@example.com', last_visit: '2024-03-10 02:30:00', note: null },
    ]);
  });

  it('SqlDataSource.apply on a table without a primary key, matched on every value it read', async () => {
    const events = await src.find('events', [{ field: 'email', values: ['ann@example.com'] }]);
    const first = events.find((r) => r.note === 'first')!;
    const second = events.find((r) => r.note === 'second')!;
    const third = events.find((r) => r.note === 'third')!;
    expect(await src.apply([
      { collection: 'events', key: first, action: 'update', set: { email: null } },
      { collection: 'events', key: third, action: 'update', set: { email: null } },
    ])).toMatchObject({ deleted: 0, updated: 2 });
    expect(await src.apply([{ collection: 'events', key: second, action: 'delete' }])).toMatchObject({ deleted: 1, updated: 0 });
    const cols = ['note', 'email', 'happened_at', 'day', 'at_time', 'took', 'amount', 'big'];
    await admin.query("SET TimeZone = 'UTC'");
    const left = await admin.query(`SELECT ${cols.map((c) => `${c}::text AS ${c}`).join(', ')} FROM events ORDER BY note`);
    expect(left.rows).toEqual([
      { note: 'first', email: null, happened_at: '2024-03-10 07:30:00.5+00', day: '2024-03-10', at_time: '02:30:00', took: '1 day 02:00:00', amount: '12345678901234567890.1234567890', big: '9007199254740993' },
      { note: 'third', email: null, happened_at: '2024-11-03 05:30:00+00', day: '2024-11-03', at_time: '01:30:00', took: '-1 mons', amount: null, big: '1' },
    ]);
    await admin.query('RESET TimeZone');
  });

  it('SqlDataSource.scan pages on a timestamp key without skipping or repeating rows', async () => {
    const seen: unknown[] = [];
    for await (const batch of src.scan('logins', ['at', 'email'], 1)) seen.push(...batch.map((r) => r.at));
    expect(seen).toEqual(['2024-01-01 10:00:00.123456', '2024-03-10 02:30:00', '2024-03-10 03:30:00', '2024-11-03 01:30:00', '2024-11-03 01:30:00.000001']);
  });

  it('timestamptz text printed in any session time zone is rewritten to what the server prints in UTC', async () => {
    const instants = ["'2024-03-10 07:30:00.5+00'", "'2024-11-03 05:30:00.000001+00'", "'1850-01-01 12:00:00+00'", "'0001-01-01 00:30:00+00'", "'0044-03-15 12:00:00+00 BC'", "'infinity'"];
    const sql = `SELECT v::text AS v FROM unnest(ARRAY[${instants.join(', ')}]::timestamptz[]) WITH ORDINALITY AS u(v, i) ORDER BY i`;
    await admin.query("SET TimeZone = 'UTC'");
    const utc = (await admin.query(sql)).rows.map((r: { v: string }) => r.v);
    for (const zone of ['America/New_York', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Amsterdam', 'Pacific/Kiritimati']) {
      await admin.query(`SET TimeZone = '${zone}'`);
      const there = (await admin.query(sql)).rows.map((r: { v: string }) => r.v);
      expect(there.map(timestamptzToUtc), zone).toEqual(utc);
    }
    await admin.query('RESET TimeZone');
  });

  it('RedshiftSource (pg too): reads the same text and updates / deletes by a timestamp primary key', async () => {
    const rs = RedshiftSource.open({ url: shopUrl, tables: [{ name: 'rs_visit', primaryKey: ['email', 'last_visit'], identities: [{ column: 'email', kind: 'email' }] }] });
    try {
      const rows = await rs.find('rs_visit', [{ field: 'email', values: ['ann@example.com'] }]);
      expect(rows.map((r) => [r.last_visit, r.seen, r.day]).sort()).toEqual([
        ['2024-01-01 10:00:00.123456', '2024-01-01 15:00:00.123456+00', '2024-01-01'],
        ['2024-03-10 02:30:00', '2024-03-10 07:30:00+00', '2024-03-10'],
      ]);
      // keyset paging binds the timestamptz text read back
      const seen: unknown[] = [];
      for await (const batch of rs.scan('rs_visit', ['seen', 'email'], 1)) seen.push(...batch.map((r) => r.seen));
      expect(seen).toEqual(['2024-01-01 15:00:00.123456+00', '2024-03-10 07:30:00+00']);
      const gap = rows.find((r) => r.last_visit === '2024-03-10 02:30:00')!;
      const micro = rows.find((r) => r.last_visit === '2024-01-01 10:00:00.123456')!;
      expect(await rs.apply([
        { collection: 'rs_visit', key: { email: gap.email, last_visit: gap.last_visit }, action: 'update', set: { note: 'masked' } },
        { collection: 'rs_visit', key: { email: micro.email, last_visit: micro.last_visit }, action: 'delete' },
      ])).toMatchObject({ deleted: 1, updated: 1 });
    } finally {
      await rs.close();
    }
    expect(await serverRows('rs_visit', ['email', 'last_visit', 'note'])).toEqual([
      { email: 'ann@example.com', last_visit: '2024-03-10 02:30:00', note: 'masked' },
      { email: 'ben@example.com', last_visit: '2024-03-10 02:30:00', note: null },
    ]);
  });
});
