// PII discovery from the console's ops (datamap.piiDiscovery.start / status / save) through createApp
// on a real SQLite case store: a SQLite file nobody has mapped (PII hidden behind neutral column
// names, found by sampled values) and the demo shop with a column added after it was mapped. The
// draft says per field what is proposed and why; sampled values appear nowhere (results, audit
// log); the reviewed draft is saved as the system's map (validated against the live schema) and
// then finds people; every run and save is audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp, type App } from '../../../shared/app/app';
import { ApiInputError, ApiNotFoundError, ApiStateError } from '../../../shared/app/api';
import type { PiiRunView } from '../../../shared/app/contract/datamap';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';

const meta = { actor: 'staff:test' };
let dir: string;
let app: App;

// Values that must never leave the discovery run.
const EMAILS = ['zoe.quinn@example.com', 'yan.ito@example.org', 'xavi.ruiz@example.net', 'will.park@example.com', 'vera.nash@example.com'];
const PHONES = ['+1 415 555 0171', '(415) 555-0172', '415.555.0173', '+14155550174', '415-555-0175'];
const CARDS = ['4111 1111 1111 1111', '5500-0000-0000-0004', '340000000000009', '6011000000000004', '4012888888881881'];
const NAMES = ['Zoe Quinn', 'Yan Ito', 'Xavi Ruiz', 'Will Park', 'Vera Nash'];

function makeUnmappedDb(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE members (member_no INTEGER PRIMARY KEY, contact TEXT, reach TEXT, pay_ref TEXT, full_name TEXT, notes TEXT, joined TEXT);
    CREATE TABLE visits (id INTEGER PRIMARY KEY, member_id INTEGER, room TEXT, at TEXT);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
  `);
  const ins = db.prepare('INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?)');
  EMAILS.forEach((e, i) => ins.run(i + 1, e, PHONES[i], CARDS[i], NAMES[i], `likes room ${i}`, '2025-01-0' + String(i + 1)));
  const v = db.prepare('INSERT INTO visits VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 10; i += 1) v.run(i + 1, (i % 5) + 1, `R${i}`, '2025-02-01');
  db.prepare('INSERT INTO settings VALUES (?, ?)').run('theme', 'dark');
  db.close();
}

async function auditText(): Promise<string> {
  const rows = await app.ctx.db.all<{ action: string; actor: string; detail: string }>('SELECT action, actor, detail FROM audit_log ORDER BY seq');
  return JSON.stringify(rows);
}
async function auditActions(prefix: string): Promise<Array<{ action: string; actor: string; detail: Record<string, unknown> }>> {
  const rows = await app.ctx.db.all<{ action: string; actor: string; detail: string }>('SELECT action, actor, detail FROM audit_log ORDER BY seq');
  return rows.filter((r) => r.action.startsWith(prefix)).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
function field(run: PiiRunView, collection: string, name: string) {
  const f = run.draft!.collections.find((c) => c.name === collection)?.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no ${collection}.${name} in the draft`);
  return f;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-pii-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PII discovery of a database nobody has mapped (an entered SQLite file)', () => {
  it('reports progress, proposes categories with the reason, never returns or audits a sampled value, and saves the reviewed draft as a new system', async () => {
    const file = join(dir, 'club.sqlite');
    makeUnmappedDb(file);
    const started = await app.call('datamap.piiDiscovery.start', { engine: 'sqlite', location: file, sampleSize: 50 }, meta);
    expect(started.system).toBeNull();
    expect(started.label).toBe('SQLite file club.sqlite');
    expect(['running', 'done']).toContain(started.state);
    let run = started;
    for (let i = 0; i < 200 && run.state === 'running'; i += 1) {
      await new Promise((r) => setTimeout(r, 10));
      run = (await app.call('datamap.piiDiscovery.status', { runId: started.runId }, meta)).run!;
    }
    expect(run.state).toBe('done');
    expect(run.progress).toEqual({ done: 13, total: 13, collection: 'visits' });
    expect(run.draft!.totals).toMatchObject({ collections: 3, columns: 13 });

    // Found by sampled values behind neutral names
    expect(field(run, 'members', 'contact')).toMatchObject({ proposed: { categories: ['user.contact.email'], identity: 'email' }, basis: 'values', nameRule: null, valueCheck: { kind: 'email', share: 1, sampled: 5 }, current: null });
    expect(field(run, 'members', 'contact').why).toBe('100 % of 5 sampled values are email addresses');
    expect(field(run, 'members', 'reach')).toMatchObject({ proposed: { categories: ['user.contact.phone_number'], identity: 'phone' }, basis: 'values' });
    expect(field(run, 'members', 'pay_ref')).toMatchObject({ proposed: { categories: ['user.financial.credit_card'], identity: null }, basis: 'values' });
    expect(field(run, 'members', 'pay_ref').why).toMatch(/card numbers passing the Luhn check/u);
    // Found by the column-name rule
    expect(field(run, 'members', 'full_name')).toMatchObject({ proposed: { categories: ['user.name'] }, basis: 'name', nameRule: 'user.name' });
    expect(field(run, 'members', 'full_name').why).toBe('column name matches the rule for user.name');
    expect(field(run, 'visits', 'member_id')).toMatchObject({ proposed: { categories: ['user.unique_id'] }, references: [{ collection: 'members', field: 'member_no' }] });
    // Nothing proposed, with the reason
    expect(field(run, 'members', 'notes')).toMatchObject({ proposed: null, basis: 'none' });
    expect(field(run, 'members', 'notes').why).toMatch(/^no column-name rule matched; no value check passed for 60 % of 5 sampled values$/u);

    // No sampled value anywhere in what the API returns or the audit log holds
    const out = JSON.stringify(run);
    for (const v of [...EMAILS, ...PHONES, ...CARDS, ...NAMES]) expect(out).not.toContain(v);

    // Save needs a name; an unknown field is refused, naming it
    await expect(app.call('datamap.piiDiscovery.save', { runId: run.runId }, meta)).rejects.toThrow(ApiInputError);
    await expect(app.call('datamap.piiDiscovery.save', { runId: run.runId, system: 'club', fields: [{ collection: 'members', field: 'nope', decision: 'accept' }] }, meta))
      .rejects.toThrow(/members\.nope is not in the draft/u);
    await expect(app.call('datamap.piiDiscovery.save', { runId: run.runId, system: 'club', fields: [{ collection: 'members', field: 'notes', decision: 'change' }] }, meta))
      .rejects.toThrow(/categories/u);

    // Review: accept most, change notes (free text staff know to hold health notes), reject pay_ref
    const saved = await app.call('datamap.piiDiscovery.save', {
      runId: run.runId, system: 'club',
      fields: [
        { collection: 'members', field: 'contact', decision: 'accept' },
        { collection: 'members', field: 'notes', decision: 'change', categories: ['user.health_and_medical'], identity: null },
        { collection: 'members', field: 'pay_ref', decision: 'reject' },
      ],
    }, meta);
    expect(saved).toMatchObject({ changed: 1, rejected: 1 });
    expect(saved.accepted).toBe(11 - 2); // the fields of members and visits; settings is left out: nothing personal in it
    const map = saved.system.map;
    expect(saved.system).toMatchObject({ name: 'club', engine: 'sqlite', dataset: 'club', legalHold: null });
    expect(map.collections.map((c) => c.name)).toEqual(['members', 'visits']);
    const members = map.collections[0]!;
    const f = (n: string) => members.fields.find((x) => x.name === n)!;
    expect(f('contact')).toMatchObject({ categories: ['user.contact.email'], identity: 'email' });
    expect(f('reach')).toMatchObject({ categories: ['user.contact.phone_number'], identity: 'phone' });
    expect(f('notes').categories).toEqual(['user.health_and_medical']);
    expect(f('notes').identity).toBeUndefined();
    expect(f('pay_ref').categories).toEqual(['system.operations']);
    expect(f('member_no')).toMatchObject({ primaryKey: true });
    expect(map.collections[1]!.fields.find((x) => x.name === 'member_id')!.references).toEqual([{ collection: 'members', field: 'member_no', direction: 'from' }]);
    expect((await app.call('datamap.systems', {}, meta)).systems.map((s) => s.name)).toContain('club');
    // A name that is taken is refused
    await expect(app.call('datamap.piiDiscovery.save', { runId: run.runId, system: 'club', fields: [] }, meta)).rejects.toThrow(/already registered/u);

    // The saved map finds a person by the email found behind "contact", and their visits through the guessed reference
    const svc = datamapService(app.ctx);
    const access = await svc.dryRun({ email: 'WILL.PARK@example.com' }, 'access', 'exact', {});
    expect(access.errors).toEqual([]);
    expect(access.results!['club:members']!.map((r) => r.member_no)).toEqual([4]);
    expect(access.results!['club:visits']!.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual([4, 9]);

    // Audited: start, end and save, with names and counts only
    const audit = await auditActions('datamap.pii_discovery.');
    expect(audit.map((a) => a.action)).toEqual(['datamap.pii_discovery.started', 'datamap.pii_discovery.completed', 'datamap.pii_discovery.saved']);
    expect(audit.every((a) => a.actor === 'staff:test')).toBe(true);
    expect(audit[0]!.detail).toEqual({ runId: run.runId, system: null, engine: 'sqlite', sampleSize: 50 });
    expect(audit[1]!.detail).toMatchObject({ runId: run.runId, collections: 3, columns: 13, proposed: 5, byName: 2, byValues: 3 });
    expect(audit[2]!.detail).toMatchObject({ runId: run.runId, system: 'club', changed: 1, rejected: 1 });
    const all = await auditText();
    for (const v of [...EMAILS, ...PHONES, ...CARDS, ...NAMES, file]) expect(all).not.toContain(v);
    expect((await app.call('audit.verify', {}, meta)).ok).toBe(true);
  });

  it('refuses a save the live schema no longer matches, naming the column', async () => {
    const file = join(dir, 'club.sqlite');
    makeUnmappedDb(file);
    const run = await app.call('datamap.piiDiscovery.start', { engine: 'sqlite', location: file, wait: true }, meta);
    expect(run.state).toBe('done');
    const db = new Database(file);
    db.exec('ALTER TABLE members DROP COLUMN reach');
    db.close();
    await expect(app.call('datamap.piiDiscovery.save', { runId: run.runId, system: 'club', fields: [] }, meta)).rejects.toThrow(/unknown column "members\.reach"/u);
    expect((await app.call('datamap.systems', {}, meta)).systems.map((s) => s.name)).not.toContain('club');
  });

  it('refuses bad starts and unknown runs with the API error types', async () => {
    await expect(app.call('datamap.piiDiscovery.start', { engine: 'sqlite', location: join(dir, 'missing.sqlite') }, meta)).rejects.toThrow(/location: SQLite file not found/u);
    await expect(app.call('datamap.piiDiscovery.start', { system: 'nope' }, meta)).rejects.toThrow(ApiNotFoundError);
    await expect(app.call('datamap.piiDiscovery.start', { system: 'x', engine: 'sqlite', location: 'a' } as never, meta)).rejects.toThrow(/system: give a registered system or a connection/u);
    await expect(app.call('datamap.piiDiscovery.start', {} as never, meta)).rejects.toThrow(/engine/u);
    await expect(app.call('datamap.piiDiscovery.status', { runId: 'nope' }, meta)).rejects.toThrow(ApiNotFoundError);
    await expect(app.call('datamap.piiDiscovery.save', { runId: 'nope', fields: [] }, meta)).rejects.toThrow(ApiNotFoundError);
    expect((await app.call('datamap.piiDiscovery.status', {}, meta)).run).toBeNull();
  });

  it('a failed run is reported (driver message masked) and audited; it has no draft to save', async () => {
    // A file that opens (its schema page is intact) but whose table b is damaged: sampling b fails.
    const file = join(dir, 'damaged.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE a (id INTEGER PRIMARY KEY, contact TEXT); CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)');
    db.prepare('INSERT INTO b VALUES (1, ?)').run('zoe.quinn@example.com');
    db.close();
    const bytes = readFileSync(file);
    const page = bytes.readUInt16BE(16);
    bytes.fill(0xff, page * 2, page * 3); // page 3: the root of table b
    writeFileSync(file, bytes);
    const started = await app.call('datamap.piiDiscovery.start', { engine: 'sqlite', location: file }, meta);
    let r = started;
    for (let i = 0; i < 200 && r.state === 'running'; i += 1) { await new Promise((x) => setTimeout(x, 10)); r = (await app.call('datamap.piiDiscovery.status', {}, meta)).run!; }
    expect(r.runId).toBe(started.runId);
    expect(r.state).toBe('failed');
    expect(r.error).toMatch(/malformed/u);
    expect(r.draft).toBeNull();
    expect(r.finishedAt).toBeTruthy();
    await expect(app.call('datamap.piiDiscovery.save', { runId: r.runId, system: 'club', fields: [] }, meta)).rejects.toThrow(ApiStateError);
    const failed = await auditActions('datamap.pii_discovery.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatchObject({ runId: r.runId, system: null, engine: 'sqlite' });
    expect(await auditText()).not.toContain('zoe.quinn');
  });

  it('a file that is not a database is refused at start, naming the location', async () => {
    const file = join(dir, 'not-a-db.sqlite');
    writeFileSync(file, 'this is not a SQLite database, it only has the name of one '.repeat(40));
    await expect(app.call('datamap.piiDiscovery.start', { engine: 'sqlite', location: file }, meta)).rejects.toThrow(/^location: file is not a database/u);
    expect(await auditActions('datamap.pii_discovery.')).toEqual([]);
  });
});

describe('PII discovery of the demo shop (a registered system) with a column added after it was mapped', () => {
  it('proposes the unmapped column, compares with the current map, and saves while keeping the map\'s settings', async () => {
    const shop = await datamapService(app.ctx).registerDemoShop(join(dir, 'shop'), 'staff:test');
    const db = new Database(shop.sqliteFile);
    db.exec('ALTER TABLE support_tickets ADD COLUMN reply_to TEXT');
    db.prepare('UPDATE support_tickets SET reply_to = email').run();
    db.close();
    await app.call('datamap.systems.hold', { name: 'demo-shop', reason: 'litigation 2026-07' }, meta);
    const before = (await app.call('datamap.systems', {}, meta)).systems.find((s) => s.name === 'demo-shop')!;

    const run = await app.call('datamap.piiDiscovery.start', { system: 'demo-shop', wait: true }, meta);
    expect(run).toMatchObject({ state: 'done', system: 'demo-shop', engine: 'sqlite', label: 'demo-shop' });
    expect(run.draft!.dataset).toBe('demo_shop');
    expect(run.draft!.collections.every((c) => c.mapped)).toBe(true);
    expect(field(run, 'customers', 'email')).toMatchObject({ proposed: { categories: ['user.contact.email'], identity: 'email' }, basis: 'name+values', current: { categories: ['user.contact.email'], identity: 'email' } });
    expect(field(run, 'customers', 'email').why).toMatch(/^column name matches the rule for user\.contact\.email; \d+ % of \d+ sampled values are email addresses$/u);
    expect(field(run, 'customers', 'phone')).toMatchObject({ proposed: { categories: ['user.contact.phone_number'], identity: 'phone' }, current: { identity: 'phone' } });
    expect(field(run, 'payment_cards', 'card_number')).toMatchObject({ proposed: { categories: ['user.financial.credit_card'] }, basis: 'name+values' });
    expect(field(run, 'support_tickets', 'reply_to')).toMatchObject({ proposed: { categories: ['user.contact.email'], identity: 'email' }, basis: 'values', current: null });
    expect(field(run, 'customers', 'loyalty_id')).toMatchObject({ current: { categories: ['user.unique_id'], identity: 'loyalty_id' } });
    expect(run.draft!.totals.differing).toBeGreaterThanOrEqual(1);
    const out = JSON.stringify(run);
    for (const v of ['ann.lee@example.com', 'Ann.Lee@Example.com', '(415) 555-0101', 'L-1001', '1 Market St', 'bob.lee']) expect(out).not.toContain(v);

    // Keep every mapped field as it is, accept the new column; change one mapped field
    const decisions = run.draft!.collections.flatMap((c) => c.fields.map((f) => ({ collection: c.name, field: f.name, decision: (f.current ? 'reject' : 'accept') as 'accept' | 'reject' })));
    const gift = decisions.find((d) => d.collection === 'orders' && d.field === 'gift_message')!;
    Object.assign(gift, { decision: 'change', categories: ['user.content.private'] });
    const saved = await app.call('datamap.piiDiscovery.save', { runId: run.runId, fields: decisions }, meta);
    expect(saved).toMatchObject({ accepted: 1, changed: 1 });
    const after = saved.system;
    expect(after.legalHold).toBe('litigation 2026-07');
    expect(after.map.collections.map((c) => c.name)).toEqual(before.map.collections.map((c) => c.name));
    for (const c of before.map.collections) {
      const a = after.map.collections.find((x) => x.name === c.name)!;
      expect({ ...a, fields: undefined }).toEqual({ ...c, fields: undefined }); // erasure, retention, opt-out kept
      for (const f of c.fields) {
        const af = a.fields.find((x) => x.name === f.name)!;
        if (c.name === 'orders' && f.name === 'gift_message') expect(af.categories).toEqual(['user.content.private']);
        else expect(af).toEqual(f); // masking, address parts, references, identities kept
      }
    }
    const tickets = after.map.collections.find((c) => c.name === 'support_tickets')!;
    expect(tickets.fields.at(-1)).toMatchObject({ name: 'reply_to', categories: ['user.contact.email'], identity: 'email' });
    expect(run.draft!.collections.find((c) => c.name === 'support_tickets')!.fields.find((f) => f.name === 'reply_to')!.current).toBeNull();

    // The saved map still finds Ann (and now also by the new column); the review list is unchanged
    await app.call('datamap.systems.hold', { name: 'demo-shop', reason: null }, meta);
    const svc = datamapService(app.ctx);
    const access = await svc.dryRun({ email: 'ann.lee@example.com' }, 'access', 'exact', {});
    expect(access.errors).toEqual([]);
    expect(access.results!['demo_shop:customers']!.map((r) => r.id)).toEqual([1]);
    expect(access.review.map((x) => `${x.collection}:${JSON.stringify(x.primaryKey)}`).sort()).toEqual(['demo_shop:addresses:{"id":10}']);

    const status = await app.call('datamap.piiDiscovery.status', { runId: run.runId }, meta);
    expect(status.run).toMatchObject({ savedAs: 'demo-shop' });
    expect(status.run!.savedAt).toBeTruthy();
    // Saving a registered system's draft under another name is refused
    await expect(app.call('datamap.piiDiscovery.save', { runId: run.runId, system: 'other', fields: [] }, meta)).rejects.toThrow(/this draft is of system demo-shop/u);
    const audit = await auditActions('datamap.');
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['datamap.pii_discovery.started', 'datamap.pii_discovery.completed', 'datamap.pii_discovery.saved', 'datamap.system.registered']));
    const all = await auditText();
    for (const v of ['ann.lee', 'Ann.Lee', '555-0101', 'L-1001']) expect(all).not.toContain(v);
  });
});
