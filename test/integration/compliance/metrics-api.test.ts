// compliance.metrics through createApp on SQLite (issue 14 item 4): real cases worked through the
// case machine (effects stubbed only for what they report: a discovery with rows kept as exempt
// makes an access "complied with in part"), then the §7102 figures per right; and the CLI's
// `compliance metrics --csv`. Expected figures worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';

const staff = { actor: 'staff:ann' };
let dir: string;
let app: App;
const now = { t: 0 };
const exemptOf = new Map<string, number>();
const at = (iso: string) => { now.t = Date.parse(iso); };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-metrics-'));
  at('2026-01-01T00:00:00Z');
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, {
    clock: () => new Date(now.t),
    effects: {
      acknowledge: async () => undefined,
      discover: async (id) => ({ rows: 2, review: 0, exempt: exemptOf.get(id) ?? 0, errors: 0 }),
      execute: async () => ({ deleted: 1, masked: 0, updated: 0, errors: 0 }),
      checkResult: async () => ({ ok: true, remaining: 0 }),
      respond: async () => undefined,
    },
  });
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

async function open(type: 'access' | 'delete' | 'delete_pii' | 'opt_out', jurisdiction: 'CA' | 'VA', receivedAt: string, email: string): Promise<string> {
  const c = await app.call('cases.create', { type, jurisdiction, identities: { email }, receivedAt }, staff);
  await app.settle(c.id);
  return c.id;
}
async function answerAccess(id: string, when: string, exempt = 0): Promise<void> {
  at(when);
  exemptOf.set(id, exempt);
  await app.call('cases.verify', { id, method: 'staff', note: 'two data points', dataPoints: 2 }, staff);
  await app.call('cases.discover', { id }, staff);
  await app.settle(id);
  await app.call('cases.approve', { id }, staff);
  await app.settle(id);
  expect((await app.call('cases.get', { id }, staff)).status).toBe('closed');
}

describe('compliance.metrics', () => {
  it('counts a year of real cases per right, scope stated', async () => {
    at('2026-03-02T18:00:00Z');
    const a = await open('access', 'CA', '2026-03-02T18:00:00Z', 'm.a@example.com');
    await answerAccess(a, '2026-03-12T18:00:00Z'); // whole, 10 days
    at('2026-04-01T18:00:00Z');
    const b = await open('access', 'CA', '2026-04-01T18:00:00Z', 'm.b@example.com');
    await answerAccess(b, '2026-04-21T18:00:00Z', 1); // in part (a row kept as exempt), 20 days
    at('2026-05-01T18:00:00Z');
    const c = await open('delete', 'CA', '2026-05-01T18:00:00Z', 'm.c@example.com');
    at('2026-05-04T18:00:00Z');
    await app.call('cases.deny', { id: c, reason: 'unverifiable', note: 'no match' }, staff); // denied, 3 days
    at('2026-05-02T18:00:00Z');
    const d = await open('delete_pii', 'CA', '2026-05-02T18:00:00Z', 'm.d@example.com');
    at('2026-05-03T18:00:00Z');
    await app.call('cases.deny', { id: d, reason: 'withdrawn' }, staff); // withdrawn: not a denial
    at('2026-06-03T18:00:00Z');
    const e = await open('opt_out', 'CA', '2026-06-01T18:00:00Z', 'm.e@example.com'); // applied on 3 June: 2 days
    expect((await app.call('cases.get', { id: e }, staff)).status).toBe('closed');
    at('2026-07-01T16:00:00Z');
    const f = await open('delete', 'VA', '2026-07-01T16:00:00Z', 'm.f@example.com');
    at('2026-07-11T16:00:00Z');
    await app.call('cases.deny', { id: f, reason: 'exempt', note: 'records under a legal obligation' }, staff); // VA, 10 days
    at('2026-07-12T16:00:00Z');
    await open('access', 'CA', '2025-12-31T20:00:00Z', 'm.g@example.com'); // received in 2025 (California date)
    at('2026-08-02T16:00:00Z');
    await open('access', 'CA', '2026-08-01T18:00:00Z', 'm.h@example.com'); // pending

    at('2026-12-01T18:00:00Z');
    const ca = await app.call('compliance.metrics', { year: 2026, jurisdiction: 'CA' }, staff);
    expect(ca.scope).toMatchObject({ year: 2026, jurisdiction: 'CA' });
    const row = (m: typeof ca, r: string) => m.rows.find((x) => x.right === r)!;
    // know: a (10 d), b (in part, 20 d), h pending: mean 15, median 15
    expect(row(ca, 'know')).toMatchObject({ received: 3, compliedInWhole: 1, compliedInPart: 1, denied: 0, pending: 1, meanDays: 15, medianDays: 15 });
    // delete (delete + delete_pii): c denied unverifiable in 3 days, d withdrawn
    expect(row(ca, 'delete')).toMatchObject({ types: ['delete', 'delete_pii'], received: 2, denied: 1, deniedByReason: { unverifiable: 1, exempt: 0, duplicate: 0 }, withdrawn: 1, meanDays: 3, medianDays: 3 });
    expect(row(ca, 'opt_out')).toMatchObject({ received: 1, compliedInWhole: 1, meanDays: 2, medianDays: 2 });
    expect(row(ca, 'limit')).toMatchObject({ received: 0, meanDays: null });
    expect(ca.csv.split('\r\n')[2]).toBe('2026,CA,delete,2,0,0,1,1,0,0,1,0,3,3');

    const all = await app.call('compliance.metrics', { year: 2026 }, staff);
    expect(all.scope.jurisdiction).toBe('all');
    // + f (VA) denied exempt in 10 days: delete days 3, 10: mean 6.5, median 6.5
    expect(row(all, 'delete')).toMatchObject({ received: 3, denied: 2, deniedByReason: { unverifiable: 1, exempt: 1, duplicate: 0 }, withdrawn: 1, meanDays: 6.5, medianDays: 6.5 });
    expect((await app.call('compliance.metrics', { year: 2025 }, staff)).total.received).toBe(1);
  });

  it('privacy-desk compliance metrics --csv / --json on the same store', async () => {
    await app.close();
    const run = (...args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'bin/privacy-desk.mjs'), '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args],
      { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-12-01T18:00:00Z' } });
    const csv = run('compliance', 'metrics', '--year', '2026', '--jurisdiction', 'CA', '--csv');
    expect(csv.stderr).toBe('');
    expect(csv.stdout.split('\r\n').slice(0, 3)).toEqual([
      'year,jurisdiction,right,received,complied_in_whole,complied_in_part,denied,denied_unverifiable,denied_exempt,denied_duplicate,withdrawn,pending,mean_days,median_days',
      '2026,CA,know,3,1,1,0,0,0,0,0,1,15,15',
      '2026,CA,delete,2,0,0,1,1,0,0,1,0,3,3',
    ]);
    const j = JSON.parse(run('compliance', 'metrics', '--year', '2026', '--json').stdout);
    expect(j.scope.counts).toContain('Withdrawn requests are neither complied with nor denied');
    const bad = run('compliance', 'metrics');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--year YYYY is required');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, { clock: () => new Date(now.t) });
  });
});
