// Through createApp on SQLite with the real SES v2 client against aws-ses-v2-local: staff declare,
// per system, what is sold, shared and disclosed for a business purpose and to which categories of
// recipients (disclosures.set with transfers, stored by migration 141), and the access report email
// read back from the emulator shows the breakdown per CCPA category (CCPA §1798.115) in its HTML,
// JSON and CSV attachments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { createResponseEffects } from '../../../shared/app/services/responses';
import { responsesService } from '../../../shared/app/services/responses-service';
import { SesSender } from '../../../shared/channels/email/ses-sender';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { AccessReportJsonSchema, parseCsv, REPORT_CSV_HEADER } from '../../../shared/domain/report';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator';
import { sampleDiscovery } from '../../support/responses-discovery';
import { installDatamapFake } from '../../support/fake-datamap';

let ses: SesEmulator;
beforeAll(async () => { ses = await startSesEmulator(); });
afterAll(async () => { await ses?.stop(); });
const staff = { actor: 'staff:ann' };

async function start(dir: string, now: { t: number }): Promise<App> {
  let app: App | undefined;
  const disc = new Map<string, DiscoveryResult>();
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, {
    clock: () => new Date(now.t),
    effects: {
      acknowledge: (id, s) => createResponseEffects(app!.ctx).acknowledge(id, s),
      respond: (id, s) => createResponseEffects(app!.ctx).respond(id, s),
      discover: async (id) => { disc.set(id, sampleDiscovery(id)); return { rows: 6, review: 0, exempt: 1, errors: 0 }; },
    },
  });
  installDatamapFake(app.ctx, { discoveryResult: async (id: string) => disc.get(id) ?? null });
  responsesService(app.ctx, {
    env: { PRIVACY_DESK_BUSINESS_NAME: 'Acme Outdoor', PRIVACY_DESK_PUBLIC_URL: 'https://privacy.acme.test' },
    sender: new SesSender({ region: 'us-east-1', from: 'privacy@acme.test', endpoint: ses.endpoint, credentials: ses.credentials }),
    retry: { attempts: 2, baseMs: 1, sleep: async () => undefined },
  });
  return app;
}

describe('the access report email: sold, shared, disclosed for a business purpose', () => {
  it('staff declare transfers per system; the emailed report shows them per category', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-disclosed-'));
    const now = { t: Date.parse('2026-03-02T15:00:00.000Z') };
    const app = await start(dir, now);
    const email = 'breakdown@example.com';
    try {
      await expect(app.call('disclosures.set', { system: 'crm', sources: ['You'], purposes: ['Support'], transfers: [{ kind: 'sold', recipients: [] }] } as never, staff))
        .rejects.toThrow(/name at least one category of recipients/u);
      await app.call('disclosures.set', { system: 'crm', sources: ['You (sign-up form)'], purposes: ['Customer support'], thirdParties: ['Mailer Inc.', 'Broker Co'], transfers: [
        { kind: 'sold', recipients: ['Data brokers'], categories: ['A'] },
        { kind: 'business_purpose', recipients: ['Email delivery services'] },
      ] }, staff);
      await app.call('disclosures.set', { system: 'shop', sources: ['You (checkout)'], purposes: ['Order fulfilment'], thirdParties: ['AdNet'], transfers: [
        { kind: 'shared', recipients: ['Advertising networks'], categories: ['F', 'K'] },
      ] }, staff);
      await app.call('disclosures.set', { system: 'hr', sources: ['Your job application'], purposes: ['Recruiting'], thirdParties: [], transfers: [] }, staff);
      const listed = await app.call('disclosures.list', {}, staff);
      expect(listed.find((d) => d.system === 'shop')!.transfers).toEqual([{ kind: 'shared', recipients: ['Advertising networks'], categories: ['F', 'K'] }]);
      expect(listed.find((d) => d.system === 'hr')!.transfers).toEqual([]);

      const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email } }, staff);
      await app.settle(c.id);
      await app.call('cases.verify', { id: c.id, method: 'staff', note: 'two data points matched', dataPoints: 2 }, staff);
      await app.call('cases.discover', { id: c.id }, staff);
      await app.settle(c.id);
      await app.call('cases.approve', { id: c.id }, staff);
      await app.settle(c.id);
      expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('closed');

      const mail = (await ses.emails()).find((e) => e.destination.to.includes(email) && e.subject.includes('report'))!;
      const files = new Map(mail.attachments.map((a) => [a.filename, Buffer.from(a.content, 'base64').toString('utf8')]));
      const html = files.get('personal-information-report.html')!;
      expect(html).toContain('<h2>Sold, shared or disclosed for a business purpose</h2>');
      expect(html).toMatch(/<th scope="row">Identifiers<\/th><td><span class="tag">Data brokers<\/span><\/td><td class="no">Not shared<\/td><td><span class="tag">Email delivery services<\/span><\/td>/u);
      expect(html).toMatch(/<th scope="row">Inferences drawn to create a profile<\/th><td class="no">Not sold<\/td><td><span class="tag">Advertising networks<\/span><\/td><td class="no">Not disclosed<\/td>/u);
      expect(html).toMatch(/<th scope="row">Education information<\/th><td class="no">Not sold<\/td><td class="no">Not shared<\/td><td class="no">Not disclosed<\/td>/u);

      const json = AccessReportJsonSchema.parse(JSON.parse(files.get('personal-information.json')!));
      expect(json.disclosed.find((d) => d.letter === 'A')).toMatchObject({ sold: ['Data brokers'], shared: [], businessPurpose: ['Email delivery services'], itemised: true, systems: ['crm', 'shop'] });
      expect(json.disclosed.find((d) => d.letter === 'F')).toMatchObject({ sold: [], shared: ['Advertising networks'], businessPurpose: [] });
      expect(json.systems.find((s) => s.system === 'hr')!.transfers).toEqual([]);
      const csv = parseCsv(files.get('personal-information.csv')!);
      expect(csv[0]).toEqual([...REPORT_CSV_HEADER]);
      const emailLine = csv.find((r) => r[4] === 'email')!;
      expect(emailLine.slice(-3)).toEqual(['Data brokers', 'none', 'Email delivery services']);

      // Set again without transfers: back to not itemised, and the report says so rather than "Not sold".
      await app.call('disclosures.set', { system: 'shop', sources: ['You (checkout)'], purposes: ['Order fulfilment'], thirdParties: ['AdNet'] }, staff);
      expect((await app.call('disclosures.list', {}, staff)).find((d) => d.system === 'shop')!.transfers).toBeNull();
      const preview = await app.call('reports.preview', { id: c.id, format: 'html' }, staff);
      expect(preview.content).toContain('Disclosed to AdNet; we have not yet stated which of these applies');
    } finally { await app.close(); rmSync(dir, { recursive: true, force: true }); }
  }, 120_000);
});
