// Loads a shop (./types.ts) into SQLite or PostgreSQL, builds an app on a case store of the same
// engine (SQLite file / a database of the embedded PostgreSQL server), registers the shop's systems
// and runs one request through the case machine the way `privacy-desk dsr ...` does: create (staff
// channel, automatic approval), staff verification, settle (discover -> execute -> check ->
// respond), then the contract output. A dump of every database is taken before and after.
//
// `describeShop` turns this into a vitest suite parameterised over the engine: one describe per
// engine (EXACT_ERASURE_ENGINES=sqlite,postgres by default; `mysql` - a private MariaDB server,
// ../mariadb.ts, case store on SQLite - when the mysql suite runs it), one nested describe per scenario
// whose beforeAll runs the request once, the generic requirements (./invariants.ts) as separate
// tests, and the shop's own assertions next to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService, type ContractOutput, type DatamapService } from '../../../shared/app/datamap/service';
import type { CheckSummary } from '../../../shared/app/context';
import { PostgresDb } from '../../../shared/store/postgres-db';
import type { SqlValue } from '../../../shared/store/db';
import type { SystemConnection } from '../../../shared/store/datamap-repo';
import { startPostgres, type PostgresServer } from '../postgres';
import { mariadbMissing, startMariaDb, type MariaDbServer } from '../mariadb';
import { createConnection } from 'mysql2/promise';
import { dumpDatabase, type Dump } from './dump';
import { verifyAsStaff } from '../verify-staff';
import { evaluateAccess, evaluateErasure, type AccessEvaluation, type ErasureEvaluation } from './invariants';
export { listedAsKept } from './invariants';
import type { ColumnDef, Row, Scenario, ShopDef, SystemDef, TableDef } from './types';

export type Engine = 'sqlite' | 'postgres' | 'mysql';

/**
 * Engines to run (EXACT_ERASURE_ENGINES=sqlite to skip PostgreSQL while iterating). `mysql` runs only
 * when named (the mysql suite, `npm run test:mysql`, sets EXACT_ERASURE_ENGINES=mysql).
 */
export const ENGINES: Engine[] = (process.env.EXACT_ERASURE_ENGINES ?? 'sqlite,postgres')
  .split(',').map((s) => s.trim()).filter((s): s is Engine => s === 'sqlite' || s === 'postgres' || s === 'mysql');

const meta = { actor: 'staff:test' };
const CLOCK = () => new Date('2026-11-23T18:00:00Z');

// --- PostgreSQL: one embedded server per test file, started on first use ---------------------

let server: Promise<PostgresServer> | null = null;
let dbCounter = 0;

function pgServer(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}

async function stopPgServer(): Promise<void> {
  const s = server;
  server = null;
  if (s) await (await s).stop();
}

/** A fresh, empty PostgreSQL database on the file's server; returns its URL. */
async function newPgDatabase(label: string): Promise<string> {
  const pg = await pgServer();
  dbCounter += 1;
  const name = `${label.toLowerCase().replace(/[^a-z0-9_]/gu, '_').slice(0, 40)}_${process.pid}_${dbCounter}`;
  const admin = new PostgresDb(pg.url, { max: 1 });
  try { await admin.exec(`CREATE DATABASE "${name}"`); } finally { await admin.close(); }
  return pg.url.replace(/\/[^/]+$/u, `/${name}`);
}

// --- MariaDB: one private server per test file, started on first use -----------------------

let maria: Promise<MariaDbServer> | null = null;

async function stopMariaDb(): Promise<void> {
  const s = maria;
  maria = null;
  if (s) await (await s).stop();
}

/** A fresh, empty MariaDB database (utf8mb4_unicode_ci: a case-insensitive collation) on the file's server. */
async function newMyDatabase(label: string): Promise<string> {
  maria ??= startMariaDb();
  return (await maria).newDatabase(`${label}_${process.pid}`);
}

// --- schema and rows ---------------------------------------------------------------------------

function columnSql(engine: Engine, c: ColumnDef): string {
  const t = c.type;
  let type: string;
  if (t === 'int') type = 'INTEGER';
  else if (t === 'text') type = 'TEXT';
  else if (t === 'timestamp') type = engine === 'postgres' ? 'TIMESTAMP' : 'TEXT';
  else if (t === 'json') type = engine === 'postgres' ? 'JSONB' : 'TEXT';
  else type = engine === 'postgres' ? t.toUpperCase() : 'TEXT';
  return `"${c.name}" ${type}${c.notNull ? ' NOT NULL' : ''}`;
}

/** MySQL / MariaDB: backtick-quoted names, text keys as VARCHAR (a TEXT column cannot be a key). */
function mysqlDdl(t: TableDef): string {
  const q = (n: string) => `\`${n.replace(/`/gu, '``')}\``;
  const keys = new Set(t.primaryKey ?? []);
  const cols = t.columns.map((c) => {
    const type = c.type === 'int' ? 'BIGINT' : c.type === 'text' ? (keys.has(c.name) ? 'VARCHAR(255)' : 'TEXT')
      : c.type === 'timestamp' ? 'DATETIME' : c.type === 'json' ? 'JSON' : c.type.toUpperCase();
    return `${q(c.name)} ${type}${c.notNull ? ' NOT NULL' : ''}`;
  });
  if (t.primaryKey?.length) cols.push(`PRIMARY KEY (${t.primaryKey.map(q).join(', ')})`);
  return `CREATE TABLE ${q(t.name)} (${cols.join(', ')})`;
}

export function ddl(engine: Engine, t: TableDef): string {
  if (engine === 'mysql') return mysqlDdl(t);
  const cols = t.columns.map((c) => columnSql(engine, c));
  if (t.primaryKey?.length) cols.push(`PRIMARY KEY (${t.primaryKey.map((k) => `"${k}"`).join(', ')})`);
  return `CREATE TABLE "${t.name}" (${cols.join(', ')})`;
}

function bindCell(c: ColumnDef, v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (c.type === 'json') return JSON.stringify(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

async function loadSystem(engine: Engine, dir: string, sys: SystemDef): Promise<SystemConnection> {
  if (engine === 'sqlite') {
    const file = join(dir, `${sys.name}.sqlite`);
    const db = new Database(file);
    try {
      db.transaction(() => {
        for (const t of sys.tables) {
          db.exec(ddl(engine, t));
          const stmt = db.prepare(`INSERT INTO "${t.name}" (${t.columns.map((c) => `"${c.name}"`).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
          for (const r of t.rows) stmt.run(t.columns.map((c) => { const v = bindCell(c, r[c.name]); return typeof v === 'boolean' ? (v ? 1 : 0) : v; }) as never[]);
        }
      })();
    } finally {
      db.close();
    }
    return { engine: 'sqlite', file };
  }
  if (engine === 'mysql') {
    const url = await newMyDatabase(`shop_${sys.name}`);
    const db = await createConnection({ uri: url, charset: 'utf8mb4_unicode_ci' });
    try {
      for (const t of sys.tables) {
        await db.query(ddl(engine, t));
        const cols = t.columns.map((c) => `\`${c.name.replace(/`/gu, '``')}\``).join(', ');
        const table = `\`${t.name.replace(/`/gu, '``')}\``;
        for (let i = 0; i < t.rows.length; i += 200) {
          const part = t.rows.slice(i, i + 200);
          const values = part.map(() => `(${t.columns.map(() => '?').join(', ')})`).join(', ');
          await db.execute(`INSERT INTO ${table} (${cols}) VALUES ${values}`, part.flatMap((r) => t.columns.map((c) => { const v = bindCell(c, r[c.name]); return typeof v === 'boolean' ? (v ? 1 : 0) : v; })) as never[]);
        }
      }
    } finally {
      await db.end();
    }
    return { engine: 'mysql', url };
  }
  const url = await newPgDatabase(`shop_${sys.name}`);
  const db = new PostgresDb(url, { max: 1 });
  try {
    for (const t of sys.tables) {
      await db.exec(ddl(engine, t));
      const cols = t.columns.map((c) => `"${c.name}"`).join(', ');
      for (let i = 0; i < t.rows.length; i += 200) {
        const part = t.rows.slice(i, i + 200);
        const values = part.map(() => `(${t.columns.map(() => '?').join(', ')})`).join(', ');
        await db.run(`INSERT INTO "${t.name}" (${cols}) VALUES ${values}`, part.flatMap((r) => t.columns.map((c) => bindCell(c, r[c.name]))));
      }
    }
  } finally {
    await db.close();
  }
  return { engine: 'postgres', url };
}

// --- one request ---------------------------------------------------------------------------------

export interface Run {
  engine: Engine;
  shop: ShopDef;
  scenario: Scenario;
  caseId: string;
  out: ContractOutput;
  /** The check step run again after the case settled (erasures only). */
  check: CheckSummary | null;
  /** The check report stored by the case's own check step, if the store keeps one (else null). */
  storedCheck: { ok: boolean } | null;
  /** Dumps per system, before and after the request. */
  before: Record<string, Dump>;
  after: Record<string, Dump>;
  /** The generic requirements, evaluated once (./invariants.ts). */
  erasure: ErasureEvaluation | null;
  access: AccessEvaluation | null;
}

export async function runScenario(engine: Engine, shop: ShopDef, s: Scenario): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-exact-erasure-'));
  let app: App | null = null;
  try {
    const connections = new Map<string, SystemConnection>();
    for (const sys of shop.systems) connections.set(sys.name, await loadSystem(engine, dir, sys));
    // MySQL is a data store here, not a case store: its cases live in SQLite.
    const casesDb = engine === 'sqlite' || engine === 'mysql'
      ? { kind: 'sqlite' as const, file: join(dir, 'cases.sqlite') }
      : { kind: 'postgres' as const, url: await newPgDatabase('cases') };
    app = await createApp({ dataDir: dir, db: casesDb, runEngine: true }, { clock: CLOCK });
    const svc = datamapService(app.ctx);
    for (const sys of shop.systems) await svc.addSystem({ name: sys.name, connection: connections.get(sys.name)!, map: sys.map() }, meta.actor);

    const dumpAll = async () => {
      const out: Record<string, Dump> = {};
      for (const [name, c] of connections) out[name] = await dumpDatabase(c as never);
      return out;
    };
    const before = await dumpAll();
    const created = await app.call('cases.create', {
      type: s.type, jurisdiction: 'CA', channel: 'staff', identities: s.identities, strategy: s.strategy ?? 'exact', autoApprove: true,
    }, meta);
    if (s.categories) await svc.setOptions(created.id, { categories: s.categories });
    await verifyAsStaff(app, created.id, s.type, meta);
    await app.settle(created.id);
    const out = await svc.output(created.id);
    const after = await dumpAll();
    // The check report the case machine's check step stored (when the store keeps one), read before
    // the check is run again here.
    const repo = svc.repo as unknown as { check?: (id: string) => Promise<{ ok: boolean } | null> };
    const storedCheck = s.type === 'access' || typeof repo.check !== 'function' ? null : await repo.check(created.id);
    const check = s.type === 'access' ? null : await svc.checkCase(created.id);
    const run: Run = { engine, shop, scenario: s, caseId: created.id, out, check, storedCheck, before, after, erasure: null, access: null };
    if (s.type === 'access') run.access = evaluateAccess(run);
    else run.erasure = evaluateErasure(run);
    return run;
  } finally {
    await app?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- the suite -----------------------------------------------------------------------------------

export interface ShopSuite {
  engine: Engine;
  /**
   * A scenario: runs once (beforeAll), adds the generic requirements as tests, then `extra` may add
   * the shop's own tests, reading the run through `run()`.
   */
  scenario(s: Scenario, extra?: (run: () => Run) => void): void;
}

/** Lines for a failure message. */
export function lines(list: readonly string[]): string {
  return list.length ? `\n  - ${list.join('\n  - ')}` : '';
}

function genericTests(s: Scenario, get: () => Run): void {
  it('every system answered (no errors)', () => {
    expect(get().out.errors).toEqual([]);
  });
  if (s.type === 'access') {
    it('access finds every row that is the subject\'s', () => {
      const a = get().access!;
      expect(a.missing, `rows of the subject not in the results:${lines(a.missing)}`).toEqual([]);
    });
    it('access returns no row of anyone else unless it is flagged for review as shared', () => {
      const a = get().access!;
      expect(a.foreign, `rows of other people in the results:${lines(a.foreign)}`).toEqual([]);
    });
    it('access changes nothing', () => {
      const r = get();
      expect(JSON.stringify(r.after)).toBe(JSON.stringify(r.before));
    });
    return;
  }
  it('changes no row that is not the subject\'s alone (other people, shared, nobody\'s)', () => {
    const e = get().erasure!;
    expect(e.othersChanged, `rows that must not change were changed:${lines(e.othersChanged)}`).toEqual([]);
  });
  it('leaves none of the subject\'s personal data, except in rows the output lists as kept with a reason', () => {
    const e = get().erasure!;
    expect(e.leftovers, `the subject's data is still there, not listed as kept:${lines(e.leftovers)}`).toEqual([]);
  });
  it('the check and the case status tell the truth (data left behind = check not ok, case not closed)', () => {
    const r = get();
    const left = r.erasure!.leftovers.length > 0;
    const seen = { status: r.out.status, checkOk: r.check?.ok ?? null, ...(r.storedCheck ? { storedCheckOk: r.storedCheck.ok } : {}) };
    if (left) {
      expect(seen.checkOk, `check reported ok although data was left behind:${lines(r.erasure!.leftovers)}`).toBe(false);
      if (r.storedCheck) expect(seen.storedCheckOk, 'the stored check report says ok although data was left behind').toBe(false);
      expect(seen.status, 'the case closed although data was left behind').not.toBe('closed');
    } else {
      expect(seen, 'nothing was left behind: the check must pass and the case close (a false alarm leaves the case stuck in review)')
        .toEqual({ status: 'closed', checkOk: true, ...(r.storedCheck ? { storedCheckOk: true } : {}) });
    }
  });
  it('the recorded change counts (output().changes) equal what the before/after dumps show changed', () => {
    const e = get().erasure!;
    expect(e.reportedChanges).toEqual(e.actualChanges);
  });
}

/** One describe per engine (the file's PostgreSQL / MariaDB server is stopped after its engine's). */
export function describeEngines(title: string, body: (engine: Engine) => void): void {
  describe.each(ENGINES)(`${title} [%s]`, (engine) => {
    const missing = engine === 'mysql' ? mariadbMissing() : null;
    if (missing) {
      console.warn(`[mysql] ${title}: skipped: ${missing}`);
      it.skip(`skipped: ${missing}`, () => undefined);
      return;
    }
    afterAll(async () => { if (engine === 'postgres') await stopPgServer(); if (engine === 'mysql') await stopMariaDb(); }, 60_000);
    body(engine);
  });
}

/** One suite per engine; `body` declares the scenarios. */
export function describeShop(title: string, shop: () => ShopDef, body: (suite: ShopSuite) => void): void {
  describeEngines(title, (engine) => {
    body({
      engine,
      scenario(s, extra) {
        describe(s.title, () => {
          let run: Run | null = null;
          let failure: unknown = null;
          beforeAll(async () => {
            try { run = await runScenario(engine, shop(), s); } catch (e) { failure = e; }
          }, 180_000);
          const get = (): Run => {
            if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
            if (!run) throw new Error('the scenario did not run');
            return run;
          };
          genericTests(s, get);
          extra?.(get);
        });
      },
    });
  });
}

/** Rows of a table in a dump (by system). */
export function rowsOf(dumps: Record<string, Dump>, system: string, table: string): Row[] {
  return dumps[system]?.[table]?.rows ?? [];
}
