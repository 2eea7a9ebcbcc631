// The Db port on SQLite, plus what only SQLite has: pragmas, and a second connection in the same
// process waiting for the write lock without blocking the event loop.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import { openDb } from '../../../shared/store/open-db';
import { dbContract } from './db-contract';

function tempFile(): { file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pd-sqlite-'));
  return { file: join(dir, 'db.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

dbContract('SQLite', async () => {
  const f = tempFile();
  const db = new SqliteDb(f.file);
  return { db, async close() { await db.close(); f.cleanup(); } };
});

describe('SqliteDb', () => {
  it('opens in WAL mode with foreign keys and full sync, creating the folder', async () => {
    const f = tempFile();
    const db = await openDb({ kind: 'sqlite', file: join(f.file, '..', 'nested', 'deeper', 'cases.sqlite') });
    try {
      expect(db.dialect).toBe('sqlite');
      expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await db.get('PRAGMA synchronous')).toEqual({ synchronous: 2 });
      await db.exec('CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE ch (p TEXT REFERENCES p (id))');
      await expect(db.run('INSERT INTO ch (p) VALUES (?)', ['missing'])).rejects.toThrow(/FOREIGN KEY/u);
    } finally {
      await db.close();
      f.cleanup();
    }
  });

  it('a second connection waits for the first one\'s transaction instead of failing', async () => {
    const f = tempFile();
    const a = new SqliteDb(f.file);
    const b = new SqliteDb(f.file);
    try {
      await a.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let inA!: () => void;
      const started = new Promise<void>((r) => { inA = r; });
      const ta = a.tx(async (db) => { await db.run('INSERT INTO t (id) VALUES (1)'); inA(); await gate; });
      await started;
      const tb = b.tx(async (db) => { await db.run('INSERT INTO t (id) VALUES (2)'); });
      setTimeout(release, 50); // the event loop keeps running while b waits
      await Promise.all([ta, tb]);
      expect(await b.all('SELECT id FROM t ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await a.close();
      await b.close();
      f.cleanup();
    }
  });
  it('group commit: transactions that queue while one is open share its COMMIT, each settling only after it, each in its own async context', async () => {
    const f = tempFile();
    const db = new SqliteDb(f.file, { groupCommit: true });
    const other = new SqliteDb(f.file);
    const caller = new AsyncLocalStorage<string>();
    try {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)');
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let inFirst!: () => void;
      const started = new Promise<void>((r) => { inFirst = r; });
      const settled: number[] = [];
      const first = caller.run('c0', () => db.tx(async (t) => {
        await t.run('INSERT INTO t (id, who) VALUES (0, ?)', [caller.getStore() ?? null]);
        inFirst();
        await gate;
      })).then(() => settled.push(0));
      await started;
      // Queued while the first is open: they join its group.
      const rest = [1, 2, 3, 4].map((i) => caller.run(`c${i}`, () => db.tx(async (t) => {
        await t.run('INSERT INTO t (id, who) VALUES (?, ?)', [i, caller.getStore() ?? null]);
        if (i === 3) throw new Error('member 3 fails');
        return i;
      })).then((v) => { settled.push(i); return v; }, (e: unknown) => { settled.push(i); throw e; }));
      const three = expect(rest[2]).rejects.toThrow('member 3 fails');
      release();
      await first;
      // The first settles only with the group's COMMIT: by then the others' writes are durable too.
      expect(await other.all('SELECT id, who FROM t ORDER BY id')).toEqual([
        { id: 0, who: 'c0' }, { id: 1, who: 'c1' }, { id: 2, who: 'c2' }, { id: 4, who: 'c4' },
      ]);
      expect(await rest[0]).toBe(1);
      expect(await rest[1]).toBe(2);
      await three;
      expect(await rest[3]).toBe(4);
      expect(settled.sort()).toEqual([0, 1, 2, 3, 4]);
      // A nested transaction inside a grouped one is still a savepoint of its own.
      const a = db.tx(async (t) => { await t.run('INSERT INTO t (id) VALUES (10)'); });
      const b = db.tx(async (t) => {
        await t.run('INSERT INTO t (id) VALUES (11)');
        await expect(t.tx(async (u) => { await u.run('INSERT INTO t (id) VALUES (12)'); throw new Error('inner'); })).rejects.toThrow('inner');
      });
      await Promise.all([a, b]);
      expect(await db.all('SELECT id FROM t WHERE id >= 10 ORDER BY id')).toEqual([{ id: 10 }, { id: 11 }]);
    } finally {
      await db.close();
      await other.close();
      f.cleanup();
    }
  });

  it('group commit: a failed COMMIT rejects every transaction of the group, none half-written', async () => {
    const f = tempFile();
    const db = new SqliteDb(f.file, { groupCommit: true });
    try {
      // A deferred foreign key fails at COMMIT, not at the statement.
      await db.exec('CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE ch (p TEXT REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)');
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let inFirst!: () => void;
      const started = new Promise<void>((r) => { inFirst = r; });
      const first = db.tx(async (t) => { await t.run('INSERT INTO p (id) VALUES (?)', ['ok']); inFirst(); await gate; });
      await started;
      const bad = db.tx(async (t) => { await t.run('INSERT INTO ch (p) VALUES (?)', ['missing']); });
      const good = db.tx(async (t) => { await t.run('INSERT INTO ch (p) VALUES (?)', ['ok']); });
      release();
      const r = await Promise.allSettled([first, bad, good]);
      expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await db.all('SELECT id FROM p')).toEqual([]);
      expect(await db.all('SELECT p FROM ch')).toEqual([]);
      // The next transaction runs normally.
      await db.tx(async (t) => { await t.run('INSERT INTO p (id) VALUES (?)', ['after']); });
      expect(await db.all('SELECT id FROM p')).toEqual([{ id: 'after' }]);
      // Without groupCommit (a data source's file) each transaction commits alone: only the bad one fails.
      const alone = new SqliteDb(f.file);
      try {
        let open!: () => void;
        const held = new Promise<void>((r) => { open = r; });
        let inOne!: () => void;
        const one = new Promise<void>((r) => { inOne = r; });
        const a = alone.tx(async (t) => { await t.run('INSERT INTO p (id) VALUES (?)', ['alone']); inOne(); await held; });
        await one;
        const b = alone.tx(async (t) => { await t.run('INSERT INTO ch (p) VALUES (?)', ['missing']); });
        open();
        expect((await Promise.allSettled([a, b])).map((x) => x.status)).toEqual(['fulfilled', 'rejected']);
        expect(await alone.all('SELECT id FROM p ORDER BY id')).toEqual([{ id: 'after' }, { id: 'alone' }]);
      } finally {
        await alone.close();
      }
    } finally {
      await db.close();
      f.cleanup();
    }
  });
});
