// Sensitive data raises a deletion's verification (issue 14 item 5; 11 CCR §7062(d)): when
// discovery finds rows holding sensitive personal information (CCPA category L), the deletion
// needs the high level (3 data points + a signed declaration) before it may be approved, also
// with auto-approval; without sensitive rows the reasonable level stays enough. The case machine's
// rule is tested with a discovery summary naming the sensitive rows; the data map counts them
// (sensitiveRows, here over the sample discovery) unless PRIVACY_DESK_SENSITIVE_DELETION_LEVEL=reasonable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { levelAfterDiscovery } from '../../../shared/domain/case-machine';
import { sensitiveRows } from '../../../shared/app/datamap/find';
import { sampleDiscovery } from '../../support/responses-discovery';

const staff = { actor: 'staff:ann' };
let dir: string;
let app: App;
const sensitiveOf = new Map<string, number>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-sensitive-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, {
    clock: () => new Date('2026-11-20T18:00:00Z'),
    effects: {
      acknowledge: async () => undefined,
      discover: async (id) => ({ rows: 3, review: 0, exempt: 0, errors: 0, ...(sensitiveOf.get(id) ? { sensitive: sensitiveOf.get(id) } : {}) }),
      execute: async () => ({ deleted: 3, masked: 0, updated: 0, errors: 0 }),
      checkResult: async () => ({ ok: true, remaining: 0 }),
      respond: async () => undefined,
    },
  });
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

async function discovered(email: string, sensitive: number, autoApprove = false): Promise<string> {
  const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email }, autoApprove }, staff);
  await app.settle(c.id);
  sensitiveOf.set(c.id, sensitive);
  await app.call('cases.verify', { id: c.id, method: 'staff', note: 'email and ZIP matched', dataPoints: 2 }, staff);
  if (!autoApprove) await app.call('cases.discover', { id: c.id }, staff);
  await app.settle(c.id);
  return c.id;
}

describe('sensitive data found: a deletion needs the high level', () => {
  it('the level rule', () => {
    expect(levelAfterDiscovery({ type: 'delete', requiredLevel: 'reasonable' }, { sensitive: 2 })).toBe('high');
    expect(levelAfterDiscovery({ type: 'delete_pii', requiredLevel: 'reasonable' }, { sensitive: 1 })).toBe('high');
    expect(levelAfterDiscovery({ type: 'delete', requiredLevel: 'reasonable' }, {})).toBe('reasonable');
    expect(levelAfterDiscovery({ type: 'access', requiredLevel: 'reasonable' }, { sensitive: 5 })).toBe('reasonable');
    // The sample's crm customer row holds a government id and a fingerprint hash (category L); no other row does.
    expect(sensitiveRows(sampleDiscovery('PD-1'))).toBe(1);
    // A delete_pii limited to categories counts only the sensitive fields it would erase.
    expect(sensitiveRows(sampleDiscovery('PD-1'), ['user.name', 'user.contact'])).toBe(0);
    expect(sensitiveRows(sampleDiscovery('PD-1'), ['user.government_id'])).toBe(1);
    expect(sensitiveRows(sampleDiscovery('PD-1'), ['user'])).toBe(1);
    // Another person's row, or a row the law keeps (exempt), is not erased: it does not count.
    const d = sampleDiscovery('PD-1');
    const others = { ...d, collections: d.collections.map((c) => ({ ...c, rows: c.rows.map((r) => ({ ...r, other: { reason: 'referred by the subject' } })) })) };
    const exempt = { ...d, collections: d.collections.map((c) => ({ ...c, rows: c.rows.map((r) => ({ ...r, exempt: { reason: 'legal hold' } })) })) };
    expect(sensitiveRows(others as never)).toBe(0);
    expect(sensitiveRows(exempt as never)).toBe(0);
  });

  it('refuses approval until verified to the high level, then erases', async () => {
    const id = await discovered('sensitive@example.com', 2);
    const c = await app.call('cases.get', { id }, staff);
    expect(c).toMatchObject({ status: 'in_review', requiredLevel: 'high', verification: { level: 'reasonable' } });
    await expect(app.call('cases.approve', { id }, staff)).rejects.toThrow(/sensitive personal information.*needs the high level/u);
    const d = await app.call('declarations.store', { id, signedName: 'Sam Sensitive', signedOn: '2026-11-20' }, staff);
    await app.call('cases.verify', { id, method: 'staff', note: 'date of birth matched too', dataPoints: 3, declarationId: d.documentId }, staff);
    await app.call('cases.approve', { id }, staff);
    await app.settle(id);
    expect((await app.call('cases.get', { id }, staff)).status).toBe('closed');
  });

  it('without sensitive rows the reasonable level is enough; auto-approval stops for sensitive rows', async () => {
    const plain = await discovered('plain.delete@example.com', 0);
    expect((await app.call('cases.get', { id: plain }, staff)).requiredLevel).toBe('reasonable');
    await app.call('cases.approve', { id: plain }, staff);
    await app.settle(plain);
    expect((await app.call('cases.get', { id: plain }, staff)).status).toBe('closed');
    const auto = await discovered('auto.sensitive@example.com', 1, true);
    expect(await app.call('cases.get', { id: auto }, staff)).toMatchObject({ status: 'in_review', requiredLevel: 'high' });
  });
});
