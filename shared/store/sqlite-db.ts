// The Db port over better-sqlite3: the embedded default (one file in the user's data folder).
//
// Pragmas: WAL (readers never block the writer, one fsync per commit into the log), foreign keys on,
// a short busy_timeout plus an asynchronous retry loop, so a second connection (the CLI next to the
// console, or a second connection in this process) waits for the write lock without blocking the
// event loop for long and without failing, and synchronous=FULL: in WAL mode NORMAL can lose the last commits on power loss, and the
// step journal's exactly-once promise and the audit chain both rely on a committed entry staying
// committed (an email sent after a commit that then vanished would be sent again on resume).
//
// Transactions: better-sqlite3 is synchronous, but `tx(fn)` spans awaits. An AsyncLocalStorage
// marks the transaction's async context; calls made inside it run on the open transaction (a nested
// tx becomes a SAVEPOINT), and calls from anywhere else wait in a promise-queue mutex until the
// transaction commits or rolls back. BEGIN IMMEDIATE takes the write lock up front, so two
// processes never deadlock upgrading a read lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { Db, SqlValue } from './db';

interface TxState { active: boolean; depth: number }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
function isBusy(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}
/** How long SQLite itself spins (synchronously) before reporting SQLITE_BUSY to the retry loop. */
const SYNC_BUSY_MS = 25;

type BoundValue = string | number | bigint | null | Buffer;

function bind(params: readonly SqlValue[] | undefined): BoundValue[] {
  if (!params) return [];
  return params.map((v) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (v === undefined) return null;
    return v as BoundValue;
  });
}

/** Options for the SQLite database. */
export interface SqliteDbOptions {
  /** Milliseconds to wait for another connection's write lock before failing (default 15000). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly als = new AsyncLocalStorage<TxState>();
  private readonly statements = new Map<string, Database.Statement>();
  /** Promise-queue mutex: the tail every outside caller waits behind while a transaction is open. */
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private closed = false;
  private readonly busyTimeoutMs: number;

  constructor(readonly file: string, options: SqliteDbOptions = {}) {
    this.busyTimeoutMs = Math.max(0, options.busyTimeoutMs ?? 15_000);
    this.db = new Database(file, { readonly: options.readonly ?? false });
    if (!options.readonly) this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${SYNC_BUSY_MS}`);
    this.db.pragma('synchronous = FULL');
  }

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size >= 500) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private inTx(): boolean {
    const s = this.als.getStore();
    return !!s && s.active;
  }

  inTransaction(): boolean {
    return this.inTx();
  }

  /** Run fn when no transaction of another context is open. */
  private async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.closed) throw new Error('database is closed');
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => { release = r; });
    this.waiting += 1;
    try {
      await prev;
      return await fn();
    } finally {
      this.waiting -= 1;
      release();
    }
  }

  /** Retry fn while another connection holds the write lock, without blocking the event loop. */
  private async retryBusy<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
      try {
        return fn();
      } catch (e) {
        if (!isBusy(e) || Date.now() >= deadline) throw e;
      }
      await sleep(wait);
    }
  }

  /** A single statement: runs at once inside our transaction or when nothing is queued. */
  private statement<T>(fn: () => T): Promise<T> {
    if (this.inTx()) {
      try {
        return Promise.resolve(fn());
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (this.waiting === 0) {
      if (this.closed) return Promise.reject(new Error('database is closed'));
      try {
        return Promise.resolve(fn());
      } catch (e) {
        if (isBusy(e)) return this.exclusive(() => this.retryBusy(fn));
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return this.exclusive(() => this.retryBusy(fn));
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.statement(() => this.prepare(sql).all(...bind(params)) as T[]);
  }

  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.statement(() => this.prepare(sql).get(...bind(params)) as T | undefined);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.statement(() => {
      const stmt = this.prepare(sql);
      if (stmt.reader) {
        stmt.all(...bind(params));
        return { changes: 0 };
      }
      return { changes: stmt.run(...bind(params)).changes };
    });
  }

  exec(sql: string): Promise<void> {
    return this.statement(() => { this.db.exec(sql); });
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const outer = this.als.getStore();
    if (outer && outer.active) {
      // Nested: a savepoint, so a caught inner failure undoes only the inner writes.
      const name = `sp_${outer.depth + 1}`;
      this.db.exec(`SAVEPOINT ${name}`);
      outer.depth += 1;
      try {
        const out = await fn(this);
        this.db.exec(`RELEASE ${name}`);
        return out;
      } catch (e) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
        throw e;
      } finally {
        outer.depth -= 1;
      }
    }
    return this.exclusive(async () => {
      const state: TxState = { active: true, depth: 0 };
      await this.retryBusy(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const out = await this.als.run(state, () => fn(this));
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      } finally {
        state.active = false;
      }
    });
  }

  /** Copy the database to a file (online backup). */
  async backup(toFile: string): Promise<void> {
    await this.exclusive(() => this.db.backup(toFile));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(() => undefined);
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }
}
