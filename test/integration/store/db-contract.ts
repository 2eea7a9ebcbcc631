// The Db port itself, run on SQLite and PostgreSQL: values round-trip the same way on both, `?`
// inside literals is not a placeholder, exec runs several statements, transactions serialise.
import { describe, it, expect } from 'vitest';
import type { Db } from '../../../shared/store/db';

export function dbContract(label: string, open: () => Promise<{ db: Db; close(): Promise<void> }>): void {
  const t = (name: string, fn: (db: Db) => Promise<void>) => it(name, async () => {
    const h = await open();
    try { await fn(h.db); } finally { await h.close(); }
  });
  const blob = (db: Db) => (db.dialect === 'postgres' ? 'BYTEA' : 'BLOB');

  describe(`Db port (${label})`, () => {
    t('round-trips text, integers, booleans as 0/1, null and bytes', async (db) => {
      await db.exec(`CREATE TABLE v (id INTEGER PRIMARY KEY, s TEXT, n INTEGER, big BIGINT, b INTEGER, z TEXT, bytes ${blob(db)});
        CREATE TABLE w (id INTEGER PRIMARY KEY)`);
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      const r = await db.run('INSERT INTO v (id, s, n, big, b, z, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)', [1, 'it\'s', 42, 9_007_199_254_740_000n, true, null, bytes]);
      expect(r.changes).toBe(1);
      const row = await db.get<{ id: number; s: string; n: number; big: number; b: number; z: null; bytes: Uint8Array }>('SELECT id, s, n, big, b, z, bytes FROM v WHERE id = ?', [1]);
      expect(row).toMatchObject({ id: 1, s: 'it\'s', n: 42, big: 9_007_199_254_740_000, b: 1, z: null });
      expect(Array.from(row!.bytes)).toEqual(Array.from(bytes));
      expect(await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM v WHERE b = ?', [true])).toEqual({ n: 1 });
      expect(await db.get('SELECT id FROM v WHERE id = ?', [2])).toBeUndefined();
      expect(await db.all('SELECT id FROM w')).toEqual([]);
    });

    t('treats ? inside string literals, quoted names and comments as text', async (db) => {
      await db.exec('CREATE TABLE "odd?name" (id INTEGER PRIMARY KEY, note TEXT)');
      await db.run(`INSERT INTO "odd?name" (id, note) -- a comment with a ?
        VALUES (?, 'why? because' || ?) /* another ? */`, [7, '!']);
      expect(await db.all('SELECT id, note FROM "odd?name" WHERE note LIKE \'%?%\' AND id = ?', [7])).toEqual([{ id: 7, note: 'why? because!' }]);
    });

    t('reports changed rows', async (db) => {
      await db.exec('CREATE TABLE c (id INTEGER PRIMARY KEY, x INTEGER)');
      for (let i = 1; i <= 5; i++) await db.run('INSERT INTO c (id, x) VALUES (?, ?)', [i, i % 2]);
      expect(await db.run('UPDATE c SET x = 9 WHERE x = ?', [1])).toEqual({ changes: 3 });
      expect(await db.run('DELETE FROM c WHERE id > ?', [10])).toEqual({ changes: 0 });
    });

    t('returns the value of a transaction and serialises concurrent read-modify-write transactions', async (db) => {
      await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      await db.run('INSERT INTO counter (id, n) VALUES (1, 0)');
      const lock = db.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const results = await Promise.all(Array.from({ length: 25 }, () => db.tx(async (tx) => {
        const r = await tx.get<{ n: number }>(`SELECT n FROM counter WHERE id = 1${lock}`);
        await new Promise((res) => setImmediate(res));
        await tx.run('UPDATE counter SET n = ? WHERE id = 1', [Number(r!.n) + 1]);
        return Number(r!.n) + 1;
      })));
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await db.get('SELECT n FROM counter WHERE id = 1')).toEqual({ n: 25 });
    });

    t('refuses work after close', async (db) => {
      await db.close();
      await expect(db.get('SELECT 1 AS x')).rejects.toThrow(/closed/u);
      await expect(db.tx(async () => 1)).rejects.toThrow(/closed/u);
      await db.close();
    });
  });
}
