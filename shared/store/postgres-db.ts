// The Db port over a `pg` Pool: PostgreSQL for a team (`--database-url`).
//
// SQL is written with `?` placeholders (rewritten to $n, skipping literals and comments). `tx(fn)`
// checks one client out of the pool and keeps it in an AsyncLocalStorage: every call awaited inside
// fn runs on that client, a nested tx becomes a SAVEPOINT. Calls outside a transaction use the pool
// directly (PostgreSQL does its own locking). BIGINT results (COUNT(*), BIGSERIAL) come back as
// JavaScript numbers; date, time, timestamp and interval values come back as the server's text
// (timestamptz in UTC: ./pg-exact-types.ts), like the text SQLite stores, never as JS Dates in the
// process time zone, so a data source reads and writes them back exactly (the case store keeps its
// times in TEXT columns and relies on none of this); booleans are bound as 0/1 like on SQLite
// (PostgreSQL accepts '1'/'0' for boolean columns), so repositories stay portable. Unquoted column
// aliases are lower-cased by PostgreSQL: repositories use snake_case names.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Db, SqlValue } from './db';
import { toPositional } from './sql-placeholders';
import { exactTypes } from './pg-exact-types';

interface TxState { client: pg.PoolClient; active: boolean; depth: number }

const INT8_OID = 20;
function parseInt8(v: string): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v);
}

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((v) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (v === undefined) return null;
    return v;
  });
}

export interface PostgresDbOptions {
  /** Pool size (default 10: a console, a CLI and the engine's background steps share it). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
  /** Every session read-only (default_transaction_read_only): a write fails in PostgreSQL itself. */
  readOnly?: boolean;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly als = new AsyncLocalStorage<TxState>();
  private readonly rewritten = new Map<string, string>();
  private closed = false;

  constructor(url: string, options: PostgresDbOptions = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'privacy-desk',
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
      types: exactTypes((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')),
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  private sql(text: string): string {
    let s = this.rewritten.get(text);
    if (s === undefined) {
      s = toPositional(text).text;
      if (this.rewritten.size >= 1000) this.rewritten.clear();
      this.rewritten.set(text, s);
    }
    return s;
  }

  inTransaction(): boolean {
    const s = this.als.getStore();
    return !!s && s.active;
  }

  private runner(): pg.Pool | pg.PoolClient {
    if (this.closed) throw new Error('database is closed');
    const s = this.als.getStore();
    return s && s.active ? s.client : this.pool;
  }

  private async query(text: string, params?: readonly SqlValue[]): Promise<pg.QueryResult> {
    return this.runner().query(this.sql(text), bind(params));
  }

  async all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    // No parameters: the simple query protocol, which runs several statements.
    await this.runner().query(sql);
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const outer = this.als.getStore();
    if (outer && outer.active) {
      const name = `sp_${outer.depth + 1}`;
      await outer.client.query(`SAVEPOINT ${name}`);
      outer.depth += 1;
      try {
        const out = await fn(this);
        await outer.client.query(`RELEASE SAVEPOINT ${name}`);
        return out;
      } catch (e) {
        await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await outer.client.query(`RELEASE SAVEPOINT ${name}`);
        throw e;
      } finally {
        outer.depth -= 1;
      }
    }
    if (this.closed) throw new Error('database is closed');
    const client = await this.pool.connect();
    const state: TxState = { client, active: true, depth: 0 };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await this.als.run(state, () => fn(this));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw e;
    } finally {
      state.active = false;
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
