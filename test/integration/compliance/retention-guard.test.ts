// The §7101 floor on retention purges (issue 14 item 6): `retention purge --before` with a cut-off
// younger than 24 months is refused; with --force and a reason it runs and the reason is audited
// (sealed like a note); --force without a reason is a usage error. API and CLI on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';

const staff = { actor: 'staff:ann' };
let dir: string;
let app: App;
const now = { t: Date.parse('2027-06-15T12:00:00Z') };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-retention-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, { clock: () => new Date(now.t) });
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('retention purge: the 24-month floor', () => {
  it('refuses a cut-off younger than 24 months, runs it when forced with a reason, audited', async () => {
    // A case denied on 2026-03-01: 15 months old on 2027-06-15.
    const t0 = now.t;
    now.t = Date.parse('2026-03-01T12:00:00Z');
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'old.case@example.com' } }, staff);
    await app.settle(c.id);
    await app.call('cases.deny', { id: c.id, reason: 'unverifiable' }, staff);
    now.t = t0;

    // The default cut-off (24 months back: 2025-06-15) purges nothing; an explicit older one is fine.
    expect((await app.call('retention.purge', {}, staff)).purged).toBe(0);
    expect((await app.call('retention.purge', { before: '2025-06-01T00:00:00Z' }, staff)).purged).toBe(0);
    await expect(app.call('retention.purge', { before: '2026-06-01T00:00:00Z' }, staff))
      .rejects.toThrow(/would purge records younger than 24 months \(11 CCR §7101 keeps them until 2025-06-15T12:00:00.000Z\)/u);
    await expect(app.call('retention.purge', { before: '2026-06-01T00:00:00Z', force: true }, staff)).rejects.toThrow(/reason: required with force/u);
    expect((await app.call('cases.get', { id: c.id }, staff)).identitiesMasked.email).toBe('o***@example.com');

    const r = await app.call('retention.purge', { before: '2026-06-01T00:00:00Z', force: true, reason: 'Court order 27-CV-1234 of 2027-06-10' }, staff);
    expect(r.purged).toBe(1);
    const forced = await app.ctx.db.get<{ actor: string; detail: string }>("SELECT actor, detail FROM audit_log WHERE action = 'retention.forced'");
    expect(forced?.actor).toBe('staff:ann');
    const detail = JSON.parse(forced!.detail) as Record<string, string>;
    expect(detail).toMatchObject({ before: '2026-06-01T00:00:00Z', retentionCutoff: '2025-06-15T12:00:00.000Z' });
    expect(detail.note).toMatch(/^pd-sealed:1:/u); // the reason is staff free text: sealed at rest
    expect(JSON.stringify(await app.ctx.audit.verify())).toContain('"ok":true');
  });

  it('the CLI refuses, and asks for --reason with --force', async () => {
    await app.close();
    const run = (...args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'bin/privacy-desk.mjs'), '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, 'retention', 'purge', ...args],
      { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2027-06-15T12:00:00Z' } });
    const refused = run('--before', '2026-12-01T00:00:00Z');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('younger than 24 months');
    const noReason = run('--before', '2026-12-01T00:00:00Z', '--force');
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toContain('--force needs --reason');
    const ok = run('--before', '2026-12-01T00:00:00Z', '--force', '--reason', 'court order', '--json');
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ purged: 0, before: '2026-12-01T00:00:00.000Z' });
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, { clock: () => new Date(now.t) });
  });
});
