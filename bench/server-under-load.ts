// Benchmark (issue 13 part 8): does web mode keep answering while a big erasure runs in the same
// process? One process, as web mode runs it: the app as a worker (createApp, work: all) behind the
// real web server (startWebServer: token, Host check, JSON), a shop on SQLite (or PostgreSQL) where
// one subject owns BENCH_ROWS (20,000) orders that the delete masks. A delete case is created and
// verified (autoApprove), and at once BENCH_REQUESTS (2,000) API requests go to the server over HTTP,
// BENCH_CONCURRENCY (8) at a time: alternately `cases.list` (a page of 50) and `cases.get`.
// Printed: the erasure's time (create to closed), the requests' p50 / p99 / max latency (all of them
// and those sent while the case was still busy), and the longest event-loop stall seen meanwhile
// (the gap between ticks of a 1 ms interval: how long any request would have waited). The same
// requests with no erasure running are printed first, as the baseline.
// Run: npx tsx bench/server-under-load.ts   (BENCH_ROWS, BENCH_OTHERS (2000), BENCH_REQUESTS,
//      BENCH_CONCURRENCY, BENCH_SHOP=sqlite|postgres)
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../shared/app/app';
import { datamapService, type DatamapService } from '../shared/app/datamap/service';
import type { SourceConfig } from '../shared/adapters/sql-source';
import { parseDataMap, type DataMap } from '../shared/domain/datamap';
import type { Db } from '../shared/store/db';
import { SqliteDb } from '../shared/store/sqlite-db';
import { PostgresDb } from '../shared/store/postgres-db';
import { startWebServer } from '../server/web-server';
import { startPostgres } from '../test/support/postgres';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const OTHERS = Number(process.env.BENCH_OTHERS ?? 2_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SHOP = process.env.BENCH_SHOP ?? 'sqlite';
const SUBJECT = OTHERS;
const SUBJECT_EMAIL = 'Subject.Person@Example.com';
const TOKEN = 'bench-token-0123456789abcdef';
const meta = { actor: 'staff:bench' };

const ref = (collection: string, field: string, direction: 'to' | 'from') => [{ collection, field, direction }];
const MAP: DataMap = parseDataMap({
  dataset: 'bench_load',
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

async function generate(db: Db): Promise<void> {
  const pg = db.dialect === 'postgres';
  const series = (n: number) => (pg ? `generate_series(0, ${n - 1}) AS g(i)`
    : `(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < ${n}) SELECT i FROM r)`);
  const t = (e: string) => `CAST(${e} AS TEXT)`;
  await db.tx(async (tx) => {
    await tx.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, ship_name TEXT, note TEXT, total_cents INTEGER NOT NULL)`);
    for (const sql of [
      `INSERT INTO customers SELECT i, 'user' || ${t('i')} || '@example.com', 'Person ' || ${t('i')} FROM ${series(OTHERS)}`,
      `INSERT INTO customers VALUES (${SUBJECT}, '${SUBJECT_EMAIL}', 'Subject Person')`,
      `INSERT INTO orders SELECT i, i / 2, 'Person ' || ${t('i / 2')}, NULL, 100 + i % 50 FROM ${series(OTHERS * 2)}`,
      `INSERT INTO orders SELECT ${OTHERS * 2} + i, ${SUBJECT}, 'Subject Person', CASE WHEN i % 3 = 0 THEN 'gift, call subject.person@example.com' END, 100 + i % 50 FROM ${series(ROWS)}`,
    ]) await tx.run(sql);
    await tx.exec('CREATE INDEX customers_email ON customers (lower(trim(email))); CREATE INDEX orders_customer ON orders (customer_id)');
  });
}

function watchLoop(): { stop(): number } {
  let last = performance.now();
  let maxMs = 0;
  const timer = setInterval(() => { const now = performance.now(); maxMs = Math.max(maxMs, now - last); last = now; }, 1);
  return { stop() { clearInterval(timer); return maxMs; } };
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const f = (n: number, d = 1) => (Number.isNaN(n) ? '-' : n.toFixed(d));

async function fire(base: string, ids: string[], busy: () => boolean, total = REQUESTS): Promise<{ all: number[]; during: number[]; errors: number; stall: number; ms: number }> {
  const all: number[] = [];
  const during: number[] = [];
  let errors = 0;
  let next = 0;
  const w = watchLoop();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let k = next++; k < total; k = next++) {
      const [op, input] = k % 2 === 0 ? ['cases.list', { limit: 50, offset: 0 }] : ['cases.get', { id: ids[k % ids.length] }];
      const wasBusy = busy();
      const a = performance.now();
      const res = await fetch(`${base}/api/${op}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
      await res.arrayBuffer();
      const ms = performance.now() - a;
      if (res.status !== 200) errors += 1;
      all.push(ms);
      if (wasBusy) during.push(ms);
    }
  }));
  return { all, during, errors, stall: w.stop(), ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const pg = SHOP === 'postgres' ? await startPostgres({ durable: true }) : null;
  try {
    let conn: SourceConfig;
    let shop: Db;
    if (pg) {
      const admin = new PostgresDb(pg.url);
      await admin.exec('CREATE DATABASE shop');
      await admin.close();
      conn = { engine: 'postgres', url: pg.url.replace(/\/[^/]+$/u, '/shop') };
      shop = new PostgresDb(conn.url);
    } else {
      conn = { engine: 'sqlite', file: join(dir, 'shop.sqlite') };
      shop = new SqliteDb(conn.file);
    }
    await generate(shop);
    await shop.close();
    const app = await createApp({ dataDir: join(dir, 'data'), db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, work: 'all' });
    const svc = datamapService(app.ctx);
    await svc.addSystem({ name: 'shop', connection: conn, map: MAP }, 'bench');
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>bench</title>');
    const web = await startWebServer({ backend: app, staticDir, actor: 'staff:bench', port: 0, token: TOKEN });
    const base = web.origin;
    try {
      // Some cases to read (opt-outs close by themselves).
      const ids: string[] = [];
      for (let k = 0; k < 40; k += 1) {
        const c = await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', identities: { email: `reader${k}@example.com` } }, meta);
        ids.push(c.id);
      }
      for (const id of ids) await app.settle(id);
      console.log(`== web mode under load: shop on ${SHOP} (${OTHERS} other customers, the subject with ${ROWS} orders), case store SQLite; ${REQUESTS} requests, ${CONCURRENCY} at a time`);

      await fire(base, ids, () => false, 200); // warm-up (JIT, prepared statements), not counted
      const base0 = await fire(base, ids, () => false);
      console.log(`baseline (no erasure): ${f(base0.ms, 0)} ms, ${f(REQUESTS / (base0.ms / 1000), 0)} req/s; latency p50 ${f(pct(base0.all, 50))} ms, p99 ${f(pct(base0.all, 99))} ms, max ${f(Math.max(...base0.all))} ms; longest event-loop stall ${f(base0.stall)} ms; errors ${base0.errors}`);

      const t0 = performance.now();
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { email: SUBJECT_EMAIL }, strategy: 'exact', autoApprove: true }, meta);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'bench', dataPoints: 2 }, meta);
      let busy = true;
      let erasureMs = 0;
      const done = app.settle(c.id).then(() => { busy = false; erasureMs = performance.now() - t0; });
      const load = await fire(base, [c.id, ...ids], () => busy);
      await done;
      const out = await svc.output(c.id);
      const changed = Object.values(out.changes ?? {}).reduce((n, x) => n + x.masked + x.deleted, 0);
      console.log(`erasure: case ${out.status} in ${f(erasureMs, 0)} ms (${changed} rows masked or deleted)`);
      console.log(`with the erasure running: ${f(load.ms, 0)} ms, ${f(REQUESTS / (load.ms / 1000), 0)} req/s; latency p50 ${f(pct(load.all, 50))} ms, p99 ${f(pct(load.all, 99))} ms, max ${f(Math.max(...load.all))} ms; longest event-loop stall ${f(load.stall)} ms; errors ${load.errors}`);
      console.log(`  the ${load.during.length} requests sent while the case was busy: p50 ${f(pct(load.during, 50))} ms, p99 ${f(pct(load.during, 99))} ms, max ${f(load.during.length ? Math.max(...load.during) : NaN)} ms`);
    } finally {
      await web.close();
      await app.close();
    }
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
