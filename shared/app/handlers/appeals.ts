// Handlers of the appeal operations (shared/app/contract/appeals.ts). The law is in
// shared/domain/appeals.ts (who may appeal, the answer's due date); filing (the checks, the record
// of migration 140 with the reason sealed, the audit) in shared/app/appeals/file.ts, shared with
// the privacy center; here: the linked case a granted appeal opens and the written answer.
// Reopening: the case machine's `denied` and `closed` are final states, and a redone request needs
// its own legal clock, verification and steps; so a granted appeal opens a new case of the same type
// with the original's identities (and agent), linked both ways in the audit and on the appeal.
import type { Handlers } from '../api';
import { ApiNotFoundError, ApiStateError } from '../api';
import type { appealsContract, AppealView } from '../contract/appeals';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { appealDeadlines, canExtendAppeal } from '../../domain/appeals';
import { daysLeft, localDate } from '../../domain/deadlines';
import { rulesFor } from '../../domain/jurisdiction-rules';
import type { StoredAppeal } from '../../store/appeals-repo';
import { appealsRepo, fileAppeal } from '../appeals/file';
import { sendAppealDecision, sendAppealExtension } from '../appeals/notices';

export function appealView(a: Omit<StoredAppeal, 'reason' | 'decisionNote'> & { reason?: string; decisionNote?: string | null }, now: Date): AppealView {
  const rule = rulesFor(a.jurisdiction).appeal;
  const left = daysLeft(a.respondBy, now, a.jurisdiction);
  return {
    id: a.id, caseId: a.caseId, jurisdiction: a.jurisdiction, status: a.status, receivedOn: a.receivedOn,
    deadlines: { respond: a.respondBy, respondOriginal: a.respondOriginal },
    daysLeft: left, overdue: a.status === 'open' && left < 0, extended: a.extended,
    reason: a.reason ?? null, createdAt: a.createdAt, createdBy: a.createdBy, decidedAt: a.decidedAt, decidedBy: a.decidedBy,
    decisionNote: a.decisionNote ?? null, reopenedCaseId: a.reopenedCaseId,
    attorneyGeneral: rule?.attorneyGeneral ?? { office: '', website: '' },
    citation: rule?.citation ?? rulesFor(a.jurisdiction).appealCitation,
  };
}

export function appealsHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof appealsContract> {
  const repo = () => appealsRepo(ctx);
  const now = () => ctx.clock();

  async function openAppeal(caseId: string): Promise<StoredAppeal> {
    const open = (await repo().forCase(caseId)).filter((a) => a.status === 'open');
    if (!open.length) throw new ApiStateError(`case ${caseId} has no open appeal`);
    return open[0]!;
  }

  return {
    // The same filing as the privacy center's public.appeal (shared/app/appeals/file.ts).
    'appeals.file': async ({ id, receivedOn, reason }, meta) => appealView(await fileAppeal(ctx, engine, { id, receivedOn, reason }, meta.actor), now()),
    'appeals.decide': async ({ id, outcome, note }, meta) => {
      const a = await openAppeal(id);
      const t = now();
      let reopenedCaseId: string | null = null;
      if (outcome === 'granted') {
        const state = await engine.state(id);
        if (state.stored.purgedAt) throw new ApiStateError(`case ${id}: its identities were purged; the request cannot be redone`);
        const identities = await ctx.cases.identities(id);
        const agent = await ctx.cases.agent(id);
        const c = state.context;
        reopenedCaseId = await engine.create({
          type: c.type, strategy: c.strategy, jurisdiction: c.jurisdiction, channel: state.stored.channel, identities,
          ...(agent ? { agent } : {}), receivedAt: t.toISOString(), specificPieces: c.requiredLevel === 'high',
          autoApprove: false, ...(state.stored.assignee ? { assignee: state.stored.assignee } : {}),
        }, meta);
      }
      await ctx.db.tx(async () => {
        const ok = await repo().decide(a.id, id, { status: outcome, at: t.toISOString(), by: meta.actor, note, reopenedCaseId });
        if (!ok) throw new ApiStateError(`appeal ${a.id} was decided meanwhile`);
        await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'appeal.decided', detail: { appealId: a.id, outcome, note, reopenedCaseId } }, t);
        if (reopenedCaseId) {
          await ctx.audit.append({ caseId: reopenedCaseId, actor: meta.actor, action: 'case.reopened_on_appeal', detail: { fromCaseId: id, appealId: a.id } }, t);
        }
      });
      const decided = (await repo().forCase(id)).find((x) => x.id === a.id)!;
      try {
        await sendAppealDecision(ctx, decided, meta.actor);
      } catch (e) {
        await ctx.audit.append({ caseId: id, actor: 'system', action: 'notice.failed', detail: { kind: `appeal-${outcome}`, error: (e instanceof Error ? e.message : String(e)).slice(0, 500) } }, now());
      }
      return appealView(decided, now());
    },
    'appeals.extend': async ({ id, reason }, meta) => {
      const a = await openAppeal(id);
      const t = now();
      const input = { jurisdiction: a.jurisdiction, receivedOn: a.receivedOn, extended: a.extended };
      const check = canExtendAppeal(input, localDate(t, a.jurisdiction));
      if (!check.ok) throw new ApiStateError(`cannot extend the appeal of case ${id}: ${check.reason}`);
      const d = appealDeadlines({ ...input, extended: true });
      await ctx.db.tx(async () => {
        if (!(await repo().extend(a.id, d.respond))) throw new ApiStateError(`appeal ${a.id} was extended or decided meanwhile`);
        await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'appeal.extended', detail: { appealId: a.id, respondBy: d.respond, note: reason } }, t);
      });
      const extended = (await repo().forCase(id)).find((x) => x.id === a.id)!;
      try {
        await sendAppealExtension(ctx, extended, reason, meta.actor);
      } catch (e) {
        await ctx.audit.append({ caseId: id, actor: 'system', action: 'notice.failed', detail: { kind: 'appeal-extension', error: (e instanceof Error ? e.message : String(e)).slice(0, 500) } }, now());
      }
      return appealView(extended, now());
    },
    'appeals.forCase': async ({ id }) => {
      if (!(await ctx.cases.get(id))) throw new ApiNotFoundError(`no case ${id}`);
      const t = now();
      return (await repo().forCase(id)).map((a) => appealView(a, t));
    },
    'appeals.list': async ({ status, limit }) => {
      const t = now();
      return { items: (await repo().list({ status, limit })).map((a) => appealView(a, t)) };
    },
  };
}
