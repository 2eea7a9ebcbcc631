// The Db port on SQLite, plus what only SQLite has: pragmas, and a second connection in the same
// process waiting for the write lock without blocking the event loop.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
