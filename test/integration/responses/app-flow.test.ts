// End to end through createApp (real case store, engine and API) with the real SES v2 client
// against aws-ses-v2-local: an access request from intake to the emailed report (acknowledgement,
// email code, report with attachments), closed inside its deadline with every message on the
// audit timeline; and a deletion with a processor webhook and the kept-with-reason confirmation.
// Runs on SQLite and on PostgreSQL (embedded). The data-map layer is stood in for by a service
// returning a fixed discovery result (ctx.services 'datamap'); its execute and check steps record
// applied counts and a passing check in the data map's tables, which the deletion result is built from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import { createResponseEffects } from '../../../shared/app/services/responses';
import { responsesService } from '../../../shared/app/services/responses-service';
import { SesSender } from '../../../shared/channels/email/ses-sender';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { CCPA_CATEGORIES, parseCsv } from '../../../shared/domain/report';
import { startSesEmulator, type SesEmulator, type StoredEmail } from '../../support/ses-emulator';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { sampleDiscovery } from '../../support/responses-discovery';
import { DatamapRepo, type ChangeCount } from '../../../shared/store/datamap-repo';
import { createDatabase } from '../store/postgres-harness';
import { installDatamapFake } from '../../support/fake-datamap';

let ses: SesEmulator;
let pg: PostgresServer;
let hook: Server;
let hookUrl: string;
const hooks: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  ses = await startSesEmulator();
  pg = await startPostgres();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => { hooks.push(JSON.parse(body) as Record<string, unknown>); res.writeHead(204); res.end(); });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/deletions`;
});
afterAll(async () => {
  await ses?.stop();
  await pg?.stop();
  await new Promise<void>((r) => hook.close(() => r()));
});

const staff = { actor: 'staff:ann' };

const databases = new Map<string, string>();

async function startApp(kind: 'sqlite' | 'postgres', dir: string, now: { t: number }): Promise<App> {
  const discoveries = new Map<string, DiscoveryResult>();
  let app: App | undefined;
  const responses = () => createResponseEffects(app!.ctx);
  // One PostgreSQL database per data folder: a store's keys live in its data folder, and an existing
  // store opened with another folder's (missing) keys is refused (issue 13, keys).
  if (kind === 'postgres' && !databases.has(dir)) databases.set(dir, await createDatabase(pg));
  const config: AppConfig = { dataDir: dir, db: kind === 'sqlite' ? { kind: 'sqlite', file: join(dir, 'pd.sqlite') } : { kind: 'postgres', url: databases.get(dir)! } };
  app = await createApp(config, {
    clock: () => new Date(now.t),
    effects: {
      acknowledge: (id, step) => responses().acknowledge(id, step),
      respond: (id, step) => responses().respond(id, step),
      // Stand-in for the data-map layer: discovery returns the fixture for the case.
      discover: async (id) => {
        const d = sampleDiscovery(id);
        discoveries.set(id, d);
        const rows = d.collections.flatMap((c) => c.rows);
        return { rows: rows.length, review: 0, exempt: rows.filter((r) => r.exempt).length, errors: 0 };
      },
      // Stand-in execution: every row neither exempt nor shared deleted, recorded as the data map records what it applied.
      execute: async (id) => {
        const changes: ChangeCount[] = discoveries.get(id)!.collections.map((c) => {
          const deleted = c.rows.filter((r) => !r.exempt && !r.shared).length;
          const kept = [
            ...(c.rows.some((r) => r.exempt) ? [{ kind: 'exempt' as const, reason: c.rows.find((r) => r.exempt)!.exempt!.reason, rows: c.rows.filter((r) => r.exempt).length }] : []),
            ...(c.rows.some((r) => r.shared) ? [{ kind: 'shared' as const, reason: 'shared', rows: c.rows.filter((r) => r.shared).length }] : []),
          ];
          return { system: c.system, dataset: c.dataset, collection: c.collection, deleted, masked: 0, updated: 0, setAside: 0, exempt: 0, at: new Date(now.t).toISOString(),
            outcome: { planned: { deleted, masked: 0, updated: 0 }, kept, categories: [], fields: [] } };
        });
        await repo.putChanges(id, changes);
        return { deleted: changes.reduce((n, c) => n + c.deleted, 0), masked: 0, updated: 0, errors: 0 };
      },
      checkResult: async (id) => {
        await repo.putCheck(id, { ok: true, at: new Date(now.t).toISOString(), remaining: 0, missing: 0, collections: [], errors: [] });
        return { ok: true, remaining: 0 };
      },
    },
  });
  const repo = new DatamapRepo(app.ctx.db, app.ctx.crypto);
  installDatamapFake(app.ctx, {
    repo,
    discoveryResult: async (id: string) => discoveries.get(id) ?? null,
    systemDisclosures: async () => [{ system: 'crm', sources: ['You'], purposes: ['Customer support'], thirdParties: ['Mailer Inc.'] }],
  });
  responsesService(app.ctx, {
    env: { PRIVACY_DESK_BUSINESS_NAME: 'Acme Outdoor', PRIVACY_DESK_SES_FROM: 'privacy@acme.test', PRIVACY_DESK_PUBLIC_URL: 'https://privacy.acme.test' },
    sender: new SesSender({ region: 'us-east-1', from: 'privacy@acme.test', endpoint: ses.endpoint, credentials: ses.credentials }),
    retry: { attempts: 2, baseMs: 1, sleep: async () => undefined },
  });
  return app;
}

const mailTo = async (to: string): Promise<StoredEmail[]> => (await ses.emails()).filter((e) => e.destination.to.includes(to));

describe.each(['sqlite', 'postgres'] as const)('responses through the app (%s)', (kind) => {
  it('access: intake -> acknowledgement -> email code -> report emailed -> closed in time, all on the audit timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), `pd-flow-${kind}-`));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const app = await startApp(kind, dir, now);
    const email = `jane.${kind}@example.com`;
    try {
      // Specific pieces asked for: needs the high tier (§7062), so the code alone is not enough.
      const created = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'web', identities: { email }, specificPieces: true }, staff);
      await app.settle(created.id);
      const [ack] = await mailTo(email);
      expect(ack!.subject).toBe(`We received your privacy request ${created.id}`);
      expect((await app.call('cases.get', { id: created.id }, staff)).status).toBe('verifying');

      now.t += 3_600_000;
      const sent = await app.call('codes.send', { id: created.id }, staff);
      expect(sent.sentTo).toBe(`j***@example.com`);
      const codeMail = (await mailTo(email)).at(-1)!;
      const code = /verification code is: (\d{6})/u.exec(codeMail.body.text!)![1]!;
      const bad = await app.call('codes.check', { id: created.id, code: code === '000000' ? '111111' : '000000' }, { actor: 'consumer' });
      expect(bad).toMatchObject({ ok: false, reason: 'wrong', attemptsLeft: 2 });
      const good = await app.call('codes.check', { id: created.id, code }, { actor: 'consumer' });
      expect(good.ok).toBe(true);
      await app.settle(created.id);
      expect((await app.call('cases.get', { id: created.id }, staff))).toMatchObject({ status: 'verifying', verification: { level: 'reasonable', method: 'email-code' } });
      const declaration = await app.call('declarations.store', { id: created.id, signedName: 'Ann Lee', signedOn: '2026-03-03' }, staff);
      await app.call('cases.verify', { id: created.id, method: 'staff', note: 'third data point and signed declaration received', dataPoints: 3, declarationId: declaration.documentId }, staff);
      await app.settle(created.id);
      expect((await app.call('cases.get', { id: created.id }, staff))).toMatchObject({ status: 'verified', verification: { level: 'high' } });

      now.t += 86_400_000;
      await app.call('cases.discover', { id: created.id }, staff);
      await app.settle(created.id);
      const preview = await app.call('reports.preview', { id: created.id, format: 'html' }, staff);
      expect(preview.content).toContain('Acme Outdoor');
      await app.call('cases.approve', { id: created.id }, staff);
      await app.settle(created.id);

      // shop and hr hold personal information but declare no sources, purposes or recipients: the
      // report stops at staff review instead of telling the consumer "None recorded".
      expect((await app.call('cases.get', { id: created.id }, staff)).status).toBe('responding');
      const stop = (await app.call('cases.audit', { id: created.id }, staff)).filter((a) => a.action === 'case.error' && a.detail.step === 'respond');
      expect(String(stop[0]!.detail.message)).toMatch(/^access-report not sent: staff review: declare them for system hr: sources, business purposes, recipients \(third parties, or none\) missing .*; declare them for system shop: .*#\/datamap/u);
      expect(await mailTo(email)).toHaveLength(2);
      await app.call('disclosures.set', { system: 'shop', sources: ['You (checkout)'], purposes: ['Order fulfilment'], thirdParties: ['Parcel Co'] }, staff);
      await app.call('disclosures.set', { system: 'hr', sources: ['Your job application'], purposes: ['Recruiting'], thirdParties: [] }, staff);
      await app.call('cases.retry', { id: created.id }, staff);
      await app.settle(created.id);

      const done = await app.call('cases.get', { id: created.id }, staff);
      expect(done.status).toBe('closed');
      expect(done.closedAt!.slice(0, 10) <= done.deadlines.respond).toBe(true);
      expect(done.overdue).toBe(false);

      const mails = await mailTo(email);
      expect(mails.map((m) => m.subject)).toEqual([
        `We received your privacy request ${created.id}`,
        `Your verification code for request ${created.id}`,
        `Your personal information report for request ${created.id}`,
      ]);
      const report = mails[2]!;
      const files = new Map(report.attachments.map((a) => [a.filename, Buffer.from(a.content, 'base64').toString('utf8')]));
      const json = JSON.parse(files.get('personal-information.json')!) as { data: DiscoveryResult };
      const expected = sampleDiscovery(created.id);
      const crm = expected.collections[0]!;
      const disclosed = { ...expected, collections: expected.collections.map((c) => ({ ...c, rows: c.rows.filter((r) => !r.shared) })) };
      // The SSN and fingerprint values are stated, never sent (CCPA regs §7024(d)).
      disclosed.collections[0] = { ...crm, rows: [{ ...crm.rows[0]!, values: { ...crm.rows[0]!.values,
        ssn: "[not shown: we hold a government-issued identification number (such as a Social Security, driver's licence or passport number); for your security it is never sent]",
        fingerprint_hash: '[not shown: we hold unique biometric data; for your security it is never sent]' } }] };
      expect(json.data).toEqual(disclosed);
      for (const f of files.values()) expect(f).not.toContain('123-45-6789');
      expect(parseCsv(files.get('personal-information.csv')!).length).toBeGreaterThan(10);
      expect(report.body.text).toContain('It also lists the specific pieces of information we found.');
      for (const label of Object.values(CCPA_CATEGORIES)) expect(files.get('personal-information-report.html')).toContain(label.replace(/&/gu, '&amp;'));

      const msgs = await app.call('messages.list', { id: created.id }, staff);
      expect(msgs.map((m) => [m.template, m.status, m.channel])).toEqual([
        ['acknowledgement', 'sent', 'email'], ['verification-code', 'sent', 'email'], ['access-report', 'sent', 'email'],
      ]);
      expect(msgs.map((m) => m.providerMessageId)).toEqual(mails.map((m) => m.messageId));
      expect(msgs[2]!.delivery).toBe('attachments');

      const audit = await app.call('cases.audit', { id: created.id }, staff);
      const sentEntries = audit.filter((a) => a.action === 'message.sent');
      expect(sentEntries.map((a) => a.detail.template)).toEqual(['acknowledgement', 'verification-code', 'access-report']);
      expect(sentEntries.map((a) => a.detail.messageId)).toEqual(mails.map((m) => m.messageId));
      expect(JSON.stringify(audit)).not.toContain(email);
      expect(JSON.stringify(audit)).not.toContain(code);
      expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletion: processors told by webhook, consumer told what was deleted and what was kept and why; a restart sends nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), `pd-flow-del-${kind}-`));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    let app = await startApp(kind, dir, now);
    const email = `del.${kind}@example.com`;
    try {
      await app.call('processors.add', { name: `Analytics ${kind}`, system: 'shop', channel: 'webhook', address: hookUrl }, staff);
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email, name: 'Del Person' }, autoApprove: true }, staff);
      await app.settle(c.id);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'matched account number and date of birth', dataPoints: 2 }, staff);
      await app.settle(c.id);
      const done = await app.call('cases.get', { id: c.id }, staff);
      expect(done.status).toBe('closed');
      const mails = await mailTo(email);
      expect(mails.map((m) => m.subject)).toEqual([`We received your privacy request ${c.id}`, `The result of your deletion request ${c.id}`]);
      expect(mails[1]!.body.text).toContain('In total: 4 records deleted.');
      expect(mails[1]!.body.text).toContain('- 1 record in shop (orders) is kept because the law allows it: tax and accounting retention (7 years).');
      expect(mails[1]!.body.text).toContain('- 1 record in shop (sessions) also belongs to another person: it is kept until our staff review it.');
      expect(mails[1]!.body.text).toContain('We have also told our service providers and contractors to do the same.');
      const hook = hooks.find((h) => h.caseRef === c.id)!;
      expect(hook).toMatchObject({ type: 'deletion-request', system: 'shop', identifiers: { email, name: 'Del Person' } });
      const notices = await app.call('processors.notices', { id: c.id }, staff);
      expect(notices.map((n) => n.status)).toEqual(['sent']);
      const attention = await app.call('messages.attention', {}, staff);
      expect(attention.unconfirmedNotices.map((n) => n.caseId)).toContain(c.id);
      await app.call('processors.confirm', { token: String(hook.confirmToken) }, { actor: 'processor' });
      expect((await app.call('processors.notices', { id: c.id }, staff))[0]!.status).toBe('confirmed');

      // Restart: nothing is sent again.
      await app.close();
      app = await startApp(kind, dir, now);
      const { acknowledge, respond } = createResponseEffects(app.ctx);
      await acknowledge(c.id, { key: 'acknowledge#1' });
      await respond(c.id, { key: 'respond#1' });
      expect(await mailTo(email)).toHaveLength(2);
      expect(hooks.filter((h) => h.caseRef === c.id)).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
