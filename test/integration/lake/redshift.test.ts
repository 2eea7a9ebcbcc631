// Redshift SQL (pg, Redshift's dialect) against a real PostgreSQL: set-based finds, the three
// erasure modes, seed 001's forgotten flag + periodic batch delete, and the dialect limits.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { RedshiftSource } from '../../../shared/adapters/redshift/redshift-source';
import { startPostgres, type PostgresServer } from '../../support/postgres';

let server: PostgresServer;
let pool: pg.Pool;
const seen: string[] = [];
let orig: typeof pg.Client.prototype.query;

const config = {
  tables: [
    { name: 'customer_pii', primaryKey: ['customer_id'], erasure: { mode: 'forget', flagColumn: 'forgotten_flag', flagValue: 'Yes' },
      identities: [{ column: 'email', kind: 'email' }, { column: 'phone', kind: 'phone' }] },
    { name: 'orders', primaryKey: ['order_id'], identities: [{ column: 'email', kind: 'email' }], erasure: { mode: 'delete' } },
    { name: 'profiles', primaryKey: ['customer_id'], identities: [{ column: 'email', kind: 'email' }], erasure: { mode: 'mask', columns: { email: 'null', full_name: 'redacted' } } },
  ],
};

async function count(sql: string): Promise<number> {
  return Number((await pool.query(sql)).rows[0].n);
}

beforeAll(async () => {
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => {}); // idle clients cut off when the server stops
  await pool.query(`
    CREATE TABLE customer_pii (customer_id INTEGER PRIMARY KEY, email VARCHAR(256), phone VARCHAR(32), full_name VARCHAR(128), forgotten_flag VARCHAR(3) NOT NULL DEFAULT 'No');
    CREATE TABLE orders (order_id BIGINT PRIMARY KEY, email VARCHAR(256), amount DECIMAL(10,2));
    CREATE TABLE profiles (customer_id INTEGER PRIMARY KEY, email VARCHAR(256), full_name VARCHAR(128) NOT NULL, segment VARCHAR(16));
    INSERT INTO customer_pii (customer_id, email, phone, full_name) VALUES
      (1, 'Ann@Example.com', '(415) 555-0101', 'Ann'), (2, 'ben@example.com', '415.555.0102', 'Ben'),
      (3, 'cy@example.com', NULL, 'Cy'), (4, 'o''neil@example.com', '+1 415 555 0104', 'O''Neil');
    INSERT INTO orders SELECT g, CASE WHEN g % 100 = 0 THEN 'ann@example.com' ELSE 'buyer' || g || '@example.com' END, g FROM generate_series(1, 1000) g;
    INSERT INTO profiles VALUES (1, 'ann@example.com', 'Ann A', 'gold'), (2, 'ben@example.com', 'Ben B', 'silver');
    CREATE TABLE events (event_id INTEGER, email VARCHAR(256), note VARCHAR(64));
    INSERT INTO events VALUES (7, 'a@example.com', 'n'), (7, 'a@example.com', 'n'), (8, 'b@example.com', 'n');
    CREATE TABLE consents (customer_id INTEGER PRIMARY KEY, email VARCHAR(256), forgotten VARCHAR(3));
    INSERT INTO consents VALUES (1, 'a@example.com', NULL), (2, 'b@example.com', 'Yes');
  `);
  orig = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    seen.push(typeof q === 'string' ? q : String((q as { text?: string })?.text ?? ''));
    return (orig as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof orig;
});
afterAll(async () => {
  if (orig) pg.Client.prototype.query = orig;
  await pool?.end();
  await server?.stop();
});

describe('Redshift engine (pg, Redshift dialect) on a real PostgreSQL', () => {
  it('introspects columns and finds a batch in one set-based query per table', async () => {
    const rs = RedshiftSource.open(config, { pool });
    const [c] = await rs.introspect();
    expect(c!.fields.map((f) => f.name)).toEqual(['customer_id', 'email', 'phone', 'full_name', 'forgotten_flag']);
    seen.length = 0;
    const res = await rs.findBatch('customer_pii', [
      { id: 'a', matches: [{ field: 'email', values: [' ANN@example.com'] }] },
      { id: 'b', matches: [{ field: 'phone', values: ['+14155550102', '+14155550104'] }] },
      { id: 'c', matches: [{ field: 'email', values: ["' OR 1=1 --"] }] },
    ]);
    expect(seen.filter((s) => s.startsWith('SELECT')).length).toBe(1);
    expect(res.get('a')!.map((r) => r.customer_id)).toEqual([1]);
    expect(res.get('b')!.map((r) => r.customer_id).sort()).toEqual([2, 4]);
    expect(res.get('c')).toEqual([]);
    const orders = await rs.find('orders', [{ field: 'email', values: ['ann@example.com'] }]);
    expect(orders.length).toBe(10);
    await expect(rs.find('orders', [{ field: 'ssn', values: ['1'] }])).rejects.toThrow(/no column "ssn"/u);
  });

  it('forgets (seed 001): flags at request time, finds skip flagged rows, the periodic batch delete removes them', async () => {
    const rs = RedshiftSource.open(config, { pool });
    expect(await rs.eraseBatch('customer_pii', [{ id: 'a', matches: [{ field: 'email', values: ['ann@example.com'] }] }], { dryRun: true })).toMatchObject({ matched: 1, flagged: 0 });
    const res = await rs.eraseBatch('customer_pii', [
      { id: 'a', matches: [{ field: 'email', values: ['ann@example.com'] }] },
      { id: 'b', matches: [{ field: 'email', values: ["o'neil@example.com"] }] },
    ]);
    expect(res).toMatchObject({ matched: 2, flagged: 2, deleted: 0 });
    expect(await count(`SELECT COUNT(*) AS n FROM customer_pii WHERE forgotten_flag = 'Yes'`)).toBe(2);
    expect(await rs.find('customer_pii', [{ field: 'email', values: ['ann@example.com'] }])).toEqual([]);
    expect(await rs.pendingPurge()).toEqual({ customer_pii: 2 });
    // a plan's delete on a forget table flags too
    expect(await rs.apply([{ collection: 'customer_pii', key: { customer_id: 3 }, action: 'delete' }]))
      .toEqual({ deleted: 1, updated: 0, byCollection: { customer_pii: { deleted: 1, updated: 0 } }, perChange: [1] });
    expect(await rs.purgeForgotten()).toEqual({ customer_pii: 3 });
    expect(await count('SELECT COUNT(*) AS n FROM customer_pii')).toBe(1);
    expect(await rs.pendingPurge()).toEqual({ customer_pii: 0 });
  });

  it('deletes set-based and masks with a valid value for NOT NULL columns, leaving neighbours alone', async () => {
    const rs = RedshiftSource.open(config, { pool });
    expect(await rs.eraseBatch('orders', [{ id: 'a', matches: [{ field: 'email', values: ['ANN@example.com'] }] }])).toMatchObject({ deleted: 10 });
    expect(await count('SELECT COUNT(*) AS n FROM orders')).toBe(990);
    expect(await rs.eraseBatch('profiles', [{ id: 'a', matches: [{ field: 'email', values: ['ann@example.com'] }] }])).toMatchObject({ masked: 1 });
    const rows = (await pool.query('SELECT customer_id, email, full_name, segment FROM profiles ORDER BY customer_id')).rows;
    expect(rows).toEqual([
      { customer_id: 1, email: null, full_name: '[redacted]', segment: 'gold' },
      { customer_id: 2, email: 'ben@example.com', full_name: 'Ben B', segment: 'silver' },
    ]);
    expect(await rs.apply([{ collection: 'profiles', key: { customer_id: 2 }, action: 'update', set: { segment: 'x' } }]))
      .toEqual({ deleted: 0, updated: 1, byCollection: { profiles: { deleted: 0, updated: 1 } }, perChange: [1] });
  });

  it('applies a plan in one transaction: a failing change leaves nothing half-done', async () => {
    const rs = RedshiftSource.open(config, { pool });
    await expect(rs.apply([
      { collection: 'orders', key: { order_id: 1 }, action: 'delete' },
      { collection: 'orders', key: { order_id: 2 }, action: 'update', set: { amount: 'not a number' } },
    ])).rejects.toThrow();
    expect(await count('SELECT COUNT(*) AS n FROM orders WHERE order_id = 1')).toBe(1);
  });

  it('counts what the database reports, per table and per change: a gone or forgotten row 0, a key two rows share 2', async () => {
    const rs = RedshiftSource.open({
      tables: [
        // Redshift does not enforce primary keys: events holds two identical rows with event_id 7.
        { name: 'events', primaryKey: ['event_id'], identities: [{ column: 'email', kind: 'email' }], erasure: { mode: 'delete' } },
        { name: 'consents', primaryKey: ['customer_id'], identities: [{ column: 'email', kind: 'email' }], erasure: { mode: 'forget', flagColumn: 'forgotten', flagValue: 'Yes' } },
      ],
    }, { pool });
    expect(await rs.apply([
      { collection: 'events', key: { event_id: 7 }, action: 'delete' },
      { collection: 'events', key: { event_id: 8 }, action: 'update', set: { note: null } },
      { collection: 'events', key: { event_id: 99 }, action: 'delete' }, // no such row
      { collection: 'consents', key: { customer_id: 1 }, action: 'delete' }, // flagged
      { collection: 'consents', key: { customer_id: 1 }, action: 'delete' }, // flagged a moment ago
      { collection: 'consents', key: { customer_id: 2 }, action: 'delete' }, // forgotten before
      { collection: 'consents', key: { customer_id: 3 }, action: 'delete' }, // no such row
    ])).toEqual({
      deleted: 3, updated: 1,
      byCollection: { events: { deleted: 2, updated: 1 }, consents: { deleted: 1, updated: 0 } },
      perChange: [2, 1, 0, 1, 0, 0, 0],
    });
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM consents WHERE forgotten = 'Yes'`)).toBe(2);
  });

  it('speaks only SQL Redshift accepts: no arrays, RETURNING, ON CONFLICT or :: casts', () => {
    const ours = seen.filter((s) => !s.startsWith('BEGIN') && !s.startsWith('COMMIT') && !s.startsWith('ROLLBACK'));
    expect(ours.length).toBeGreaterThan(5);
    for (const s of ours) expect(s).not.toMatch(/ANY\s*\(|RETURNING|ON CONFLICT|::|ILIKE/iu);
  });

  it('scans a table keyset-paged on its key, leaving forgotten rows out', async () => {
    const rs = RedshiftSource.open(config, { pool });
    const sizes: number[] = [];
    const ids: number[] = [];
    for await (const b of rs.scan('orders', ['order_id', 'email'], 400)) { sizes.push(b.length); ids.push(...b.map((r) => Number(r.order_id))); }
    expect(sizes).toEqual([400, 400, 190]);
    expect(new Set(ids).size).toBe(990);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const kept: unknown[] = [];
    for await (const b of rs.scan('customer_pii', ['customer_id'])) kept.push(...b.map((r) => r.customer_id));
    expect(kept).toEqual([2]);
  });

  it('rejects a bad config naming the field', async () => {
    expect(() => RedshiftSource.open({ tables: [{ name: 'Orders', identities: [], primaryKey: [] }] }, { pool })).toThrow(/tables\.0\.name: names are lower-case.*tables\.0\.primaryKey/u);
    const rs = RedshiftSource.open({ tables: [{ name: 'orders', primaryKey: ['order_id'], identities: [{ column: 'mail', kind: 'email' }] }] }, { pool });
    await expect(rs.introspect()).rejects.toThrow(/identity column "mail" does not exist/u);
  });
});
