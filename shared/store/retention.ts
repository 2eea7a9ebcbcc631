// The 24-month retention of request records: cases closed (or denied) more than RETENTION_MONTHS
// before `now` lose their PII (encrypted identities, agent, identity hashes); the case row and its
// audit trail stay. One transaction: the purge and its audit entries (one per case, one summary).
import type { Db } from './db';
import type { AuditLog } from './ports';
import type { SqlCaseRepo } from './case-repo';

export const RETENTION_MONTHS = 24;

/** `now` minus whole calendar months (UTC), the day clamped to the target month's last day. */
export function retentionCutoff(now: Date, months: number = RETENTION_MONTHS): Date {
  if (!Number.isInteger(months) || months < 1) throw new Error('retention months must be a whole number of at least 1');
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const target = new Date(Date.UTC(y, m, 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return target;
}

export interface PurgeResult { cutoff: string; purged: number; caseIds: string[] }

export async function purgeExpired(
  db: Db, store: { cases: SqlCaseRepo; audit: AuditLog }, now: Date,
  options: { months?: number; actor?: string } = {},
): Promise<PurgeResult> {
  const cutoff = retentionCutoff(now, options.months ?? RETENTION_MONTHS).toISOString();
  const actor = options.actor ?? 'system:retention';
  return db.tx(async () => {
    const caseIds = await store.cases.purgeClosedBeforeIds(cutoff, now.toISOString());
    for (const caseId of caseIds) {
      await store.audit.append({ caseId, actor, action: 'case.pii_purged', detail: { cutoff, months: options.months ?? RETENTION_MONTHS } }, now);
    }
    await store.audit.append({ caseId: null, actor, action: 'retention.purge', detail: { cutoff, purged: caseIds.length } }, now);
    return { cutoff, purged: caseIds.length, caseIds };
  });
}
