// Fresh, migrated PostgreSQL databases: one private server per test file (startPostgres), one new
// database per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { migrate } from '../../../shared/store/migrate';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import type { PostgresServer } from '../../support/postgres';
import type { StoreHarness } from './store-contract';

let counter = 0;

/** Creates a new empty database on the server; returns its URL. */
export async function createDatabase(server: PostgresServer): Promise<string> {
  const name = `t_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `groupCommit`: as the app opens the case store (shared/store/open-db.ts). */
export async function openPostgresHarness(server: PostgresServer, options: { groupCommit?: boolean } = {}): Promise<StoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-store-pg-'));
  const db = new PostgresDb(await createDatabase(server), { groupCommit: options.groupCommit === true });
  await migrate(db);
  const crypto = await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
  return {
    db, crypto,
    async atRest() {
      const tables = await db.all<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
      let text = '';
      for (const { table_name } of tables) {
        const rows = await db.all<{ r: string }>(`SELECT t::text AS r FROM "${table_name}" t`);
        text += rows.map((r) => r.r).join('\n');
      }
      return text;
    },
    async dropAuditTriggers() {
      await db.exec('DROP TRIGGER audit_log_no_update ON audit_log');
    },
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
