// Benchmark of the data-map layer on a generated shop of 10 collections (customers, addresses,
// orders, order_items, payments, logins, consent, tickets, reviews, devices: ~17 rows a customer),
// in SQLite and in PostgreSQL (embedded, durable settings):
//   1. access: the graph walk for one person (median / p95 ms) against the sum of the raw index
//      look-ups the same answer needs (hand-written queries, one per collection);
//   2. erasure: a batch of B people in one set-based walk + one transaction vs the same B one at a time;
//   3. ledger replay: scan of every identity field after a "re-import", matching keyed hashes.
// Run: npx tsx bench/adapters-datamap.ts
// Scale: BENCH_CUSTOMERS (default 10000; the issue's figure is 1000000), BENCH_ACCESS (200),
//        BENCH_BATCH (500), BENCH_SINGLE (50: one-at-a-time sample, extrapolated), BENCH_LEDGER (1000),
//        BENCH_ENGINES (sqlite,postgres).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../shared/app/app';
import { DATAMAP_SERVICE, type DatamapService } from '../shared/app/effects/datamap-service';
import { openSqlSource, type SourceConfig } from '../shared/adapters/sql-source';
import { subjectOf, walkSystem, type Subject } from '../shared/adapters/traversal';
import { parseDataMap, type DataMap } from '../shared/domain/datamap';
import { normalizeEmail } from '../shared/domain/identity';
import type { Db, SqlValue } from '../shared/store/db';
import { SqliteDb } from '../shared/store/sqlite-db';
import { PostgresDb } from '../shared/store/postgres-db';
import { startPostgres } from '../test/support/postgres';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const ACCESS = Number(process.env.BENCH_ACCESS ?? 200);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 50);
const LEDGER = Number(process.env.BENCH_LEDGER ?? 1000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);

const SCHEMA = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, name TEXT NOT NULL, loyalty_id TEXT);
CREATE TABLE addresses (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, line1 TEXT NOT NULL, city TEXT NOT NULL, postal_code TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, address_id INTEGER, total_cents INTEGER NOT NULL, note TEXT);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL);
CREATE TABLE payments (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, card_last4 TEXT NOT NULL, holder TEXT);
CREATE TABLE logins (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, ip TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE consent (email TEXT PRIMARY KEY, do_not_sell INTEGER NOT NULL);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, email TEXT NOT NULL, subject TEXT NOT NULL);
CREATE TABLE reviews (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE devices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, device_id TEXT NOT NULL);
CREATE INDEX customers_email ON customers (lower(trim(email)));
CREATE INDEX addresses_customer ON addresses (customer_id);
CREATE INDEX addresses_id_customer ON addresses (id, customer_id);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_address ON orders (address_id);
CREATE INDEX items_order ON order_items (order_id);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX logins_customer ON logins (customer_id);
CREATE INDEX consent_email ON consent (lower(trim(email)));
CREATE INDEX tickets_email ON tickets (lower(trim(email)));
CREATE INDEX reviews_customer ON reviews (customer_id);
CREATE INDEX devices_customer ON devices (customer_id);
`;

const ref = (collection: string, field: string, direction: 'to' | 'from') => [{ collection, field, direction }];
const MAP: DataMap = parseDataMap({
  dataset: 'bench_shop',
  collections: [
    { name: 'customers', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] }, { name: 'name', categories: ['user.name'] },
      { name: 'loyalty_id', identity: 'loyalty_id', categories: ['user.unique_id'] }] },
    { name: 'addresses', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: ref('customers', 'id', 'from') },
      { name: 'line1', categories: ['user.contact.address.street'] }, { name: 'city', categories: ['user.contact.address.city'] },
      { name: 'postal_code', categories: ['user.contact.address.postal_code'] }] },
    { name: 'orders', erasure: 'mask', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: ref('customers', 'id', 'from') },
      { name: 'address_id', references: ref('addresses', 'id', 'to') },
      { name: 'total_cents', categories: ['user.commercial.purchase'] }, { name: 'note', categories: ['user.content'] }] },
    { name: 'order_items', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'order_id', references: ref('orders', 'id', 'from') },
      { name: 'sku', categories: ['user.commercial.purchase'] }, { name: 'qty', categories: ['user.commercial.purchase'] }] },
    { name: 'payments', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'order_id', references: ref('orders', 'id', 'from') },
      { name: 'card_last4', categories: ['user.financial'] }, { name: 'holder', categories: ['user.name'] }] },
    { name: 'logins', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: ref('customers', 'id', 'from') },
      { name: 'ip', categories: ['user.device.ip_address'] }, { name: 'at', categories: ['user.behavior'] }] },
    { name: 'consent', erasure: 'delete', optOut: { field: 'do_not_sell', value: 1 }, fields: [
      { name: 'email', primaryKey: true, identity: 'email', categories: ['user.contact.email'] }, { name: 'do_not_sell', categories: ['user.privacy_preferences'] }] },
    { name: 'tickets', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] }, { name: 'subject', categories: ['user.content'] }] },
    { name: 'reviews', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: ref('customers', 'id', 'from') }, { name: 'body', categories: ['user.content'] }] },
    { name: 'devices', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: ref('customers', 'id', 'from') }, { name: 'device_id', categories: ['user.device.device_id'] }] },
  ],
});

/** Stored phones in two forms: E.164 and a US national form with punctuation. */
const phoneOf = (i: number) => { const n = String(2_000_000 + i); return i % 3 === 0 ? `(415) ${n.slice(0, 3)}-${n.slice(3)}` : `+1415${n}`; };
const emailOf = (i: number) => (i % 5 === 0 ? ` User${i}@Example.com` : `user${i}@example.com`);

async function insertMany(db: Db, table: string, rows: SqlValue[][]): Promise<void> {
  if (!rows.length) return;
  const cols = rows[0]!.length;
  const per = Math.max(1, Math.floor(30_000 / cols));
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per);
    await db.run(`INSERT INTO ${table} VALUES ${part.map(() => `(${Array.from({ length: cols }, () => '?').join(', ')})`).join(', ')}`, part.flat());
  }
}

async function generate(db: Db, from: number, to: number): Promise<number> {
  let total = 0;
  const step = 5000;
  for (let s = from; s < to; s += step) {
    const e = Math.min(to, s + step);
    const t: Record<string, SqlValue[][]> = { customers: [], addresses: [], orders: [], order_items: [], payments: [], logins: [], consent: [], tickets: [], reviews: [], devices: [] };
    for (let i = s; i < e; i += 1) {
      t.customers!.push([i, emailOf(i), phoneOf(i), `Person ${i}`, `L-${i}`]);
      t.addresses!.push([i, i, `${i} Main St`, 'Springfield', String(10000 + (i % 90000))]);
      for (let k = 0; k < 3; k += 1) {
        const o = i * 3 + k;
        t.orders!.push([o, i, i, 100 + k, k === 0 ? 'gift' : null]);
        t.order_items!.push([o * 2, o, 'SKU-1', 1], [o * 2 + 1, o, 'SKU-2', 2]);
        t.payments!.push([o, o, String(1000 + (i % 9000)), `PERSON ${i}`]);
        t.logins!.push([o, i, `10.0.${i % 256}.${k}`, '2025-01-01T00:00:00Z']);
      }
      t.consent!.push([`user${i}@example.com`, 0]);
      if (i % 2 === 0) t.tickets!.push([i, emailOf(i), 'help']);
      t.reviews!.push([i, i, 'great']);
      t.devices!.push([i, i, `dev-${i}`]);
    }
    await db.tx(async () => { for (const [table, rows] of Object.entries(t)) { await insertMany(db, table, rows); total += rows.length; } });
  }
  return total;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const f = (n: number, d = 2) => n.toFixed(d);

/** The raw look-ups an access request for customer i needs (one indexed query per collection). */
async function rawLookups(db: Db, i: number): Promise<number> {
  const email = normalizeEmail(emailOf(i));
  const c = await db.all<{ id: number }>('SELECT * FROM customers WHERE lower(trim(email)) = ?', [email]);
  const ids = c.map((r) => Number(r.id));
  await db.all(`SELECT * FROM addresses WHERE customer_id IN (${ids.map(() => '?').join(',')})`, ids);
  const orders = await db.all<{ id: number }>(`SELECT * FROM orders WHERE customer_id IN (${ids.map(() => '?').join(',')})`, ids);
  const oids = orders.map((o) => Number(o.id));
  await db.all(`SELECT * FROM order_items WHERE order_id IN (${oids.map(() => '?').join(',')})`, oids);
  await db.all(`SELECT * FROM payments WHERE order_id IN (${oids.map(() => '?').join(',')})`, oids);
  await db.all(`SELECT * FROM logins WHERE customer_id IN (${ids.map(() => '?').join(',')})`, ids);
  await db.all('SELECT * FROM consent WHERE lower(trim(email)) = ?', [email]);
  await db.all('SELECT * FROM tickets WHERE lower(trim(email)) = ?', [email]);
  await db.all(`SELECT * FROM reviews WHERE customer_id IN (${ids.map(() => '?').join(',')})`, ids);
  await db.all(`SELECT * FROM devices WHERE customer_id IN (${ids.map(() => '?').join(',')})`, ids);
  return 10;
}

async function benchEngine(engine: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `bench-adapters-${engine}-`));
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
    await db.exec(SCHEMA);
    let t0 = performance.now();
    const rows = await generate(db, 0, CUSTOMERS);
    if (pg) await db.exec('ANALYZE');
    const genS = (performance.now() - t0) / 1000;
    console.log(`\n== ${engine}: ${CUSTOMERS} customers, ${rows} rows in 10 collections (generated in ${f(genS, 1)} s, ${f(rows / genS, 0)} rows/s)`);

    // 1. access latency
    const source = await openSqlSource(conn);
    const walkMs: number[] = [];
    const rawMs: number[] = [];
    let queries = 0;
    let found = 0;
    const pick = (k: number) => Math.floor(((k * 7919) % CUSTOMERS));
    for (let k = 0; k < Math.min(20, ACCESS); k += 1) await walkSystem(source, MAP, subjectOf({ email: emailOf(pick(k)) }), { strategy: 'exact' }); // warm-up
    for (let k = 0; k < ACCESS; k += 1) {
      const i = pick(k + 100);
      let s = performance.now();
      const w = await walkSystem(source, MAP, subjectOf({ email: emailOf(i) }), { strategy: 'exact' });
      walkMs.push(performance.now() - s);
      queries += w.queries;
      found += w.collections.reduce((n, c) => n + c.rows.length, 0);
      s = performance.now();
      await rawLookups(db, i);
      rawMs.push(performance.now() - s);
    }
    // by phone: stored numbers are written in many ways, so the match strips punctuation in SQL
    // (no index can serve it unless the store indexes that expression)
    const phoneMs: number[] = [];
    let phoneRows = 0;
    const PHONE = Math.max(5, Math.floor(ACCESS / 10));
    for (let k = 0; k < PHONE; k += 1) {
      const i = pick(k + 500);
      const s = performance.now();
      const w = await walkSystem(source, MAP, subjectOf({ phone: `+1415${2_000_000 + i}` }), { strategy: 'exact' });
      phoneMs.push(performance.now() - s);
      phoneRows += w.collections.reduce((n, c) => n + c.rows.length, 0);
    }
    await source.close();
    if (process.env.BENCH_DEBUG) console.log(walkMs.map((x) => x.toFixed(1)).join(' '), '|', rawMs.map((x) => x.toFixed(1)).join(' '));
    const wp50 = pct(walkMs, 50); const wp95 = pct(walkMs, 95);
    const rp50 = pct(rawMs, 50); const rp95 = pct(rawMs, 95);
    console.log(`access (graph walk, ${ACCESS} requests): p50 ${f(wp50)} ms, p95 ${f(wp95)} ms; ${f(found / ACCESS, 1)} rows and ${f(queries / ACCESS, 1)} queries per request (incl. shared-row checks)`);
    console.log(`access by phone (${PHONE} requests, punctuation-insensitive scan of the phone column): p50 ${f(pct(phoneMs, 50))} ms, p95 ${f(pct(phoneMs, 95))} ms; ${f(phoneRows / PHONE, 1)} rows per request`);
    console.log(`raw index look-ups (10 hand-written queries): p50 ${f(rp50)} ms, p95 ${f(rp95)} ms; walk / raw = ${f(wp50 / rp50)}x (p50), ${f(wp95 / rp95)}x (p95)`);

    // 2. batch vs one at a time, through the app's data-map service (walk, plan, one transaction)
    const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
    const svc = app.ctx.services.get(DATAMAP_SERVICE) as DatamapService;
    await svc.addSystem({ name: 'bench', connection: conn, map: MAP }, 'bench');
    const subjects = (from: number, n: number): Subject[] => Array.from({ length: n }, (_, k) => subjectOf({ email: emailOf(from + k) }));
    const single = Math.min(SINGLE, BATCH);
    t0 = performance.now();
    let singleRows = 0;
    for (const s of subjects(0, single)) { const r = await svc.eraseBatch([s], 'delete'); singleRows += r.deleted + r.masked; }
    const singleMs = (performance.now() - t0) / single;
    t0 = performance.now();
    const b = await svc.eraseBatch(subjects(1000 < CUSTOMERS - BATCH ? 1000 : single, BATCH), 'delete');
    const batchS = (performance.now() - t0) / 1000;
    const batchRows = b.deleted + b.masked;
    console.log(`erasure one at a time: ${f(singleMs)} ms per person (${single} people, ${f(singleRows / single, 1)} rows each) -> ${BATCH} people ≈ ${f((singleMs * BATCH) / 1000, 1)} s`);
    console.log(`erasure batch of ${BATCH}: ${f(batchS, 2)} s, ${batchRows} rows changed (${f(batchRows / batchS, 0)} rows/s); batch is ${f((singleMs * BATCH) / 1000 / batchS, 1)}x faster than one at a time`);

    // 3. ledger replay after a re-import: LEDGER people in the ledger whose rows are back
    const from = Math.max(0, CUSTOMERS - LEDGER);
    await svc.repo.addLedger(Array.from({ length: Math.min(LEDGER, CUSTOMERS) }, (_, k) => ({
      hash: app.ctx.crypto.keyedHash('email', normalizeEmail(emailOf(from + k))), kind: 'email', system: 'bench', caseId: null, erasure: 'delete',
    })), new Date());
    const rss0 = process.memoryUsage().rss;
    t0 = performance.now();
    const replay = await svc.ledgerReplay('bench');
    const replayS = (performance.now() - t0) / 1000;
    const r = replay.systems[0]!;
    console.log(`ledger replay: ${r.scanned} identity rows scanned, ${r.matched} matches, ${r.deleted} rows deleted + ${r.masked} masked in ${f(replayS, 2)} s (${f(r.scanned / replayS, 0)} rows/s scanned${r.error ? `, error: ${r.error}` : ''}); one at a time it would take ≈ ${f((singleMs * Math.min(LEDGER, CUSTOMERS)) / 1000, 1)} s (${f((singleMs * Math.min(LEDGER, CUSTOMERS)) / 1000 / replayS, 1)}x); rss +${f((process.memoryUsage().rss - rss0) / 1e6, 0)} MB`);
    await app.close();
  } finally {
    await db.close();
    await pg?.stop();
    if (process.env.BENCH_KEEP_DIR) console.log(`kept ${dir}`); else rmSync(dir, { recursive: true, force: true });
  }
}

for (const e of ENGINES) await benchEngine(e);
console.log(`\npeak rss ${f(process.memoryUsage().rss / 1e6, 0)} MB`);
