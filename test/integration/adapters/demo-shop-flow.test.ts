// The data map end to end through createApp on a real SQLite case store and a real SQLite shop:
// access with shared rows and exemptions, delete / delete_pii / opt_out through the case machine,
// verification, the deletion ledger and its replay, hostile identities, a failing system.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';
import { createDemoShop, demoShopDataMap } from '../../../shared/adapters/demo-shop';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import type { Identities } from '../../../shared/domain/identity';

const meta = { actor: 'staff:test' };
let dir: string;
let app: App;
let shopFile: string;
let svc: DatamapService;

async function shopRows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const db = new SqliteDb(shopFile);
  try { return await db.all(sql, params as never[]); } finally { await db.close(); }
}
async function snapshot(): Promise<string> {
  const tables = ['customers', 'addresses', 'customer_addresses', 'payment_cards', 'orders', 'order_items', 'logins', 'marketing_consent', 'support_tickets', 'invoices'];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = await shopRows(`SELECT * FROM ${t} ORDER BY rowid`);
  return JSON.stringify(out);
}

// A deletion of rows holding sensitive personal information (the demo shop's customers hold a
// government id) needs the high level (11 CCR §7062(d)): 3 data points and a signed declaration
// stored with the case.
async function verifyHigh(id: string) {
  const d = await app.call('declarations.store', { id, signedName: 'Test Subject', signedOn: '2026-11-23' }, meta);
  await app.call('cases.verify', { id, method: 'staff', note: 'staff attestation and signed declaration (test)', dataPoints: 3, declarationId: d.documentId }, meta);
}

async function runCase(type: 'access' | 'delete' | 'delete_pii' | 'opt_out', identities: Identities, strategy: 'exact' | 'connected_pii' = 'exact') {
  const c = await app.call('cases.create', { type, jurisdiction: 'CA', channel: 'staff', identities, strategy, autoApprove: true }, meta);
  if (type === 'delete' || type === 'delete_pii') await verifyHigh(c.id);
  else await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
  await app.settle(c.id);
  return svc.output(c.id);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-adapters-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
  const shop = await datamapService(app.ctx).registerDemoShop(join(dir, 'shop'), 'staff:test');
  shopFile = shop.sqliteFile;
  svc = datamapService(app.ctx);
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('access', () => {
  it('finds Ann by email (case and spaces ignored) through every reference, flags the shared address and card, lists invoices as exempt', async () => {
    const out = await runCase('access', { email: '  ANN.LEE@example.COM' });
    expect(out.status).toBe('closed');
    const r = out.results!;
    expect(r['demo_shop:customers']!.map((x) => x.id)).toEqual([1]);
    expect(r['demo_shop:orders']!.map((x) => x.id).sort()).toEqual([100, 101]);
    expect(r['demo_shop:order_items']!.map((x) => x.id).sort()).toEqual([1000, 1001, 1002]);
    expect(r['demo_shop:logins']!.map((x) => x.id).sort()).toEqual([500, 501]);
    expect(r['demo_shop:support_tickets']!.map((x) => x.id).sort()).toEqual([700, 701]);
    expect(r['demo_shop:marketing_consent']!.map((x) => x.email)).toEqual(['ann.lee@example.com']);
    // Bob's customer row, Bob's orders and Carol's order 103 are not Ann's.
    expect(JSON.stringify(r)).not.toContain('bob.lee');
    expect(r['demo_shop:orders']!.map((x) => x.id)).not.toContain(103);
    // The shared home (Bob lives there too) goes to review. Ann's card is hers alone: Carol's order
    // 103 paid with it points at it, which makes neither the card shared nor the order Ann's.
    const review = out.review.map((x) => `${x.collection}:${JSON.stringify(x.primaryKey)}`).sort();
    expect(review).toEqual(['demo_shop:addresses:{"id":10}']);
    expect(r['demo_shop:payment_cards']!.map((x) => x.id)).toEqual([20]);
    expect(out.exempt.map((x) => JSON.stringify(x.primaryKey)).sort()).toEqual(['{"id":900}', '{"id":901}']);
    expect(out.exempt[0]!.reason).toMatch(/tax/u);
    expect(out.errors).toEqual([]);
  });

  it('phones compare in E.164 whatever the punctuation', async () => {
    const out = await runCase('access', { phone: '+14155550101' });
    expect(out.results!['demo_shop:customers']!.map((x) => x.id)).toEqual([1]);
  });

  it('connected_pii also follows identities found in reached rows', async () => {
    // By loyalty id only: exact finds the customer row; connected_pii also reaches the email-keyed rows.
    const exact = await runCase('access', { customKeys: [{ name: 'loyalty_id', value: 'L-1001' }] }, 'exact');
    expect(exact.results!['demo_shop:marketing_consent'] ?? []).toEqual([]);
    expect(exact.results!['demo_shop:support_tickets']!.map((x) => x.id)).toEqual([700]);
    const connected = await runCase('access', { customKeys: [{ name: 'loyalty_id', value: 'L-1001' }] }, 'connected_pii');
    expect(connected.results!['demo_shop:marketing_consent']!.map((x) => x.email)).toEqual(['ann.lee@example.com']);
    expect(connected.results!['demo_shop:support_tickets']!.map((x) => x.id).sort()).toEqual([700, 701]);
  });
});

describe('delete', () => {
  it('plans, executes and verifies: Ann gone, shared and exempt rows kept, nobody else touched', async () => {
    const before = await snapshot();
    const out = await runCase('delete', { email: 'ann.lee@example.com' });
    expect(out.status).toBe('closed');
    expect(out.changes!['demo_shop:customers']).toEqual({ deleted: 1, masked: 0 });
    expect(out.changes!['demo_shop:orders']).toEqual({ deleted: 0, masked: 2 });
    expect(out.changes!['demo_shop:addresses']).toEqual({ deleted: 0, masked: 1 }); // the office (11), not the shared home (10)
    expect(out.changes!['demo_shop:logins']).toEqual({ deleted: 2, masked: 0 });
    expect(await shopRows('SELECT id FROM customers ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }]);
    expect(await shopRows('SELECT id FROM logins WHERE customer_id = 1')).toEqual([]);
    // masked orders keep their keys and totals are masked to a valid number (NOT NULL)
    const orders = await shopRows('SELECT id, customer_id, total_cents, gift_message FROM orders WHERE id IN (100, 101) ORDER BY id');
    expect(orders).toEqual([{ id: 100, customer_id: 1, total_cents: 0, gift_message: null }, { id: 101, customer_id: 1, total_cents: 0, gift_message: null }]);
    expect(await shopRows('SELECT line1, city FROM addresses WHERE id = 10')).toEqual([{ line1: '1 Market St', city: 'San Francisco' }]);
    expect((await shopRows('SELECT line1 FROM addresses WHERE id = 11'))[0]!.line1).not.toBe('500 Howard St');
    // shared rows and exempt invoices are still there
    expect(await shopRows('SELECT id FROM addresses WHERE id = 10')).toHaveLength(1);
    expect(await shopRows('SELECT id FROM payment_cards WHERE id = 20')).toHaveLength(1);
    expect(await shopRows('SELECT customer_name FROM invoices WHERE id IN (900, 901)')).toEqual([{ customer_name: 'Ann Lee' }, { customer_name: 'Ann Lee' }]);
    // Bob, Carol and Dave unchanged
    const after = JSON.parse(await snapshot()) as Record<string, Array<Record<string, unknown>>>;
    const b = JSON.parse(before) as Record<string, Array<Record<string, unknown>>>;
    for (const t of ['customers', 'logins', 'orders', 'support_tickets']) {
      const others = (rows: Array<Record<string, unknown>>) => rows.filter((x) => x.customer_id !== undefined ? x.customer_id !== 1 : x.id !== 1);
      expect(others(after[t]!)).toEqual(others(b[t]!).filter((x) => !(t === 'support_tickets' && x.id === 701)));
    }
    // audit: counts only, no identity
    const audit = await app.call('cases.audit', { id: out.caseId! }, meta);
    const text = JSON.stringify(audit);
    expect(text).toContain('datamap.executed');
    expect(text).toContain('datamap.verified');
    expect(text.toLowerCase()).not.toContain('ann.lee');
  });

  it('a deletion touching sensitive data verified only to the reasonable level does not execute, and says why', async () => {
    const before = await snapshot();
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { email: 'ann.lee@example.com' }, autoApprove: true }, meta);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
    await app.settle(c.id);
    expect(await app.call('cases.get', { id: c.id }, meta)).toMatchObject({ status: 'in_review', requiredLevel: 'high', verification: { level: 'reasonable' } });
    await expect(app.call('cases.approve', { id: c.id }, meta)).rejects.toThrow(/sensitive personal information.*needs the high level/u);
    expect(await snapshot()).toBe(before);
    const audit = JSON.stringify(await app.call('cases.audit', { id: c.id }, meta));
    expect(audit).not.toContain('datamap.executed');
  });

  it('delete_pii masks only the chosen categories and keeps the rows', async () => {
    const c = await app.call('cases.create', { type: 'delete_pii', jurisdiction: 'CA', channel: 'staff', identities: { email: 'carol.diaz@example.net' }, autoApprove: true }, meta);
    await svc.setOptions(c.id, { categories: ['user.device'] });
    await verifyHigh(c.id);
    await app.settle(c.id);
    const out = await svc.output(c.id);
    expect(out.changes!['demo_shop:logins']).toEqual({ deleted: 0, masked: 1 });
    const login = await shopRows('SELECT ip_address, user_agent, at FROM logins WHERE id = 503');
    expect(login[0]!.ip_address).not.toBe('192.0.2.44'); // NOT NULL column: a valid masked value
    expect(login[0]!.user_agent).toBeNull();
    expect(login[0]!.at).toBe('2024-08-02T11:40:00Z'); // behaviour, not a device category
    expect(await shopRows('SELECT email FROM customers WHERE id = 3')).toEqual([{ email: 'carol.diaz@example.net' }]);
  });

  it('opt_out sets the flag where the data map has one and changes nothing else', async () => {
    const out = await runCase('opt_out', { email: 'bob.lee@example.com' });
    expect(out.status).toBe('closed');
    expect(await shopRows('SELECT email, do_not_sell FROM marketing_consent ORDER BY email')).toEqual([
      { email: 'ann.lee@example.com', do_not_sell: 0 }, { email: 'bob.lee@example.com', do_not_sell: 1 },
      { email: 'carol.diaz@example.net', do_not_sell: 0 }, { email: "dave.o'brien@example.org", do_not_sell: 0 },
    ]);
    expect(await shopRows('SELECT id FROM customers WHERE id = 2')).toHaveLength(1);
  });

  it('a legal hold on the system keeps everything and lists it as exempt', async () => {
    await svc.addSystem({ name: 'demo-shop', connection: { engine: 'sqlite', file: shopFile }, map: demoShopDataMap(), legalHold: 'litigation hold 2026-07' }, 'staff:test');
    const before = await snapshot();
    const out = await runCase('delete', { email: 'dave.o\'brien@example.org' });
    expect(await snapshot()).toBe(before);
    expect(out.exempt.length).toBeGreaterThan(0);
    expect(out.exempt.every((e) => /litigation hold/u.test(e.reason))).toBe(true);
  });
});

describe('hostile identities change nothing', () => {
  it.each([
    ["' OR 1=1 --"],
    ['x@example.com\' OR \'1\'=\'1'],
    ['"; DROP TABLE customers; --@example.com'],
    ['ünïcødé.名前@例え.jp'],
    [`${'a'.repeat(5000)}@example.com`],
  ])('delete by %#', async (email) => {
    const before = await snapshot();
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { customKeys: [{ name: 'loyalty_id', value: email.slice(0, 200) }] }, autoApprove: true }, meta);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
    await app.settle(c.id);
    const dry = await svc.dryRun({ email: email.length > 254 ? undefined : email, customKeys: [{ name: 'loyalty_id', value: email }] } as Identities, 'delete', 'connected_pii', {});
    expect(dry.errors).toEqual([]);
    expect(Object.values(dry.changes!).every((x) => x.deleted === 0 && x.masked === 0)).toBe(true);
    expect(await snapshot()).toBe(before);
  });
});

describe('failing system', () => {
  it('records the error per system, keeps the other results, and a retry re-queries only the failed one', async () => {
    const other = await createDemoShop(join(dir, 'other'));
    await svc.addSystem({ name: 'other-shop', connection: { engine: 'sqlite', file: other.sqliteFile }, map: { ...demoShopDataMap(), dataset: 'other_shop' } }, 'staff:test');
    unlinkSync(other.sqliteFile);
    const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'staff', identities: { email: 'ann.lee@example.com' }, autoApprove: true }, meta);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
    await app.settle(c.id);
    const out = await svc.output(c.id);
    expect(out.errors).toEqual([{ system: 'other-shop', error: expect.stringContaining('not found') }]);
    expect(out.results!['demo_shop:customers']!.map((x) => x.id)).toEqual([1]);
    expect(out.status).not.toBe('closed');
    // bring it back and retry discovery: only the failed system is queried again
    await createDemoShop(join(dir, 'other'));
    await svc.discoverCase(c.id);
    const again = await svc.output(c.id);
    expect(again.errors).toEqual([]);
    expect(again.results!['other_shop:customers']!.map((x) => x.id)).toEqual([1]);
    expect(again.results!['demo_shop:customers']!.map((x) => x.id)).toEqual([1]);
  });
});

describe('deletion ledger', () => {
  it('keeps keyed hashes only, and replay erases rows that came back from a restore', async () => {
    await runCase('delete', { email: 'ann.lee@example.com' });
    const ledger = await svc.repo.ledger();
    expect(ledger.length).toBeGreaterThan(0);
    expect(JSON.stringify(ledger).toLowerCase()).not.toContain('ann');
    // a nightly re-import brings Ann back
    const db = new SqliteDb(shopFile);
    await db.run("INSERT INTO customers VALUES (1, 'ann.lee@example.com', '+14155550101', 'Ann', 'Lee', NULL, 'L-1001', '2024-01-05T10:00:00Z')");
    await db.run("INSERT INTO logins VALUES (501, 1, '203.0.113.11', 'Safari', '2024-07-15T11:58:00Z')");
    await db.close();
    const r = await svc.ledgerReplay('staff:test');
    const sys = r.systems.find((s) => s.system === 'demo-shop')!;
    expect(sys.error).toBeNull();
    expect(sys.matched).toBeGreaterThan(0);
    expect(sys.deleted).toBeGreaterThanOrEqual(2);
    expect(await shopRows('SELECT id FROM customers ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }]);
    expect(await shopRows('SELECT id FROM logins WHERE customer_id = 1')).toEqual([]);
    // nothing more to do the second time
    const again = await svc.ledgerReplay('staff:test');
    expect(again.systems.find((s) => s.system === 'demo-shop')!.deleted).toBe(0);
  });
});
