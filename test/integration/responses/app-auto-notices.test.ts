// Through createApp on SQLite and on embedded PostgreSQL, with the real SES v2 client against
// aws-ses-v2-local and the real Connect client against a local endpoint recording
// StartOutboundVoiceContact:
// - the extension, hold and denial notices go out by themselves once the staff command has
//   committed (no responses.notice, no sweep), once each;
// - a notice the provider refuses never fails or undoes the staff command: it stays failed on the
//   case and in the attention list, and the sweep sends it when the provider is back;
// - a phone caller without an email address hears the extension, a hold that waits for them and
//   the denial in status calls through Connect (PII-free attributes, one client token per notice);
// - an access request with no email address (only a phone, or only custom keys) waits for staff
//   delivery, visibly (status call to the consumer, pending message in the attention list, the
//   reason on the case), and closes when staff record the delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import { ApiStateError } from '../../../shared/app/api';
import { createResponseEffects } from '../../../shared/app/services/responses';
import { responsesService } from '../../../shared/app/services/responses-service';
import { SesSender } from '../../../shared/channels/email/ses-sender';
import { ConnectCaller } from '../../../shared/channels/voice/connect-caller';
import { spokenDate } from '../../../shared/channels/voice/phrases';
import { Switchable } from '../../support/switchable-sender';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { startSesEmulator, type SesEmulator, type StoredEmail } from '../../support/ses-emulator';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { sampleDiscovery } from '../../support/responses-discovery';
import { createDatabase } from '../store/postgres-harness';
import { installDatamapFake } from '../../support/fake-datamap';

let ses: SesEmulator;
let pg: PostgresServer;
let connect: Server;
let connectUrl: string;
/** While true the local Connect endpoint answers 500 (the service is down). */
let connectDown = false;
const contacts: Array<{ ClientToken: string; DestinationPhoneNumber: string; Attributes: Record<string, string> }> = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  ses = await startSesEmulator();
  pg = await startPostgres();
  const byToken = new Map<string, string>();
  connect = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = JSON.parse(text || '{}') as (typeof contacts)[number];
      contacts.push(body);
      if (connectDown) {
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServiceException' });
        res.end(JSON.stringify({ message: 'try again' }));
        return;
      }
      const id = byToken.get(body.ClientToken) ?? `contact-${byToken.size + 1}`;
      byToken.set(body.ClientToken, id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ContactId: id }));
    });
  });
  await new Promise<void>((r) => connect.listen(0, '127.0.0.1', () => r()));
  connectUrl = `http://127.0.0.1:${(connect.address() as AddressInfo).port}`;
}, 180_000);
afterAll(async () => {
  await ses?.stop();
  await pg?.stop();
  await new Promise<void>((r) => connect.close(() => r()));
});

const staff = { actor: 'staff:ann' };


async function start(kind: 'sqlite' | 'postgres', now: { t: number }): Promise<{ app: App; sender: Switchable; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `pd-auto-${kind}-`));
  const disc = new Map<string, DiscoveryResult>();
  let app: App | undefined;
  let config: AppConfig = { dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } };
  if (kind === 'postgres') config = { dataDir: dir, db: { kind: 'postgres', url: await createDatabase(pg) } };
  app = await createApp(config, {
    clock: () => new Date(now.t),
    effects: {
      acknowledge: (id, s) => createResponseEffects(app!.ctx).acknowledge(id, s),
      respond: (id, s) => createResponseEffects(app!.ctx).respond(id, s),
      discover: async (id) => { disc.set(id, sampleDiscovery(id)); return { rows: 6, review: 0, exempt: 1, errors: 0 }; },
    },
  });
  installDatamapFake(app.ctx, { discoveryResult: async (id: string) => disc.get(id) ?? null });
  const sender = new Switchable(new SesSender({ region: 'us-east-1', from: 'privacy@acme.test', endpoint: ses.endpoint, credentials: ses.credentials }));
  responsesService(app.ctx, {
    env: { PRIVACY_DESK_PUBLIC_URL: 'https://privacy.acme.test' },
    sender,
    caller: new ConnectCaller({
      region: 'us-east-1', instanceId: 'inst-1', contactFlowId: 'flow-outbound', sourcePhoneNumber: '+18005550100', endpoint: connectUrl,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    retry: { attempts: 3, baseMs: 1, sleep: async () => undefined },
  });
  return { app, sender, dir };
}

const mailTo = async (to: string): Promise<StoredEmail[]> => (await ses.emails()).filter((e) => e.destination.to.includes(to));

describe.each(['sqlite', 'postgres'] as const)('automatic notices and reports awaiting staff (%s)', (kind) => {
  it('sends the extension, hold and denial notices as soon as the staff command has committed, once each', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    const email = `auto.${kind}@example.com`;
    try {
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email } }, staff);
      await app.settle(c.id);
      now.t += 86_400_000;
      const ext = await app.call('cases.extend', { id: c.id, reason: 'records in archived backups must be restored to search them' }, staff);
      // Already sent when the command returns: no responses.notice, no sweep.
      let mails = await mailTo(email);
      expect(mails.map((m) => m.subject)).toEqual([`We received your privacy request ${c.id}`, `We need more time for request ${c.id}`]);
      expect(mails[1]!.body.text).toContain('records in archived backups must be restored to search them');
      expect(mails[1]!.body.text).toContain(`respond by ${ext.deadlines.respond}`);

      now.t += 60_000;
      await app.call('cases.hold', { id: c.id, reason: 'awaiting_consumer', note: 'Please send the account number on your statement.' }, staff);
      now.t += 60_000;
      await app.call('cases.resume', { id: c.id }, staff);
      now.t += 3_600_000;
      await app.call('cases.hold', { id: c.id, reason: 'legal_hold', note: 'litigation hold on order records' }, staff);
      now.t += 60_000;
      await app.call('cases.deny', { id: c.id, reason: 'unverifiable', note: 'No account matched the details given.' }, staff);
      mails = await mailTo(email);
      expect(mails.map((m) => m.subject)).toEqual([
        `We received your privacy request ${c.id}`, `We need more time for request ${c.id}`,
        `Your request ${c.id} is on hold`, `Your request ${c.id} is on hold`, `Decision on your request ${c.id}`,
      ]);
      expect(mails[2]!.body.text).toContain('Please send the account number on your statement.');
      expect(mails[3]!.body.text).not.toContain('litigation'); // a legal hold's staff note stays internal
      expect(mails[4]!.body.text).toContain('we could not verify your identity');
      expect(mails[4]!.body.text).toContain('California Privacy Protection Agency'); // CCPA: no appeal, where to complain

      const msgs = await app.call('messages.list', { id: c.id }, staff);
      expect(msgs.map((m) => [m.template, m.status])).toEqual([
        ['acknowledgement', 'sent'], ['extension-notice', 'sent'], ['hold-notice', 'sent'], ['hold-notice', 'sent'], ['denial', 'sent'],
      ]);
      // Each notice is on the audit timeline right after the command that made it due.
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      const order = audit.map((a) => (a.action === 'message.sent' ? `sent:${String(a.detail.template)}` : a.action))
        .filter((a) => /^(case\.(extend|hold|deny|resume)|sent:)/u.test(a));
      expect(order).toEqual(['sent:acknowledgement', 'case.extend', 'sent:extension-notice', 'case.hold', 'sent:hold-notice', 'case.resume',
        'case.hold', 'sent:hold-notice', 'case.deny', 'sent:denial']);
      // Asked for by hand, or swept: recorded already, nothing sent again.
      const denial = msgs.find((m) => m.template === 'denial')!;
      expect((await app.call('responses.notice', { id: c.id, kind: 'denial' }, staff)).id).toBe(denial.id);
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 0, failed: 0, skipped: 0 });
      expect(await mailTo(email)).toHaveLength(5);
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('a failing after-commit hook is audited and never fails the command or the notices before it', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    const email = `hook.${kind}@example.com`;
    try {
      app.engine.onCommitted('broken', async () => { throw new Error('boom'); });
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email } }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.deny', { id: c.id, reason: 'withdrawn' }, staff)).status).toBe('denied');
      expect((await mailTo(email)).map((m) => m.subject)).toContain(`Decision on your request ${c.id}`);
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      expect(audit.filter((x) => x.action === 'hook.failed').map((x) => x.detail)).toContainEqual({ hook: 'broken', to: 'denied', error: 'boom' });
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('a notice the provider refuses never fails the staff command: it stays failed on the case and the sweep sends it later', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, sender, dir } = await start(kind, now);
    const email = `down.${kind}@example.com`;
    const other = `down.deny.${kind}@example.com`;
    try {
      const a = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email } }, staff);
      const b = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: other } }, staff);
      const caller = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550177' } }, staff);
      await app.settle(a.id); await app.settle(b.id); await app.settle(caller.id);
      sender.down = true;
      const ext = await app.call('cases.extend', { id: a.id, reason: 'a large number of requests this month' }, staff);
      expect(ext).toMatchObject({ status: 'verifying', extended: true });
      const failed = (await app.call('messages.list', { id: a.id }, staff)).find((m) => m.template === 'extension-notice')!;
      expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
      expect(failed.error).toMatch(/Service Unavailable/u);
      expect((await app.call('messages.attention', {}, staff)).messages.map((m) => m.id)).toContain(failed.id);
      const denied = await app.call('cases.deny', { id: b.id, reason: 'duplicate' }, staff);
      expect(denied.status).toBe('denied');
      for (const [id, template] of [[a.id, 'extension-notice'], [b.id, 'denial']] as const) {
        const audit = await app.call('cases.audit', { id }, staff);
        expect(audit.filter((x) => x.action === 'message.failed').map((x) => x.detail.template)).toEqual([template]);
        expect(audit.some((x) => x.action === 'hook.failed' || x.action === 'notice.failed')).toBe(false);
      }
      expect((await app.call('cases.get', { id: a.id }, staff))).toMatchObject({ status: 'verifying', extended: true });
      expect((await app.call('cases.get', { id: b.id }, staff)).status).toBe('denied');

      // A phone caller without email hears the denial in a status call, placed at once through Connect.
      await app.call('cases.deny', { id: caller.id, reason: 'unverifiable' }, staff);
      const call = contacts.filter((x) => x.Attributes.caseRef === caller.id);
      expect(call).toHaveLength(1);
      expect(call[0]).toMatchObject({ DestinationPhoneNumber: '+14155550177', Attributes: { purpose: 'status', caseStatus: 'denied' } });

      sender.down = false;
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 2, failed: 0, skipped: 0 });
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 0, failed: 0, skipped: 0 });
      expect((await mailTo(email)).map((m) => m.subject)).toEqual([`We received your privacy request ${a.id}`, `We need more time for request ${a.id}`]);
      expect((await mailTo(other)).map((m) => m.subject)).toEqual([`We received your privacy request ${b.id}`, `Decision on your request ${b.id}`]);
      expect((await app.call('messages.attention', {}, staff)).messages.filter((m) => m.caseId === a.id || m.caseId === b.id)).toEqual([]);
      expect(contacts.filter((x) => x.Attributes.caseRef === caller.id)).toHaveLength(1);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('a phone caller without email hears the extension, a hold waiting for them and the denial in status calls, once each', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    const phone = kind === 'sqlite' ? '+14155550166' : '+14155550167';
    const calls = (id: string) => contacts.filter((x) => x.Attributes.caseRef === id);
    const token = (key: string) => `privacydesk-${app.ctx.crypto.keyedHash('call-token', key).slice(0, 40)}`;
    try {
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { phone } }, staff);
      await app.settle(c.id);
      now.t += 86_400_000;
      const reason = 'Dana Smith has 14 accounts in the legacy billing system';
      const ext = await app.call('cases.extend', { id: c.id, reason, category: 'many_systems' }, staff);
      // Placed by the after-commit hook before the command returned.
      expect(calls(c.id)).toHaveLength(1);
      const [extCall] = calls(c.id);
      expect(extCall).toMatchObject({ DestinationPhoneNumber: phone, ClientToken: token(`${c.id}:call:status:extension-notice`) });
      expect(extCall!.Attributes).toEqual({
        caseRef: c.id, purpose: 'status', caseStatus: 'extended', emailed: 'false',
        extensionReason: 'your request covers many of our systems', dueDateSpoken: spokenDate(ext.deadlines.respond),
      });
      expect(extCall!.Attributes.dueDateSpoken).toMatch(/^[A-Z][a-z]+ \d{1,2}, 2026$/u);
      expect(JSON.stringify(contacts)).not.toMatch(/Dana|legacy billing/u); // the staff's text never reaches Connect

      now.t += 60_000;
      const hold1 = await app.call('cases.hold', { id: c.id, reason: 'awaiting_consumer', note: 'Please tell us the account number on your statement.' }, staff);
      expect(calls(c.id)).toHaveLength(2);
      expect(calls(c.id)[1]).toMatchObject({ ClientToken: token(`${c.id}:call:status:hold-notice:${hold1.hold!.since}`) });
      expect(calls(c.id)[1]!.Attributes).toEqual({ caseRef: c.id, purpose: 'status', caseStatus: 'awaiting_consumer', emailed: 'false' });
      now.t += 60_000;
      await app.call('cases.resume', { id: c.id }, staff);
      now.t += 60_000;
      // A legal hold asks nothing of the consumer: no call, its notice recorded as skipped.
      await app.call('cases.hold', { id: c.id, reason: 'legal_hold', note: 'litigation hold on order records' }, staff);
      expect(calls(c.id)).toHaveLength(2);
      now.t += 60_000;
      await app.call('cases.resume', { id: c.id }, staff);
      now.t += 60_000;
      // A second hold waiting for the consumer is a new notice: a new call with its own token.
      await app.call('cases.hold', { id: c.id, reason: 'awaiting_consumer', note: 'We still need the account number.' }, staff);
      expect(calls(c.id)).toHaveLength(3);
      expect(calls(c.id)[2]!.ClientToken).not.toBe(calls(c.id)[1]!.ClientToken);
      now.t += 60_000;
      await app.call('cases.deny', { id: c.id, reason: 'unverifiable', note: 'The account number did not match.' }, staff);
      expect(calls(c.id)).toHaveLength(4);
      expect(calls(c.id)[3]).toMatchObject({ ClientToken: token(`${c.id}:call:status:denial`) });
      expect(calls(c.id)[3]!.Attributes).toEqual({
        caseRef: c.id, purpose: 'status', caseStatus: 'denied', emailed: 'false', denialReason: 'we could not verify your identity with the information provided',
      });

      // Recorded on the case like other calls, in audit order after the command that made each due.
      const msgs = await app.call('messages.list', { id: c.id }, staff);
      expect(msgs.filter((m) => m.channel === 'voice').map((m) => [m.template, m.status, m.recipient, m.provider])).toEqual(
        Array.from({ length: 4 }, () => ['call-status', 'sent', `+1******${phone.slice(-4)}`, 'connect']));
      expect(msgs.filter((m) => m.template === 'hold-notice').map((m) => m.status)).toEqual(['skipped']);
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      const order = audit.filter((a) => /^(case\.(extend|hold|deny|resume)|message\.)/u.test(a.action))
        .map((a) => (a.action.startsWith('message.') ? `${a.action}:${String(a.detail.channel)}` : a.action));
      expect(order).toEqual(['message.skipped:email', 'case.extend', 'message.sent:voice', 'case.hold', 'message.sent:voice', 'case.resume',
        'case.hold', 'message.skipped:email', 'case.resume', 'case.hold', 'message.sent:voice', 'case.deny', 'message.sent:voice']);
      expect(audit.find((a) => a.action === 'case.extend')!.detail).toEqual({ reason, category: 'many_systems' });
      // Asked for again, or swept: nothing placed twice.
      expect((await app.call('responses.notice', { id: c.id, kind: 'extension' }, staff)).id).toBe(msgs.find((m) => m.channel === 'voice')!.id);
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 0, failed: 0, skipped: 0 });
      expect(calls(c.id)).toHaveLength(4);

      // A status call staff place by hand says the same: no email went out, here is the reason.
      await app.call('calls.place', { id: c.id, sequence: 2 }, staff);
      expect(calls(c.id)[4]!.Attributes).toEqual({
        caseRef: c.id, purpose: 'status', caseStatus: 'denied', emailed: 'false', denialReason: 'we could not verify your identity with the information provided',
      });
      // ... and with an emailed result, points to the email.
      const o = await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', identities: { email: `optout.${kind}@example.com`, phone } }, staff);
      await app.settle(o.id);
      expect((await app.call('cases.get', { id: o.id }, staff)).status).toBe('closed');
      await app.call('calls.place', { id: o.id }, staff);
      expect(calls(o.id).map((x) => x.Attributes)).toEqual([{ caseRef: o.id, purpose: 'status', caseStatus: 'closed', emailed: 'true' }]);
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('a request by mail with only a phone number gets its extension notice as a status call too; with neither, it is recorded as skipped', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    const calls = (id: string) => contacts.filter((x) => x.Attributes.caseRef === id);
    try {
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'email', identities: { phone: '+14155550190', name: 'Mail Writer' } }, staff);
      await app.settle(c.id);
      await app.call('cases.extend', { id: c.id, reason: 'records in an archive', category: 'archived_records' }, staff);
      expect(calls(c.id).map((x) => x.Attributes.caseStatus)).toContain('extended');
      expect((await app.call('messages.list', { id: c.id }, staff)).filter((m) => m.channel === 'voice').map((m) => m.status)).toContain('sent');
      const n = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { customKeys: [{ name: 'loyalty_id', value: 'L-77' }] } }, staff);
      await app.settle(n.id);
      await app.call('cases.extend', { id: n.id, reason: 'archive' }, staff);
      expect(calls(n.id)).toEqual([]);
      expect((await app.call('messages.list', { id: n.id }, staff)).find((m) => m.template === 'extension-notice')).toMatchObject({ status: 'skipped' });
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('an extension call Connect refuses fails no command; the sweep places it later with the same client token', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    const calls = (id: string) => contacts.filter((x) => x.Attributes.caseRef === id);
    try {
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550168' } }, staff);
      await app.settle(c.id);
      connectDown = true;
      const ext = await app.call('cases.extend', { id: c.id, reason: 'backlog' }, staff);
      connectDown = false;
      expect(ext).toMatchObject({ extended: true, status: 'verifying' });
      expect(calls(c.id)).toHaveLength(3); // our three attempts, one token
      expect(new Set(calls(c.id).map((x) => x.ClientToken)).size).toBe(1);
      // No category given: the general phrase (the law's own grounds), never the staff's text.
      expect(calls(c.id)[0]!.Attributes.extensionReason).toBe('of the complexity of your request or the number of requests we have received');
      const failed = (await app.call('messages.list', { id: c.id }, staff)).find((m) => m.channel === 'voice')!;
      expect(failed).toMatchObject({ template: 'call-status', status: 'failed', attempts: 3 });
      expect((await app.call('messages.attention', {}, staff)).messages.map((m) => m.id)).toContain(failed.id);
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      expect(audit.filter((a) => a.action === 'message.failed').map((a) => a.detail.channel)).toEqual(['voice']);
      expect(audit.some((a) => a.action === 'hook.failed' || a.action === 'notice.failed')).toBe(false);

      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 1, failed: 0, skipped: 0 });
      expect(await app.call('responses.sweep', {}, staff)).toEqual({ sent: 0, failed: 0, skipped: 0 });
      expect(calls(c.id)).toHaveLength(4);
      expect(new Set(calls(c.id).map((x) => x.ClientToken)).size).toBe(1);
      expect((await app.call('messages.list', { id: c.id }, staff)).find((m) => m.channel === 'voice')).toMatchObject({ id: failed.id, status: 'sent' });
    } finally { connectDown = false; await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('an access request with only a phone number waits for staff delivery, visibly, and closes when it is recorded', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    try {
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550123' } }, staff);
      await app.settle(c.id);
      await app.call('cases.verify', { id: c.id, method: 'knowledge', note: 'order number and ZIP matched on the call', dataPoints: 2 }, staff);
      await app.call('cases.discover', { id: c.id }, staff);
      await app.settle(c.id);
      await expect(app.call('responses.deliver', { id: c.id, note: 'too early' }, staff)).rejects.toBeInstanceOf(ApiStateError);
      await app.call('cases.approve', { id: c.id }, staff);
      await app.settle(c.id);

      // Waiting, with the reason, where staff look.
      // The case view says what it waits for (not a failure to retry), so no screen reads the error's words.
      expect(await app.call('cases.get', { id: c.id }, staff)).toMatchObject({ status: 'responding', waitingFor: 'staff_delivery', failure: null });
      const attention = await app.call('messages.attention', {}, staff);
      const pending = attention.messages.find((m) => m.caseId === c.id)!;
      expect(pending).toMatchObject({ template: 'access-report', channel: 'post', status: 'pending', provider: 'staff' });
      expect(pending.error).toMatch(/no email address on the case.*responses\.deliver/u);
      const audit = await app.call('cases.audit', { id: c.id }, staff);
      expect(audit.find((x) => x.action === 'step.failed')!.detail.error).toMatch(/^awaiting staff delivery: .*the consumer was called/u);
      expect(audit.some((x) => x.action === 'message.pending')).toBe(true);
      // The consumer heard that the report is ready and how it will reach them (once).
      const calls = contacts.filter((x) => x.Attributes.caseRef === c.id);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.Attributes).toMatchObject({ purpose: 'status', caseStatus: 'report_ready' });
      // A retry changes nothing and calls nobody twice.
      await app.call('cases.retry', { id: c.id }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('responding');
      expect(contacts.filter((x) => x.Attributes.caseRef === c.id)).toHaveLength(1);

      now.t += 2 * 86_400_000;
      const done = await app.call('responses.deliver', { id: c.id, method: 'post', note: 'printed report sent by first-class mail to the address confirmed on the call' }, staff);
      expect(done).toMatchObject({ status: 'closed', overdue: false });
      const report = (await app.call('messages.list', { id: c.id }, staff)).find((m) => m.template === 'access-report')!;
      expect(report).toMatchObject({ channel: 'post', status: 'sent', delivery: 'post', providerMessageId: 'post:staff:ann' });
      expect((await app.call('messages.attention', {}, staff)).messages.filter((m) => m.caseId === c.id)).toEqual([]);
      const after = await app.call('cases.audit', { id: c.id }, staff);
      expect(after.find((x) => x.action === 'message.sent' && x.detail.channel === 'post')).toMatchObject({ actor: 'staff:ann', detail: { template: 'access-report', delivery: 'post' } });
      expect(after.at(-1)!.detail).toMatchObject({ to: 'closed' });
      await expect(app.call('responses.deliver', { id: c.id, note: 'again' }, staff)).rejects.toBeInstanceOf(ApiStateError);
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('an access request with only custom keys waits the same way (no call: no number), and an emailed one cannot be marked delivered', async () => {
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const { app, dir } = await start(kind, now);
    try {
      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'VA', identities: { customKeys: [{ name: 'loyalty_id', value: 'L-99812' }] }, autoApprove: true }, staff);
      await app.settle(c.id);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'loyalty card and receipt shown at the store', dataPoints: 2 }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('responding');
      expect(contacts.filter((x) => x.Attributes.caseRef === c.id)).toEqual([]);
      expect((await app.call('messages.attention', {}, staff)).messages.find((m) => m.caseId === c.id)).toMatchObject({ status: 'pending', recipient: '(address to be arranged)' });
      expect((await app.call('responses.deliver', { id: c.id, method: 'in_person', note: 'handed over at the Springfield store, ID checked' }, staff)).status).toBe('closed');

      const e = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: `mailed.${kind}@example.com` } }, staff);
      await app.settle(e.id);
      await expect(app.call('responses.deliver', { id: e.id, note: 'n/a' }, staff)).rejects.toThrow(/is verifying/u);
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  });
});
