// Handlers of the Responses operations (shared/app/contract/responses.ts): thin shells over the
// services in shared/app/services/responses-service.ts. Errors name the case, never the person.
import type { Handlers } from '../api';
import { ApiInputError, ApiNotFoundError, ApiStateError } from '../api';
import type { responsesContract, MessageView } from '../contract/responses';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { caseView } from '../case-view';
import { identityPairs, maskIdentity } from '../../domain/identity';
import { meets, needsVerification } from '../../domain/verification';
import type { MessageRecord } from '../../channels/repos/messages-repo';
import { CodeError } from '../../channels/codes';
import { LinkError } from '../../channels/report-links';
import { responsesService } from '../services/responses-service';
import { buildReportFor, localeOf, sendCaseNotice, statusCallAttributes, sweepNotices } from '../services/responses';
import { contextOf } from '../engine';
import { reportHtml } from '../../domain/report/report-html';
import { reportCsv } from '../../domain/report/report-csv';
import { reportJson } from '../../domain/report/report-json';
import { renderTemplate } from '../../channels/email/templates';
import { denialAppealText, denialOptOutText } from '../../channels/email/appeal-text';
import { denialReasonText } from '../../channels/email/labels';

export function messageView(m: MessageRecord): MessageView {
  return {
    id: m.id, caseId: m.caseId, template: m.template, channel: m.channel, provider: m.provider, recipient: m.recipientMasked,
    locale: m.locale, status: m.status, providerMessageId: m.providerMessageId, attempts: m.attempts, error: m.error,
    delivery: m.delivery, createdAt: m.createdAt, sentAt: m.sentAt,
  };
}

export function responsesHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof responsesContract> {
  const svc = () => responsesService(ctx);
  const mustExist = async (id: string) => {
    const c = await ctx.cases.get(id);
    if (!c) throw new ApiNotFoundError(`no case ${id}`);
    if (c.purgedAt) throw new ApiStateError(`case ${id}: personal information was purged at the end of the retention period`);
    return c;
  };
  const view = async (id: string) => {
    const ids = await ctx.cases.identities(id);
    const masked = Object.fromEntries(identityPairs(ids).map((p) => [p.kind, maskIdentity(p.kind, p.value)]));
    return { ...caseView(await engine.state(id), ctx.clock(), masked), agent: await ctx.cases.agent(id) };
  };
  const asInputError = <T>(p: Promise<T>): Promise<T> => p.catch((e: unknown) => {
    if (e instanceof CodeError) throw new ApiStateError(e.message);
    if (e instanceof LinkError) throw (e.kind === 'not-found' || e.kind === 'invalid' ? new ApiNotFoundError(e.message) : new ApiStateError(e.message));
    throw e;
  });

  return {
    'disclosures.set': async (d, meta) => {
      const at = ctx.clock();
      await ctx.db.tx(async () => {
        await svc().disclosures.set(d, meta.actor, at);
        await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'disclosures.set', detail: { system: d.system, sources: d.sources.length, purposes: d.purposes.length, thirdParties: d.thirdParties.length, transfers: d.transfers?.length ?? null } }, at);
      });
      return d;
    },
    'disclosures.list': async () => svc().disclosures.list(),
    'messages.list': async ({ id }) => {
      await mustExist(id);
      return (await svc().mailer.messages.forCase(id)).map(messageView);
    },
    'messages.body': async ({ id, messageId }, meta) => {
      await mustExist(id);
      const m = await svc().mailer.messages.get(messageId);
      if (!m || m.caseId !== id) throw new ApiNotFoundError(`case ${id} has no message ${messageId}`);
      const body = await svc().mailer.bodies.get(m.id);
      await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'message.viewed', detail: { messageId: m.id, template: m.template, kept: !!body } }, ctx.clock());
      return { messageId: m.id, template: m.template, channel: m.channel, status: m.status, kept: !!body, subject: body?.subject ?? null, html: body?.html ?? null, text: body?.text ?? null };
    },
    'responses.denialPreview': async ({ id, reason, note }) => {
      const stored = await mustExist(id);
      const ids = await ctx.cases.identities(id);
      const s = svc();
      // In the language the denial will be sent in (the consumer's).
      const locale = localeOf(s, contextOf(stored));
      const r = renderTemplate('denial', locale, {
        businessName: s.settings.businessName, caseRef: id, reason: denialReasonText(reason, locale), note: note ?? '', appealContact: s.settings.appealContact,
        appealText: denialAppealText(stored.jurisdiction, locale, s.settings.appealContact, id),
        optOutText: denialOptOutText(stored.type, locale, s.settings.appealContact),
      });
      return { to: ids.email ? maskIdentity('email', ids.email) : null, subject: r.subject, text: r.text, html: r.html };
    },
    'messages.attention': async () => ({
      messages: (await svc().mailer.messages.needingAttention(new Date(ctx.clock().getTime() - 10 * 60_000))).map(messageView),
      lockedCases: await svc().codes.lockedCases(),
      unconfirmedNotices: await svc().processors.unconfirmed(),
    }),
    'responses.notice': async ({ id, kind }, meta) => {
      await mustExist(id);
      return messageView(await sendCaseNotice(ctx, svc(), id, kind, meta.actor).catch((e: unknown) => {
        if (e instanceof Error && /has not been|is not on hold/u.test(e.message)) throw new ApiStateError(e.message);
        throw e;
      }));
    },
    'responses.deliver': async ({ id, method, note }, meta) => {
      const stored = await mustExist(id);
      if (stored.type !== 'access') throw new ApiStateError(`case ${id} is a ${stored.type} request: only an access report waits for staff delivery`);
      const state = await engine.state(id);
      if (state.status !== 'responding' || engine.isBusy(id)) {
        throw new ApiStateError(`case ${id} is ${state.status}${engine.isBusy(id) ? ' (its response step is running)' : ''}: a delivery is recorded while the report waits for staff`);
      }
      const c = state.context;
      if (needsVerification(c.type) && !meets(c.verification.level, c.requiredLevel)) {
        throw new ApiStateError(`case ${id}: identity verified to "${c.verification.level}", "${c.requiredLevel}" required: the report is only given to a verified requester`);
      }
      const messages = svc().mailer.messages;
      const row = await messages.byKey(`${id}:access-report`);
      if (row?.status !== 'pending') {
        throw new ApiStateError(`case ${id}: its report is not waiting for staff delivery${row ? ` (it is ${row.status} by ${row.channel})` : ''}; use cases.retry to send it again`);
      }
      const at = ctx.clock();
      await ctx.db.tx(async () => {
        await messages.markSent(row.id, { providerMessageId: `${method}:${meta.actor}`, attempts: 1, delivery: method, detail: { method, by: meta.actor } }, at);
        await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'message.sent', detail: { channel: 'post', template: 'access-report', provider: 'staff', delivery: method, note } }, at);
      });
      // The response step now finds the report delivered and the case closes.
      await engine.send(id, { type: 'RETRY', at: at.toISOString() }, meta, { action: 'case.retry', detail: { reason: 'report delivered by staff', method } });
      await engine.settle(id);
      return view(id);
    },
    'responses.sweep': async ({ denialDays }, meta) => sweepNotices(ctx, svc(), meta.actor, denialDays),
    'codes.send': async ({ id, channel }, meta) => {
      await mustExist(id);
      const ids = await ctx.cases.identities(id);
      const how = channel ?? (ids.email ? 'email' : 'auto');
      if (how === 'email' && !ids.email) throw new ApiInputError(`case ${id} has no email address to send a code to${ids.phone ? ' (it has a phone number: use sms or voice)' : ''}`);
      if (how !== 'email' && !ids.phone) throw new ApiInputError(`case ${id} has no phone number to send a code to`);
      const state = await engine.state(id);
      if (state.status === 'closed' || state.status === 'denied') throw new ApiStateError(`case ${id} is ${state.status}`);
      const r = await asInputError(how === 'email'
        ? svc().codes.issue(id, ids.email!, localeOf(svc(), state.context), meta.actor)
        : svc().codes.issueToPhone(id, ids.phone!, how, localeOf(svc(), state.context), meta.actor, state.status));
      return { codeId: r.codeId, expiresAt: r.expiresAt, sentTo: r.sentTo, messageId: r.messageId, channel: r.channel };
    },
    'codes.check': async ({ id, code }, meta) => {
      await mustExist(id);
      // Refuse before the code is consumed when the case cannot take a verification now.
      const state = await engine.state(id);
      if (state.status === 'on_hold' || state.status === 'closed' || state.status === 'denied') {
        throw new ApiStateError(`case ${id} is ${state.status}: a code cannot be checked now`);
      }
      const r = await svc().codes.check(id, code, meta.actor);
      return {
        ok: r.ok, reason: r.ok ? null : r.reason, attemptsLeft: !r.ok && r.reason === 'wrong' ? r.attemptsLeft : null,
        case: await view(id),
      };
    },
    'codes.status': async ({ id }) => { await mustExist(id); return svc().codes.status(id); },
    'codes.unlock': async ({ id, note }, meta) => {
      await mustExist(id);
      await asInputError(svc().codes.unlock(id, meta.actor, note));
      return svc().codes.status(id);
    },
    'calls.place': async ({ id, purpose, sequence }, meta) => {
      await mustExist(id);
      const ids = await ctx.cases.identities(id);
      if (!ids.phone) throw new ApiInputError(`case ${id} has no phone number to call`);
      const state = await engine.state(id);
      const attributes = purpose === 'status' ? await statusCallAttributes(ctx, svc(), id, state.status) : {};
      return messageView(await svc().calls.place({ caseId: id, purpose, phone: ids.phone, status: state.status, sequence, actor: meta.actor, attributes }));
    },
    'processors.add': async (input, meta) => {
      try {
        return await svc().processors.add(input, meta.actor);
      } catch (e) {
        if (e instanceof Error && /already registered|must be/u.test(e.message)) throw new ApiInputError(e.message);
        throw e;
      }
    },
    'processors.list': async () => svc().processors.list(),
    'processors.deactivate': async ({ id }, meta) => {
      try { await svc().processors.deactivate(id, meta.actor); } catch (e) { throw new ApiNotFoundError((e as Error).message); }
      return { ok: true as const };
    },
    'processors.notices': async ({ id }) => { await mustExist(id); return svc().processors.forCase(id); },
    'processors.confirm': async (input, meta) => {
      try {
        return 'token' in input
          ? await svc().processors.confirmByToken(input.token, meta.actor)
          : await svc().processors.confirmByStaff(input.noticeId, meta.actor, input.note);
      } catch (e) {
        throw new ApiNotFoundError((e as Error).message);
      }
    },
    'processors.remind': async ({ afterDays }, meta) => svc().processors.remind(afterDays, async (caseId) => {
      const c = await ctx.cases.get(caseId);
      return c && !c.purgedAt ? ctx.cases.identities(caseId) : null;
    }, meta.actor),
    'reports.preview': async ({ id, format }, meta) => {
      const c = await mustExist(id);
      if (c.type !== 'access') throw new ApiStateError(`case ${id} is a ${c.type} request: only access requests have a report`);
      const report = await buildReportFor(ctx, svc(), id);
      await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'report.previewed', detail: { format, rows: report.totals.rows } }, ctx.clock());
      return { format, content: format === 'html' ? reportHtml(report, { audience: 'staff' }) : format === 'csv' ? reportCsv(report) : reportJson(report) };
    },
    'reports.files': async ({ token }) => asInputError(svc().links.list(token)),
    'reports.download': async ({ token, file }, meta) => {
      const f = await asInputError(svc().links.open(token, file, meta.actor));
      return { name: f.name, contentType: f.contentType, base64: Buffer.from(f.content).toString('base64') };
    },
  };
}
