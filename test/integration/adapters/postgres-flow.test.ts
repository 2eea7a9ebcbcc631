// The data map on a real PostgreSQL (embedded): the demo shop's tables and rows loaded into their
// own database, the case store in another database of the same server, the whole request through
// createApp. Covers access with shared rows, delete + verify with masking that fits the column
// (NOT NULL, VARCHAR(n)), hostile identities, and ledger replay after a "restore".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';
import { DEMO_SHOP_DATA, demoShopDataMap } from '../../../shared/adapters/demo-shop';
import { PostgresDb } from '../../../shared/store/postgres-db';
import type { SqlValue } from '../../../shared/store/db';

const PG_SCHEMA = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, first_name VARCHAR(40) NOT NULL, last_name TEXT,
  birth_date TEXT, loyalty_id TEXT, created_at TEXT NOT NULL);
CREATE TABLE addresses (id INTEGER PRIMARY KEY, line1 VARCHAR(14) NOT NULL, line2 TEXT, city TEXT NOT NULL, state TEXT, postal_code VARCHAR(10) NOT NULL, country CHAR(2) NOT NULL);
CREATE TABLE customer_addresses (customer_id INTEGER NOT NULL, address_id INTEGER NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (customer_id, address_id));
CREATE TABLE payment_cards (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, card_number VARCHAR(19) NOT NULL, holder_name TEXT, expiry TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, card_id INTEGER, shipping_address_id INTEGER,
  total_cents INTEGER NOT NULL, gift_message TEXT, placed_at TEXT NOT NULL);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL);
CREATE TABLE logins (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, ip_address TEXT NOT NULL, user_agent TEXT, at TEXT NOT NULL);
CREATE TABLE marketing_consent (email TEXT PRIMARY KEY, newsletter INTEGER NOT NULL, do_not_sell INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);
CREATE TABLE support_tickets (id INTEGER PRIMARY KEY, customer_id INTEGER, email TEXT NOT NULL, subject TEXT NOT NULL, body TEXT, opened_at TEXT NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, customer_name TEXT NOT NULL, amount_cents INTEGER NOT NULL, issued_at TEXT NOT NULL);
`;

const meta = { actor: 'staff:test' };
let pg: PostgresServer;
let shopUrl: string;
let dir: string;
let app: App;
let svc: DatamapService;
let shop: PostgresDb;

async function rows(sql: string, params: SqlValue[] = []): Promise<Record<string, unknown>[]> {
  return shop.all(sql, params);
}
async function snapshot(): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of Object.keys(DEMO_SHOP_DATA)) out[t] = await rows(`SELECT * FROM ${t} ORDER BY 1, 2`);
  return JSON.stringify(out);
}
async function runCase(type: 'access' | 'delete', identities: Record<string, unknown>, strategy: 'exact' | 'connected_pii' = 'exact') {
  const c = await app.call('cases.create', { type, jurisdiction: 'CA', channel: 'staff', identities, strategy, autoApprove: true } as never, meta);
  if (type === 'delete') {
    // The shop's customers hold a government id (sensitive): a deletion needs the high level (11 CCR §7062(d)).
    const d = await app.call('declarations.store', { id: c.id, signedName: 'Test Subject', signedOn: '2026-11-23' }, meta);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation and signed declaration (test)', dataPoints: 3, declarationId: d.documentId }, meta);
  } else await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
  await app.settle(c.id);
  return svc.output(c.id);
}

beforeAll(async () => {
  pg = await startPostgres();
  const admin = new PostgresDb(pg.url);
  await admin.exec('CREATE DATABASE shop');
  await admin.close();
  shopUrl = pg.url.replace(/\/[^/]+$/u, '/shop');
  shop = new PostgresDb(shopUrl);
  await shop.exec(PG_SCHEMA);
  for (const [table, list] of Object.entries(DEMO_SHOP_DATA)) {
    for (const r of list) await shop.run(`INSERT INTO ${table} VALUES (${r.map(() => '?').join(', ')})`, r as SqlValue[]);
  }
  dir = mkdtempSync(join(tmpdir(), 'pd-adapters-pg-'));
  app = await createApp({ dataDir: dir, db: { kind: 'postgres', url: pg.url }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
  svc = datamapService(app.ctx);
  await svc.addSystem({ name: 'shop-pg', connection: { engine: 'postgres', url: shopUrl }, map: demoShopDataMap() }, 'staff:test');
}, 180_000);

afterAll(async () => {
  await app?.close();
  await shop?.close();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('data map on PostgreSQL', () => {
  it('rejects a data map naming a column the database does not have, naming it', async () => {
    const map = demoShopDataMap();
    map.collections[0]!.fields.push({ name: 'no_such_column', categories: [], primaryKey: false, references: [] });
    await expect(svc.addSystem({ name: 'bad', connection: { engine: 'postgres', url: shopUrl }, map }, 'staff:test'))
      .rejects.toThrow(/unknown column "customers\.no_such_column"/u);
    expect((await svc.systems()).map((s) => s.name)).toEqual(['shop-pg']);
  });

  it('access: Ann by phone in another format, shared home and card set aside, invoices exempt', async () => {
    const out = await runCase('access', { phone: '+1 415 555 0101' });
    // (a phone-only access case then waits in "responding" for an email address to send the report to)
    expect(out.results!['demo_shop:customers']!.map((x) => x.id)).toEqual([1]);
    expect(out.results!['demo_shop:orders']!.map((x) => x.id).sort()).toEqual([100, 101]);
    expect(out.review.map((x) => `${x.collection}:${JSON.stringify(x.primaryKey)}`).sort()).toEqual(['demo_shop:addresses:{"id":10}']); // Ann's card (20) is hers: Carol's order only points at it
    expect(out.exempt.map((x) => JSON.stringify(x.primaryKey)).sort()).toEqual(['{"id":900}', '{"id":901}']);
  });

  it('exact vs connected_pii from a loyalty id: only connected_pii reaches the rows keyed by the email it finds', async () => {
    const exact = await runCase('access', { customKeys: [{ name: 'loyalty_id', value: 'L-1001' }] }, 'exact');
    expect(exact.results!['demo_shop:customers']!.map((x) => x.id)).toEqual([1]);
    expect(exact.results!['demo_shop:marketing_consent'] ?? []).toEqual([]);
    expect(exact.results!['demo_shop:support_tickets']!.map((x) => x.id)).toEqual([700]);
    const connected = await runCase('access', { customKeys: [{ name: 'loyalty_id', value: 'L-1001' }] }, 'connected_pii');
    expect(connected.results!['demo_shop:marketing_consent']!.map((x) => x.email)).toEqual(['ann.lee@example.com']);
    expect(connected.results!['demo_shop:support_tickets']!.map((x) => x.id).sort()).toEqual([700, 701]);
  });

  it('hostile identities find and change nothing', async () => {
    const before = await snapshot();
    for (const value of ["' OR 1=1 --", "x'); DELETE FROM customers; --", '名前\u0000\u202e', 'a'.repeat(200)]) {
      const out = await runCase('delete', { customKeys: [{ name: 'loyalty_id', value }] });
      expect(out.errors).toEqual([]);
      expect(Object.values(out.changes ?? {}).every((x) => x.deleted === 0 && x.masked === 0)).toBe(true);
    }
    expect(await snapshot()).toBe(before);
  });

  it('delete: executes in one transaction, masks to values the columns accept, verifies nothing is left, replays after a restore', async () => {
    const others = async () => JSON.stringify([
      await rows('SELECT * FROM customers WHERE id <> 1 ORDER BY id'),
      await rows('SELECT * FROM orders WHERE customer_id <> 1 ORDER BY id'),
      await rows('SELECT * FROM logins WHERE customer_id <> 1 ORDER BY id'),
      await rows("SELECT * FROM marketing_consent WHERE email <> 'ann.lee@example.com' ORDER BY email"),
    ]);
    const before = await others();
    const out = await runCase('delete', { email: 'ann.lee@example.com' });
    expect(out.status).toBe('closed');
    expect(out.changes!['demo_shop:customers']).toEqual({ deleted: 1, masked: 0 });
    expect(out.changes!['demo_shop:logins']).toEqual({ deleted: 2, masked: 0 });
    expect(await rows('SELECT id FROM customers WHERE id = 1')).toEqual([]);
    // Ann's office (11) is masked; line1 is VARCHAR(14) NOT NULL: the masked value fits
    const office = (await rows('SELECT line1, postal_code FROM addresses WHERE id = 11'))[0]!;
    expect(office.line1).not.toBe('500 Howard St');
    expect(String(office.line1).length).toBeLessThanOrEqual(14);
    // the shared home (10) is untouched; Ann's own card (20) is masked although Carol's order 103
    // points at it, and Carol's order itself is left alone (others() below)
    expect(await rows('SELECT line1 FROM addresses WHERE id = 10')).toEqual([{ line1: '1 Market St' }]);
    expect(await rows('SELECT card_number FROM payment_cards WHERE id = 20')).toEqual([{ card_number: 'XXXX-XXXX-XXXX-XXXX' }]);
    expect(await others()).toBe(before);
    const audit = JSON.stringify(await app.call('cases.audit', { id: out.caseId! }, meta));
    expect(audit).toMatch(/datamap\.verified/u);
    expect(audit.toLowerCase()).not.toContain('ann.lee');

    // A restore brings Ann back; ledger replay erases her again and nobody else.
    await shop.run("INSERT INTO customers VALUES (1, 'ANN.LEE@example.com', '(415) 555-0101', 'Ann', 'Lee', NULL, 'L-1001', '2024-01-05T10:00:00Z')");
    await shop.run("INSERT INTO logins VALUES (500, 1, '203.0.113.10', 'Firefox', '2024-07-14T09:00:00Z')");
    const replay = await svc.ledgerReplay('staff:test');
    const sys = replay.systems.find((s) => s.system === 'shop-pg')!;
    expect(sys.error).toBeNull();
    expect(sys.deleted).toBeGreaterThanOrEqual(2);
    expect(await rows('SELECT id FROM customers WHERE id = 1')).toEqual([]);
    expect(await rows('SELECT id FROM logins WHERE customer_id = 1')).toEqual([]);
    expect(await others()).toBe(before);
  });
});
