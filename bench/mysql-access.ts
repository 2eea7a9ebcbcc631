// The access walk on MySQL / MariaDB (issue 19): the same 10-collection shop as
// bench/adapters-datamap.ts (~20.5 rows a customer) in a private MariaDB server (durable settings,
// utf8mb4_unicode_ci, plain indexes: the email columns' own index serves the case-insensitive
// match), the graph walk for one person (median / p95 ms) against the sum of the raw index look-ups
// the same answer needs (hand-written queries, one per collection), and an erasure of a batch.
// Run: npx tsx bench/mysql-access.ts   (needs mariadb-server: apt-get install mariadb-server)
// Then, as bench/adapters-datamap.ts: erasure of BENCH_BATCH people in one batch vs BENCH_SINGLE one at a
// time (extrapolated), and a ledger replay of BENCH_LEDGER (1000) people whose rows are all there.
// Scale: BENCH_CUSTOMERS (default 10000), BENCH_ACCESS (200), BENCH_BATCH (200), BENCH_SINGLE (50); BENCH_DEBUG=1 prints the
// slowest statements of one walk with their EXPLAIN.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../shared/app/app';
import { datamapService, type DatamapService } from '../shared/app/datamap/service';
import { createConnection, type Connection } from 'mysql2/promise';
import { openMySqlSource } from '../shared/adapters/mysql/mysql-source';
import { subjectOf, type Subject } from '../shared/app/datamap/subject';
import { walkSystem } from '../shared/app/datamap/find-system';
import { parseDataMap, type DataMap } from '../shared/domain/datamap';
import { normalizeEmail } from '../shared/domain/identity';
import { mariadbMissing, startMariaDb } from '../test/support/mariadb';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const ACCESS = Number(process.env.BENCH_ACCESS ?? 200);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 50);
const LEDGER = Number(process.env.BENCH_LEDGER ?? 1000);

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

const emailOf = (i: number) => (i % 5 === 0 ? ` User${i}@Example.com` : `user${i}@example.com`);
const EMAIL_SQL = "CASE WHEN i % 5 = 0 THEN CONCAT(' User', i, '@Example.com') ELSE CONCAT('user', i, '@example.com') END";
const PHONE_SQL = "CASE WHEN i % 3 = 0 THEN CONCAT('(415) ', SUBSTR(2000000 + i, 1, 3), '-', SUBSTR(2000000 + i, 4)) ELSE CONCAT('+1415', 2000000 + i) END";

const DDL = [
  'CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, phone VARCHAR(32), name VARCHAR(100) NOT NULL, loyalty_id VARCHAR(32), KEY (email), KEY (loyalty_id))',
  'CREATE TABLE addresses (id INT PRIMARY KEY, customer_id INT NOT NULL, line1 VARCHAR(100) NOT NULL, city VARCHAR(100) NOT NULL, postal_code VARCHAR(16) NOT NULL, KEY (customer_id))',
  'CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, address_id INT, total_cents INT NOT NULL, note VARCHAR(100), KEY (customer_id), KEY (address_id))',
  'CREATE TABLE order_items (id INT PRIMARY KEY, order_id INT NOT NULL, sku VARCHAR(16) NOT NULL, qty INT NOT NULL, KEY (order_id))',
  'CREATE TABLE payments (id INT PRIMARY KEY, order_id INT NOT NULL, card_last4 VARCHAR(4) NOT NULL, holder VARCHAR(100), KEY (order_id))',
  'CREATE TABLE logins (id INT PRIMARY KEY, customer_id INT NOT NULL, ip VARCHAR(32) NOT NULL, at VARCHAR(32) NOT NULL, KEY (customer_id))',
  'CREATE TABLE consent (email VARCHAR(255) PRIMARY KEY, do_not_sell INT NOT NULL)',
  'CREATE TABLE tickets (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL, subject VARCHAR(100) NOT NULL, KEY (email))',
  'CREATE TABLE reviews (id INT PRIMARY KEY, customer_id INT NOT NULL, body VARCHAR(100) NOT NULL, KEY (customer_id))',
  'CREATE TABLE devices (id INT PRIMARY KEY, customer_id INT NOT NULL, device_id VARCHAR(32) NOT NULL, KEY (customer_id))',
];

async function generate(c: Connection, n: number): Promise<number> {
  for (const d of DDL) await c.query(d);
  // MariaDB's Sequence engine: seq_0_to_N is a numbers table.
  const N = `(SELECT seq AS i FROM seq_0_to_${n - 1}) AS nn`;
  const K = '(SELECT seq AS k FROM seq_0_to_5) AS kk';
  let rows = 0;
  for (const sql of [
    `INSERT INTO customers SELECT i, ${EMAIL_SQL}, ${PHONE_SQL}, CONCAT('Person ', i), CONCAT('L-', i) FROM ${N}`,
    `INSERT INTO addresses SELECT i, i, CONCAT(i, ' Main St'), 'Springfield', 10000 + i % 90000 FROM ${N}`,
    `INSERT INTO orders SELECT i * 3 + k, i, i, 100 + k, CASE WHEN k = 0 THEN 'gift' END FROM ${N} CROSS JOIN ${K} WHERE k < 3`,
    `INSERT INTO order_items SELECT i * 6 + k, i * 3 + k DIV 2, CONCAT('SKU-', k % 2 + 1), k % 2 + 1 FROM ${N} CROSS JOIN ${K}`,
    `INSERT INTO payments SELECT i * 3 + k, i * 3 + k, 1000 + i % 9000, CONCAT('PERSON ', i) FROM ${N} CROSS JOIN ${K} WHERE k < 3`,
    `INSERT INTO logins SELECT i * 3 + k, i, CONCAT('10.0.', i % 256, '.', k), '2025-01-01T00:00:00Z' FROM ${N} CROSS JOIN ${K} WHERE k < 3`,
    `INSERT INTO consent SELECT CONCAT('user', i, '@example.com'), 0 FROM ${N}`,
    `INSERT INTO tickets SELECT i, ${EMAIL_SQL}, 'help' FROM ${N} WHERE i % 2 = 0`,
    `INSERT INTO reviews SELECT i, i, 'great' FROM ${N}`,
    `INSERT INTO devices SELECT i, i, CONCAT('dev-', i) FROM ${N}`,
  ]) {
    const [r] = await c.query(sql);
    rows += (r as { affectedRows: number }).affectedRows;
  }
  await c.query('ANALYZE TABLE customers, addresses, orders, order_items, payments, logins, consent, tickets, reviews, devices');
  return rows;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const f = (n: number, d = 2) => n.toFixed(d);
const inList = (xs: unknown[]) => (xs.length ? xs.map(() => '?').join(',') : 'NULL');

/** The raw look-ups an access request for customer i needs (one indexed query per collection). */
async function rawLookups(c: Connection, i: number): Promise<void> {
  const email = normalizeEmail(emailOf(i));
  // the ci collation's index: case-insensitive already; the leading-space spelling needs trim
  const [cs] = await c.execute('SELECT * FROM customers WHERE email = ? OR email = ?', [email, ` ${email}`]);
  const ids = (cs as Array<{ id: number }>).map((r) => r.id);
  await c.execute(`SELECT * FROM addresses WHERE customer_id IN (${inList(ids)})`, ids);
  const [os] = await c.execute(`SELECT * FROM orders WHERE customer_id IN (${inList(ids)})`, ids);
  const oids = (os as Array<{ id: number }>).map((o) => o.id);
  await c.execute(`SELECT * FROM order_items WHERE order_id IN (${inList(oids)})`, oids);
  await c.execute(`SELECT * FROM payments WHERE order_id IN (${inList(oids)})`, oids);
  await c.execute(`SELECT * FROM logins WHERE customer_id IN (${inList(ids)})`, ids);
  await c.execute('SELECT * FROM consent WHERE email = ?', [email]);
  await c.execute('SELECT * FROM tickets WHERE email = ? OR email = ?', [email, ` ${email}`]);
  await c.execute(`SELECT * FROM reviews WHERE customer_id IN (${inList(ids)})`, ids);
  await c.execute(`SELECT * FROM devices WHERE customer_id IN (${inList(ids)})`, ids);
}

const pick0 = (k: number) => Math.floor((k * 7919) % CUSTOMERS);

async function main(): Promise<void> {
  const missing = mariadbMissing();
  if (missing) { console.log(`skipped: ${missing}`); return; }
  const server = await startMariaDb({ durable: true });
  try {
    const url = await server.newDatabase('bench_shop');
    const c = await createConnection({ uri: url, multipleStatements: true });
    const t0 = performance.now();
    const rows = await generate(c, CUSTOMERS);
    const version = ((await c.query('SELECT VERSION() AS v'))[0] as Array<{ v: string }>)[0]!.v;
    console.log(`== mysql (MariaDB ${version}): ${CUSTOMERS} customers, ${rows} rows in 10 collections (load + ANALYZE ${f((performance.now() - t0) / 1000, 1)} s)`);
    const source = await openMySqlSource({ url });
    if (process.env.BENCH_DEBUG) {
      // the statements of one walk, slowest first, with their plans
      const pool = (source as unknown as { pool: import('mysql2/promise').Pool }).pool;
      const seen: Array<{ sql: string; params: unknown[]; ms: number }> = [];
      const exec = pool.execute.bind(pool);
      (pool as unknown as { execute: unknown }).execute = async (sql: string, params: unknown[]) => { const s = performance.now(); const r = await exec(sql, params as never); seen.push({ sql, params, ms: performance.now() - s }); return r; };
      await walkSystem(source, MAP, subjectOf({ email: emailOf(pick0(123)) }), { strategy: 'exact' });
      for (const q of seen.sort((a, b) => b.ms - a.ms).slice(0, 4)) {
        const [plan] = await c.execute(`EXPLAIN ${q.sql}`, q.params as never);
        console.log(q.ms.toFixed(1), 'ms', q.sql.slice(0, 300), JSON.stringify(q.params).slice(0, 120), JSON.stringify(plan));
      }
      (pool as unknown as { execute: unknown }).execute = exec;
    }
    const pick = (k: number) => Math.floor((k * 7919) % CUSTOMERS);
    for (let k = 0; k < Math.min(20, ACCESS); k += 1) { await walkSystem(source, MAP, subjectOf({ email: emailOf(pick(k)) }), { strategy: 'exact' }); await rawLookups(c, pick(k)); }
    const walkMs: number[] = [];
    const rawMs: number[] = [];
    let queries = 0;
    let found = 0;
    for (let k = 0; k < ACCESS; k += 1) {
      const i = pick(k + 100);
      let s = performance.now();
      const w = await walkSystem(source, MAP, subjectOf({ email: emailOf(i) }), { strategy: 'exact' });
      walkMs.push(performance.now() - s);
      queries += w.queries;
      found += w.collections.reduce((n, x) => n + x.rows.length, 0);
      s = performance.now();
      await rawLookups(c, i);
      rawMs.push(performance.now() - s);
    }
    const wp50 = pct(walkMs, 50); const wp95 = pct(walkMs, 95);
    const rp50 = pct(rawMs, 50); const rp95 = pct(rawMs, 95);
    console.log(`access (graph walk, ${ACCESS} requests): p50 ${f(wp50)} ms, p95 ${f(wp95)} ms; ${f(found / ACCESS, 1)} rows and ${f(queries / ACCESS, 1)} queries per request`);
    console.log(`raw index look-ups (10 hand-written queries): p50 ${f(rp50)} ms, p95 ${f(rp95)} ms; walk / raw = ${f(wp50 / rp50)}x (p50), ${f(wp95 / rp95)}x (p95)`);
    // erasure: the batch's rows found by one walk each, deleted in one apply (one transaction)
    const people = Array.from({ length: BATCH }, (_, k) => pick(k + 5000));
    const changes: Array<{ collection: string; key: Record<string, unknown>; action: 'delete' }> = [];
    for (const i of people) {
      const w = await walkSystem(source, MAP, subjectOf({ email: emailOf(i) }), { strategy: 'exact' });
      for (const col of w.collections) {
        const pk = MAP.collections.find((x) => x.name === col.collection)!.fields.find((x) => x.primaryKey)!.name;
        for (const r of col.rows) changes.push({ collection: col.collection, key: { [pk]: r.values[pk] }, action: 'delete' });
      }
    }
    const s = performance.now();
    const applied = await source.apply(changes);
    const applyS = (performance.now() - s) / 1000;
    console.log(`apply (delete ${changes.length} rows of ${BATCH} people, one transaction, per-change counts): ${f(applyS, 2)} s, ${f(changes.length / applyS, 0)} rows/s; reported ${applied.deleted} deleted, ${applied.perChange!.filter((x) => x === 1).length} changes counted 1`);
    await source.close();

    // erasure through the data-map service: a batch vs one at a time; then a ledger replay
    const dir = mkdtempSync(join(tmpdir(), 'bench-mysql-'));
    const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
    try {
      const svc = datamapService(app.ctx);
      await svc.addSystem({ name: 'bench', connection: { engine: 'mysql', url }, map: MAP }, 'bench');
      const subjects = (from: number, k: number): Subject[] => Array.from({ length: k }, (_, j) => subjectOf({ email: emailOf(from + j) }));
      const base = Math.floor(CUSTOMERS / 2);
      let t = performance.now();
      let singleRows = 0;
      for (const s of subjects(base, SINGLE)) { const r = await svc.eraseBatch([s], 'delete'); singleRows += r.deleted + r.masked; }
      const singleMs = (performance.now() - t) / SINGLE;
      t = performance.now();
      const b = await svc.eraseBatch(subjects(base + SINGLE, BATCH), 'delete');
      const batchS = (performance.now() - t) / 1000;
      console.log(`erasure one at a time: ${f(singleMs)} ms per person (${SINGLE} timed, ${f(singleRows / SINGLE, 1)} rows each) -> ${BATCH} people ≈ ${f((singleMs * BATCH) / 1000, 1)} s (extrapolated)`);
      console.log(`erasure batch of ${BATCH}: ${f(batchS, 2)} s, ${b.deleted + b.masked} rows changed (${f((b.deleted + b.masked) / batchS, 0)} rows/s); ${f((singleMs * BATCH) / 1000 / batchS, 1)}x faster than one at a time`);
      const from = Math.max(0, CUSTOMERS - LEDGER);
      await svc.repo.addLedger(Array.from({ length: Math.min(LEDGER, CUSTOMERS) }, (_, k) => ({
        hash: app.ctx.crypto.keyedHash('email', normalizeEmail(emailOf(from + k))), kind: 'email', system: 'bench', caseId: null, erasure: 'delete',
      })), new Date());
      t = performance.now();
      const replay = await svc.ledgerReplay('bench');
      const r = replay.systems[0]!;
      console.log(`ledger replay (${Math.min(LEDGER, CUSTOMERS)} ledger entries, their rows all there): ${r.scanned} identity rows scanned, ${r.matched} matches, ${r.deleted} deleted + ${r.masked} masked in ${f((performance.now() - t) / 1000, 2)} s${r.error ? `; error: ${r.error}` : ''}`);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await c.end();
  } finally {
    await server.stop();
  }
}

await main();
