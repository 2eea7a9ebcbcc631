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
//
// Group commit (option groupCommit: the case store, shared/store/open-db.ts). Every audited
// transaction locks the audit chain head until its COMMIT, so transactions of concurrent cases
// queue on that lock and pay one fsync each, one after another. With the option, a tx() called
// while another is open joins it, as on SQLite (./sqlite-db.ts): the queued fns run one after
// another on the group's one connection in the same BEGIN ... COMMIT (up to GROUP_MAX), each but
// the first in a savepoint (one that throws is rolled back alone and rejected; the others go on;
// the first one failing rolls the transaction back, the rest start a new group), then one COMMIT
// for all. Every caller's promise settles only after the COMMIT that holds its writes (or with its
// error if that COMMIT fails): once tx() resolves the writes are durable, as before; a rejected
// one settles when the group ends too (its caller may then read what the members before it wrote,
// as an insert ... ON CONFLICT DO NOTHING claim that lost does); each fn runs in its own caller's
// async context. Deadlocks: a group holds the chain head from its first
// member's append to its COMMIT, so a later member waiting for a row of another connection whose
// transaction waits for the head would deadlock where it would not have alone. So every grouped
// transaction first takes one transaction-level advisory lock (STORE_WRITE_LOCK, in the BEGIN's
// round trip): grouped transactions, of this process and of every other one opened with the
// option, run one at a time and never wait for each other's rows (what SQLite's BEGIN IMMEDIATE
// write lock does). Statements outside a transaction still use the pool at once.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Db, SqlValue } from './db';
import { toPositional } from './sql-placeholders';
import { exactTypes } from './pg-exact-types';

/** One database transaction: `scope` is replaced whenever a savepoint of it is rolled back. */
interface TxShared { scope: object }
interface TxState { client: pg.PoolClient; active: boolean; depth: number; shared: TxShared }
/** A transaction waiting to run in the open group. */
interface Member { fn: (db: Db) => Promise<unknown>; inContext: <R>(f: () => R) => R; resolve: (v: unknown) => void; reject: (e: unknown) => void }
/** Transactions one COMMIT holds at most. */
const GROUP_MAX = 64;
/** pg_advisory_xact_lock key every grouped transaction takes first ("privacy-desk case store writes"). */
export const STORE_WRITE_LOCK = 7_140_521_338;

const INT8_OID = 20;
function parseInt8(v: string): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v);
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
/** "current transaction is aborted, commands ignored until end of transaction block". */
const isAborted = (e: unknown): boolean => (e as { code?: string } | null)?.code === '25P02';

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
  /** Transactions queued while one is open share its COMMIT (see above). Default off. */
  groupCommit?: boolean;
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
  private readonly groupCommit: boolean;
  /** Group commit: transactions waiting for the next (or the open) group, and whether one runs. */
  private readonly pending: Member[] = [];
  private runnerActive = false;

  constructor(url: string, options: PostgresDbOptions = {}) {
    this.groupCommit = options.groupCommit === true;
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

  txScope(): object | undefined {
    const s = this.als.getStore();
    return s && s.active ? s.shared.scope : undefined;
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
        outer.shared.scope = {};
        await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
        throw e;
      } finally {
        outer.depth -= 1;
      }
    }
    if (this.closed) throw new Error('database is closed');
    if (this.groupCommit) {
      const snapshot = AsyncLocalStorage.snapshot();
      return new Promise<T>((resolve, reject) => {
        this.pending.push({ fn, inContext: <R>(f: () => R): R => snapshot(f), resolve: resolve as (v: unknown) => void, reject });
        this.startRunner();
      });
    }
    const client = await this.pool.connect();
    const state: TxState = { client, active: true, depth: 0, shared: { scope: {} } };
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

  /** Group commit: one runner at a time takes the waiting transactions into one group. */
  private startRunner(): void {
    if (this.runnerActive || !this.pending.length) return;
    this.runnerActive = true;
    this.runGroup(this.pending).catch((e: unknown) => {
      for (const m of this.pending.splice(0)) m.reject(e);
    }).finally(() => {
      this.runnerActive = false;
      this.startRunner();
    });
  }

  /**
   * One BEGIN ... COMMIT for the first waiting transaction and those that queue while the group's
   * fns run (up to GROUP_MAX), each after the first in the savepoint pd_group; every member settles
   * after the COMMIT. Statements that need no result of their own share a round trip (simple query
   * protocol, no parameters): BEGIN with the lock, RELEASE with the next SAVEPOINT or the COMMIT.
   */
  private async runGroup(queue: Member[]): Promise<void> {
    const first = queue.shift();
    if (!first) return;
    if (this.closed) {
      for (const m of [first, ...queue.splice(0)]) m.reject(new Error('database is closed'));
      return;
    }
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      first.reject(e);
      return;
    }
    let broken: Error | undefined;
    // Every member settles after the group ends (COMMIT or ROLLBACK), a rejected one too: its
    // caller may read what the members before it wrote (and it saw), committed by then.
    const settle: Array<() => void> = [];
    const reject = (m: Member, e: unknown) => { settle.push(() => m.reject(e)); };
    const rollback = async () => {
      try {
        await client.query('ROLLBACK');
      } catch (e) {
        broken ??= asError(e);
      }
    };
    const shared: TxShared = { scope: {} };
    const runMember = async (member: Member): Promise<unknown> => {
      const state: TxState = { client, active: true, depth: 0, shared };
      try {
        return await member.inContext(() => this.als.run(state, () => member.fn(this)));
      } finally {
        state.active = false;
      }
    };
    const done: Array<{ m: Member; out: unknown }> = [];
    /** pd_group is established, holding the last member's writes (the first member's are before it). */
    let savepoint = false;
    /**
     * A statement between members failed because the transaction is aborted: the last member
     * returned although one of its statements failed (it caught the error). It alone is rejected:
     * rolled back to its savepoint, or, the first member, with the whole transaction (then
     * `restart`: the members not yet run start a new group). Other errors break the group.
     */
    const blameLast = async (e: unknown): Promise<'go-on' | 'restart'> => {
      const last = done.pop()!;
      reject(last.m, new Error(`the transaction was aborted by an earlier failed statement that was caught: ${asError(e).message}`));
      if (!savepoint) {
        await rollback();
        return 'restart';
      }
      shared.scope = {};
      await client.query('ROLLBACK TO SAVEPOINT pd_group');
      return 'go-on';
    };
    try {
      try {
        await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${STORE_WRITE_LOCK})`);
      } catch (e) {
        await rollback();
        reject(first, e);
        return;
      }
      // The first member needs no savepoint: if it fails, nothing else is in the transaction yet.
      try {
        done.push({ m: first, out: await runMember(first) });
      } catch (e) {
        await rollback();
        reject(first, e);
        return;
      }
      for (let n = 1; n < GROUP_MAX && queue.length; n += 1) {
        const member = queue.shift()!;
        try {
          await client.query(savepoint ? 'RELEASE SAVEPOINT pd_group; SAVEPOINT pd_group' : 'SAVEPOINT pd_group');
        } catch (e) {
          if (!isAborted(e)) {
            queue.unshift(member); // not run: it goes into the next group
            throw e;
          }
          if ((await blameLast(e)) === 'restart') {
            queue.unshift(member);
            return;
          }
        }
        savepoint = true;
        try {
          done.push({ m: member, out: await runMember(member) });
        } catch (e) {
          reject(member, e);
          // The savepoint stays established after ROLLBACK TO: the next member reuses it.
          shared.scope = {};
          await client.query('ROLLBACK TO SAVEPOINT pd_group');
        }
      }
      for (;;) {
        let ended: pg.QueryResult | pg.QueryResult[];
        try {
          ended = await client.query(savepoint ? 'RELEASE SAVEPOINT pd_group; COMMIT' : 'COMMIT');
        } catch (e) {
          if (savepoint && isAborted(e)) {
            await blameLast(e);
            continue;
          }
          // The COMMIT failed: nothing of this group is committed; say so to each member.
          await rollback();
          for (const d of done.splice(0)) reject(d.m, e);
          return;
        }
        // COMMIT of an aborted transaction (the only member caught a failed statement) rolls back.
        const commit = Array.isArray(ended) ? ended[ended.length - 1] : ended;
        if (commit?.command === 'ROLLBACK') {
          for (const d of done.splice(0)) reject(d.m, new Error('the transaction was aborted by an earlier failed statement that was caught: nothing was committed'));
          return;
        }
        break;
      }
      for (const d of done) settle.push(() => d.m.resolve(d.out));
    } catch (e) {
      // The connection failed, or a ROLLBACK TO did: nothing of this group commits (the members
      // not yet run wait for the next group, on another connection).
      broken = asError(e);
      await rollback();
      for (const d of done) reject(d.m, e);
    } finally {
      client.release(broken);
      for (const f of settle) f();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
