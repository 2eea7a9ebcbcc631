// The back end keeps answering while long data-map work runs on a synchronous driver
// (better-sqlite3): the web-mode server over the real app, four identical generated SQLite shops
// registered as systems. While a phone-only discovery (punctuation-insensitive scans of unindexed
// phone columns, a customer with thousands of rows) and a ledger replay with its batch erasure run,
// the console's own polls (`cases.get` over HTTP) are answered, and the results are identical to
// those of the same work with yielding turned off (the old behaviour, which answers nothing until
// the work ends: measured here too). A concurrent reader of a source whose erasure transaction
// yields between statements never sees the batch half applied.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../../../shared/app/app';
import { startWebServer, type WebServer } from '../../../server/web-server';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';
import { setYieldSlice, DEFAULT_SLICE_MS } from '../../../shared/adapters/event-loop';
import { SqlDataSource } from '../../../shared/adapters/sql-source';
import { normalizeEmail } from '../../../shared/domain/identity';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import type { DiscoveryResult } from '../../../shared/domain/discovery';

/** Customers in each generated shop (~11 rows each), and the heavy customer's extra rows. */
const CUSTOMERS = Number(process.env.PD_TEST_CUSTOMERS ?? 40_000);
const WHALE_ORDERS = 3_000;
const SYSTEMS = ['shop-a', 'shop-b', 'shop-c', 'shop-d'];
const WHALE_PHONE = '+1 415 299 9999';

const MAP = {
  dataset: 'gen_shop',
  collections: [
    { name: 'customers', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] }, { name: 'name', categories: ['user.name'] }] },
    { name: 'orders', erasure: 'mask', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
      { name: 'note', categories: ['user.content'] }, { name: 'total_cents', categories: ['user.commercial.purchase'] }] },
    { name: 'order_items', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'order_id', references: [{ collection: 'orders', field: 'id', direction: 'from' }] },
      { name: 'sku', categories: ['user.commercial.purchase'] }] },
    { name: 'tickets', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] },
      { name: 'subject', categories: ['user.content'] }] },
    { name: 'calls', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] },
      { name: 'minutes', categories: ['user.behavior'] }] },
    { name: 'logins', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
      { name: 'ip', categories: ['user.device.ip_address'] }] },
  ],
};

const emailOf = (i: number) => (i % 5 === 0 ? ` User${i}@Example.com` : `user${i}@example.com`);
const txt = (e: string) => `CAST(${e} AS TEXT)`;
const PHONE_SQL = `CASE WHEN i % 3 = 0 THEN '(415) ' || substr(${txt('2000000 + i')}, 1, 3) || '-' || substr(${txt('2000000 + i')}, 4) ELSE '+1415' || ${txt('2000000 + i')} END`;
const EMAIL_SQL = `CASE WHEN i % 5 = 0 THEN ' User' || ${txt('i')} || '@Example.com' ELSE 'user' || ${txt('i')} || '@example.com' END`;

/** A shop generated set-based in one transaction; phone columns deliberately without an index. */
async function generateShop(file: string): Promise<void> {
  const db = new SqliteDb(file);
  const whale = CUSTOMERS + 1;
  await db.tx(async (t) => {
    await t.exec(`
      CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, name TEXT NOT NULL);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, note TEXT, total_cents INTEGER NOT NULL);
      CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, sku TEXT NOT NULL);
      CREATE TABLE tickets (id INTEGER PRIMARY KEY, phone TEXT, subject TEXT NOT NULL);
      CREATE TABLE calls (id INTEGER PRIMARY KEY, phone TEXT NOT NULL, minutes INTEGER NOT NULL);
      CREATE TABLE logins (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, ip TEXT NOT NULL);
      CREATE TEMP TABLE n (i INTEGER PRIMARY KEY);
      INSERT INTO n WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ${CUSTOMERS}) SELECT i FROM r;
      CREATE TEMP TABLE k (k INTEGER PRIMARY KEY);
      INSERT INTO k VALUES (0), (1), (2);
      INSERT INTO customers SELECT i, ${EMAIL_SQL}, ${PHONE_SQL}, 'Person ' || ${txt('i')} FROM n;
      INSERT INTO orders SELECT i * 3 + k, i, CASE WHEN k = 0 THEN 'gift' END, 100 + k FROM n CROSS JOIN k;
      INSERT INTO order_items SELECT i * 3 + k, i * 3 + k, 'SKU-' || ${txt('k')} FROM n CROSS JOIN k;
      INSERT INTO tickets SELECT i, replace(replace(${PHONE_SQL}, '(', ''), ')', '.'), 'help' FROM n WHERE i % 2 = 0;
      INSERT INTO calls SELECT i, '+1415' || ${txt('2000000 + i')}, i % 30 FROM n;
      INSERT INTO logins SELECT i * 3 + k, i, '10.0.' || ${txt('i % 256')} || '.' || ${txt('k')} FROM n CROSS JOIN k WHERE k < 2;
      -- The heavy customer: thousands of orders, items, logins and calls.
      INSERT INTO customers VALUES (${whale}, 'whale@example.com', '(415) 299-9999', 'Whale');
      INSERT INTO orders SELECT 10000000 + i, ${whale}, 'bulk', i FROM n WHERE i <= ${WHALE_ORDERS};
      INSERT INTO order_items SELECT 10000000 + i, 10000000 + i, 'SKU-W' FROM n WHERE i <= ${WHALE_ORDERS};
      INSERT INTO logins SELECT 10000000 + i, ${whale}, '10.9.9.9' FROM n WHERE i <= ${WHALE_ORDERS / 2};
      INSERT INTO calls SELECT 10000000 + i, '+14152999999', 1 FROM n WHERE i <= ${WHALE_ORDERS / 4};
      DROP TABLE n; DROP TABLE k;
      CREATE INDEX customers_email ON customers (lower(trim(email)));
      CREATE INDEX orders_customer ON orders (customer_id);
      CREATE INDEX items_order ON order_items (order_id);
      CREATE INDEX logins_customer ON logins (customer_id);
    `);
  });
  await db.exec('ANALYZE');
  await db.close();
}

interface Res { status: number; body: any }
function post(web: WebServer, op: string, input: unknown): Promise<Res> {
  return new Promise((resolveRes, reject) => {
    // A fresh connection per poll (agent: false): a kept-alive socket would race the server's
    // keep-alive timeout after a long stall of this process (server and client share its event
    // loop), and the client would see ECONNRESET for a request the server never received.
    const req = request({
      host: '127.0.0.1', port: web.port, path: `/api/${op}`, method: 'POST', agent: false,
      headers: { host: `127.0.0.1:${web.port}`, 'content-type': 'application/json', authorization: `Bearer ${web.token}` },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolveRes({ status: res.statusCode ?? 0, body: body ? JSON.parse(body) : null }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(input));
  });
}

interface Watch { maxGapMs: number; polls: Array<{ at: number; ms: number; status: string | null }>; stop(): Promise<void> }

/**
 * What the console sees meanwhile: a poll over HTTP 20 ms after the last answer (one at a time, as
 * the case screen does every 800 ms), and the longest time the event loop went without a turn (a
 * 5 ms ticker).
 */
function watch(web: WebServer, op: string, input: unknown, statusOf: (r: Res) => string | null): Watch {
  let stopped = false;
  let last = performance.now();
  const w: Watch = { maxGapMs: 0, polls: [], stop: async () => undefined };
  const ticker = setInterval(() => { const now = performance.now(); w.maxGapMs = Math.max(w.maxGapMs, now - last); last = now; }, 5);
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      const r = await post(web, op, input);
      w.polls.push({ at: t0, ms: performance.now() - t0, status: r.status === 200 ? statusOf(r) : `http ${r.status}` });
      await new Promise((r2) => { setTimeout(r2, 20); });
    }
  })();
  w.stop = async () => { stopped = true; clearInterval(ticker); await loop; };
  return w;
}

/** Median and slowest poll, in words. */
function latency(w: Watch): string {
  const ms = w.polls.map((p) => p.ms).sort((x, y) => x - y);
  return ms.length ? `median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, slowest ${ms[ms.length - 1]!.toFixed(0)} ms` : 'no poll';
}

/** Discovery result without what differs between two cases (id, time). */
function comparable(r: DiscoveryResult | null): unknown {
  if (!r) return null;
  return { strategy: r.strategy, systems: r.systems, errors: r.errors.map((e) => e.system), collections: r.collections };
}

describe('the back end answers while long data-map work runs (SQLite, web mode)', () => {
  let dir: string;
  let app: App;
  let web: WebServer;
  let svc: DatamapService;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-responsive-'));
    for (const name of SYSTEMS) files[name] = join(dir, `${name}.sqlite`);
    const t0 = performance.now();
    await generateShop(files['shop-a']!);
    for (const name of SYSTEMS.slice(1)) copyFileSync(files['shop-a']!, files[name]!);
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>PrivacyDesk</title>');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } });
    web = await startWebServer({ backend: app, staticDir: dist, actor: 'staff:tester', port: 0 });
    svc = datamapService(app.ctx);
    for (const name of SYSTEMS) {
      expect((await post(web, 'datamap.systems.add', { name, engine: 'sqlite', location: files[name], datamap: MAP })).status).toBe(200);
    }
    console.log(`generated ${SYSTEMS.length} x ${CUSTOMERS} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 180_000);
  afterAll(async () => {
    setYieldSlice(DEFAULT_SLICE_MS);
    await web?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A phone-only access case, verified, then discovery started over HTTP and watched to the end. */
  async function discoverWatched(): Promise<{ id: string; ms: number; w: Watch; result: DiscoveryResult | null }> {
    const created = await post(web, 'cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: WHALE_PHONE } });
    expect(created.status).toBe(200);
    const id = created.body.result.id as string;
    await app.settle(id);
    expect((await post(web, 'cases.verify', { id, method: 'staff', note: 'matched 2 data points on a call-back', dataPoints: 2 })).status).toBe(200);
    await app.settle(id);
    const w = watch(web, 'cases.get', { id }, (r) => r.body.result.status as string);
    const t0 = performance.now();
    expect((await post(web, 'cases.discover', { id })).status).toBe(200);
    await app.settle(id);
    const ms = performance.now() - t0;
    await w.stop();
    const result = (await post(web, 'datamap.discovery', { id })).body.result.result as DiscoveryResult | null;
    return { id, ms, w, result };
  }

  it('answers the case screen\'s polls during a long discovery, with the same result as without yielding', async () => {
    const before = setYieldSlice(Infinity); // the old behaviour: never yield
    const off = await discoverWatched();
    setYieldSlice(before);
    const on = await discoverWatched();
    const during = (w: Watch) => w.polls.filter((p) => p.status === 'discovering');
    const report = (name: string, r: typeof on) => `${name}: discovery ${r.ms.toFixed(0)} ms, longest event-loop stall ${r.w.maxGapMs.toFixed(0)} ms, `
      + `${during(r.w).length} polls answered "discovering" (poll answered in ${latency(r.w)})`;
    console.log(report('yielding off', off));
    console.log(report('yielding on ', on));

    // Same data found, row for row (four identical systems, the heavy customer's thousands of rows).
    expect(on.result).not.toBeNull();
    const rows = on.result!.collections.reduce((n, c) => n + c.rows.length, 0);
    expect(rows).toBeGreaterThan(SYSTEMS.length * WHALE_ORDERS * 2.5);
    expect(on.result!.systems).toEqual(SYSTEMS);
    expect(on.result!.errors).toEqual([]);
    expect(comparable(on.result)).toEqual(comparable(off.result));

    // Without yielding the server is silent for the whole walk; with it the polls keep coming back
    // while the case is still discovering (the console's progress bar keeps going). Counted, not
    // timed: the times above are printed only (a loaded machine stretches them all).
    expect(during(on.w).length).toBeGreaterThanOrEqual(5);
    expect(during(on.w).length).toBeGreaterThan(during(off.w).length);
  }, 180_000);

  it('answers during a ledger replay and its batch erasure, erasing exactly what the replay without yielding erased', async () => {
    // Erased people whose rows came back: 2,000 customers by email and the heavy customer by phone,
    // in shop-a and shop-b (the other systems have no ledger entries: the replay skips them).
    const people = Array.from({ length: 2000 }, (_, k) => 1 + k * 7);
    const entries = [
      ...people.map((i) => ({ hash: app.ctx.crypto.keyedHash('email', normalizeEmail(emailOf(i))), kind: 'email' })),
      { hash: app.ctx.crypto.keyedHash('phone', '+14152999999'), kind: 'phone' },
    ];
    await svc.repo.addLedger(['shop-a', 'shop-b'].flatMap((system) => entries.map((e) => ({ ...e, system, caseId: null, erasure: 'delete' }))), new Date());

    // shop-a without yielding (the old behaviour), through the service
    const before = setYieldSlice(Infinity);
    let t0 = performance.now();
    const offW = watch(web, 'console.ops', {}, () => 'ok');
    const off = await svc.ledgerReplay('test', { system: 'shop-a' });
    const offMs = performance.now() - t0;
    await offW.stop();
    const offT0 = t0;
    const offAnsweredDuring = offW.polls.filter((p) => p.at + p.ms < offT0 + offMs - 5).length;
    setYieldSlice(before);

    // every system through the web server, yielding: shop-a has nothing left, shop-b is erased now
    t0 = performance.now();
    const onW = watch(web, 'console.ops', {}, () => 'ok');
    const replay = await post(web, 'datamap.ledger.replay', {});
    const onMs = performance.now() - t0;
    await onW.stop();
    expect(replay.status).toBe(200);
    const answeredDuring = onW.polls.filter((p) => p.at + p.ms < t0 + onMs - 5).length;
    console.log(`ledger replay without yielding (1 system): ${offMs.toFixed(0)} ms, longest stall ${offW.maxGapMs.toFixed(0)} ms; `
      + `${offAnsweredDuring} requests answered meanwhile; with yielding (2 systems, over HTTP): ${onMs.toFixed(0)} ms, longest stall ${onW.maxGapMs.toFixed(0)} ms, ${answeredDuring} requests answered meanwhile (${latency(onW)})`);

    const a = off.systems.find((s) => s.system === 'shop-a')!;
    const b = (replay.body.result.systems as typeof off.systems).find((s) => s.system === 'shop-b')!;
    const aAgain = (replay.body.result.systems as typeof off.systems).find((s) => s.system === 'shop-a')!;
    expect(a.error).toBeNull();
    expect(a.matched).toBeGreaterThan(people.length);
    expect(a.deleted).toBeGreaterThan(WHALE_ORDERS);
    expect({ ...b, system: 'shop-a' }).toEqual(a);
    expect(aAgain).toMatchObject({ error: null, deleted: 0, masked: 0 });
    expect((replay.body.result.systems as typeof off.systems).map((x) => x.system)).toEqual(['shop-a', 'shop-b']);

    // Both shops now hold exactly the same rows.
    const digest = async (file: string) => {
      const db = new SqliteDb(file, { readonly: true });
      const out: Record<string, unknown> = {};
      for (const t of MAP.collections.map((c) => c.name)) out[t] = await db.get(`SELECT count(*) AS n, total(id) AS ids FROM ${t}`);
      out.orderValues = await db.get('SELECT count(note) AS notes, total(total_cents) AS cents FROM orders');
      await db.close();
      return out;
    };
    expect(await digest(files['shop-b']!)).toEqual(await digest(files['shop-a']!));

    // Counted, not timed (the stalls above are printed only): requests were answered while the
    // yielding replay ran, more than while the one without yielding ran.
    expect(answeredDuring).toBeGreaterThanOrEqual(5);
    expect(answeredDuring).toBeGreaterThan(offAnsweredDuring);
  }, 180_000);

  it('a reader of a source whose erasure transaction yields between statements waits for the commit (never sees it half applied)', async () => {
    const file = join(dir, 'tx.sqlite');
    const setup = new SqliteDb(file);
    await setup.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
      INSERT INTO t WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000) SELECT i, 'x' || i FROM r;`);
    await setup.close();
    const src = new SqlDataSource(new SqliteDb(file));
    const before = setYieldSlice(0); // a turn after every statement: 10 chunks of 2,000 keys
    try {
      const changes = Array.from({ length: 20000 }, (_, k) => ({ collection: 't', key: { id: k + 1 }, action: 'delete' as const }));
      let committed = false;
      let readDuringTx: boolean | null = null;
      let seen: number | null = null;
      const applying = src.apply(changes).then((r) => { committed = true; return r; });
      // While the transaction is open (the event loop turns between its statements), another
      // operation reads the same source.
      const reader = (async () => {
        for (let turn = 1; turn <= 3; turn += 1) await new Promise((r) => { setImmediate(r); });
        readDuringTx = !committed;
        seen = (await src.find('t', [{ field: 'id', values: Array.from({ length: 20000 }, (_, k) => k + 1) }])).length;
      })();
      const applied = await applying;
      expect(applied).toMatchObject({ deleted: 20000, updated: 0, byCollection: { t: { deleted: 20000, updated: 0 } } });
      expect(applied.perChange!.every((n) => n === 1)).toBe(true);
      await reader;
      expect(readDuringTx).toBe(true); // the loop turned inside the transaction and the read was asked then
      expect(seen).toBe(0); // it ran after the commit: all gone, never a part
    } finally {
      setYieldSlice(before);
      await src.close();
    }
  });
});
