// Benchmark of the erasure check (issue "Exact erasure"): the `checkResult` step of a delete case
// (DatamapService.checkCase -> checkErasure in shared/app/datamap/verify-rows.ts: re-read every
// planned row by key, a fresh walk by the same identities, a search for the subject's identity
// values) when ONE subject owns BENCH_ROWS (20,000) orders that the delete masks, in a shop that
// also holds BENCH_OTHERS other customers (2 orders each). SQLite and PostgreSQL (embedded, durable
// settings); the case store is SQLite in both.
// A real case runs through the app (createApp with the engine: cases.create with autoApprove,
// cases.verify, app.settle); the service's discover / execute / check methods are wrapped to time
// each step and to watch the event loop while it runs: the longest gap between the ticks of a
// setInterval(1 ms) probe.
// Then, on the same data after the change, the obvious alternatives of the check's first part:
//   - the old quadratic compare (the check before "Exact erasure"): one find by every planned key,
//     then for each planned key rows.find(same key) over the re-read rows;
//   - the naive per-row re-read: one find per planned row.
// The check step also runs again BENCH_ROUNDS times on the same case (it only reads the shop), with
// its parts timed apart: the stored discovery read, that read + the plan rebuilt from it, the rest.
// Run: npm run bench -- erasure-check   (or npx tsx bench/erasure-check.ts)
// Scale: BENCH_ROWS (20000: the subject's masked orders), BENCH_OTHERS (10000 other customers),
//        BENCH_ENGINES (sqlite,postgres), BENCH_QUADRATIC (1; 0 skips the old compare),
//        BENCH_PER_ROW (1; 0 skips the per-row re-read), BENCH_ROUNDS (3: the check step run again).
// BENCH_SPANS=1 also prints a timeline of the check step: its stalls > 20 ms beside the service and
// store calls it makes (stored discovery read, plan, re-reads, walk, stored report), to place them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../shared/app/app';
import { datamapService, type DatamapService } from '../shared/app/datamap/service';
import { openSqlSource, SqlDataSource, type SourceConfig } from '../shared/adapters/sql-source';
import type { Row } from '../shared/adapters/port';
import { parseDataMap, type DataMap } from '../shared/domain/datamap';
import type { Db } from '../shared/store/db';
import { SqliteDb } from '../shared/store/sqlite-db';
import { PostgresDb } from '../shared/store/postgres-db';
import { startPostgres } from '../test/support/postgres';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const OTHERS = Number(process.env.BENCH_OTHERS ?? 10_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const QUADRATIC = process.env.BENCH_QUADRATIC !== '0';
const PER_ROW = process.env.BENCH_PER_ROW !== '0';
const SPANS = process.env.BENCH_SPANS === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const SUBJECT = OTHERS; // customer id of the subject (the others are 0 .. OTHERS-1)
const SUBJECT_EMAIL = 'Subject.Person@Example.com';
const meta = { actor: 'staff:bench' };

const ref = (collection: string, field: string, direction: 'to' | 'from') => [{ collection, field, direction }];
const MAP: DataMap = parseDataMap({
  dataset: 'bench_check',
  collections: [
    { name: 'customers', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'name', categories: ['user.name'] }] },
    { name: 'orders', erasure: 'mask', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: ref('customers', 'id', 'from') },
      { name: 'ship_name', categories: ['user.name'] }, { name: 'note', categories: ['user.content'] },
      { name: 'total_cents', categories: ['user.commercial.purchase'] }] },
  ],
});

/** The shop, set-based in one transaction: OTHERS customers with 2 orders each, the subject with ROWS. */
async function generate(db: Db): Promise<{ rows: number; s: number }> {
  const pg = db.dialect === 'postgres';
  const t0 = performance.now();
  let rows = 0;
  const series = (n: number) => (pg ? `generate_series(0, ${n - 1}) AS g(i)`
    : `(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < ${n}) SELECT i FROM r)`);
  const t = (e: string) => `CAST(${e} AS TEXT)`;
  await db.tx(async (tx) => {
    await tx.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, ship_name TEXT, note TEXT, total_cents INTEGER NOT NULL)`);
    for (const sql of [
      `INSERT INTO customers SELECT i, 'user' || ${t('i')} || '@example.com', 'Person ' || ${t('i')} FROM ${series(OTHERS)}`,
      `INSERT INTO customers VALUES (${SUBJECT}, '${SUBJECT_EMAIL}', 'Subject Person')`,
      `INSERT INTO orders SELECT i, i / 2, 'Person ' || ${t('i / 2')}, CASE WHEN i % 3 = 0 THEN 'leave at the door' END, 100 + i % 50 FROM ${series(OTHERS * 2)}`,
      `INSERT INTO orders SELECT ${OTHERS * 2} + i, ${SUBJECT}, 'Subject Person', CASE WHEN i % 3 = 0 THEN 'gift for mum, call subject.person@example.com' END, 100 + i % 50 FROM ${series(ROWS)}`,
    ]) rows += (await tx.run(sql)).changes;
    await tx.exec('CREATE INDEX customers_email ON customers (lower(trim(email))); CREATE INDEX orders_customer ON orders (customer_id)');
  });
  await db.exec(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
  return { rows, s: (performance.now() - t0) / 1000 };
}

interface Stall { maxMs: number; over50: number; over100: number }

/**
 * Watch the event loop: the longest gap between ticks of a 1 ms interval (a tick late by that much
 * is how long any request, poll or timer would have waited). monitorEventLoopDelay was tried as a
 * cross-check but under-reports stretches made of many resolved awaits (it read 5 ms where the
 * ticks were 450 ms apart), so it is not printed.
 */
function watchLoop(): { stop(): Stall } {
  let last = performance.now();
  let maxMs = 0; let over50 = 0; let over100 = 0;
  const gap = () => {
    const now = performance.now();
    const g = now - last;
    last = now;
    if (g > maxMs) maxMs = g;
    if (g > 50) over50 += 1;
    if (g > 100) over100 += 1;
  };
  const timer = setInterval(gap, 1);
  return {
    stop() {
      clearInterval(timer);
      return { maxMs, over50, over100 };
    },
  };
}

interface Timed<T> { value: T; ms: number; stall: Stall }
async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  // start from a fresh turn of the loop, so an earlier stretch is not counted
  await new Promise<void>((r) => { setImmediate(r); });
  const w = watchLoop();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  // one more timer turn, so both probes see a stall that lasted to the very end
  await new Promise<void>((r) => { setTimeout(r, 2); });
  return { value, ms, stall: w.stop() };
}

/**
 * BENCH_SPANS: wraps a few methods (by name, at run time) to record when they run, and records the
 * event-loop stalls > 20 ms, while `on`; lines() is the merged timeline (ms from start()).
 */
function tracer() {
  let t0 = 0; let on = false;
  const ev: Array<{ t: number; line: string }> = [];
  const at = (x: number) => `${x.toFixed(0).padStart(6)}`;
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    wrap(obj: object, name: string, label: string) {
      const o = obj as Record<string, (...a: unknown[]) => unknown>;
      const orig = o[name]!;
      o[name] = function (this: unknown, ...args: unknown[]) {
        if (!on) return orig.apply(this, args);
        const a = performance.now() - t0;
        const done = (v: unknown) => { const b = performance.now() - t0; ev.push({ t: a, line: `${at(a)} ..${at(b)} ms ${f(b - a, 0).padStart(5)} ms  ${label}${Array.isArray(v) ? ` -> ${v.length} rows` : ''}` }); return v; };
        const r = orig.apply(this, args);
        return r instanceof Promise ? r.then(done) : done(r);
      };
    },
    start() {
      t0 = performance.now(); on = true;
      let last = performance.now();
      timer = setInterval(() => { const now = performance.now(); if (now - last > 20) ev.push({ t: last - t0 + 1e-3, line: `${at(last - t0)} ..${at(now - t0)} ms ${f(now - last, 0).padStart(5)} ms  ** event loop stalled` }); last = now; }, 1);
    },
    stop() { on = false; if (timer) clearInterval(timer); },
    lines: () => ev.sort((a, b) => a.t - b.t).map((e) => e.line),
  };
}

const f = (n: number, d = 2) => n.toFixed(d);
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const stallText = (s: Stall) => `longest event-loop stall ${f(s.maxMs, 1)} ms (${s.over50} stalls > 50 ms, ${s.over100} > 100 ms)`;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

async function benchEngine(engine: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bench-check-${engine}-`));
  const pg = engine === 'postgres' ? await startPostgres({ durable: true }) : null;
  let conn: SourceConfig;
  let db: Db;
  if (pg) {
    const admin = new PostgresDb(pg.url);
    await admin.exec('CREATE DATABASE shop');
    await admin.close();
    conn = { engine: 'postgres', url: pg.url.replace(/\/[^/]+$/u, '/shop') };
    db = new PostgresDb(conn.url);
  } else {
    conn = { engine: 'sqlite', file: join(dir, 'shop.sqlite') };
    db = new SqliteDb(conn.file);
  }
  try {
    const g = await generate(db);
    console.log(`\n== ${engine}: ${OTHERS} other customers with 2 orders each + the subject with ${ROWS} orders (masked by the delete): ${g.rows} rows loaded in ${f(g.s, 1)} s`);

    const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true });
    const svc = datamapService(app.ctx);
    await svc.addSystem({ name: 'shop', connection: conn, map: MAP }, 'bench');
    const trace = tracer();
    if (SPANS) {
      trace.wrap(svc.repo, 'discovery', 'stored discovery read (select, decrypt, JSON.parse, schema parse)');
      trace.wrap(svc, 'planSystems', 'planSystems');
      trace.wrap(svc, 'planFrom', 'plan (buildPlan)');
      trace.wrap(svc, 'walk', 'fresh walk (check part 2)');
      trace.wrap(SqlDataSource.prototype, 'find', 'find');
      trace.wrap(svc.repo, 'putCheck', 'stored check report');
    }
    // The engine calls the service's methods by name: wrap them to time each step.
    const steps: Record<string, Timed<unknown>> = {};
    for (const name of ['discoverCase', 'executeCase', 'checkCase'] as const) {
      const orig = (svc[name] as (...a: unknown[]) => Promise<unknown>).bind(svc);
      (svc as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
        if (SPANS && name === 'checkCase') trace.start();
        const r = await timed(() => orig(...a));
        if (SPANS && name === 'checkCase') trace.stop();
        steps[name] = r;
        return r.value;
      };
    }
    const t0 = performance.now();
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { email: SUBJECT_EMAIL }, strategy: 'exact', autoApprove: true }, meta);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (bench)', dataPoints: 2 }, meta);
    await app.settle(c.id);
    const caseS = (performance.now() - t0) / 1000;
    const out = await svc.output(c.id);
    const report = await svc.checkReport(c.id);
    if (!report) throw new Error(`the case ended ${out.status} without a check report`);
    const checked = report.collections.reduce((n, x) => n + x.checked, 0);
    const masked = Object.values(out.changes ?? {}).reduce((n, x) => n + x.masked, 0);
    const deleted = Object.values(out.changes ?? {}).reduce((n, x) => n + x.deleted, 0);
    console.log(`case ${out.status} in ${f(caseS, 2)} s (create, verify, settle): ${deleted} rows deleted, ${masked} masked; check ${report.ok ? 'ok' : 'NOT OK'} (remaining ${report.remaining}, missing ${report.missing}, errors ${report.errors.length}; ${checked} rows checked: ${report.collections.map((x) => `${x.collection} ${x.checked}`).join(', ')})`);
    if (!steps.checkCase || !steps.executeCase) throw new Error('the engine did not run the execute and check steps');
    const d = steps.discoverCase!; const e = steps.executeCase; const k = steps.checkCase;
    console.log(`discover step: ${f(d.ms, 0)} ms; ${stallText(d.stall)}`);
    console.log(`execute step: ${f(e.ms, 0)} ms (${f((deleted + masked) / (e.ms / 1000), 0)} rows/s); ${stallText(e.stall)}`);
    console.log(`CHECK STEP: ${f(k.ms, 0)} ms, ${f(checked / (k.ms / 1000), 0)} rows checked/s; ${stallText(k.stall)}`);
    if (SPANS) console.log(`  timeline of the check step (BENCH_SPANS):\n${trace.lines().map((l) => `  ${l}`).join('\n')}`);

    // The check step again on the same case (it only reads the shop), ROUNDS times, with its parts.
    const runs: Array<{ disc: Timed<unknown>; plan: Timed<Awaited<ReturnType<DatamapService['plan']>>>; check: Timed<unknown> }> = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      runs.push({ disc: await timed(() => svc.repo.discovery(c.id)), plan: await timed(() => svc.plan(c.id)), check: await timed(() => svc.checkCase(c.id)) });
    }
    const med = (xs: number[]) => pct(xs, 50);
    const mCheck = med(runs.map((x) => x.check.ms)); const mPlan = med(runs.map((x) => x.plan.ms));
    console.log(`check step again ${ROUNDS}x on the same case: median ${f(mCheck, 0)} ms (${f(Math.min(...runs.map((x) => x.check.ms)), 0)}..${f(Math.max(...runs.map((x) => x.check.ms)), 0)}), `
      + `${f(checked / (mCheck / 1000), 0)} rows checked/s, longest stall median ${f(med(runs.map((x) => x.check.stall.maxMs)), 1)} ms (${f(Math.min(...runs.map((x) => x.check.stall.maxMs)), 1)}..${f(Math.max(...runs.map((x) => x.check.stall.maxMs)), 1)})`);
    console.log(`  its parts (medians): stored discovery read (select, decrypt, JSON.parse, schema parse) ${f(med(runs.map((x) => x.disc.ms)), 0)} ms, longest stall ${f(med(runs.map((x) => x.disc.stall.maxMs)), 1)} ms; `
      + `discovery read + plan rebuilt ${f(mPlan, 0)} ms, longest stall ${f(med(runs.map((x) => x.plan.stall.maxMs)), 1)} ms; the rest (checkErasure + stored report) ≈ ${f(mCheck - mPlan, 0)} ms`);
    const plan = runs[0]!.plan;

    // The alternatives for the check's first part (every planned row by key), on the same rows.
    const p = plan.value!;
    const orders = p.collections.find((x) => x.collection === 'orders')!;
    const src = await openSqlSource(conn);
    const bad = (u: (typeof orders.updates)[number], r: Row) => Object.entries(u.original).some(([fld, v]) => v !== null && String(r[fld]) === String(v));
    try {
      // linear: one find by every key, a Map by key (what checkErasure's first part does)
      const lin = await timed(async () => {
        const rows = await src.find('orders', [{ field: 'id', values: orders.updates.map((u) => u.key.id) }]);
        const byKey = new Map(rows.map((r) => [text(r.id), r]));
        let left = 0; let missing = 0;
        for (const u of orders.updates) { const r = byKey.get(text(u.key.id)); if (!r) missing += 1; else if (bad(u, r)) left += 1; }
        return { left, missing, read: rows.length };
      });
      console.log(`re-read of the ${orders.updates.length} planned rows, linear (one find by every key + a Map, as checkErasure part 1): ${f(lin.ms, 0)} ms; ${stallText(lin.stall)}; ${lin.value.left} left, ${lin.value.missing} missing`);
      if (QUADRATIC) {
        // the check before this issue: rows.find(sameKey) per planned key, no yield in the loop
        const quad = await timed(async () => {
          const keys = orders.updates.map((u) => u.key);
          const keyField = Object.keys(keys[0]!)[0]!;
          const rows = await src.find('orders', [{ field: keyField, values: keys.map((x) => x[keyField]) }]);
          const sameKey = (a: Row, b: Row) => Object.keys(a).every((fld) => String(a[fld]) === String(b[fld]));
          let left = 0;
          for (const u of orders.updates) { const r = rows.find((x) => sameKey(u.key, x)); if (r && bad(u, r)) left += 1; }
          return left;
        });
        console.log(`old quadratic compare (one find by every key, then rows.find per planned key): ${f(quad.ms, 0)} ms; ${stallText(quad.stall)}; ${quad.value} left`);
        console.log(`  RATIO old quadratic compare / whole check step: ${f(quad.ms / k.ms, 1)}x time, ${f(quad.stall.maxMs / k.stall.maxMs, 1)}x longest stall; old / linear re-read: ${f(quad.ms / lin.ms, 1)}x`);
      }
      if (PER_ROW) {
        const per = await timed(async () => {
          let left = 0; let missing = 0;
          for (const u of orders.updates) {
            const [r] = await src.find('orders', [{ field: 'id', values: [u.key.id] }]);
            if (!r) missing += 1; else if (bad(u, r)) left += 1;
          }
          return { left, missing };
        });
        console.log(`naive per-row re-read (one find per planned row, ${orders.updates.length} queries): ${f(per.ms, 0)} ms; ${stallText(per.stall)}; ${per.value.left} left, ${per.value.missing} missing`);
        console.log(`  RATIO per-row re-read / whole check step: ${f(per.ms / k.ms, 1)}x time; per-row / linear re-read: ${f(per.ms / lin.ms, 1)}x`);
      }
    } finally {
      await src.close();
    }
    await app.close();
  } finally {
    await db.close();
    await pg?.stop();
    if (process.env.BENCH_KEEP_DIR) console.log(`kept ${dir}`); else rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`erasure-check: node ${process.version}, ${ROWS} masked rows of one subject`);
for (const e of ENGINES) await benchEngine(e);
console.log(`\npeak rss ${f(process.memoryUsage().rss / 1e6, 0)} MB`);
