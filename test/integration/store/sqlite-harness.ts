// Fresh, migrated SQLite databases (a file in a temp dir) with the real envelope crypto.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import { migrate } from '../../../shared/store/migrate';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import type { StoreHarness } from './store-contract';

export async function openSqliteHarness(): Promise<StoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-store-'));
  const file = join(dir, 'cases.sqlite');
  const db = new SqliteDb(file);
  await migrate(db);
  const crypto = await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
  const files = () => readdirSync(dir).filter((f) => f.startsWith('cases.sqlite')).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');
  return {
    db, crypto,
    async atRest() {
      const live = files(); // main file + WAL while open
      await db.close();
      return `${live}\n${files()}`; // and after the WAL was checkpointed into the file
    },
    async dropAuditTriggers() {
      await db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    },
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
