// The SQL data source on a real SQLite file: identifiers are checked against the live schema before
// use (a hostile name is an error naming it, nothing runs), values are bound, apply() is one
// transaction (a failure half-way leaves every row as it was), scan() pages through a table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlSource, UnknownIdentifierError, type SqlDataSource } from '../../../shared/adapters/sql-source';

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
      .toEqual({ deleted: 1, updated: 1 });
  });

  it('scan pages through a table by its key', async () => {
    const pages: number[] = [];
    for await (const rows of src.scan('people', ['id', 'email'], 7)) pages.push(rows.length);
    expect(pages).toEqual([7, 7, 7, 7, 2]);
  });
});
