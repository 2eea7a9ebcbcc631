// The written answer to an appeal (every state law with appeals requires one): granted (the
// request is redone under the linked case's reference) or upheld (the reasons and how to submit a
// complaint to the office the statute names, from jurisdiction-rules.ts). One message per appeal
// (dedupe key `<case>:appeal-<outcome>:<appeal>`); with no email address: recorded as skipped.
import type { AppContext } from '../context';
import type { StoredAppeal } from '../../store/appeals-repo';
import type { MessageRecord } from '../../channels/repos/messages-repo';
import { appealOutcomeText } from '../../domain/appeal-text';
import { caseLocale, recordSkipped } from '../services/responses';
import { responsesService } from '../services/responses-service';

export async function sendAppealDecision(ctx: AppContext, a: StoredAppeal, actor: string): Promise<MessageRecord | null> {
  if (a.status === 'open') return null;
  const svc = responsesService(ctx);
  const template = a.status === 'granted' ? 'appeal-granted' : 'appeal-upheld';
  const dedupeKey = `${a.caseId}:${template}:${a.id}`;
  const ids = await ctx.cases.identities(a.caseId);
  if (!ids.email) return recordSkipped(ctx, svc, a.caseId, template, 'no email address on the case', dedupeKey);
  const locale = await caseLocale(ctx, svc, a.caseId);
  return svc.mailer.send({
    caseId: a.caseId, dedupeKey, template, locale, to: ids.email, actor,
    vars: {
      receivedOn: a.receivedOn, note: a.decisionNote ?? '',
      outcomeText: appealOutcomeText(a.status, a.jurisdiction, locale, a.reopenedCaseId),
    },
  });
}

/** The notice of an appeal's extension, with the reason and the new date (due within the first period). */
export async function sendAppealExtension(ctx: AppContext, a: StoredAppeal, reason: string, actor: string): Promise<MessageRecord> {
  const svc = responsesService(ctx);
  const template = 'appeal-extension';
  const dedupeKey = `${a.caseId}:${template}:${a.id}`;
  const ids = await ctx.cases.identities(a.caseId);
  if (!ids.email) return recordSkipped(ctx, svc, a.caseId, template, 'no email address on the case', dedupeKey);
  return svc.mailer.send({ caseId: a.caseId, dedupeKey, template, locale: await caseLocale(ctx, svc, a.caseId), to: ids.email, actor, vars: { receivedOn: a.receivedOn, reason, dueDate: a.respondBy } });
}
