// Through createApp on SQLite: a failed result email surfaces on the case (engine error, failed
// message, attention list) and cases.retry sends it once the provider is back; a report over the
// size limit goes as a download link that the API serves; extension, hold and denial notices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { createResponseEffects } from '../../../shared/app/services/responses';
import { responsesService } from '../../../shared/app/services/responses-service';
import { SesSender } from '../../../shared/channels/email/ses-sender';
import { Switchable } from '../../support/switchable-sender';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator';
import { generatedDiscovery, sampleDiscovery } from '../../support/responses-discovery';
import { installDatamapFake } from '../../support/fake-datamap';

let ses: SesEmulator;
beforeAll(async () => { ses = await startSesEmulator(); });
afterAll(async () => { await ses?.stop(); });
const staff = { actor: 'staff:ann' };


/** Sources, purposes and recipients of the test systems: an access report stops at staff review without them. */
const DECLARED = ['crm', 'hr', 'shop', 'system0', 'system1'].map((system) => ({ system, sources: ['You'], purposes: ['Customer service'], thirdParties: [] }));

async function start(dir: string, now: { t: number }, maxBytes?: number, discovery: (id: string) => DiscoveryResult = sampleDiscovery, declared = true): Promise<{ app: App; sender: Switchable }> {
  let app: App | undefined;
  const disc = new Map<string, DiscoveryResult>();
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, {
    clock: () => new Date(now.t),
    effects: {
      acknowledge: (id, s) => createResponseEffects(app!.ctx).acknowledge(id, s),
      respond: (id, s) => createResponseEffects(app!.ctx).respond(id, s),
      discover: async (id) => { disc.set(id, discovery(id)); return { rows: 6, review: 0, exempt: 1, errors: 0 }; },
    },
  });
  installDatamapFake(app.ctx, { discoveryResult: async (id: string) => disc.get(id) ?? null, ...(declared ? { systemDisclosures: async () => DECLARED } : {}) });
  const sender = new Switchable(new SesSender({ region: 'us-east-1', from: 'privacy@acme.test', endpoint: ses.endpoint, credentials: ses.credentials }));
  responsesService(app.ctx, {
    env: { PRIVACY_DESK_PUBLIC_URL: 'https://privacy.acme.test', ...(maxBytes ? { PRIVACY_DESK_EMAIL_MAX_BYTES: String(maxBytes) } : {}) },
    sender, retry: { attempts: 3, baseMs: 1, sleep: async () => undefined },
  });
  return { app, sender };
}

async function verifiedAccessCase(app: App, email: string): Promise<string> {
  const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email } }, staff);
  await app.settle(c.id);
  await app.call('cases.verify', { id: c.id, method: 'staff', note: 'two data points matched', dataPoints: 2 }, staff);
  await app.call('cases.discover', { id: c.id }, staff);
  await app.settle(c.id);
  return c.id;
}

describe('responses through the app: failures, links, notices', () => {
  it('a result that cannot be sent surfaces on the case, then goes out once on retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-notices-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, sender } = await start(dir, now);
    try {
      const id = await verifiedAccessCase(app, 'fail.me@example.com');
      sender.down = true;
      await app.call('cases.approve', { id }, staff);
      await app.settle(id);
      const waiting = await app.call('cases.get', { id }, staff);
      expect(waiting).toMatchObject({ status: 'responding', waitingFor: 'staff_retry', failure: { step: 'respond' } });
      expect(waiting.failure!.message).toMatch(/Service Unavailable/u);
      const failed = (await app.call('messages.list', { id }, staff)).find((m) => m.template === 'access-report')!;
      expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
      expect(failed.error).toMatch(/Service Unavailable/u);
      expect((await app.call('messages.attention', {}, staff)).messages.map((m) => m.id)).toContain(failed.id);
      const audit = await app.call('cases.audit', { id }, staff);
      expect(audit.some((a) => a.action === 'message.failed' && a.detail.template === 'access-report')).toBe(true);
      expect(audit.some((a) => a.action === 'case.error')).toBe(true);

      sender.down = false;
      await app.call('cases.retry', { id }, staff);
      await app.settle(id);
      expect(await app.call('cases.get', { id }, staff)).toMatchObject({ status: 'closed', failure: null, waitingFor: null });
      const reports = (await ses.emails()).filter((e) => e.destination.to.includes('fail.me@example.com') && e.subject.includes('report'));
      expect(reports).toHaveLength(1);
      expect((await app.call('messages.attention', {}, staff)).messages.map((m) => m.id)).not.toContain(failed.id);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('a report over the size limit is sent as a download link the API serves until it expires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-link-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app } = await start(dir, now, 4096);
    try {
      const id = await verifiedAccessCase(app, 'big.report@example.com');
      await app.call('cases.approve', { id }, staff);
      await app.settle(id);
      expect((await app.call('cases.get', { id }, staff)).status).toBe('closed');
      const mail = (await ses.emails()).find((e) => e.destination.to.includes('big.report@example.com') && e.subject.includes('report'))!;
      expect(mail.attachments).toHaveLength(0);
      const token = /https:\/\/privacy\.acme\.test\/reports\/(\S+)/u.exec(mail.body.text!)![1]!;
      const files = await app.call('reports.files', { token }, { actor: 'consumer' });
      expect(files.files.map((f) => f.name).sort()).toEqual(['personal-information-report.html', 'personal-information.csv', 'personal-information.json']);
      const json = await app.call('reports.download', { token, file: 'personal-information.json' }, { actor: 'consumer' });
      const parsed = JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')) as { caseId: string; scope: string; data: DiscoveryResult };
      expect(parsed.caseId).toBe(id);
      // Verified to the reasonable tier only: categories, no specific pieces (CCPA regs §7062).
      expect(parsed.scope).toBe('categories');
      expect(parsed.data.collections.every((c) => c.rows.length === 0)).toBe(true);
      expect(mail.body.text).toContain('It does not include the specific pieces of information');
      expect((await app.call('messages.list', { id }, staff)).find((m) => m.template === 'access-report')!.delivery).toBe('link');
      now.t += 8 * 86_400_000;
      await expect(app.call('reports.download', { token, file: 'personal-information.json' }, { actor: 'consumer' })).rejects.toThrow(/expired/u);
      await expect(app.call('reports.files', { token: 'x'.repeat(20) }, { actor: 'consumer' })).rejects.toThrow(/not valid/u);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('an opt-out by a phone caller without email is answered with a status call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-optout-call-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app } = await start(dir, now);
    try {
      const c = await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550155' } }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('closed');
      const msgs = await app.call('messages.list', { id: c.id }, staff);
      expect(msgs.map((m) => [m.channel, m.template, m.status])).toEqual([['voice', 'call-status', 'sent']]);
      expect(readFileSync(join(dir, 'calls', 'calls.jsonl'), 'utf8')).toContain('"caseStatus":"closed"');
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('a report over the real 40 MB SES limit switches to a link instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-40mb-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app } = await start(dir, now, undefined, (id) => generatedDiscovery(id, 20_000, 10));
    try {
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'huge@example.com' }, specificPieces: true }, staff);
      await app.settle(c.id);
      const declaration = await app.call('declarations.store', { id: c.id, signedName: 'Huge Report', signedOn: '2026-03-02' }, staff);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'three points and a signed declaration', dataPoints: 3, declarationId: declaration.documentId }, staff);
      await app.call('cases.discover', { id: c.id }, staff);
      await app.settle(c.id);
      await app.call('cases.approve', { id: c.id }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('closed');
      const msg = (await app.call('messages.list', { id: c.id }, staff)).find((m) => m.template === 'access-report')!;
      expect(msg).toMatchObject({ status: 'sent', delivery: 'link' });
      const mail = (await ses.emails()).find((e) => e.destination.to.includes('huge@example.com') && e.subject.includes('report'))!;
      const token = /\/reports\/(\S+)/u.exec(mail.body.text!)![1]!;
      const files = await app.call('reports.files', { token }, { actor: 'consumer' });
      expect(files.files.reduce((n, f) => n + f.bytes, 0)).toBeGreaterThan(30 * 1024 * 1024);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  }, 180_000);

  it('declared sources, purposes and third parties appear in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-discl-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app } = await start(dir, now, undefined, undefined, false);
    try {
      await expect(app.call('disclosures.set', { system: '' } as never, staff)).rejects.toThrow(/system: system is required/u);
      await app.call('disclosures.set', { system: 'shop', sources: ['You (checkout)'], purposes: ['Order fulfilment'], thirdParties: ['Parcel Co'] }, staff);
      await app.call('disclosures.set', { system: 'shop', sources: ['You (checkout)', 'Our website'], purposes: ['Order fulfilment'], thirdParties: ['Parcel Co'] }, staff);
      expect((await app.call('disclosures.list', {}, staff)).map((d) => d.sources.length)).toEqual([2]);
      const id = await verifiedAccessCase(app, 'discl@example.com');
      const json = JSON.parse((await app.call('reports.preview', { id, format: 'json' }, staff)).content) as { systems: Array<{ system: string; sources: string[]; thirdParties: string[] }> };
      expect(json.systems.find((s) => s.system === 'shop')).toMatchObject({ sources: ['You (checkout)', 'Our website'], thirdParties: ['Parcel Co'] });
      expect(json.systems.find((s) => s.system === 'crm')).toMatchObject({ sources: [], thirdParties: [] });
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('extension notice with the reason and new date, hold notice, denial with how to appeal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-notice-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app } = await start(dir, now);
    try {
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'notice@example.com' } }, staff);
      await app.settle(c.id);
      await expect(app.call('responses.notice', { id: c.id, kind: 'extension' }, staff)).rejects.toThrow(/has not been extended/u);
      const ext = await app.call('cases.extend', { id: c.id, reason: 'records in archived backups must be restored to search them' }, staff);
      const m1 = await app.call('responses.notice', { id: c.id, kind: 'extension' }, staff);
      expect(m1.status).toBe('sent');
      await app.call('cases.hold', { id: c.id, reason: 'awaiting_consumer', note: 'Please send the account number on your statement.' }, staff);
      await app.call('responses.notice', { id: c.id, kind: 'hold' }, staff);
      await app.call('cases.deny', { id: c.id, reason: 'unverifiable', note: 'No account matched the details given.' }, staff);
      const denial = await app.call('responses.notice', { id: c.id, kind: 'denial' }, staff);
      const again = await app.call('responses.notice', { id: c.id, kind: 'denial' }, staff);
      const mails = (await ses.emails()).filter((e) => e.destination.to.includes('notice@example.com'));
      expect(mails.map((m) => m.subject)).toEqual([
        `We received your privacy request ${c.id}`, `We need more time for request ${c.id}`, `Your request ${c.id} is on hold`, `Decision on your request ${c.id}`,
      ]);
      expect(again.id).toBe(denial.id); // asked twice, sent once
      expect(mails[1]!.body.text).toContain('records in archived backups must be restored to search them');
      expect(mails[1]!.body.text).toContain(`respond by ${ext.deadlines.respond}`);
      expect(mails[2]!.body.text).toContain('Please send the account number on your statement.');
      expect(mails[3]!.body.text).toContain('we could not verify your identity');
      expect(mails[3]!.body.text).toContain('California Privacy Protection Agency'); // CCPA: no appeal, where to complain
      // The sweep finds nothing left to send for this case.
      const swept = await app.call('responses.sweep', {}, staff);
      expect((await ses.emails()).filter((e) => e.destination.to.includes('notice@example.com'))).toHaveLength(4);
      expect(swept.failed).toBe(0);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('the sweep sends, once, the due notices that could not go out when the staff acted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-sweep-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, sender } = await start(dir, now);
    try {
      const a = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'sweep.ext@example.com' } }, staff);
      const b = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'sweep.deny@example.com' } }, staff);
      const p = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { phone: '+14155550199' } }, staff);
      const h = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { phone: '+14155550198' } }, staff);
      await app.settle(a.id); await app.settle(b.id); await app.settle(p.id); await app.settle(h.id);
      // The provider is down while staff work: the commands succeed, the notices fail (and are sent by themselves otherwise).
      sender.down = true;
      await app.call('cases.extend', { id: a.id, reason: 'a large number of requests this month' }, staff);
      await app.call('cases.deny', { id: b.id, reason: 'duplicate' }, staff);
      await app.call('cases.deny', { id: p.id, reason: 'unverifiable' }, staff);
      await app.call('cases.hold', { id: h.id, reason: 'legal_hold', note: 'litigation hold' }, staff);
      const caller = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550177' } }, staff);
      await app.settle(caller.id);
      await app.call('cases.deny', { id: caller.id, reason: 'unverifiable' }, staff);
      sender.down = false;
      // Without an email the denial (p) and the hold notice (h) were recorded as skipped when made: nothing left for them.
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 2, failed: 0, skipped: 0 });
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 0, failed: 0, skipped: 0 });
      expect((await app.call('messages.list', { id: h.id }, staff)).map((m) => [m.template, m.status])).toEqual([['acknowledgement', 'skipped'], ['hold-notice', 'skipped']]);
      // The phone caller without email hears the denial in a status call (recorded: no Connect configured).
      const call = (await app.call('messages.list', { id: caller.id }, staff)).find((m) => m.channel === 'voice')!;
      expect(call).toMatchObject({ template: 'call-status', status: 'sent', provider: 'recorded', recipient: '+1******0177' });
      const recorded = readFileSync(join(dir, 'calls', 'calls.jsonl'), 'utf8');
      expect(recorded).toContain(`"caseRef":"${caller.id}"`);
      expect(recorded).toContain('"caseStatus":"denied"');
      const subjects = (await ses.emails()).filter((e) => e.destination.to.some((t) => t.startsWith('sweep.'))).map((e) => e.subject);
      expect(subjects.filter((x) => x.startsWith('We need more time'))).toHaveLength(1);
      expect(subjects.filter((x) => x.startsWith('Decision on your request'))).toHaveLength(1);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });
});
