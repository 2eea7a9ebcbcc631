// Handlers of the phone operations: the IVR knowledge-check ledger. The number is kept only as a
// keyed hash; a failed check is audited (counts, no answers); reaching the limit is audited once.
// And one case per Connect contact and action: `phone.openCase` claims (contact id, case type)
// under the primary key of phone_contact_cases in the same transaction that writes the case, so of
// two invocations for the same contact (a retry, or two at the same moment in two containers)
// exactly one opens a case; the other's transaction rolls back whole and it answers the first case.
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../api';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { IVR_FAILURE_LIMIT, IVR_WINDOW_HOURS, type phoneContract } from '../contract/phone';
import { keywordOf } from '../../channels/sms/opt-outs';
import { responsesService } from '../services/responses-service';

/** Thrown inside the case-creating transaction when the contact already has its case: rolls it back. */
class ContactAlreadyHasCase extends Error {
  constructor() { super('this contact already opened a case for this action'); this.name = 'ContactAlreadyHasCase'; }
}

export function phoneHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof phoneContract> {
  async function contactCase(contactId: string, action: string) {
    return ctx.db.get<{ case_id: string; result: string }>(
      'SELECT case_id, result FROM phone_contact_cases WHERE contact_id = ? AND action = ?', [contactId, action],
    );
  }

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
    'phone.ivrAttempt': async ({ phone, contactId, matched, asked, passed, caseId, attempt }, meta) => {
      const hash = ctx.crypto.keyedHash('phone', phone);
      const now = ctx.clock();
      return ctx.db.tx(async () => {
        const before = await gate(hash);
        // Once per contact and attempt: a retried invocation for the same attempt adds nothing.
        const { changes } = await ctx.db.run(
          `INSERT INTO phone_ivr_attempts (id, phone_hash, contact_id, matched, asked, passed, at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (contact_id, attempt) DO NOTHING`,
          [randomUUID(), hash, contactId, matched, asked, passed ? 1 : 0, now.toISOString(), attempt ?? null],
        );
        const after = await gate(hash);
        if (!passed && changes > 0) {
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
    'phone.contactCase': async ({ contactId, action }) => {
      const row = await contactCase(contactId, action);
      return { found: !!row, caseId: row?.case_id ?? null, result: row?.result ?? null };
    },
    'phone.openCase': async ({ contactId, result, case: input }, meta) => {
      const action = input.type;
      try {
        const caseId = await engine.create(input, meta, {
          claim: async (id) => {
            // PostgreSQL: waits for a concurrent claim of the same key to commit or roll back.
            const { changes } = await ctx.db.run(
              `INSERT INTO phone_contact_cases (contact_id, action, case_id, result, created_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (contact_id, action) DO NOTHING`,
              [contactId, action, id, result, ctx.clock().toISOString()],
            );
            if (changes === 0) throw new ContactAlreadyHasCase();
          },
        });
        return { created: true, caseId, result };
      } catch (e) {
        if (!(e instanceof ContactAlreadyHasCase)) throw e;
        const row = await contactCase(contactId, action);
        if (!row) throw new Error('phone_contact_cases: the claim conflicted but no row is visible');
        return { created: false, caseId: row.case_id, result: row.result };
      }
    },
    'phone.caseStatus': async ({ caseId }) => ({ status: (await engine.state(caseId)).status }),
    'sms.inbound': async ({ originationNumber, messageBody }, meta) => {
      const keyword = keywordOf(messageBody);
      await responsesService(ctx).texts.inbound(originationNumber, messageBody, keyword, meta.actor);
      return { keyword };
    },
  };
}
