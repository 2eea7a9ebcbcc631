// The 24-month retention of request records: cases closed (or denied) more than RETENTION_MONTHS
// before `now` lose their PII (encrypted identities, agent, identity hashes) and every other record
// that holds the person's data or a pseudonym of it (the discovery result with the rows found,
// verification codes, message recipients; report download links end now and their files go with
// the next link purge); the case row, the counts and the audit trail stay. The deletion ledger's
// hashes stay too: they keep erased data from coming back. One transaction: the purge and its audit
// entries (one per case, one summary).
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
      const removed = await purgeCaseRecords(db, caseId, now.toISOString());
      await store.audit.append({ caseId, actor, action: 'case.pii_purged', detail: { cutoff, ...rule, removed } }, now);
    }
    await store.audit.append({ caseId: null, actor, action: 'retention.purge', detail: { cutoff, purged: caseIds.length, ...rule } }, now);
    return { cutoff, purged: caseIds.length, caseIds };
  });
}

/**
 * The case's records outside the case tables that hold the person's data or a keyed hash of it.
 * Returns what it changed per table (counts only).
 */
async function purgeCaseRecords(db: Db, caseId: string, at: string): Promise<Record<string, number>> {
  const discoveries = await db.run('DELETE FROM datamap_discoveries WHERE case_id = ?', [caseId]);
  const codes = await db.run('DELETE FROM verification_codes WHERE case_id = ?', [caseId]);
  const messages = await db.run("UPDATE messages SET recipient_hash = NULL, recipient_masked = '(purged)' WHERE case_id = ? AND recipient_masked <> '(purged)'", [caseId]);
  const links = await db.run('UPDATE report_downloads SET expires_at = ? WHERE case_id = ? AND revoked_at IS NULL AND expires_at > ?', [at, caseId, at]);
  // What the consumer was sent (migration 130): named in the counts only when there was some.
  const bodies = await db.run('DELETE FROM message_bodies WHERE case_id = ?', [caseId]);
  // The consumer's reason and the decision note of its appeals (migration 140): dates and outcome stay.
  const appeals = await db.run("UPDATE appeals SET reason = '', decision_note = NULL WHERE case_id = ? AND (reason <> '' OR decision_note IS NOT NULL)", [caseId]);
  return {
    discoveries: discoveries.changes, verificationCodes: codes.changes, messages: messages.changes, reportLinks: links.changes,
    ...(bodies.changes ? { messageBodies: bodies.changes } : {}), ...(appeals.changes ? { appealTexts: appeals.changes } : {}),
  };
}
