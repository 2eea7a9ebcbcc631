// A request for specific pieces verified only to the reasonable level (issue 14 item 5; 11 CCR
// §7024(c)): instead of waiting in `verifying` for a high level it cannot reach, staff answer it with
// the categories report (cases.categoriesOnly): the case goes on, the report email says it holds
// no specific pieces, the §7102 figures count it as complied with in part, and it may be appealed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { createResponseEffects } from '../../../shared/app/services/responses';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { sampleDiscovery } from '../../support/responses-discovery';
import { installDatamapFake } from '../../support/fake-datamap';

const staff = { actor: 'staff:ann' };
const DECLARED = ['crm', 'hr', 'shop'].map((system) => ({ system, sources: ['You'], purposes: ['Customer service'], thirdParties: [] }));
let dir: string;
let app: App;
const now = { t: Date.parse('2027-02-01T16:00:00Z') };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-categories-only-'));
  const disc = new Map<string, DiscoveryResult>();
  let a: App | undefined;
  a = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, {
    clock: () => new Date(now.t),
    effects: {
      acknowledge: (id, s) => createResponseEffects(a!.ctx).acknowledge(id, s),
      respond: (id, s) => createResponseEffects(a!.ctx).respond(id, s),
      discover: async (id) => { disc.set(id, sampleDiscovery(id)); return { rows: 6, review: 0, exempt: 0, errors: 0 }; },
    },
  });
  installDatamapFake(a.ctx, { discoveryResult: async (id: string) => disc.get(id) ?? null, systemDisclosures: async () => DECLARED });
  app = a;
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('categories report instead of specific pieces', () => {
  it('a specific-pieces access stuck at the reasonable level is answered with the categories report', async () => {
    const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CO', identities: { email: 'pieces@example.com' }, specificPieces: true }, staff);
    await app.settle(c.id);
    await expect(app.call('cases.categoriesOnly', { id: c.id, note: 'no third data point' }, staff)).rejects.toThrow(/verify it to the reasonable level first/u);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'email and ZIP matched', dataPoints: 2 }, staff);
    expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('verifying'); // high not reached: it would wait here
    now.t += 86_400_000;
    const v = await app.call('cases.categoriesOnly', { id: c.id, note: 'the consumer cannot give a third data point' }, staff);
    expect(v).toMatchObject({ status: 'verified', requiredLevel: 'reasonable' });
    await app.call('cases.discover', { id: c.id }, staff);
    await app.settle(c.id);
    await app.call('cases.approve', { id: c.id }, staff);
    await app.settle(c.id);
    expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('closed');

    const msg = (await app.call('messages.list', { id: c.id }, staff)).find((m) => m.template === 'access-report')!;
    const body = await app.call('messages.body', { id: c.id, messageId: msg.id }, staff);
    expect(body.text).toContain('It does not include the specific pieces of information');
    const audit = await app.call('cases.audit', { id: c.id }, staff);
    expect(audit.find((e) => e.action === 'case.categories_only')?.detail).toMatchObject({ note: 'the consumer cannot give a third data point' });

    const m = await app.call('compliance.metrics', { year: 2027, jurisdiction: 'CO' }, staff);
    expect(m.rows.find((r) => r.right === 'know')).toMatchObject({ received: 1, compliedInWhole: 0, compliedInPart: 1 });
    const appeal = await app.call('appeals.file', { id: c.id, reason: 'I want the specific pieces' }, staff);
    expect(appeal.deadlines.respond).toBe('2027-03-19'); // Colorado: 45 days from today, 2027-02-02
    // A case not asking for specific pieces cannot fall back.
    const plain = await app.call('cases.create', { type: 'access', jurisdiction: 'CO', identities: { email: 'plain@example.com' } }, staff);
    await app.settle(plain.id);
    await expect(app.call('cases.categoriesOnly', { id: plain.id, note: 'x' }, staff)).rejects.toThrow(/not a request for specific pieces/u);
  });
});
