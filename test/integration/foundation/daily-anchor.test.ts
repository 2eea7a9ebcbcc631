// Workers write the daily audit anchor (issue 13 item 2): once per UTC day across processes, on
// SQLite and PostgreSQL. Two app instances (two workers) race for the day: one writes the anchor
// (a file that `verifyAnchor` accepts), the other is told it is done or claimed; the next day gets
// its own; a claim whose writer died is taken over once stale. Then two real `privacy-desk worker
// --once` processes on one SQLite file: one anchor file, one `audit.anchored` entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import { SqlAuditLog } from '../../../shared/store/audit-log';
import { CLAIM_STALE_MS, dailyAnchor } from '../../../shared/app/audit/daily-anchor';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
const DAY1 = Date.parse('2026-12-02T09:00:00.000Z');

async function anchoredEntries(app: App): Promise<Array<{ action: string; detail: Record<string, unknown> }>> {
  const rows = await app.ctx.db.all<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action IN ('audit.anchor.claimed', 'audit.anchored') ORDER BY seq");
  return rows.map((r) => ({ action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

function scenario(name: string, config: () => Promise<Pick<AppConfig, 'db' | 'dataDir'>>) {
  it(`one anchor per day across two workers, the next day another, a dead writer's claim taken over (${name})`, async () => {
    const base = await config();
    let now = DAY1;
    const clock = () => new Date(now);
    const a = await createApp({ ...base, work: 'none', runEngine: false }, { clock });
    const b = await createApp({ ...base, work: 'none', runEngine: false }, { clock });
    const target = { kind: 'dir' as const, where: join(base.dataDir, 'anchors') };
    try {
      await a.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'anchor.day@example.com' } }, { actor: 'test' });
      const [ra, rb] = await Promise.all([dailyAnchor(a, 'worker-a', target), dailyAnchor(b, 'worker-b', target)]);
      const results = [ra, rb].map((r) => r.done).sort();
      console.log(`${name}: two workers racing for ${ra.day}: ${results.join(', ')}`);
      expect(results.filter((d) => d === 'written')).toHaveLength(1);
      expect(results.filter((d) => d !== 'written')[0]).toMatch(/^(already|claimed-elsewhere)$/u);
      expect((await dailyAnchor(b, 'worker-b', target)).done).toBe('already');
      const files = readdirSync(target.where);
      expect(files).toHaveLength(1);
      const anchor = JSON.parse(readFileSync(join(target.where, files[0]!), 'utf8')) as unknown;
      expect((await (a.ctx.audit as SqlAuditLog).verifyAnchor(anchor)).ok).toBe(true);

      // The next day: another anchor, once.
      now = DAY1 + 86_400_000;
      expect((await dailyAnchor(b, 'worker-b', target)).done).toBe('written');
      expect((await dailyAnchor(a, 'worker-a', target)).done).toBe('already');
      expect(readdirSync(target.where)).toHaveLength(2);

      // Day three: worker a claims and dies before writing (its claim entry only); b waits while
      // the claim is fresh, then takes it over and writes the day's anchor.
      now = DAY1 + 2 * 86_400_000;
      await a.ctx.audit.append({ caseId: null, actor: 'worker', action: 'audit.anchor.claimed', detail: { day: '2026-12-04', owner: 'worker-a' } }, clock());
      expect(await dailyAnchor(b, 'worker-b', target)).toEqual({ done: 'claimed-elsewhere', day: '2026-12-04', owner: 'worker-a' });
      now += CLAIM_STALE_MS + 1000;
      expect((await dailyAnchor(b, 'worker-b', target)).done).toBe('written');
      expect(readdirSync(target.where)).toHaveLength(3);
      const entries = await anchoredEntries(a);
      expect(entries.filter((e) => e.action === 'audit.anchored').map((e) => e.detail.day)).toEqual(['2026-12-02', '2026-12-03', '2026-12-04']);
      expect((await a.ctx.audit.verify()).ok).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
}

describe('daily audit anchor of the workers', () => {
  let dir: string;
  let pg: PostgresServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-daily-anchor-'));
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  scenario('SQLite', async () => ({ dataDir: join(dir, 'sqlite'), db: { kind: 'sqlite', file: join(dir, 'sqlite', 'cases.sqlite') } }));
  scenario('PostgreSQL', async () => ({ dataDir: join(dir, 'pg'), db: { kind: 'postgres', url: pg.url } }));

  it('two `privacy-desk worker --once` processes on one store write one anchor for the day', async () => {
    const dataDir = join(dir, 'cli');
    const file = join(dataDir, 'cases.sqlite');
    const app = await createApp({ dataDir, db: { kind: 'sqlite', file }, work: 'none', runEngine: false });
    await app.close();
    const run = () => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
      const p = spawn(process.execPath, [bin, '--db', file, '--data-dir', dataDir, 'worker', '--once', '--quiet'], { env: { ...process.env, PRIVACY_DESK_ANCHOR_TO: join(dataDir, 'kept-anchors') } });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
      p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      p.on('close', (code) => resolveRun({ code, stdout, stderr }));
    });
    const outs = await Promise.all([run(), run()]);
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(outs.filter((o) => /audit anchor for \d{4}-\d{2}-\d{2}: entry \d+ written to /u.test(o.stdout))).toHaveLength(1);
    expect(readdirSync(join(dataDir, 'kept-anchors'))).toHaveLength(1);
    const again = await run();
    expect(again.stdout).not.toMatch(/audit anchor for/u);
    const check = await createApp({ dataDir, db: { kind: 'sqlite', file }, work: 'none', runEngine: false });
    try {
      expect((await anchoredEntries(check)).filter((e) => e.action === 'audit.anchored')).toHaveLength(1);
    } finally {
      await check.close();
    }
  }, 120_000);
});
