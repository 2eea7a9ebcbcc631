// Access by phone on SQLite and PostgreSQL: a number stored in any of the usual written forms is
// found, and only that number, whichever index the store has: none (the punctuation-insensitive
// scan), a plain index on the column (the written forms of the number through it) or the
// expression index the data map's look-up check recommends (digits through it). The look-up check
// names every look-up no index serves with the CREATE INDEX to run, and after running it the same
// look-up is served by an index (asked of the database's own planner).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlSource, type SourceConfig, type SqlDataSource } from '../../../shared/adapters/sql-source';
import { servedByIndex, phoneDigitsSql } from '../../../shared/adapters/lookup-indexes';
import { parseDataMap } from '../../../shared/domain/datamap';
import type { Db } from '../../../shared/store/db';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { startPostgres, type PostgresServer } from '../../support/postgres';

/** The same US number 415-555-01NN written the ways stores write numbers. */
const STORED: Array<[number, string]> = [
  [1, '+14155550101'], [2, '(415) 555-0102'], [3, '415-555-0103'], [4, '415.555.0104'], [5, '4155550105'],
  [6, '14155550106'], [7, '+1 415 555 0107'], [8, '+1-415-555-0108'], [9, '1 (415) 555-0109'], [10, '+1 (415) 555-0110'],
  [11, '+1 415-555-0111'], [12, '415 555 0112'], [13, '1-415-555-0113'], [14, '+1.415.555.0114'], [15, '(415)555-0115'],
];
/** Digit strings as the walk asks for a number (E.164 without "+", and the national number). */
const asked = (nn: number) => { const n = `41555501${String(nn).padStart(2, '0')}`; return [`1${n}`, n]; };

const MAP = parseDataMap({
  dataset: 'phones',
  collections: [
    { name: 'people', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] }] },
    { name: 'pets', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'owner_id', references: [{ collection: 'people', field: 'id', direction: 'from' }] }] },
  ],
});

interface Engine { name: string; conn: SourceConfig; db: Db; stop(): Promise<void> }

async function sqliteEngine(): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-phone-'));
  const file = join(dir, 'shop.sqlite');
  const db = new SqliteDb(file);
  return { name: 'sqlite', conn: { engine: 'sqlite', file }, db, stop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

let pg: PostgresServer | null = null;
async function postgresEngine(): Promise<Engine> {
  pg ??= await startPostgres();
  const db = new PostgresDb(pg.url);
  return { name: 'postgres', conn: { engine: 'postgres', url: pg.url }, db, stop: async () => { await db.close(); } };
}

afterAll(async () => { await pg?.stop(); });

describe.each([['sqlite', sqliteEngine], ['postgres', postgresEngine]] as const)('access by phone on %s', (_name, start) => {
  let e: Engine;
  beforeAll(async () => {
    e = await start();
    await e.db.exec('DROP TABLE IF EXISTS pets; DROP TABLE IF EXISTS people');
    await e.db.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT); CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL)');
    for (const [id, phone] of STORED) await e.db.run('INSERT INTO people VALUES (?, ?, ?)', [id, `p${id}@example.com`, phone]);
    // someone else's numbers that share digits with the asked ones
    await e.db.run('INSERT INTO people VALUES (?, ?, ?)', [100, 'other@example.com', '+44 20 7946 0101']);
    await e.db.run('INSERT INTO people VALUES (?, ?, ?)', [101, 'other2@example.com', '555-0101']);
    for (let i = 200; i < 600; i += 1) await e.db.run('INSERT INTO people VALUES (?, ?, ?)', [i, `x${i}@example.com`, `+1415666${String(i).padStart(4, '0')}`]);
    await e.db.exec(e.db.dialect === 'postgres' ? 'ANALYZE' : 'ANALYZE');
  });
  afterAll(async () => { await e.stop(); });

  const findEach = async (src: SqlDataSource) => {
    const out: Array<[number, unknown[]]> = [];
    for (const [id] of STORED) out.push([id, (await src.find('people', [{ field: 'phone', values: asked(id), normalize: 'phone' }])).map((r) => r.id)]);
    return out;
  };
  const expected = STORED.map(([id]) => [id, [id]]);

  it('without an index: every written form found by its digits (a scan), and the look-up check prints the index to create', async () => {
    const src = await openSqlSource(e.conn);
    try {
      expect(await findEach(src)).toEqual(expected);
      const advice = await src.lookupIndexes(MAP);
      const phone = advice.find((a) => a.field === 'phone')!;
      expect(phone).toMatchObject({ collection: 'people', lookup: 'phone', served: 'scan' });
      expect(phone.createIndex).toBe(`CREATE INDEX "people_phone_digits_lookup" ON "people" (${phoneDigitsSql('"phone"')});`);
      expect(advice.find((a) => a.field === 'email')).toMatchObject({ served: 'scan', createIndex: 'CREATE INDEX "people_email_email_lookup" ON "people" (lower(trim("email")));' });
      expect(advice.find((a) => a.collection === 'pets' && a.field === 'owner_id')).toMatchObject({ served: 'scan', createIndex: 'CREATE INDEX "pets_owner_id_lookup" ON "pets" ("owner_id");' });
      expect(advice.find((a) => a.collection === 'people' && a.field === 'id')).toMatchObject({ served: 'index', createIndex: null });
    } finally { await src.close(); }
  });

  it('with a plain index on the column: the written forms of the number through it, the same rows', async () => {
    await e.db.exec('CREATE INDEX people_phone ON people (phone)');
    const src = await openSqlSource(e.conn);
    try {
      expect(await servedByIndex(e.db, 'people', '"phone"')).toBe(true);
      expect(await findEach(src)).toEqual(expected);
      expect((await src.lookupIndexes(MAP)).find((a) => a.field === 'phone')).toMatchObject({ served: 'phone-forms' });
    } finally { await src.close(); }
  });

  it('with the recommended expression index: digits through it, the same rows, and the look-up check is satisfied', async () => {
    const src0 = await openSqlSource(e.conn);
    const advice = await src0.lookupIndexes(MAP);
    await src0.close();
    for (const a of advice) if (a.createIndex && a.served !== 'index') await e.db.exec(a.createIndex);
    await e.db.exec('DROP INDEX people_phone');
    await e.db.exec('ANALYZE');
    const src = await openSqlSource(e.conn);
    try {
      expect(await servedByIndex(e.db, 'people', phoneDigitsSql('"phone"'))).toBe(true);
      expect(await findEach(src)).toEqual(expected);
      expect((await src.lookupIndexes(MAP)).filter((a) => a.served !== 'index')).toEqual([]);
      // a number written in a way no form lists (a stray inner space) is still found through the digits index
      await e.db.run('INSERT INTO people VALUES (?, ?, ?)', [700, 'odd@example.com', '+1 415 555 01 99']);
      expect((await src.find('people', [{ field: 'phone', values: asked(99), normalize: 'phone' }])).map((r) => r.id)).toEqual([700]);
    } finally { await src.close(); }
  });
});
