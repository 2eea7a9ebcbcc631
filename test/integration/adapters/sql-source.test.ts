// The SQL data source on a real SQLite file: identifiers are checked against the live schema before
// use (a hostile name is an error naming it, nothing runs), values are bound, apply() is one
// transaction (a failure half-way leaves every row as it was), scan() pages through a table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlSource, UnknownIdentifierError, type SqlDataSource } from '../../../shared/adapters/sql-source';
import type { RowChange } from '../../../shared/adapters/port';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { startPostgres } from '../../support/postgres';

let dir: string;
let file: string;
let src: SqlDataSource;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-sqlsrc-'));
  file = join(dir, 'shop.sqlite');
  const db = new Database(file);
  db.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, note TEXT);
    CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, name TEXT);
    CREATE TRIGGER no_rex BEFORE DELETE ON pets WHEN old.name = 'Rex' BEGIN SELECT RAISE(ABORT, 'Rex stays'); END;`);
  const p = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?)');
  p.run(1, ' Ann@Example.com', '(415) 555-0101', "O'Brien; DROP TABLE people; --");
  p.run(2, 'bob@example.com', '+1 415 555 0102', null);
  for (let i = 3; i <= 30; i += 1) p.run(i, `p${i}@example.com`, null, null);
  db.prepare('INSERT INTO pets VALUES (?, ?, ?)').run(1, 1, 'Tom');
  db.prepare('INSERT INTO pets VALUES (?, ?, ?)').run(2, 1, 'Rex');
  db.close();
  src = await openSqlSource({ engine: 'sqlite', file });
});
afterEach(async () => { await src.close(); rmSync(dir, { recursive: true, force: true }); });

const count = (sql: string) => { const db = new Database(file, { readonly: true }); try { return (db.prepare(sql).get() as { n: number }).n; } finally { db.close(); } };

describe('SqlDataSource on SQLite', () => {
  it('introspects tables, columns, nullability and keys', async () => {
    const live = await src.introspect();
    expect(live.map((c) => c.name)).toEqual(['people', 'pets']);
    expect(live[0]!.fields.find((f) => f.name === 'email')).toMatchObject({ nullable: false, primaryKey: false });
    expect(live[0]!.fields.find((f) => f.name === 'id')).toMatchObject({ primaryKey: true });
  });

  it('refuses unknown or hostile identifiers before running anything', async () => {
    await expect(src.find('people; DROP TABLE people', [{ field: 'email', values: ['x'] }])).rejects.toThrow(UnknownIdentifierError);
    await expect(src.find('people', [{ field: 'email" OR 1=1 --', values: ['x'] }])).rejects.toThrow(/unknown column "people\.email" OR 1=1 --"/u);
    await expect(src.apply([{ collection: 'people', key: { id: 1 }, action: 'update', set: { 'note = NULL --': 1 } }])).rejects.toThrow(UnknownIdentifierError);
    expect(count('SELECT COUNT(*) AS n FROM people')).toBe(30);
  });

  it('binds values: quotes and SQL in values match nothing else', async () => {
    expect(await src.find('people', [{ field: 'email', values: ["' OR 1=1 --", "x' OR '1'='1"], normalize: 'email' }])).toEqual([]);
    expect(await src.find('people', [{ field: 'note', values: ["O'Brien; DROP TABLE people; --"] }])).toHaveLength(1);
  });

  it('compares emails ignoring case and spaces, phones by digits, in one query', async () => {
    const rows = await src.find('people', [{ field: 'email', values: ['ann@example.com'], normalize: 'email' }, { field: 'phone', values: ['14155550102'], normalize: 'phone' }]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 2]);
  });

  it('apply is one transaction: a failure half-way changes nothing', async () => {
    await expect(src.apply([
      { collection: 'people', key: { id: 1 }, action: 'update', set: { note: null } },
      { collection: 'pets', key: { id: 1 }, action: 'delete' },
      { collection: 'pets', key: { id: 2 }, action: 'delete' },
    ])).rejects.toThrow(/Rex stays/u);
    expect(count('SELECT COUNT(*) AS n FROM pets')).toBe(2);
    expect(count("SELECT COUNT(*) AS n FROM people WHERE note IS NOT NULL")).toBe(1);
    expect(await src.apply([{ collection: 'pets', key: { id: 1 }, action: 'delete' }, { collection: 'people', key: { id: 2 }, action: 'update', set: { phone: null } }]))
      .toEqual({ deleted: 1, updated: 1, byCollection: { pets: { deleted: 1, updated: 0 }, people: { deleted: 0, updated: 1 } }, perChange: [1, 1] });
  });

  it('scan pages through a table by its key', async () => {
    const pages: number[] = [];
    for await (const rows of src.scan('people', ['id', 'email'], 7)) pages.push(rows.length);
    expect(pages).toEqual([7, 7, 7, 7, 2]);
  });
});

// Applied counts: what each statement reports, per collection and per change, on SQLite and on a
// real PostgreSQL. A change for a row that is gone counts 0; a key of a table without a primary key
// (matched by value) that two identical rows share counts 2; a key the database matches but the JS
// comparison would not (NOCASE collation, CHAR(n) padding) still counts exactly (per-key re-run).
describe('SqlDataSource applied counts', () => {
  const schema = (codeType: string) => `
    CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT NOT NULL, note TEXT);
    CREATE TABLE tags (person_id INTEGER, tag TEXT);
    CREATE TABLE notes (body TEXT);
    CREATE TABLE bulk (id INTEGER PRIMARY KEY, v TEXT);
    CREATE TABLE codes (code ${codeType} PRIMARY KEY, label TEXT);
    INSERT INTO people VALUES (1, 'a@x', NULL), (2, 'b@x', NULL), (3, 'c@x', NULL);
    INSERT INTO tags VALUES (1, 'vip'), (1, 'vip'), (2, 'vip'), (NULL, 'orphan'), (NULL, 'orphan');
    INSERT INTO notes VALUES ('hello'), ('hello'), ('bye'), (NULL), (NULL);
    INSERT INTO codes VALUES ('abc', 'one'), ('def', 'two');`;
  const bulkRows = Array.from({ length: 3000 }, (_, i) => `(${i + 1}, 'v')`).join(', ');

  const scenarios = async (open: () => Promise<SqlDataSource>, caseCode: string) => {
    const s = await open();
    try {
      const changes: RowChange[] = [
        { collection: 'people', key: { id: 1 }, action: 'delete' },
        { collection: 'people', key: { id: 99 }, action: 'delete' }, // not there
        { collection: 'people', key: { id: 2 }, action: 'update', set: { note: 'x' } },
        { collection: 'people', key: { id: 98 }, action: 'update', set: { note: 'x' } }, // not there
        { collection: 'people', key: { id: 1 }, action: 'delete' }, // the same row again: credited once
        { collection: 'tags', key: { person_id: 1, tag: 'vip' }, action: 'delete' }, // two identical rows
        { collection: 'tags', key: { person_id: null, tag: 'orphan' }, action: 'update', set: { tag: 'gone' } }, // two, by IS NULL
        { collection: 'tags', key: { person_id: 7, tag: 'vip' }, action: 'delete' }, // not there
        { collection: 'notes', key: { body: 'hello' }, action: 'delete' }, // two identical rows, one-field key
        { collection: 'notes', key: { body: null }, action: 'delete' }, // two, by IS NULL
        { collection: 'notes', key: { body: 'nope' }, action: 'delete' }, // not there
        { collection: 'people', key: { id: 3 }, action: 'update', set: {} }, // nothing to set
      ];
      expect(await s.apply(changes)).toEqual({
        deleted: 7, updated: 3,
        byCollection: { people: { deleted: 1, updated: 1 }, tags: { deleted: 2, updated: 2 }, notes: { deleted: 4, updated: 0 } },
        perChange: [1, 0, 1, 0, 0, 2, 2, 0, 2, 2, 0, 0],
      });
      // Running the same batch again changes nothing but the updates of rows still there.
      const again = await s.apply(changes);
      expect(again.perChange).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(again.byCollection).toEqual({ people: { deleted: 0, updated: 1 }, tags: { deleted: 0, updated: 0 }, notes: { deleted: 0, updated: 0 } });

      // More keys than one IN-list chunk, a third of them gone: exact per change across chunks.
      const bulk: RowChange[] = Array.from({ length: 4500 }, (_, i) => ({ collection: 'bulk', key: { id: i + 1 }, action: 'delete' as const }));
      const b = await s.apply(bulk);
      expect(b.deleted).toBe(3000);
      expect(b.byCollection).toEqual({ bulk: { deleted: 3000, updated: 0 } });
      expect(b.perChange!.slice(0, 3000).every((n) => n === 1)).toBe(true);
      expect(b.perChange!.slice(3000).every((n) => n === 0)).toBe(true);

      // A key the database matches by its own rules (the returned key differs): still exact.
      expect(await s.apply([
        { collection: 'codes', key: { code: caseCode }, action: 'update', set: { label: 'masked' } },
        { collection: 'codes', key: { code: 'zzz' }, action: 'update', set: { label: 'masked' } },
        { collection: 'codes', key: { code: 'def' }, action: 'update', set: { label: 'masked' } },
      ])).toEqual({ deleted: 0, updated: 2, byCollection: { codes: { deleted: 0, updated: 2 } }, perChange: [1, 0, 1] });
      expect(await s.apply([])).toEqual({ deleted: 0, updated: 0, byCollection: {}, perChange: [] });
    } finally {
      await s.close();
    }
  };

  it('SQLite: counts per collection and per change come from the statements', async () => {
    const d = mkdtempSync(join(tmpdir(), 'pd-sqlcounts-'));
    try {
      const f = join(d, 'counts.sqlite');
      const db = new Database(f);
      db.exec(`${schema('TEXT COLLATE NOCASE')} INSERT INTO bulk VALUES ${bulkRows};`);
      db.close();
      await scenarios(() => openSqlSource({ engine: 'sqlite', file: f }), 'ABC');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: counts per collection and per change come from the statements', async () => {
    const server = await startPostgres();
    try {
      const admin = new PostgresDb(server.url);
      await admin.exec(`${schema('CHAR(5)')} INSERT INTO bulk VALUES ${bulkRows};`);
      await admin.close();
      await scenarios(() => openSqlSource({ engine: 'postgres', url: server.url }), 'abc');
    } finally {
      await server.stop();
    }
  });
});
