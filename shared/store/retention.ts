// The 24-month retention of request records: cases closed (or denied) more than RETENTION_MONTHS
// before `now` lose their PII (encrypted identities, agent, identity hashes); the case row and its
// audit trail stay. One transaction: the purge and its audit entries (one per case, one summary).
import type { Db } from './db';
import type { AuditLog, CaseRepo } from './ports';

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

/**
 * Purge the PII of every case closed (or denied) before the cutoff: `now` minus `months` (24), or
 * `before` when given (an explicit, earlier instant). One transaction with its audit entries.
 */
export async function purgeExpired(
  db: Db, store: { cases: Pick<CaseRepo, 'purgeClosedBeforeIds'>; audit: AuditLog }, now: Date,
  options: { months?: number; actor?: string; before?: string } = {},
): Promise<PurgeResult> {
  const cutoff = options.before !== undefined ? new Date(options.before).toISOString() : retentionCutoff(now, options.months ?? RETENTION_MONTHS).toISOString();
  const actor = options.actor ?? 'system:retention';
  const rule = options.before !== undefined ? { before: cutoff } : { months: options.months ?? RETENTION_MONTHS };
  return db.tx(async () => {
    const caseIds = await store.cases.purgeClosedBeforeIds(cutoff, now.toISOString());
    for (const caseId of caseIds) {
      await store.audit.append({ caseId, actor, action: 'case.pii_purged', detail: { cutoff, ...rule } }, now);
    }
    await store.audit.append({ caseId: null, actor, action: 'retention.purge', detail: { cutoff, purged: caseIds.length, ...rule } }, now);
    return { cutoff, purged: caseIds.length, caseIds };
  });
}
