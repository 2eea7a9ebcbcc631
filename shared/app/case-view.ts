// Builds the CaseView every shell shows from the stored row and the machine context.
import type { CaseStatus, CaseView, WaitingFor } from '../domain/case';
import type { CaseContext } from '../domain/case-machine';
import { computeDeadlines, daysLeft } from '../domain/deadlines';
import { meets } from '../domain/verification';
import type { StoredCase } from '../store/ports';
import type { CaseState } from './engine';

export function caseView(state: CaseState, now: Date, identitiesMasked: Record<string, string> = {}): CaseView {
  const { stored, context, status } = state;
  const d = deadlinesOf(context, now);
  const open = status !== 'closed' && status !== 'denied';
  const left = daysLeft(d.respond, now, context.jurisdiction);
  return {
    id: stored.id,
    type: stored.type,
    strategy: stored.strategy,
    jurisdiction: stored.jurisdiction,
    channel: stored.channel,
    status,
    receivedAt: stored.receivedAt,
    deadlines: d,
    daysLeft: left,
    overdue: open && left < 0,
    extended: context.extension !== null,
    extensionReason: context.extension?.reason ?? null,
    hold: context.hold,
    denial: context.denial ? { reason: context.denial.reason, note: context.denial.note } : null,
    verification: context.verification,
    requiredLevel: context.requiredLevel,
    agent: null,
    assignee: stored.assignee,
    identitiesMasked,
    autoApprove: context.autoApprove,
    failure: open && context.lastError && !context.lastError.waits ? { step: context.lastError.step, message: context.lastError.message } : null,
    waitingFor: open ? waitingFor(status, context) : null,
    closedAt: stored.closedAt,
    updatedAt: stored.updatedAt,
  };
}

/** Who the case waits for, from the machine's state (never from an error's words). */
export function waitingFor(status: CaseStatus, context: CaseContext): WaitingFor | null {
  if (context.lastError?.waits === 'staff_delivery') return 'staff_delivery';
  if (context.lastError) return 'staff_retry';
  if (status === 'on_hold') return context.hold?.reason === 'awaiting_consumer' ? 'consumer' : 'hold';
  // Discovery can raise a deletion's level (sensitive data, 11 CCR §7062(d)): staff record the higher verification first.
  if (status === 'in_review' && !meets(context.verification.level, context.requiredLevel)) return 'staff_verification';
  if (status === 'in_review' || status === 'verified') return 'staff_review';
  if (status === 'verifying') return 'staff_verification';
  return null;
}

export function deadlinesOf(context: CaseContext, now?: Date) {
  return computeDeadlines({
    jurisdiction: context.jurisdiction, type: context.type, receivedAt: context.receivedAt,
    extended: context.extension !== null, pauses: context.pauses,
  }, now);
}

export type { StoredCase };
