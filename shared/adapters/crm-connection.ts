// A read-only connection to the business's CRM database for the phone channel's look-ups:
// SQLite (better-sqlite3, opened read-only, prepared statements cached) or PostgreSQL (pg pool).
// `?` placeholders in both; values are always bound. The CRM is someone else's system: this
// connection never writes to it.
import Database from 'better-sqlite3';
import pg from 'pg';

export type CrmDialect = 'sqlite' | 'postgres';
export type CrmValue = string | number | null;

export interface CrmConnection {
  readonly dialect: CrmDialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly CrmValue[]): Promise<T[]>;
  close(): Promise<void>;
}

export type CrmSource = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; maxConnections?: number };

export function openCrmConnection(source: CrmSource): CrmConnection {
  return source.kind === 'sqlite' ? openSqlite(source.file) : openPostgres(source.url, source.maxConnections ?? 4);
}

function openSqlite(file: string): CrmConnection {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new Error(`CRM database ${file} cannot be opened read-only (${(e as { code?: string }).code ?? 'error'})`);
  }
  const statements = new Map<string, Database.Statement>();
  return {
    dialect: 'sqlite',
    async all<T>(sql: string, params: readonly CrmValue[] = []) {
      let st = statements.get(sql);
      if (!st) { st = db.prepare(sql); statements.set(sql, st); }
      return st.all(...params) as T[];
    },
    async close() { db.close(); },
  };
}

function openPostgres(url: string, max: number): CrmConnection {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  pool.on('error', () => { /* an idle client failed; the next query reconnects */ });
  const names = new Map<string, string>();
  return {
    dialect: 'postgres',
    async all<T>(sql: string, params: readonly CrmValue[] = []) {
      let n = 0;
      const text = sql.replace(/\?/gu, () => `$${(n += 1)}`);
      // Named statements are prepared once per connection by pg.
      let name = names.get(text);
      if (!name) { name = `crm_${names.size + 1}`; names.set(text, name); }
      const r = await pool.query({ name, text, values: [...params] });
      return r.rows as T[];
    },
    async close() { await pool.end(); },
  };
}
