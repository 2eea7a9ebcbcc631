// Filing an appeal of a refused request: the one path the staff op (appeals.file) and the privacy
// center (public.appeal) share. The law is in shared/domain/appeals.ts (who may appeal, the due
// date); here: the checks against the case and its earlier appeals, the record (migration 140,
// reason sealed) and the hash-chained audit entry, in one transaction.
import { randomUUID } from 'node:crypto';
import { ApiInputError, ApiStateError } from '../api';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { appealDeadlines, mayAppeal, refusal, type AppealCheck } from '../../domain/appeals';
import type { CaseContext } from '../../domain/case-machine';
import { localDate } from '../../domain/deadlines';
import { AppealsRepo, type StoredAppeal } from '../../store/appeals-repo';

export function appealsRepo(ctx: AppContext): AppealsRepo {
  return (ctx.services.appeals ??= new AppealsRepo(ctx.db, ctx.crypto));
}

/** Refused in part: rows kept as exempt, or a request for specific pieces answered with the categories report (cases.categoriesOnly). */
export function refusedInPart(c: CaseContext): boolean {
  return (c.discovery?.exempt ?? 0) > 0 || c.categoriesOnly !== undefined;
}

export interface Appealability {
  /** Does the law give this case an appeal (its state has one, the request was refused)? */
  law: AppealCheck;
  /** The request was refused, in whole or in part (whatever the law says of appeals). */
  refused: boolean;
  /** The case's appeals, oldest first (one per refusal). */
  appeals: StoredAppeal[];
  /** May an appeal be filed now: the law gives one and none was filed. */
  mayFile: boolean;
}

/** What the appeal rules say of a case as it stands (no change made). */
export async function appealability(ctx: AppContext, engine: CaseEngine, id: string): Promise<Appealability> {
  const state = await engine.state(id);
  const c = state.context;
  const facts = { status: state.status, denialReason: c.denial?.reason ?? null, refusedInPart: refusedInPart(c) };
  const appeals = await appealsRepo(ctx).forCase(id);
  const law = mayAppeal({ jurisdiction: c.jurisdiction, ...facts });
  return { law, refused: refusal(facts).ok, appeals, mayFile: law.ok && !appeals.length };
}

/**
 * File the appeal of case `id`, received on `receivedOn` (default: today in the case's zone; not in
 * the future, not before the refusal); `channel` (the privacy center: web) goes into the audit entry. ApiStateError when the case may not be appealed (or was
 * appealed already); ApiInputError for a bad date.
 */
export async function fileAppeal(ctx: AppContext, engine: CaseEngine, input: { id: string; receivedOn?: string; reason: string; channel?: 'web' }, actor: string): Promise<StoredAppeal> {
  const { id, receivedOn, reason, channel } = input;
  const state = await engine.state(id);
  const c = state.context;
  const { law, appeals } = await appealability(ctx, engine, id);
  if (!law.ok) throw new ApiStateError(`case ${id} cannot be appealed: ${law.reason}`);
  if (appeals.length) throw new ApiStateError(`case ${id} has been appealed already (one appeal per refusal)`);
  const t = ctx.clock();
  const today = localDate(t, c.jurisdiction);
  const on = receivedOn ?? today;
  if (on > today) throw new ApiInputError(`receivedOn: ${on} is in the future (today is ${today} in ${c.jurisdiction})`);
  const decidedAt = state.stored.closedAt ?? c.denial?.at ?? state.stored.updatedAt;
  const decidedOn = localDate(decidedAt, c.jurisdiction);
  if (on < decidedOn) throw new ApiInputError(`receivedOn: ${on} is before the refusal of ${decidedOn}`);
  const d = appealDeadlines({ jurisdiction: c.jurisdiction, receivedOn: on, extended: false });
  const a: StoredAppeal = {
    id: `AP-${randomUUID()}`, caseId: id, jurisdiction: c.jurisdiction, status: 'open', receivedOn: on,
    respondBy: d.respond, respondOriginal: d.respondOriginal, extended: false, reason,
    createdAt: t.toISOString(), createdBy: actor, decidedAt: null, decidedBy: null, decisionNote: null, reopenedCaseId: null,
  };
  await ctx.db.tx(async () => {
    // A second filing racing this one: the look-up again inside the transaction.
    if ((await appealsRepo(ctx).forCase(id)).length) throw new ApiStateError(`case ${id} has been appealed already (one appeal per refusal)`);
    await appealsRepo(ctx).insert(a);
    // `note` is sealed in the audit (sealed-notes.ts), like every staff free text.
    await ctx.audit.append({ caseId: id, actor, action: 'appeal.filed', detail: { appealId: a.id, receivedOn: on, respondBy: d.respond, ...(channel ? { channel } : {}), note: reason } }, t);
  });
  return a;
}
