// Opens the case store named in the app config: a SQLite file (embedded default) or a PostgreSQL
// URL. For PostgreSQL the connection is tried at once so a wrong URL fails here with a clear
// message (the password is never printed).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './db';
import { SqliteDb } from './sqlite-db';
import { PostgresDb, redactUrl } from './postgres-db';

export type DbConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export async function openDb(config: DbConfig): Promise<Db> {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    return new SqliteDb(config.file);
  }
  const db = new PostgresDb(config.url);
  try {
    await db.get('SELECT 1 AS ok');
  } catch (e) {
    await db.close().catch(() => undefined);
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(config.url)}: ${why}`);
  }
  return db;
}
