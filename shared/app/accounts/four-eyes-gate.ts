// The four-eyes rule applied by the case engine: before an APPROVE of a deletion case (and, as
// configured, a DENY or an EXTEND) the engine asks this gate, which reads who prepared and verified
// the case from its audit log and the policy from the store, and refuses with the rule's reason.
import type { CallMeta } from '../api';
import { ApiForbiddenError } from '../api';
import type { AppContext } from '../context';
import type { CaseEvent } from '../../domain/case-machine';
import type { CaseType } from '../../domain/case';
import {
  DEFAULT_FOUR_EYES, FourEyesPolicySchema, fourEyesApplies, fourEyesRefusal, type FourEyesAction, type FourEyesPolicy,
} from '../../domain/four-eyes';
import { accountsOf } from './accounts-of';

/** Case types whose approval executes a deletion plan. */
export const ERASURE_TYPES: ReadonlySet<CaseType> = new Set<CaseType>(['delete', 'delete_pii']);

const PREPARE_ACTIONS = new Set(['case.discover', 'datamap.review.decided']);
const VERIFY_ACTIONS = new Set(['case.verify']);

export async function fourEyesPolicy(ctx: AppContext): Promise<FourEyesPolicy> {
  const raw = await accountsOf(ctx).setting('four_eyes');
  if (!raw) return DEFAULT_FOUR_EYES;
  const parsed = FourEyesPolicySchema.safeParse({ ...DEFAULT_FOUR_EYES, ...JSON.parse(raw) as object });
  return parsed.success ? parsed.data : DEFAULT_FOUR_EYES;
}

export async function fourEyesEffective(ctx: AppContext): Promise<Record<FourEyesAction, boolean> & { activeUsers: number; policy: FourEyesPolicy }> {
  const policy = await fourEyesPolicy(ctx);
  const activeUsers = await accountsOf(ctx).countActive();
  return {
    policy, activeUsers,
    execute: fourEyesApplies(policy.execute, activeUsers),
    deny: fourEyesApplies(policy.deny, activeUsers),
    extend: fourEyesApplies(policy.extend, activeUsers),
  };
}

/** Who verified and who prepared (started discovery, decided review rows) a case, in order, distinct. */
export async function caseParticipants(ctx: AppContext, caseId: string): Promise<{ preparedBy: string[]; verifiedBy: string[]; approvedBy: string | null; approvedAt: string | null }> {
  const entries = await ctx.audit.forCase(caseId);
  const preparedBy: string[] = [];
  const verifiedBy: string[] = [];
  let approvedBy: string | null = null;
  let approvedAt: string | null = null;
  for (const e of entries) {
    if (PREPARE_ACTIONS.has(e.action) && !preparedBy.includes(e.actor)) preparedBy.push(e.actor);
    if (VERIFY_ACTIONS.has(e.action) && !verifiedBy.includes(e.actor)) verifiedBy.push(e.actor);
    if (e.action === 'case.approve') { approvedBy = e.actor; approvedAt = e.at; }
  }
  return { preparedBy, verifiedBy, approvedBy, approvedAt };
}

function actionOf(event: CaseEvent, type: CaseType): FourEyesAction | null {
  if (event.type === 'APPROVE') return ERASURE_TYPES.has(type) ? 'execute' : null;
  if (event.type === 'DENY') return 'deny';
  if (event.type === 'EXTEND') return 'extend';
  return null;
}

/** The engine's gate: throws ApiForbiddenError when the event needs a second person it does not have. */
export function fourEyesGate(ctx: AppContext) {
  return async (caseId: string, event: CaseEvent, meta: CallMeta, type: CaseType): Promise<void> => {
    const action = actionOf(event, type);
    if (!action) return;
    const eff = await fourEyesEffective(ctx);
    if (!eff[action]) return;
    const who = await caseParticipants(ctx, caseId);
    const refusal = fourEyesRefusal({
      action, caseId,
      decider: meta.user !== undefined && meta.role ? { actor: meta.actor, role: meta.role } : null,
      preparers: [...who.preparedBy, ...who.verifiedBy],
    });
    if (refusal) {
      await ctx.audit.append({ caseId, actor: meta.actor, action: 'four_eyes.refused', detail: { decision: action, reason: refusal } }, ctx.clock());
      throw new ApiForbiddenError(refusal);
    }
  };
}

/** Auto-approval would erase with nobody's second look: off for erasure cases while four-eyes applies. */
export function autoApproveGate(ctx: AppContext) {
  return async (type: CaseType, autoApprove: boolean): Promise<boolean> => {
    if (!autoApprove || !ERASURE_TYPES.has(type)) return autoApprove;
    return !(await fourEyesEffective(ctx)).execute;
  };
}
