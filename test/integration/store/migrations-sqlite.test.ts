// Migrations on SQLite files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import { migrationsContract } from './migrations-contract';

migrationsContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pd-mig-'));
  const file = join(dir, 'cases.sqlite');
  const db = new SqliteDb(file);
  return {
    db,
    openAnother: async () => new SqliteDb(file),
    async close() { await db.close(); rmSync(dir, { recursive: true, force: true }); },
  };
});
