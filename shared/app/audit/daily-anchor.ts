// The daily audit anchor of `privacy-desk worker` (docs/OPERATIONS.md "Workers"): once per UTC day
// one worker - whichever comes first, across processes and machines on one store - writes the
// authenticated chain head (SqlAuditLog.anchor) outside the database: to S3
// (PRIVACY_DESK_ANCHOR_TO=s3://bucket/prefix, Object Lock retention where the bucket has it) or to
// a folder (PRIVACY_DESK_ANCHOR_TO=/path; default <data folder>/anchors, which is only as safe as
// that machine: point it elsewhere in production).
// Exactly one writer per day without a table of its own: the claim is an audit entry
// (`audit.anchor.claimed` {day, owner}) appended in a transaction that first locks the chain head
// (PostgreSQL FOR UPDATE; SQLite BEGIN IMMEDIATE), after checking that the day has no claim yet;
// the written anchor is audited as `audit.anchored` {day, seq, url}. A claim whose writer died
// (no `audit.anchored` within CLAIM_STALE_MS) is claimed again by the next worker, so a crash
// between the claim and the write delays the day's anchor but never loses it.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { App } from '../app';
import { SqlAuditLog, type AuditAnchor } from '../../store/audit-log';
import { parseS3Target, writeAnchorToS3 } from './anchor-s3';

/** A claim older than this without its `audit.anchored` entry is taken over. */
export const CLAIM_STALE_MS = 15 * 60_000;

export interface AnchorTarget { kind: 's3' | 'dir'; where: string }

export function anchorTargetFrom(env: NodeJS.ProcessEnv, dataDir: string): AnchorTarget {
  const to = env.PRIVACY_DESK_ANCHOR_TO?.trim();
  if (to?.startsWith('s3://')) { parseS3Target(to); return { kind: 's3', where: to }; }
  return { kind: 'dir', where: resolve(to || join(dataDir, 'anchors')) };
}

export type DailyAnchorResult =
  | { done: 'written'; day: string; seq: number; url: string }
  | { done: 'already'; day: string }
  | { done: 'claimed-elsewhere'; day: string; owner: string };

interface DayEntry { seq: number; at: string; action: string; detail: string }

/** Write today's anchor unless some worker already did (or is doing it now). */
export async function dailyAnchor(app: App, owner: string, target: AnchorTarget, env: NodeJS.ProcessEnv = process.env): Promise<DailyAnchorResult> {
  const log = app.ctx.audit;
  if (!(log instanceof SqlAuditLog)) throw new Error('this store has no anchored audit log');
  const { db } = app.ctx;
  const now = app.ctx.clock();
  const day = now.toISOString().slice(0, 10);
  const claim = await db.tx(async () => {
    // Serialise the claim with every other append: the chain head's row lock (SQLite: the write lock of BEGIN IMMEDIATE).
    if (db.dialect === 'postgres') await db.get('SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE');
    const rows = await db.all<DayEntry>(
      "SELECT seq, at, action, detail FROM audit_log WHERE case_id IS NULL AND action IN ('audit.anchor.claimed', 'audit.anchored') AND at >= ? ORDER BY seq DESC",
      [`${day}T00:00:00.000Z`]);
    const ofDay = rows.filter((r) => (JSON.parse(r.detail) as { day?: string }).day === day);
    if (ofDay.some((r) => r.action === 'audit.anchored')) return { kind: 'already' as const };
    const last = ofDay.find((r) => r.action === 'audit.anchor.claimed');
    if (last && now.getTime() - Date.parse(last.at) < CLAIM_STALE_MS) {
      return { kind: 'elsewhere' as const, owner: String((JSON.parse(last.detail) as { owner?: string }).owner ?? 'another worker') };
    }
    await log.append({ caseId: null, actor: 'worker', action: 'audit.anchor.claimed', detail: { day, owner, ...(last ? { after: 'stale claim' } : {}) } }, now);
    return { kind: 'ours' as const };
  });
  if (claim.kind === 'already') return { done: 'already', day };
  if (claim.kind === 'elsewhere') return { done: 'claimed-elsewhere', day, owner: claim.owner };
  const anchor = await log.anchor(app.ctx.clock());
  const body = `${JSON.stringify(anchor, null, 2)}\n`;
  const url = target.kind === 's3' ? (await writeAnchorToS3(parseS3Target(target.where), anchor, body, env)).url : writeAnchorFile(target.where, anchor, body);
  await log.append({ caseId: null, actor: 'worker', action: 'audit.anchored', detail: { day, seq: anchor.seq, url, owner } }, app.ctx.clock());
  return { done: 'written', day, seq: anchor.seq, url };
}

function writeAnchorFile(dir: string, a: AuditAnchor, body: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `audit-anchor-${String(a.seq).padStart(12, '0')}-${a.at.replace(/[:.]/gu, '-')}.json`);
  writeFileSync(file, body, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return file;
}
