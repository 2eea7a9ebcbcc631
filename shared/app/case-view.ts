// Builds the CaseView every shell shows from the stored row and the machine context.
import type { CaseView } from '../domain/case';
import type { CaseContext } from '../domain/case-machine';
import { computeDeadlines, daysLeft } from '../domain/deadlines';
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
    closedAt: stored.closedAt,
    updatedAt: stored.updatedAt,
  };
}

export function deadlinesOf(context: CaseContext, now?: Date) {
  return computeDeadlines({
    jurisdiction: context.jurisdiction, type: context.type, receivedAt: context.receivedAt,
    extended: context.extension !== null, pauses: context.pauses,
  }, now);
}

export type { StoredCase };
