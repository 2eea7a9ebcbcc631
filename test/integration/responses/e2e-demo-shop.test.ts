// The whole product path with nothing stood in: createApp with its default effects (the data map's
// discovery over the demo shop SQLite system + the responses), the real SES v2 client against
// aws-ses-v2-local. An access request from intake to the emailed report; the JSON attachment equals
// what discovery found (minus rows shared with other people); the case closes inside its deadline
// and every message is on its audit timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService } from '../../../shared/app/datamap/service';
import { responsesService } from '../../../shared/app/services/responses-service';
import { SesSender } from '../../../shared/channels/email/ses-sender';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { CCPA_CATEGORIES, parseCsv } from '../../../shared/domain/report';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator';

let ses: SesEmulator;
let app: App;
let dir: string;
const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
const staff = { actor: 'staff:ann' };

beforeAll(async () => {
  ses = await startSesEmulator();
  dir = mkdtempSync(join(tmpdir(), 'pd-e2e-shop-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, { clock: () => new Date(now.t) });
  responsesService(app.ctx, {
    env: { PRIVACY_DESK_BUSINESS_NAME: 'Demo Shop', PRIVACY_DESK_SES_FROM: 'privacy@shop.test' },
    sender: new SesSender({ region: 'us-east-1', from: 'privacy@shop.test', endpoint: ses.endpoint, credentials: ses.credentials }),
  });
  await datamapService(app.ctx).registerDemoShop(join(dir, 'shop'), 'demo');
});
afterAll(async () => {
  await app?.close();
  await ses?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('intake to emailed report over the demo shop', () => {
  it('answers an access request with the data the shop holds', async () => {
    const email = 'ann.lee@example.com';
    const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'web', identities: { email }, specificPieces: true, autoApprove: true }, staff);
    await app.settle(c.id);
    now.t += 2 * 3_600_000;
    await app.call('codes.send', { id: c.id }, staff);
    const codeMail = (await ses.emails()).find((e) => e.subject.startsWith('Your verification code'))!;
    const code = /verification code is: (\d{6})/u.exec(codeMail.body.text!)![1]!;
    expect((await app.call('codes.check', { id: c.id, code }, { actor: 'consumer' })).ok).toBe(true);
    await app.settle(c.id);
    now.t += 86_400_000;
    const declaration = await app.call('declarations.store', { id: c.id, signedName: 'Ann Lee', signedOn: '2026-03-03' }, staff);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'loyalty id and date of birth matched; signed declaration on file', dataPoints: 3, declarationId: declaration.documentId }, staff);
    await app.settle(c.id);

    const done = await app.call('cases.get', { id: c.id }, staff);
    expect(done.status).toBe('closed');
    expect(done.closedAt!.slice(0, 10) <= done.deadlines.respond).toBe(true);

    const mails = (await ses.emails()).filter((e) => e.destination.to.includes(email));
    expect(mails.map((m) => m.subject)).toEqual([
      `We received your privacy request ${c.id}`, `Your verification code for request ${c.id}`, `Your personal information report for request ${c.id}`,
    ]);
    const files = new Map(mails[2]!.attachments.map((a) => [a.filename, Buffer.from(a.content, 'base64').toString('utf8')]));
    const json = JSON.parse(files.get('personal-information.json')!) as { data: DiscoveryResult; scope: string; totals: { rows: number } };
    const found = app.ctx.services.datamap!.discoveryResult(c.id);
    const discovery = (await found)!;
    expect(json.scope).toBe('specific-pieces');
    expect(json.totals.rows).toBeGreaterThan(0);
    // The report holds every row of Ann's (shared and other people's rows withheld), row for row;
    // her card (hers alone: Carol's order only points at it) is listed with its number withheld (§7024(d)).
    const keysOf = (d: DiscoveryResult) => d.collections.map((col) => [col.collection, col.rows.map((r) => JSON.stringify(r.key))]);
    expect(keysOf(json.data)).toEqual(keysOf({ ...discovery, collections: discovery.collections.map((col) => ({ ...col, rows: col.rows.filter((r) => !r.shared && !r.other) })) }));
    const card = json.data.collections.find((col) => col.collection === 'payment_cards')!.rows[0]!;
    expect(String(card.values.card_number)).toMatch(/not shown/iu);
    expect(files.get('personal-information.json')).not.toContain('4111111111111111');
    expect(files.get('personal-information.json')).toContain('Where is my order?');
    expect(parseCsv(files.get('personal-information.csv')!).length).toBeGreaterThan(5);
    for (const label of Object.values(CCPA_CATEGORIES)) expect(files.get('personal-information-report.html')).toContain(label.replace(/&/gu, '&amp;'));

    const audit = await app.call('cases.audit', { id: c.id }, staff);
    expect(audit.filter((a) => a.action === 'message.sent').map((a) => a.detail.template)).toEqual(['acknowledgement', 'verification-code', 'access-report']);
    expect(audit.filter((a) => a.action === 'message.sent').map((a) => a.detail.messageId)).toEqual(mails.map((m) => m.messageId));
    expect(JSON.stringify(audit)).not.toContain(email);
    expect((await app.call('audit.verify', {}, staff)).ok).toBe(true);
  });

  it('answers a deletion: the shop rows are erased, the processor is told, the consumer gets what was kept and why', async () => {
    const email = 'bob.lee@example.com';
    await app.call('processors.add', { name: 'Parcel Co', system: 'demo-shop', channel: 'email', address: 'dpo@parcel.test' }, staff);
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email }, autoApprove: true }, staff);
    await app.settle(c.id);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'two data points matched', dataPoints: 2 }, staff);
    await app.settle(c.id);
    // Bob's customer row holds a government id (sensitive, CCPA category L): the deletion waits for
    // the high level (11 CCR §7062(d)) and nothing is erased or sent before it.
    expect(await app.call('cases.get', { id: c.id }, staff)).toMatchObject({ status: 'in_review', requiredLevel: 'high' });
    await expect(app.call('cases.approve', { id: c.id }, staff)).rejects.toThrow(/sensitive personal information.*needs the high level/u);
    expect((await ses.emails()).some((e) => e.destination.to.includes('dpo@parcel.test'))).toBe(false);
    const d = await app.call('declarations.store', { id: c.id, signedName: 'Bob Lee', signedOn: '2026-03-02' }, staff);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'date of birth matched too; signed declaration stored', dataPoints: 3, declarationId: d.documentId }, staff);
    await app.call('cases.approve', { id: c.id }, staff);
    await app.settle(c.id);
    const done = await app.call('cases.get', { id: c.id }, staff);
    expect(done.status).toBe('closed');
    const mails = await ses.emails();
    const result = mails.find((e) => e.destination.to.includes(email) && e.subject === `The result of your deletion request ${c.id}`)!;
    // Built from what the erasure applied and the check confirmed (the data map's tables).
    expect(result.body.text).toMatch(/^- [^\n]+: ([1-9]\d* records? deleted|your personal details removed from [1-9]\d* records?)/mu);
    expect(result.body.text).toContain('We checked our systems again afterwards: the information we removed is no longer there.');
    expect(result.body.text).toContain('We have also told our service providers and contractors to do the same.');
    const notice = mails.find((e) => e.destination.to.includes('dpo@parcel.test'))!;
    expect(notice.subject).toBe(`Deletion request ${c.id} from Demo Shop`);
    expect(notice.body.text).toContain(`email: ${email}`);
    const notices = await app.call('processors.notices', { id: c.id }, staff);
    expect(notices).toMatchObject([{ processorName: 'Parcel Co', status: 'sent' }]);
    const templates = (await app.call('cases.audit', { id: c.id }, staff)).filter((a) => a.action === 'message.sent').map((a) => a.detail.template);
    expect(templates).toEqual(['acknowledgement', 'processor-deletion-notice', 'deletion-result']);
  });
});
