// Opens the case store named in the app config: a SQLite file (embedded default) or a PostgreSQL
// URL. For PostgreSQL the connection is tried at once so a wrong URL fails here with a clear
// message (the password is never printed).
// `readOnly`: a read-only database user (the crm-lookup Lambda): SQLite opens the file read-only,
// PostgreSQL sessions run with default_transaction_read_only, and the app's start-up writes
// nothing (no migration, no key recorded, no audit keying). `schema: 'check'`: the schema must be
// current already (a Lambda: the console, a worker or any CLI command with a read-write user
// migrates it); start-up reads the version instead of migrating. Read-only implies `check`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './db';
import { SqliteDb } from './sqlite-db';
import { PostgresDb, redactUrl } from './postgres-db';

interface OpenOptions { readOnly?: boolean; schema?: 'migrate' | 'check' }
/**
 * `poolMax` (PostgreSQL): connections the store opens at most (default 10). A phone Lambda answers
 * one invocation at a time: 2 (one for the transaction group commit runs, one for reads), so a cold
 * start does not open, authenticate and wait for more.
 */
export type DbConfig = ({ kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolMax?: number }) & OpenOptions;

export async function openDb(config: DbConfig): Promise<Db> {
  const opened = { readOnly: config.readOnly === true, schema: config.readOnly === true ? 'check' as const : config.schema ?? 'migrate' };
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:' && !opened.readOnly) mkdirSync(dirname(config.file), { recursive: true });
    // Group commit: transitions of concurrent cases share a COMMIT (one fsync), each still committed before its tx() returns.
    return withOpened(new SqliteDb(config.file, { readonly: opened.readOnly, groupCommit: true }), opened);
  }
  // Group commit as on SQLite (not for a read-only user: it writes nothing to group).
  const db = new PostgresDb(config.url, { readOnly: opened.readOnly, groupCommit: !opened.readOnly, ...(config.poolMax ? { max: config.poolMax } : {}) });
  try {
    await db.get('SELECT 1 AS ok');
  } catch (e) {
    await db.close().catch(() => undefined);
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(config.url)}: ${why}`);
  }
  return withOpened(db, opened);
}

function withOpened<T extends Db>(db: T, opened: NonNullable<Db['opened']>): T {
  Object.defineProperty(db, 'opened', { value: Object.freeze(opened), enumerable: false });
  return db;
}
