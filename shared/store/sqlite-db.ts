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
//
// Group commit (option groupCommit: the case store, shared/store/open-db.ts): on this one
// connection transactions run one after another anyway, and each COMMIT is an fsync
// (synchronous=FULL). A tx() called while another is open joins it (up to GROUP_MAX):
// when the open one's fn is done, the queued fns run in the same BEGIN ... COMMIT, each in its own
// savepoint (one that throws is rolled back alone and rejected; the others go on), then one COMMIT
// for all. Every caller's promise settles only after the COMMIT that holds its writes (or, if that
// COMMIT fails, with its error), so what a caller may rely on is unchanged: once tx() resolves, the
// writes are durable, and effects that run after it still run after their commit. Each queued fn
// runs in its own caller's async context (AsyncLocalStorage.snapshot), as it would have alone.
// A COMMIT that fails fails the whole group: the case store has no deferred constraints, so that is
// an I/O failure; a data source's file (which may defer foreign keys to COMMIT) is opened without it.
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { Db, SqlValue } from './db';

interface TxState { active: boolean; depth: number }
/** A transaction waiting to run in the open group. */
interface Member { fn: (db: Db) => Promise<unknown>; inContext: <R>(f: () => R) => R; resolve: (v: unknown) => void; reject: (e: unknown) => void }
/** Transactions one COMMIT holds at most (bounds how long another process waits for the write lock). */
const GROUP_MAX = 64;

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
  /** Transactions queued while one is open share its COMMIT (see above). Default off. */
  groupCommit?: boolean;
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly als = new AsyncLocalStorage<TxState>();
  private readonly statements = new Map<string, Database.Statement>();
  /** Promise-queue mutex: the tail every outside caller waits behind while a transaction is open. */
  private tail: Promise<void> = Promise.resolve();
  /** Group commit: transactions waiting for the next (or the open) group, and whether one runs. */
  private readonly pending: Member[] = [];
  private runnerActive = false;
  private waiting = 0;
  private closed = false;
  private readonly busyTimeoutMs: number;
  private readonly groupCommit: boolean;

  constructor(readonly file: string, options: SqliteDbOptions = {}) {
    this.busyTimeoutMs = Math.max(0, options.busyTimeoutMs ?? 15_000);
    this.groupCommit = options.groupCommit === true;
    this.db = new Database(file, { readonly: options.readonly ?? false });
    if (!options.readonly) this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma(`busy_timeout = ${SYNC_BUSY_MS}`);
    this.db.pragma('synchronous = FULL');
    // 64 MB of page cache (SQLite's default is 2 MB): a case store of 100k cases keeps its indexes
    // (look-up hashes, audit, request ids) in memory instead of re-reading pages on every insert.
    this.db.pragma('cache_size = -65536');
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
    const snapshot = AsyncLocalStorage.snapshot();
    const inContext = <R>(f: () => R): R => snapshot(f);
    return new Promise<T>((resolve, reject) => {
      const m: Member = { fn, inContext, resolve: resolve as (v: unknown) => void, reject };
      if (!this.groupCommit) {
        this.exclusive(() => this.runGroup([m])).catch(reject);
        return;
      }
      this.pending.push(m);
      this.startRunner();
    });
  }

  /** Group commit: one runner at a time takes the waiting transactions into one group. */
  private startRunner(): void {
    if (this.runnerActive || !this.pending.length) return;
    this.runnerActive = true;
    this.exclusive(async () => {
      try {
        await this.runGroup(this.pending);
      } finally {
        this.runnerActive = false;
      }
    }).catch((e: unknown) => {
      for (const m of this.pending.splice(0)) m.reject(e);
    }).finally(() => {
      // More queued meanwhile: the next group, behind whatever else waits for the connection.
      this.startRunner();
    });
  }

  /**
   * One BEGIN ... COMMIT for the first waiting transaction and those that queue while the group's
   * fns run (up to GROUP_MAX), each in a savepoint; every member settles after the COMMIT.
   */
  private async runGroup(queue: Member[]): Promise<void> {
    const first = queue.shift();
    if (!first) return;
    try {
      await this.retryBusy(() => this.db.exec('BEGIN IMMEDIATE'));
    } catch (e) {
      first.reject(e);
      return;
    }
    const done: Array<{ m: Member; out: unknown }> = [];
    const rollback = () => { if (this.db.inTransaction) this.db.exec('ROLLBACK'); };
    let broken: unknown;
    try {
      for (let m: Member | undefined = first, n = 1; m; m = broken === undefined && n < GROUP_MAX ? queue.shift() : undefined, n += 1) {
        const state: TxState = { active: true, depth: 0 };
        const member = m;
        try {
          this.db.exec('SAVEPOINT pd_group');
          const out = await member.inContext(() => this.als.run(state, () => member.fn(this)));
          state.active = false;
          this.db.exec('RELEASE pd_group');
          done.push({ m: member, out });
        } catch (e) {
          state.active = false;
          if (this.db.inTransaction) {
            try {
              this.db.exec('ROLLBACK TO pd_group');
              this.db.exec('RELEASE pd_group');
            } catch (undo) {
              broken = undo;
            }
          } else {
            broken = e; // SQLite rolled the whole transaction back itself (disk full, I/O error)
          }
          member.reject(e);
        }
      }
      // No await from here to the end of the COMMIT.
      if (broken !== undefined || !done.length) {
        rollback();
        for (const d of done) d.m.reject(broken);
        return;
      }
      this.db.exec('COMMIT');
    } catch (e) {
      // The COMMIT failed (or a ROLLBACK did): nothing of this group is committed; say so to each.
      try { rollback(); } catch { /* the connection reports it on the next statement */ }
      for (const d of done) d.m.reject(e);
      return;
    }
    for (const d of done) d.m.resolve(d.out);
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
