// Handlers of the phone operations: the IVR knowledge-check ledger. The number is kept only as a
// keyed hash; a failed check is audited (counts, no answers); reaching the limit is audited once.
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../api';
import type { AppContext } from '../context';
import { IVR_FAILURE_LIMIT, IVR_WINDOW_HOURS, type phoneContract } from '../contract/phone';

export function phoneHandlers(ctx: AppContext): Handlers<typeof phoneContract> {
  async function gate(phoneHash: string) {
    const since = new Date(ctx.clock().getTime() - IVR_WINDOW_HOURS * 3_600_000).toISOString();
    const row = await ctx.db.get<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM phone_ivr_attempts WHERE phone_hash = ? AND passed = 0 AND at >= ?', [phoneHash, since],
    );
    const failures = Number(row?.n ?? 0);
    return { allowed: failures < IVR_FAILURE_LIMIT, failures, limit: IVR_FAILURE_LIMIT, windowHours: IVR_WINDOW_HOURS };
  }

  return {
    'phone.ivrGate': async ({ phone }) => gate(ctx.crypto.keyedHash('phone', phone)),
    'phone.ivrAttempt': async ({ phone, contactId, matched, asked, passed, caseId }, meta) => {
      const hash = ctx.crypto.keyedHash('phone', phone);
      const now = ctx.clock();
      return ctx.db.tx(async () => {
        const before = await gate(hash);
        await ctx.db.run(
          'INSERT INTO phone_ivr_attempts (id, phone_hash, contact_id, matched, asked, passed, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [randomUUID(), hash, contactId, matched, asked, passed ? 1 : 0, now.toISOString()],
        );
        const after = await gate(hash);
        if (!passed) {
          await ctx.audit.append({ caseId: caseId ?? null, actor: meta.actor, action: 'phone.ivr_check_failed', detail: { matched, asked, failures: after.failures, contactId } }, now);
          if (before.allowed && !after.allowed) {
            await ctx.audit.append({ caseId: caseId ?? null, actor: meta.actor, action: 'phone.ivr_locked', detail: { failures: after.failures, windowHours: IVR_WINDOW_HOURS } }, now);
          }
        }
        return after;
      });
    },
    'phone.ivrUnlock': async ({ phone, reason }, meta) => {
      const hash = ctx.crypto.keyedHash('phone', phone);
      return ctx.db.tx(async () => {
        const { changes } = await ctx.db.run('DELETE FROM phone_ivr_attempts WHERE phone_hash = ? AND passed = 0', [hash]);
        await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'phone.ivr_unlocked', detail: { reason, cleared: changes } }, ctx.clock());
        return gate(hash);
      });
    },
  };
}
