// The real SES v2 client against aws-ses-v2-local: simple and raw MIME sends, attachments read back
// and parsed, the size switch to a download link, idempotent sends, and failures that retry and
// then surface instead of vanishing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SesSender } from '../../../shared/channels/email/ses-sender';
import { Mailer, EmailDeliveryError } from '../../../shared/channels/email/mailer';
import { ReportLinks } from '../../../shared/channels/report-links';
import { buildAccessReport, CCPA_CATEGORIES, parseCsv, REPORT_CSV_HEADER } from '../../../shared/domain/report';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { estimatedMimeBytes, composeMime } from '../../../shared/channels/email/message';
import { reportFiles } from '../../../shared/app/services/responses';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator';
import { responsesEnv, type ResponsesEnv } from '../../support/responses-env';
import { sampleDiscovery } from '../../support/responses-discovery';

let ses: SesEmulator;
let env: ResponsesEnv;
const CASE = 'PD-20260302-ABCDEF';

function mailer(endpoint = ses.endpoint, retry = { attempts: 3, baseMs: 1, sleep: async () => undefined }) {
  const sender = new SesSender({ region: 'us-east-1', from: 'privacy@acme.test', endpoint, credentials: ses.credentials, configurationSet: 'privacy' });
  return new Mailer({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, sender, from: 'privacy@acme.test', businessName: 'Acme', retry });
}

beforeAll(async () => { ses = await startSesEmulator(); });
afterAll(async () => { await ses.stop(); });
beforeEach(async () => { await ses.clear(); env = await responsesEnv(); return () => env.close(); });

describe('SES v2 email', () => {
  it('sends a simple message: recipient, subject without PII, both bodies; recorded and audited', async () => {
    const m = mailer();
    const rec = await m.send({ caseId: CASE, dedupeKey: `${CASE}:acknowledgement`, template: 'acknowledgement', locale: 'en', to: ' Jane.Doe@Example.com ',
      vars: { requestAction: 'delete your personal information', receivedDate: '2026-03-02', dueDate: '2026-04-16' }, actor: 'system' });
    const [e, ...rest] = await ses.emails();
    expect(rest).toHaveLength(0);
    expect(e!.destination.to).toEqual(['jane.doe@example.com']);
    expect(e!.from).toBe('privacy@acme.test');
    expect(e!.subject).toBe(`We received your privacy request ${CASE}`);
    expect(e!.subject).not.toMatch(/jane/iu);
    expect(e!.body.text).toContain('We will respond by 2026-04-16');
    expect(e!.body.html).toContain('<b>delete your personal information</b>');
    expect(rec).toMatchObject({ status: 'sent', providerMessageId: e!.messageId, attempts: 1, recipientMasked: 'j***@example.com', channel: 'email', provider: 'ses' });
    const audit = await env.audit.forCase(CASE);
    expect(audit.map((a) => a.action)).toEqual(['message.sent']);
    expect(audit[0]!.detail).toMatchObject({ template: 'acknowledgement', to: 'j***@example.com', messageId: e!.messageId });
    expect(JSON.stringify(audit)).not.toContain('jane.doe');
  });

  it('sends the access report as raw MIME: the JSON equals the discovery result, the CSV parses, the HTML shows every category', async () => {
    const discovery: DiscoveryResult = { ...sampleDiscovery(CASE), collections: sampleDiscovery(CASE).collections.map((c) => ({ ...c, rows: c.rows.filter((r) => !r.shared) })) };
    const report = buildAccessReport(discovery, { businessName: 'Acme', generatedAt: '2026-03-10T00:00:00.000Z' });
    const rec = await mailer().send({ caseId: CASE, dedupeKey: `${CASE}:access-report`, template: 'access-report', locale: 'en', to: 'jane.doe@example.com',
      attachments: reportFiles(report), delivery: 'attachments', vars: { delivery: 'attached', deliveryHtml: '<p>attached</p>', scopeText: '', summary: '', summaryHtml: '' }, actor: 'system' });
    expect(rec.delivery).toBe('attachments');
    const [stored] = await ses.emails();
    const mail = await ses.mime(stored!.messageId);
    expect(mail.subject).toBe(`Your personal information report for request ${CASE}`);
    expect((mail.to as { text: string }).text).toBe('jane.doe@example.com');
    // The emulator parsed our raw MIME with mailparser and keeps each attachment base64-encoded.
    const byName = new Map(stored!.attachments.map((a) => [a.filename, { ...a, content: Buffer.from(a.content, 'base64') }]));
    expect(byName.get('personal-information.json')!.contentType).toBe('application/json');
    expect([...byName.keys()].sort()).toEqual(['personal-information-report.html', 'personal-information.csv', 'personal-information.json']);
    const json = JSON.parse(byName.get('personal-information.json')!.content.toString('utf8')) as { data: DiscoveryResult };
    // The discovery result, except the values the law forbids sending (§7024(d)): stated, not shown.
    const crm = discovery.collections[0]!;
    expect(json.data).toEqual({ ...discovery, collections: [{ ...crm, rows: [{ ...crm.rows[0]!, values: { ...crm.rows[0]!.values,
      ssn: "[not shown: we hold a government-issued identification number (such as a Social Security, driver's licence or passport number); for your security it is never sent]",
      fingerprint_hash: '[not shown: we hold unique biometric data; for your security it is never sent]' } }] }, ...discovery.collections.slice(1)] });
    expect(byName.get('personal-information.json')!.content.toString('utf8')).not.toContain('123-45-6789');
    const csv = parseCsv(byName.get('personal-information.csv')!.content.toString('utf8'));
    expect(csv[0]).toEqual([...REPORT_CSV_HEADER]);
    expect(csv.length).toBeGreaterThan(10);
    const html = byName.get('personal-information-report.html')!.content.toString('utf8');
    for (const label of Object.values(CCPA_CATEGORIES)) expect(html).toContain(label.replace(/&/gu, '&amp;'));
    expect(mail.text).toContain('attached');
  });

  it('a report over the size limit goes as a time-limited link that opens the same files', async () => {
    const report = buildAccessReport(sampleDiscovery(CASE), { businessName: 'Acme', generatedAt: '2026-03-10T00:00:00.000Z' });
    const files = reportFiles(report);
    const limit = 4096;
    expect(estimatedMimeBytes({ to: 'a@b.co', from: 'c@d.co', subject: 's', html: '', text: '', attachments: files })).toBeGreaterThan(limit);
    // The estimate is an upper bound of the real MIME size.
    const real = (await composeMime({ to: 'a@b.co', from: 'c@d.co', subject: 's', html: 'x', text: 'x', attachments: files })).byteLength;
    expect(estimatedMimeBytes({ to: 'a@b.co', from: 'c@d.co', subject: 's', html: 'x', text: 'x', attachments: files })).toBeGreaterThanOrEqual(real);
    const links = new ReportLinks({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, dataDir: env.dir, publicUrl: 'https://privacy.acme.test' });
    const link = await links.create(CASE, files.map((f) => ({ name: f.filename, contentType: f.contentType, content: f.content })), 7, 'system');
    await mailer().send({ caseId: CASE, dedupeKey: `${CASE}:access-report`, template: 'access-report', locale: 'en', to: 'jane.doe@example.com', delivery: 'link',
      vars: { delivery: `Download: ${link.url}`, deliveryHtml: `<p><a href="${link.url}">Download</a></p>`, scopeText: '', summary: '', summaryHtml: '' }, actor: 'system' });
    const [e] = await ses.emails();
    expect(e!.attachments).toHaveLength(0);
    const url = /https:\/\/privacy\.acme\.test\/reports\/(\S+)/u.exec(e!.body.text!)!;
    const token = url[1]!;
    const json = await links.open(token, 'personal-information.json', 'consumer');
    expect(Buffer.from(json.content).equals(Buffer.from(files[1]!.content))).toBe(true);
    const tampered = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`; // always a different signature
    await expect(links.open(tampered, 'personal-information.json', 'consumer')).rejects.toThrow(/not valid/u);
    env.setNow('2026-03-09T15:00:01.000Z');
    await expect(links.open(token, 'personal-information.json', 'consumer')).rejects.toThrow(/expired/u);
    expect(await links.purgeExpired()).toBe(1);
  });

  it('sends each logical message once, even when asked again (restart, retry)', async () => {
    const m = mailer();
    const req = { caseId: CASE, dedupeKey: `${CASE}:acknowledgement`, template: 'acknowledgement' as const, locale: 'en' as const, to: 'jane.doe@example.com',
      vars: { requestAction: 'x', receivedDate: 'y', dueDate: 'z' }, actor: 'system' };
    const a = await m.send(req);
    const b = await mailer().send(req);
    expect(b.id).toBe(a.id);
    expect(await ses.emails()).toHaveLength(1);
  });

  it('a send that keeps failing is retried, recorded as failed on the case and thrown; a later retry sends it', async () => {
    let slept = 0;
    const dead = mailer('http://127.0.0.1:9', { attempts: 3, baseMs: 1, sleep: async () => { slept += 1; } });
    const req = { caseId: CASE, dedupeKey: `${CASE}:acknowledgement`, template: 'acknowledgement' as const, locale: 'en' as const, to: 'jane.doe@example.com',
      vars: { requestAction: 'x', receivedDate: 'y', dueDate: 'z' }, actor: 'system' };
    const err = await dead.send(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect((err as Error).message).toMatch(/failed after 3 attempt/u);
    expect((err as Error).message).not.toContain('jane.doe');
    expect(slept).toBe(2);
    const failed = await dead.messages.forCase(CASE);
    expect(failed).toMatchObject([{ status: 'failed', attempts: 3 }]);
    expect(await dead.messages.needingAttention(env.clock())).toHaveLength(1);
    expect((await env.audit.forCase(CASE)).map((a) => a.action)).toEqual(['message.failed']);
    const ok = await mailer().send(req);
    expect(ok).toMatchObject({ id: failed[0]!.id, status: 'sent', attempts: 4 });
    expect(await ses.emails()).toHaveLength(1);
  });
});
