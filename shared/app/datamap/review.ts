// Review of a case's rows: the items discovery lists for staff (shared rows, exempt rows, another
// person's rows) and the staff decisions on shared rows (approved: erased with the subject's;
// set aside: kept).
import { DataMapError } from '../../domain/datamap';
import type { DiscoveryResult } from '../../domain/discovery';
import type { ReviewItem } from '../../store/datamap-repo';
import type { ReviewDecision } from './plan-rows';
import type { Registry } from './registry';

export type NewReviewItem = Omit<ReviewItem, 'decision' | 'decidedBy' | 'decidedAt'>;

/** The review list of a discovery: every exempt, shared or another person's row. */
export function reviewItemsOf(reg: Registry, caseId: string, result: DiscoveryResult): NewReviewItem[] {
  const items: NewReviewItem[] = [];
  for (const c of result.collections) for (const r of c.rows) {
    const base = { caseId, itemId: reg.itemId(c.system, c.collection, r.key), system: c.system, dataset: c.dataset, collection: c.collection };
    if (r.exempt) items.push({ ...base, kind: 'exempt', reason: r.exempt.reason });
    else if (r.shared) items.push({ ...base, kind: 'shared', reason: r.shared.reason });
    else if (r.other) items.push({ ...base, kind: 'other_person', reason: r.other.reason });
  }
  return items;
}

/** Staff decisions on the case's shared rows, by item id. */
export async function decisionsOf(reg: Registry, caseId: string): Promise<Map<string, ReviewDecision>> {
  return new Map((await reg.repo.reviewItems(caseId)).filter((i) => i.kind === 'shared').map((i) => [i.itemId, i.decision]));
}

/** Staff decision on a shared row; returns the number still pending. */
export async function decide(reg: Registry, caseId: string, itemId: string, decision: ReviewDecision, actor: string): Promise<number> {
  const at = reg.ctx.clock();
  const ok = await reg.repo.decide(caseId, itemId, decision, actor, at);
  if (!ok) throw new DataMapError(`case ${caseId} has no shared review item ${itemId}`);
  const pending = await reg.repo.pendingReview(caseId);
  await reg.ctx.audit.append({ caseId, actor, action: 'datamap.review.decided', detail: { itemId, decision, pending } }, at);
  return pending;
}
