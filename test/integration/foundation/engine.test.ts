// The case engine through the app API, on both case stores for real: SQLite and PostgreSQL
// (embedded, started by the test). Effects are the product's defaults (no data systems
// registered; the response effects write .eml files to the outbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import { ApiInputError, ApiStateError } from '../../../shared/app/api';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const staff = { actor: 'staff:ana' };
let t = Date.parse('2026-11-23T17:00:00Z');
const clock = () => new Date(t);

function suite(name: string, config: () => AppConfig) {
  describe(`case engine on ${name}`, () => {
    let app: App;
    beforeAll(async () => { app = await createApp(config(), { clock }); });
    afterAll(async () => { await app?.close(); });

    it('works a deletion from intake to closed, every step audited', async () => {
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'Engine.Person@example.com', phone: '+1 415 555 0199' } }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('verifying');
      await expect(app.call('cases.approve', { id: c.id }, staff)).rejects.toBeInstanceOf(ApiStateError);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'email and phone matched', dataPoints: 2 }, staff);
      await app.call('cases.discover', { id: c.id }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('in_review');
      await app.call('cases.approve', { id: c.id }, staff);
      await app.settle(c.id);
      const done = await app.call('cases.get', { id: c.id }, staff);
      expect(done.status).toBe('closed');
      expect(done.closedAt).not.toBeNull();
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      const actions = audit.map((e) => e.action);
      for (const a of ['case.created', 'case.verify', 'case.discover', 'case.approve', 'step.completed', 'message.sent']) expect(actions).toContain(a);
      expect(audit.filter((e) => e.action === 'case.status').map((e) => (e.detail as { to: string }).to))
        .toEqual(['verifying', 'verified', 'discovering', 'in_review', 'executing', 'checking', 'responding', 'closed']);
      expect(JSON.stringify(audit)).not.toMatch(/engine\.person|555.?0199/iu);
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
    });

    it('finds a case by identity through the keyed hash, and by id', async () => {
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'VA', identities: { email: 'find.me@example.org' } }, staff);
      await app.settle(c.id);
      const byEmail = await app.call('cases.list', { search: '  FIND.ME@example.org ' }, staff);
      expect(byEmail.items.map((x) => x.id)).toEqual([c.id]);
      const byId = await app.call('cases.list', { search: c.id.slice(0, 12) }, staff);
      expect(byId.items.map((x) => x.id)).toContain(c.id);
      expect((await app.call('cases.list', { search: 'nobody@example.org' }, staff)).items).toEqual([]);
    });

    it('rejects bad input naming the field, and writes nothing', async () => {
      const before = (await app.call('cases.list', { limit: 1000 }, staff)).total;
      await expect(app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: "x' OR 1=1 --" } }, staff)).rejects.toThrow(/identities\.email/u);
      await expect(app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: {} }, staff)).rejects.toBeInstanceOf(ApiInputError);
      await expect(app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'a@example.com' }, receivedAt: '2099-01-01T00:00:00Z' }, staff)).rejects.toThrow(/receivedAt/u);
      await expect(app.callUnknown('cases.nope', {}, staff)).rejects.toThrow(/unknown operation/u);
      expect((await app.call('cases.list', { limit: 1000 }, staff)).total).toBe(before);
    });

    it('reveals identities only on purpose, and audits the reveal', async () => {
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'reveal@example.com', name: 'Rita Reveal' } }, staff);
      expect(c.identitiesMasked.email).toBe('r***@example.com');
      const plain = await app.call('cases.revealIdentities', { id: c.id, reason: 'call back the consumer' }, staff);
      expect(plain).toMatchObject({ email: 'reveal@example.com', name: 'Rita Reveal' });
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      expect(audit.find((e) => e.action === 'identities.revealed')).toMatchObject({ actor: 'staff:ana', detail: { reason: 'call back the consumer' } });
    });

    it('EU: waiting for the consumer stops the clock; the extension adds two months', async () => {
      t = Date.parse('2027-01-29T10:00:00Z');
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'EU', identities: { email: 'eu.person@example.eu' } }, staff);
      await app.settle(c.id);
      expect(c.deadlines.respond).toBe('2027-02-28');
      await app.call('cases.hold', { id: c.id, reason: 'awaiting_consumer', note: 'asked for the order number' }, staff);
      t = Date.parse('2027-02-08T10:00:00Z');
      const held = await app.call('cases.get', { id: c.id }, staff);
      expect(held.status).toBe('on_hold');
      expect(held.deadlines.paused).toBe(true);
      const resumed = await app.call('cases.resume', { id: c.id }, staff);
      expect(resumed.status).toBe('verifying');
      expect(resumed.deadlines.respond > '2027-02-28').toBe(true);
      const ext = await app.call('cases.extend', { id: c.id, reason: 'complex request across many systems' }, staff);
      expect(ext.extended).toBe(true);
      await expect(app.call('cases.extend', { id: c.id, reason: 'again' }, staff)).rejects.toThrow(/extend/iu);
    });

    it('an opt-out is applied without verification and closed', async () => {
      const c = await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', channel: 'gpc', identities: { email: 'gpc@example.com' } }, staff);
      await app.settle(c.id);
      const v = await app.call('cases.get', { id: c.id }, staff);
      expect(v.status).toBe('closed');
      expect(v.verification.level).toBe('none');
      expect(v.deadlines.acknowledge).toBeNull();
    });

    it('purges PII after 24 months and keeps the audit skeleton', async () => {
      t = Date.parse('2027-03-01T10:00:00Z');
      const c = await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', identities: { email: 'old.record@example.com' } }, staff);
      await app.settle(c.id);
      t = Date.parse('2027-05-15T10:00:00Z');
      const recent = await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', identities: { email: 'recent.record@example.com' } }, staff);
      await app.settle(recent.id);
      // The other records that hold the person's data or a keyed hash of it.
      await app.ctx.db.run('INSERT INTO datamap_discoveries (case_id, result, rows_found, review, exempt, errors, at) VALUES (?, ?, 1, 0, 0, 0, ?) ON CONFLICT (case_id) DO NOTHING',
        [c.id, new Uint8Array([1, 2, 3]), new Date(t).toISOString()]);
      await app.ctx.db.run("INSERT INTO verification_codes (id, case_id, code_hash, recipient_hash, status, created_at, expires_at) VALUES ('code-1', ?, 'h', 'r', 'expired', ?, ?)",
        [c.id, new Date(t).toISOString(), new Date(t).toISOString()]);
      const outboxOf = async (id: string) => (await app.ctx.db.all<{ provider_message_id: string }>(
        "SELECT provider_message_id FROM messages WHERE case_id = ? AND provider = 'outbox' AND provider_message_id IS NOT NULL", [id]))
        .map((m) => m.provider_message_id.slice('outbox-'.length));
      const outboxDir = join(config().dataDir, 'outbox');
      const outboxFiles = () => (existsSync(outboxDir) ? readdirSync(outboxDir) : []);
      const oldMail = await outboxOf(c.id);
      const recentMail = await outboxOf(recent.id);
      expect(oldMail.length + recentMail.length).toBeGreaterThan(0);
      const before = await app.call('cases.audit', { id: c.id }, staff);
      // 25 months after the first case closed, 22.5 after the second.
      t = Date.parse('2029-04-01T10:00:00Z');
      const r = await app.call('retention.purge', {}, staff);
      expect(r.before).toBe('2027-04-01T10:00:00.000Z'); // 24 calendar months before now
      expect(r.purged).toBeGreaterThanOrEqual(1);
      await expect(app.call('cases.revealIdentities', { id: c.id, reason: 'audit' }, staff)).rejects.toThrow(/purged/u);
      expect((await app.call('cases.list', { search: 'old.record@example.com' }, staff)).items).toEqual([]);
      const after = await app.call('cases.audit', { id: c.id }, staff);
      // The skeleton stays: every entry the case had, plus one saying its PII was purged, by whom.
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.slice(before.length).map((e) => [e.action, e.actor, e.detail])).toEqual([
        ['case.pii_purged', 'staff:ana', { cutoff: '2027-04-01T10:00:00.000Z', months: 24,
          removed: { discoveries: 1, verificationCodes: 1, messages: oldMail.length, reportLinks: 0, messageBodies: oldMail.length } }],
      ]);
      expect(await app.ctx.db.get('SELECT case_id FROM datamap_discoveries WHERE case_id = ?', [c.id])).toBeUndefined();
      expect(await app.ctx.db.get('SELECT id FROM verification_codes WHERE case_id = ?', [c.id])).toBeUndefined();
      expect(await app.ctx.db.all('SELECT recipient_masked, recipient_hash FROM messages WHERE case_id = ?', [c.id]))
        .toEqual(oldMail.map(() => ({ recipient_masked: '(purged)', recipient_hash: null })));
      // The purged case's outbox copies are gone from disk; the recent case's stay.
      expect(r.files.outboxFiles).toBeGreaterThanOrEqual(oldMail.length); // every case purged in this run
      expect(outboxFiles().filter((f) => oldMail.some((id) => f.endsWith(`-${id}.eml`)))).toEqual([]);
      expect(outboxFiles().filter((f) => recentMail.some((id) => f.endsWith(`-${id}.eml`)))).toHaveLength(recentMail.length);
      expect((await app.call('cases.get', { id: c.id }, staff))).toMatchObject({ status: 'closed', identitiesMasked: {} });
      const summary = await app.ctx.db.get<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE case_id IS NULL AND action = 'retention.purge' ORDER BY seq DESC LIMIT 1");
      expect(summary?.action).toBe('retention.purge');
      if (r.files.outboxFiles) {
        const files = await app.ctx.db.get<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'retention.files' ORDER BY seq DESC LIMIT 1");
        expect(JSON.parse(files!.detail)).toEqual(r.files);
      }
      expect(JSON.parse(summary!.detail)).toMatchObject({ cutoff: '2027-04-01T10:00:00.000Z', purged: r.purged });
      // Not yet past retention: untouched.
      expect((await app.call('cases.revealIdentities', { id: recent.id, reason: 'audit' }, staff)).email).toBe('recent.record@example.com');
      expect((await app.call('retention.purge', {}, staff)).purged).toBe(0);
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
      await expect(app.call('retention.purge', { before: '2030-01-01T00:00:00Z' }, staff)).rejects.toThrow(/before: must not be in the future/u);
    });

    it('carries on after a restart', async () => {
      t = Date.parse('2027-05-03T10:00:00Z');
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CO', identities: { email: 'restart@example.com' } }, staff);
      await app.call('cases.verify', { id: c.id, method: 'email-code', note: 'code confirmed', dataPoints: 2 }, staff);
      await app.settle(c.id);
      await app.close();
      app = await createApp(config(), { clock });
      await app.call('cases.discover', { id: c.id }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('in_review');
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'pd-engine-'));
suite('SQLite', () => ({ dataDir: sqliteDir, db: { kind: 'sqlite', file: join(sqliteDir, 'cases.sqlite') } }));

let pg: PostgresServer;
const pgDir = mkdtempSync(join(tmpdir(), 'pd-engine-pg-'));
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const d of [sqliteDir, pgDir]) rmSync(d, { recursive: true, force: true });
});
suite('PostgreSQL', () => ({ dataDir: pgDir, db: { kind: 'postgres', url: pg.url } }));

describe('outbox', () => {
  it('wrote the acknowledgements as .eml files', () => {
    expect(readdirSync(join(sqliteDir, 'outbox')).some((f) => f.endsWith('.eml'))).toBe(true);
  });
});
