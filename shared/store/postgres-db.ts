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
//
// Named statements (group transactions only): inside a group, every parameterised statement runs
// as a named prepared statement of the group's connection (pg `{ name, text, values }`), so the
// server parses and plans each text once per connection, not once per event (up to NAMES_MAX
// names a connection; texts beyond that run unnamed). Statements outside a group stay unnamed. A
// prepared statement can go stale when another process changes the schema: "cached plan must not
// change result type" (a SELECT's columns changed type), a parameter type fixed at the first parse
// no longer fitting, or the statement gone. Inside a transaction such an error aborts it, so it is
// never retried on its own: the connection's statements are dropped (DEALLOCATE ALL, new names),
// the member's writes are rolled back (to its savepoint pd_group; the first member: the whole
// transaction, then BEGIN and the lock again), every statement the member ran before is run again
// and must give the same result it gave (rows and row count; else the member fails with the
// original error, nothing of it kept), then the failed statement runs once more, freshly parsed.
// Its caller sees one statement that succeeded, every effect once. No retry when the member's log
// is too large to keep (over 256 statements, a read of over 1,000 rows, 1 MB of results), one of
// its statements had failed (caught), or others were in flight: the error surfaces as before, and
// the names are dropped (DEALLOCATE ALL before the connection's next BEGIN).
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Db, SqlValue } from './db';
import { toPositional } from './sql-placeholders';
import { exactTypes } from './pg-exact-types';

/** One database transaction: `scope` is replaced whenever a savepoint of it is rolled back. */
interface TxShared { scope: object }
interface TxState { client: pg.PoolClient; active: boolean; depth: number; shared: TxShared; group?: GroupRun }
/** The named statements of one connection: text -> name; `ready`: ran once without error. */
interface Names { map: Map<string, string>; ready: Set<string>; generation: number; deallocate: boolean }
/** One statement a group member ran: to run again, in order, after a stale-plan recovery. */
interface Ran { sql: string; values: unknown[] | null; sig: string | null }
/** The current member of a running group on its connection (see "Named statements" above). */
interface GroupRun {
  client: pg.PoolClient;
  names: Names;
  shared: TxShared;
  /** The member is the group's first: its rollback point is the transaction's start (no savepoint). */
  first: boolean;
  /** What the member ran so far (null: too much to keep, or a statement failed: no recovery). */
  log: Ran[] | null;
  logChars: number;
  inflight: number;
  /** A recovery is running: another statement of the member meanwhile fails it. */
  recovering: boolean;
  /** Set when a recovery could not restore the member's state: it fails, nothing of it kept. */
  poisoned: Error | null;
}
/** Named statements a connection keeps at most; texts beyond run unnamed. */
const NAMES_MAX = 100;
/** A member's log kept for a recovery at most (statements, characters of results). */
const LOG_MAX = 256;
const LOG_CHARS_MAX = 1 << 20;
const LOG_ROWS_MAX = 1000;
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
/**
 * An error a prepared statement that ran before can give after a schema change, where the same
 * text freshly parsed may not: "cached plan must not change result type" (0A000), the statement
 * gone (26000), a parameter type fixed at the first parse that no longer fits (42804, 42883).
 */
export function isStalePlan(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  const code = err?.code;
  if (code === '0A000') return /cached plan must not change result type/u.test(err?.message ?? '');
  return code === '26000' || code === '42804' || code === '42883';
}
/** A result as its caller saw it, to compare with the same statement run again. */
function signature(r: pg.QueryResult): string {
  return `${r.rowCount ?? ''}|${r.rows.length ? JSON.stringify(r.rows, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) : ''}`;
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
  /** Named statements per connection (group transactions only). */
  private readonly names = new WeakMap<pg.PoolClient, Names>();

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
    const s = this.als.getStore();
    if (s?.active && s.group && !this.closed) return this.groupQuery(s.group, this.sql(text), bind(params));
    return this.runner().query(this.sql(text), bind(params));
  }

  /** The statement's name on this connection, or undefined (unnamed: over NAMES_MAX). */
  private nameFor(names: Names, sql: string): string | undefined {
    let name = names.map.get(sql);
    if (name === undefined && names.map.size < NAMES_MAX) {
      name = `pd_${names.generation}_${names.map.size + 1}`;
      names.map.set(sql, name);
    }
    return name;
  }

  /** The connection's statements are stale: new names from now on, the old ones deallocated. */
  private dropNames(names: Names): void {
    names.map.clear();
    names.ready.clear();
    names.generation += 1;
    names.deallocate = true;
  }

  /** One statement of a group member: named, logged for a recovery (see above). */
  private async groupQuery(g: GroupRun, sql: string, values: unknown[], replay = false): Promise<pg.QueryResult> {
    if (g.poisoned) throw g.poisoned;
    if (g.recovering && !replay) throw (g.poisoned = new Error('a statement of the transaction ran while it was being restored after a stale prepared statement'));
    const name = this.nameFor(g.names, sql);
    const ready = name !== undefined && g.names.ready.has(name);
    g.inflight += 1;
    let r: pg.QueryResult;
    try {
      r = await g.client.query(name ? { name, text: sql, values } : { text: sql, values });
    } catch (e) {
      g.inflight -= 1;
      if (ready && isStalePlan(e)) {
        if (g.inflight === 0 && g.log && !g.poisoned && !replay) return this.recover(g, sql, values, e);
        this.dropNames(g.names);
      }
      g.log = null;
      throw e;
    }
    g.inflight -= 1;
    if (name) g.names.ready.add(name);
    this.logRan(g, sql, values, r);
    return r;
  }

  private logRan(g: GroupRun, sql: string, values: unknown[] | null, r: pg.QueryResult | null): void {
    if (!g.log) return;
    // A large read is not kept (nor turned into a signature): no recovery for this member.
    if (r && r.rows.length > LOG_ROWS_MAX) {
      g.log = null;
      return;
    }
    const sig = r ? signature(r) : null;
    g.logChars += sig?.length ?? 0;
    if (g.log.length >= LOG_MAX || g.logChars > LOG_CHARS_MAX) g.log = null;
    else g.log.push({ sql, values, sig });
  }

  /** A simple-protocol statement of a group member (exec, a nested savepoint): logged too. */
  private async groupSimple(g: GroupRun, sql: string, replay = false): Promise<void> {
    if (g.poisoned) throw g.poisoned;
    if (g.recovering && !replay) throw (g.poisoned = new Error('a statement of the transaction ran while it was being restored after a stale prepared statement'));
    g.inflight += 1;
    try {
      await g.client.query(sql);
    } catch (e) {
      g.log = null;
      throw e;
    } finally {
      g.inflight -= 1;
    }
    this.logRan(g, sql, null, null);
  }

  /**
   * A stale prepared statement in a group member: drop the connection's statements, roll the
   * member back, run what it ran again (same results, or the member fails with `original`), then
   * the failed statement, freshly parsed.
   */
  private async recover(g: GroupRun, sql: string, values: unknown[], original: unknown): Promise<pg.QueryResult> {
    const log = g.log ?? [];
    this.dropNames(g.names);
    g.recovering = true;
    try {
      if (g.first) {
        await g.client.query('ROLLBACK');
        await g.client.query('DEALLOCATE ALL');
        await g.client.query(`BEGIN; SELECT pg_advisory_xact_lock(${STORE_WRITE_LOCK})`);
      } else {
        await g.client.query('ROLLBACK TO SAVEPOINT pd_group');
        await g.client.query('DEALLOCATE ALL');
      }
      g.names.deallocate = false;
      g.log = [];
      g.logChars = 0;
      for (const ran of log) {
        if (ran.values === null) {
          await this.groupSimple(g, ran.sql, true);
          continue;
        }
        const r = await this.groupQuery(g, ran.sql, ran.values, true);
        if (signature(r) !== ran.sig) throw new Error('a statement run again gave another result');
      }
    } catch {
      // Not the state the member saw: it fails with the original error, nothing of it kept.
      g.poisoned = asError(original);
      g.shared.scope = {};
      throw original;
    } finally {
      g.recovering = false;
    }
    return this.groupQuery(g, sql, values, true);
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
    const s = this.als.getStore();
    if (s?.active && s.group && !this.closed) return this.groupSimple(s.group, sql);
    await this.runner().query(sql);
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const outer = this.als.getStore();
    if (outer && outer.active) {
      const name = `sp_${outer.depth + 1}`;
      const simple = (sql: string) => (outer.group ? this.groupSimple(outer.group, sql) : outer.client.query(sql));
      await simple(`SAVEPOINT ${name}`);
      outer.depth += 1;
      try {
        const out = await fn(this);
        await simple(`RELEASE SAVEPOINT ${name}`);
        return out;
      } catch (e) {
        outer.shared.scope = {};
        await simple(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
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
    let names = this.names.get(client);
    if (!names) {
      names = { map: new Map(), ready: new Set(), generation: 1, deallocate: false };
      this.names.set(client, names);
    }
    const runMember = async (member: Member, first: boolean): Promise<unknown> => {
      const group: GroupRun = { client, names, shared, first, log: [], logChars: 0, inflight: 0, recovering: false, poisoned: null };
      const state: TxState = { client, active: true, depth: 0, shared, group };
      try {
        const out = await member.inContext(() => this.als.run(state, () => member.fn(this)));
        if (group.poisoned) throw group.poisoned;
        return out;
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
        // Statements found stale in an earlier group (and not recovered from) are dropped first.
        await client.query(`${names.deallocate ? 'DEALLOCATE ALL; ' : ''}BEGIN; SELECT pg_advisory_xact_lock(${STORE_WRITE_LOCK})`);
        names.deallocate = false;
      } catch (e) {
        await rollback();
        reject(first, e);
        return;
      }
      // The first member needs no savepoint: if it fails, nothing else is in the transaction yet.
      try {
        done.push({ m: first, out: await runMember(first, true) });
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
          done.push({ m: member, out: await runMember(member, false) });
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
