// The case machine's response effects: `acknowledge` (on receipt, not for opt-out/limit) and
// `respond` (the result for the case type: the access report, the deletion confirmation with what
// was kept and why, the opt-out confirmation...); those results are built from what execution
// applied and the check found (resultSummaryFor), never from the plan, and a result that would
// claim what was not applied or checked is refused for staff. Each message has a fixed dedupe key per case, so
// a retry or a restart never sends it twice. The result goes only to an address of a case whose
// verification reached the required level. Wire-up: `{ ...defaultEffects(ctx), ...createResponseEffects(ctx) }`.
// The extension, hold and denial notices go out by themselves once the transition has committed
// (`caseNoticeHook`, registered on the engine by createApp); `sweepNotices` is the safety net.
// An access report with no email address to go to waits for staff (`awaitStaffDelivery`).
import type { AppContext, CaseEffects } from '../context';
import type { AfterCommitHook } from '../engine';
import { deadlinesOf } from '../case-view';
import { contextOf } from '../engine';
import { StepWaits, type CaseContext } from '../../domain/case-machine';
import type { DiscoveryResult } from '../../domain/discovery';
import { addressKey, maskIdentity, type Identities } from '../../domain/identity';
import { meets, needsVerification } from '../../domain/verification';
import { buildAccessReport, systemInfoFromMap, type AccessReport, type SystemDisclosure, type SystemInfo } from '../../domain/report/access-report';
import { rulesFor } from '../../domain/jurisdiction-rules';
import { reportEmailSummary, reportHtml, escapeHtml } from '../../domain/report/report-html';
import { resultSummary, type ResultSummary } from '../../domain/report/result-summary';
import { reportCsv } from '../../domain/report/report-csv';
import { reportJson } from '../../domain/report/report-json';
import { categoryName } from '../../domain/report/report-words';
import { estimatedMimeBytes, type EmailAttachment } from '../../channels/email/message';
import { removeOutboxMessages } from '../../channels/email/outbox-sender';
import { removeSmsOutboxMessages } from '../../channels/sms/outbox-sms-sender';
import { join } from 'node:path';
import { denialReasonText, reportDelivery, reportScopeText, requestAction, type Locale } from '../../channels/email/labels';
import { denialAppealText, denialOptOutText } from '../../domain/appeal-text';
import { correctionResultText, deletionResultText, limitResultText, optOutResultText } from '../../channels/email/result-text';
import type { MessageRecord } from '../../channels/repos/messages-repo';
import { denialPhrase, EXTENSION_PHRASES, spokenDate } from '../../channels/voice/phrases';
import { responsesService, type ResponsesOptions, type ResponsesService } from './responses-service';

/** The language to answer a consumer in: the one they asked in, else the business's default. */
export function localeOf(svc: ResponsesService, c: Pick<CaseContext, 'locale'>): Locale {
  return c.locale ?? svc.locale;
}

/** localeOf for a case by id. */
export async function caseLocale(ctx: AppContext, svc: ResponsesService, caseId: string): Promise<Locale> {
  return localeOf(svc, await caseContext(ctx, caseId));
}

async function caseContext(ctx: AppContext, caseId: string): Promise<CaseContext> {
  const engine = ctx.services.engine;
  if (engine) return (await engine.state(caseId)).context;
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  return contextOf(stored);
}

/** Record a message that could not go out for a reason that is not a failure (no address on file). */
export async function recordSkipped(ctx: AppContext, svc: ResponsesService, caseId: string, template: string, reason: string, dedupeKey = `${caseId}:${template}`): Promise<MessageRecord> {
  const claim = await svc.mailer.messages.claim({
    caseId, dedupeKey, template, channel: 'email', provider: svc.mailer.provider,
    recipientMasked: '(none)', recipientHash: null, locale: null,
  }, ctx.clock());
  if (!claim.send) return claim.record;
  const at = ctx.clock();
  await ctx.db.tx(async () => {
    await svc.mailer.messages.markSkipped(claim.record.id, reason, at);
    await ctx.audit.append({ caseId, actor: 'system', action: 'message.skipped', detail: { channel: 'email', template, reason } }, at);
  });
  return (await svc.mailer.messages.get(claim.record.id))!;
}

/** The status call a notice or a result becomes for a phone caller without an email address. */
interface StatusCall {
  /** The outbound flow's `caseStatus`: `closed`, `denied`, `extended`, `awaiting_consumer`. */
  caseStatus: string;
  /** Names the call in its dedupe key `<case>:call:status:<tag>` (and so its client token). */
  tag: string;
  /** More attributes for the flow: fixed phrases only (`channels/voice/phrases.ts`). */
  attributes: Record<string, string>;
}

/**
 * A consumer without an email address but with a phone number (a phone caller, or a mailed or
 * in-person request that gave one) hears the outcome or the notice instead: a status call through
 * the outbound flow, once per dedupe key (`<case>:call:status:<tag>`), with `emailed` "false" so the
 * flow never speaks of a message we did not send. With neither: recorded as skipped, visible to staff.
 */
async function callOrSkip(ctx: AppContext, svc: ResponsesService, caseId: string, template: string, ids: Identities, call: StatusCall, dedupeKey?: string): Promise<MessageRecord> {
  if (ids.phone) {
    return svc.calls.place({
      caseId, purpose: 'status', phone: ids.phone, status: call.caseStatus, sequence: 1, tag: call.tag, actor: 'system',
      attributes: { emailed: 'false', ...call.attributes },
    });
  }
  return recordSkipped(ctx, svc, caseId, template, 'no email address on the case', dedupeKey);
}

const resultCall = (template: string): StatusCall => ({ caseStatus: 'closed', tag: template, attributes: {} });

/** The result messages of a case, one of which an email `closed` status call may point to. */
const RESULT_TEMPLATES = ['access-report', 'deletion-result', 'opt-out-confirmation', 'request-result'] as const;

/**
 * The attributes of a status call staff place by hand (`calls.place`): whether the result or the
 * denial the status refers to went out by email (so the flow says "in the email we sent you" only
 * then), and for a denial the reason as the denial email words it. PII-free fixed phrases only.
 */
export async function statusCallAttributes(ctx: AppContext, svc: ResponsesService, caseId: string, status: string): Promise<Record<string, string>> {
  const emailedKey = async (key: string) => {
    const m = await svc.mailer.messages.byKey(key);
    return m?.status === 'sent' && m.channel === 'email';
  };
  if (status === 'denied') {
    const c = await caseContext(ctx, caseId);
    return {
      emailed: String(await emailedKey(`${caseId}:denial`)),
      ...(c.denial ? { denialReason: denialPhrase(c.denial.reason) } : {}),
    };
  }
  if (status === 'closed') {
    let emailed = false;
    for (const t of RESULT_TEMPLATES) emailed ||= await emailedKey(`${caseId}:${t}`);
    return { emailed: String(emailed) };
  }
  return {};
}

/** Why an access report waits for staff, and what they do about it (shown on the case and in the attention list). */
export const STAFF_DELIVERY_REASON = 'no email address on the case to send the report to: deliver it another way (e.g. print "report preview" and post it), then record the delivery (responses.deliver)';

/**
 * An access report that cannot be emailed (the requester gave only a phone number or custom keys)
 * waits for staff instead of failing in silence: a status call tells the consumer the report is
 * ready and that the privacy team will arrange its delivery (once; when there is a phone number),
 * the report's message is recorded as `pending` (post, shown in the attention list), and the step
 * throws so the case stays in `responding` with that reason. `responses.deliver` records the
 * delivery and the case closes.
 */
async function awaitStaffDelivery(ctx: AppContext, svc: ResponsesService, caseId: string, ids: Identities): Promise<never> {
  let called = false;
  if (ids.phone) {
    try {
      const call = await svc.calls.place({ caseId, purpose: 'status', phone: ids.phone, status: 'report_ready', sequence: 1, tag: 'access-report', actor: 'system' });
      called = call.status === 'sent';
    } catch {
      // Recorded as a failed call (attention list); placed again the next time the step runs.
    }
  }
  const key = `${caseId}:access-report`;
  const existing = await svc.mailer.messages.byKey(key);
  if (existing?.status !== 'pending') {
    const claim = await svc.mailer.messages.claim({
      caseId, dedupeKey: key, template: 'access-report', channel: 'post', provider: 'staff',
      recipientMasked: ids.address ? maskIdentity('address', addressKey(ids.address)) : '(address to be arranged)', recipientHash: null, locale: svc.locale,
    }, ctx.clock());
    if (claim.send) {
      const at = ctx.clock();
      await ctx.db.tx(async () => {
        await svc.mailer.messages.markPending(claim.record.id, STAFF_DELIVERY_REASON, at);
        await ctx.audit.append({ caseId, actor: 'system', action: 'message.pending', detail: { channel: 'post', template: 'access-report', reason: 'no email address', consumerCalled: called } }, at);
      });
    }
  }
  throw new StepWaits('staff_delivery', `awaiting staff delivery: ${STAFF_DELIVERY_REASON}${called ? '; the consumer was called and told the report is ready' : ''}`);
}

export async function discoveryFor(svc: ResponsesService, caseId: string): Promise<DiscoveryResult> {
  const dm = svc.datamap();
  const found = dm ? await dm.discoveryResult(caseId) : null;
  return found ?? { caseId, strategy: 'exact', at: new Date(0).toISOString(), collections: [], errors: [], systems: [] };
}

export async function buildReportFor(ctx: AppContext, svc: ResponsesService, caseId: string): Promise<AccessReport> {
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  const discovery = await discoveryFor(svc, caseId);
  const dm = svc.datamap();
  // The registered data maps: display names, field labels and formats, and the disclosures a map declares.
  const maps = (await dm?.repo?.systems()) ?? [];
  const systemInfo: Record<string, SystemInfo> = {};
  const fromMaps: SystemDisclosure[] = [];
  for (const m of maps) {
    systemInfo[m.name] = systemInfoFromMap(m.map);
    if (m.map.disclosures) fromMaps.push({ system: m.name, ...m.map.disclosures });
  }
  const fromService = (await dm?.systemDisclosures?.()) ?? [];
  const covered = new Set(fromMaps.map((d) => d.system));
  const all = [...fromMaps, ...fromService.filter((d) => !covered.has(d.system))];
  for (const d of all) covered.add(d.system);
  const disclosures = [...all, ...(await svc.disclosures.list()).filter((d) => !covered.has(d.system))];
  // Specific pieces only to a requester verified to a reasonably high degree (CCPA regs §7062).
  const c = await caseContext(ctx, caseId);
  return buildAccessReport(discovery, {
    businessName: svc.settings.businessName, generatedAt: ctx.clock().toISOString(), receivedAt: stored.receivedAt, disclosures,
    includePieces: c.verification.level === 'high', locale: localeOf(svc, contextOf(stored)), timeZone: rulesFor(stored.jurisdiction).timeZone, systemInfo,
  });
}

/**
 * A report that cannot say truthfully where a system's personal information comes from, why it is
 * used or who receives it (or that files data under no CCPA category) is not sent: the step fails
 * with what staff must declare, and the case stays in `responding` until they do (cases.retry).
 */
export function reportReviewReason(report: AccessReport): string | null {
  if (!report.review.length) return null;
  const declare = report.review.filter((r) => r.kind === 'disclosures').map((r) => r.system);
  const how = declare.length
    ? ` (in the console's Data map screen, #/datamap, or: privacy-desk disclosures set --system ${declare[0]} --source "..." --purpose "..." [--third-party "..."]; then retry the case)`
    : '';
  return `staff review: ${report.review.map((r) => r.message).join('; ')}${how}`;
}

export function reportFiles(report: AccessReport): EmailAttachment[] {
  const enc = new TextEncoder();
  return [
    { filename: 'personal-information-report.html', contentType: 'text/html; charset=utf-8', content: enc.encode(reportHtml(report)) },
    { filename: 'personal-information.json', contentType: 'application/json', content: enc.encode(reportJson(report)) },
    { filename: 'personal-information.csv', contentType: 'text/csv; charset=utf-8', content: enc.encode(reportCsv(report)) },
  ];
}

/**
 * The summary a result message is built from: what execution applied (per collection, the counts
 * the databases reported) and the independent check, read from the data map's tables; never the
 * plan or discovery. No data map (or one without its tables): nothing applied, nothing checked.
 */
export async function resultSummaryFor(svc: ResponsesService, caseId: string, type: CaseContext['type']): Promise<ResultSummary> {
  const repo = svc.datamap()?.repo;
  if (!repo) return resultSummary({ type, changes: [], check: null });
  const [changes, check, systems] = await Promise.all([repo.changes(caseId), repo.check(caseId), repo.systems()]);
  return resultSummary({ type, changes, check, systems: systems.map((s) => ({ name: s.name, displayName: s.map.name, collections: s.map.collections })) });
}

/** A result refused (nothing applied, or not checked): the step fails with the reason, the case stays in `responding` for staff. */
export class ResultNotSentError extends Error {
  constructor(readonly template: string, reason: string) {
    super(`${template} not sent: ${reason}`);
    this.name = 'ResultNotSentError';
  }
}

/** The summary of a case whose result may go out; throws ResultNotSentError otherwise. */
async function summaryToSend(svc: ResponsesService, caseId: string, type: CaseContext['type'], template: string): Promise<ResultSummary> {
  const summary = await resultSummaryFor(svc, caseId, type);
  if (summary.refusal) throw new ResultNotSentError(template, summary.refusal);
  return summary;
}

/** The result message already sent (a retry or a restart): it is not built or refused again. */
async function sentAlready(svc: ResponsesService, key: string): Promise<MessageRecord | null> {
  const m = await svc.mailer.messages.byKey(key);
  return m?.status === 'sent' ? m : null;
}

const countsDetail = (s: ResultSummary) => ({ ...s.totals, collections: s.lines.length, verified: s.verified });

function requireLevel(c: CaseContext): void {
  if (needsVerification(c.type) && !meets(c.verification.level, c.requiredLevel)) {
    throw new Error(`identity verified to "${c.verification.level}", "${c.requiredLevel}" required: the result is only sent to a verified requester`);
  }
}

function requireVerified(c: CaseContext, ids: Identities): string {
  if (!ids.email) throw new Error('no email address on the case: add one (or deliver another way) and retry');
  requireLevel(c);
  return ids.email;
}

export async function acknowledgeCase(ctx: AppContext, svc: ResponsesService, caseId: string): Promise<MessageRecord> {
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  const ids = await ctx.cases.identities(caseId);
  if (!ids.email) return recordSkipped(ctx, svc, caseId, 'acknowledgement', 'no email address on the case');
  return svc.mailer.send({
    caseId, dedupeKey: `${caseId}:acknowledgement`, template: 'acknowledgement', locale: localeOf(svc, contextOf(stored)), to: ids.email, actor: 'system',
    vars: { requestAction: requestAction(stored.type, localeOf(svc, contextOf(stored))), receivedDate: stored.receivedAt.slice(0, 10), dueDate: stored.respondBy },
  });
}

export async function respondCase(ctx: AppContext, svc: ResponsesService, caseId: string): Promise<MessageRecord> {
  const c = await caseContext(ctx, caseId);
  const ids = await ctx.cases.identities(caseId);
  const locale = localeOf(svc, c);
  const action = requestAction(c.type, locale);
  switch (c.type) {
    case 'access': {
      requireLevel(c);
      const done = await svc.mailer.messages.byKey(`${caseId}:access-report`);
      if (done?.status === 'sent') return done; // emailed, or delivered by staff (responses.deliver)
      if (!ids.email) return awaitStaffDelivery(ctx, svc, caseId, ids);
      const to = ids.email;
      const report = await buildReportFor(ctx, svc, caseId);
      const review = reportReviewReason(report);
      if (review) throw new ResultNotSentError('access-report', review);
      const files = reportFiles(report);
      const summary = reportEmailSummary(report);
      const detail = { scope: report.scope, systems: report.totals.systems, rows: report.totals.rows, categories: report.categories.filter((x) => x.collected).map((x) => x.letter).join(''), withheldShared: report.withheldShared };
      const probe = { to, from: svc.settings.from, subject: 'x', html: 'x'.repeat(4096), text: 'x'.repeat(2048), attachments: files };
      if (estimatedMimeBytes(probe) <= svc.settings.maxMessageBytes) {
        return svc.mailer.send({
          caseId, dedupeKey: `${caseId}:access-report`, template: 'access-report', locale, to, actor: 'system', attachments: files, delivery: 'attachments',
          vars: {
            scopeText: reportScopeText(report.scope, locale),
            delivery: reportDelivery(locale, null).text,
            deliveryHtml: reportDelivery(locale, null).html(escapeHtml),
            summary: summary.text,
            summaryHtml: summary.html,
          },
          detail,
        });
      }
      const link = await svc.links.create(caseId, files.map((f) => ({ name: f.filename, contentType: f.contentType, content: f.content })), svc.linkDays, 'system');
      const d = reportDelivery(locale, { url: link.url, until: link.expiresAt.slice(0, 10) });
      return svc.mailer.send({
        caseId, dedupeKey: `${caseId}:access-report`, template: 'access-report', locale, to, actor: 'system', delivery: 'link',
        vars: {
          scopeText: reportScopeText(report.scope, locale),
          delivery: d.text,
          deliveryHtml: d.html(escapeHtml),
          summary: summary.text,
          summaryHtml: summary.html,
        },
        detail: { ...detail, linkId: link.id, linkExpiresAt: link.expiresAt },
      });
    }
    case 'delete':
    case 'delete_pii': {
      const done = await sentAlready(svc, `${caseId}:deletion-result`);
      if (done) return done;
      const summary = await summaryToSend(svc, caseId, c.type, 'deletion-result');
      const systems = [...new Set(summary.lines.filter((l) => l.deleted + l.masked > 0).map((l) => l.system))];
      // Service providers and contractors first: the consumer's confirmation says they were told.
      const notices = await svc.processors.notify(caseId, systems, ids, 'system');
      if (!ids.email) return callOrSkip(ctx, svc, caseId, 'deletion-result', ids, resultCall('deletion-result'));
      const to = requireVerified(c, ids);
      const s = deletionResultText(summary, locale, { processorsTold: notices.some((n) => n.status === 'sent' || n.status === 'confirmed') });
      return svc.mailer.send({
        caseId, dedupeKey: `${caseId}:deletion-result`, template: 'deletion-result', locale, to, actor: 'system',
        vars: { requestAction: action, summary: s.text, summaryHtml: s.html },
        detail: countsDetail(summary),
      });
    }
    case 'opt_out': {
      const done = await sentAlready(svc, `${caseId}:opt-out-confirmation`);
      if (done) return done;
      const summary = await summaryToSend(svc, caseId, c.type, 'opt-out-confirmation');
      // Those we sold or shared it to, and our service providers, are told to stop too (regs §7026(f)).
      await svc.processors.notify(caseId, appliedSystems(summary), ids, 'system', 'opt_out');
      if (!ids.email) return callOrSkip(ctx, svc, caseId, 'opt-out-confirmation', ids, resultCall('opt-out-confirmation'));
      const s = optOutResultText(summary, locale);
      return svc.mailer.send({
        caseId, dedupeKey: `${caseId}:opt-out-confirmation`, template: 'opt-out-confirmation', locale, to: ids.email, actor: 'system',
        vars: { requestAction: action, summary: s.text, summaryHtml: s.html },
        detail: { ...countsDetail(summary), controlMapped: summary.controlMapped },
      });
    }
    case 'correct':
    case 'limit': {
      const done = await sentAlready(svc, `${caseId}:request-result`);
      if (done) return done;
      const summary = await summaryToSend(svc, caseId, c.type, 'request-result');
      // Service providers, contractors and third parties holding it make the same change (regs §7023(c), §7027).
      const corrected = c.type === 'correct' ? [...new Set(summary.categories.map((k) => categoryName(k, 'en') ?? k))] : [];
      await svc.processors.notify(caseId, appliedSystems(summary), ids, 'system', c.type, corrected);
      if (!ids.email) return callOrSkip(ctx, svc, caseId, 'request-result', ids, resultCall('request-result'));
      const to = c.type === 'correct' ? requireVerified(c, ids) : ids.email;
      const s = c.type === 'correct' ? correctionResultText(summary, locale) : limitResultText(summary, locale);
      return svc.mailer.send({
        caseId, dedupeKey: `${caseId}:request-result`, template: 'request-result', locale, to, actor: 'system',
        vars: { requestAction: action, summary: s.text, summaryHtml: s.html },
        detail: countsDetail(summary),
      });
    }
    default: {
      const never: never = c.type;
      throw new Error(`no response for case type ${String(never)}`);
    }
  }
}

/** The systems where a result's changes were applied (whose processors are told). */
const appliedSystems = (summary: ResultSummary): string[] => [...new Set(summary.lines.filter((l) => l.deleted + l.masked + l.updated > 0).map((l) => l.system))];

export const NOTICE_KINDS = ['extension', 'hold', 'denial'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const noticeTemplate = (kind: NoticeKind) => (kind === 'extension' ? 'extension-notice' : kind === 'hold' ? 'hold-notice' : 'denial');

/** The part of a notice's keys that names it: every hold has its own notice (keyed by its start). */
const noticeTag = (kind: NoticeKind, c: Pick<CaseContext, 'hold'>): string => (kind === 'hold' ? `hold-notice:${c.hold?.since ?? ''}` : noticeTemplate(kind));

/** The dedupe keys a notice is recorded under: its email (or skipped record), and the status call a phone caller gets instead. */
export function noticeKeys(caseId: string, kind: NoticeKind, c: Pick<CaseContext, 'hold'>): { email: string; call: string } {
  const tag = noticeTag(kind, c);
  return { email: `${caseId}:${tag}`, call: `${caseId}:call:status:${tag}` };
}

/**
 * The status call a notice becomes for a phone caller without email, or null when there is nothing
 * to call about: a legal hold asks nothing of the consumer (its notice is recorded as skipped). The
 * extension's reason is read as its category's phrase, never the staff's text.
 */
function noticeCall(kind: NoticeKind, c: CaseContext): StatusCall | null {
  const tag = noticeTag(kind, c);
  if (kind === 'extension') {
    return { caseStatus: 'extended', tag, attributes: { extensionReason: EXTENSION_PHRASES[c.extension?.category ?? 'general'], dueDateSpoken: spokenDate(deadlinesOf(c).respond) } };
  }
  if (kind === 'hold') return c.hold?.reason === 'awaiting_consumer' ? { caseStatus: 'awaiting_consumer', tag, attributes: {} } : null;
  return { caseStatus: 'denied', tag, attributes: { denialReason: denialPhrase(c.denial!.reason) } };
}

/**
 * Extension notice (with the reason and the new date), hold notice, denial (reason + how to appeal).
 * `context` is the case's machine context when the caller has it (the after-commit hook passes the
 * committed one); otherwise it is read.
 */
export async function sendCaseNotice(ctx: AppContext, svc: ResponsesService, caseId: string, kind: NoticeKind, actor: string, context?: CaseContext): Promise<MessageRecord> {
  const c = context ?? await caseContext(ctx, caseId);
  const ids = await ctx.cases.identities(caseId);
  const template = noticeTemplate(kind);
  const keys = noticeKeys(caseId, kind, c);
  if (kind === 'extension' && !c.extension) throw new Error(`case ${caseId} has not been extended`);
  if (kind === 'hold' && !c.hold) throw new Error(`case ${caseId} is not on hold`);
  if (kind === 'denial' && !c.denial) throw new Error(`case ${caseId} has not been denied`);
  if (!ids.email) {
    const call = noticeCall(kind, c);
    if (call) return callOrSkip(ctx, svc, caseId, template, ids, call, keys.email);
    return recordSkipped(ctx, svc, caseId, template, 'no email address on the case', keys.email);
  }
  const locale = localeOf(svc, c);
  if (kind === 'extension') {
    return svc.mailer.send({ caseId, dedupeKey: keys.email, template, locale, to: ids.email, actor,
      vars: { reason: c.extension!.reason, dueDate: deadlinesOf(c).respond } });
  }
  if (kind === 'hold') {
    const hold = c.hold!;
    const reason = hold.reason === 'awaiting_consumer' ? 'we are waiting for information from you.' : 'a legal obligation requires us to pause it.';
    return svc.mailer.send({ caseId, dedupeKey: keys.email, template, locale, to: ids.email, actor,
      vars: { reason, note: hold.reason === 'awaiting_consumer' ? (hold.note ?? '') : '' } });
  }
  return svc.mailer.send({ caseId, dedupeKey: keys.email, template, locale, to: ids.email, actor,
    vars: {
      reason: denialReasonText(c.denial!.reason, locale), note: c.denial!.note ?? '', appealContact: svc.settings.appealContact,
      appealText: denialAppealText(c.jurisdiction, locale, svc.settings.appealContact, caseId),
      optOutText: denialOptOutText(c.type, locale, svc.settings.appealContact),
    } });
}

/** The notices a committed transition makes due: the extension notice, the hold notice, the denial. */
export function noticesDue(t: { from: string | null; to: string; extended: boolean }): NoticeKind[] {
  const due: NoticeKind[] = [];
  if (t.extended) due.push('extension');
  if (t.from !== t.to && t.to === 'on_hold') due.push('hold');
  if (t.from !== t.to && t.to === 'denied') due.push('denial');
  return due;
}

/**
 * The engine's after-commit hook (registered by createApp): the notice the law requires goes out as
 * soon as the extension, hold or denial has committed, whatever made it (a staff op, the CLI, the
 * console). Idempotent (the notices' dedupe keys). A failure never fails the staff command: the
 * mailer has retried with backoff and recorded the message as failed (case, attention list, audit
 * `message.failed`); anything that failed before a message was recorded is audited as
 * `notice.failed`. `sweepNotices` sends whatever is still due.
 */
export function caseNoticeHook(ctx: AppContext, options: ResponsesOptions = {}): AfterCommitHook {
  return async (t) => {
    const due = noticesDue(t);
    if (!due.length) return;
    const svc = responsesService(ctx, options);
    for (const kind of due) {
      try {
        await sendCaseNotice(ctx, svc, t.caseId, kind, 'system', t.context);
      } catch (e) {
        const keys = noticeKeys(t.caseId, kind, t.context);
        const recorded = [await svc.mailer.messages.byKey(keys.email), await svc.mailer.messages.byKey(keys.call)];
        if (!recorded.some((m) => m?.status === 'failed')) {
          const message = e instanceof Error ? e.message : String(e);
          await ctx.audit.append({ caseId: t.caseId, actor: 'system', action: 'notice.failed', detail: { kind, template: noticeTemplate(kind), error: message.slice(0, 500) } }, ctx.clock());
        }
      }
    }
  };
}

/**
 * Send every notice that is due and not yet sent: the extension notice of each extended open case,
 * the hold notice of each case on hold, the denial of each case denied in the last `denialDays`
 * days. Idempotent (dedupe keys). The notices go out by themselves after each transition
 * (caseNoticeHook); this is the safety net for those that failed or were cut off by a crash: run it
 * on a schedule. A notice that fails is counted and stays failed on the case (and in the attention list).
 */
export async function sweepNotices(ctx: AppContext, svc: ResponsesService, actor: string, denialDays = 30): Promise<{ sent: number; failed: number; skipped: number }> {
  const out = { sent: 0, failed: 0, skipped: 0 };
  const due: Array<{ id: string; kind: NoticeKind; keys: { email: string; call: string } }> = [];
  for (const stored of await ctx.cases.listOpen()) {
    if (stored.purgedAt) continue;
    const c = contextOf(stored);
    if (c.extension) due.push({ id: stored.id, kind: 'extension', keys: noticeKeys(stored.id, 'extension', c) });
    if (stored.status === 'on_hold' && c.hold) due.push({ id: stored.id, kind: 'hold', keys: noticeKeys(stored.id, 'hold', c) });
  }
  const since = new Date(ctx.clock().getTime() - denialDays * 86_400_000).toISOString();
  for (let offset = 0; ; offset += 500) {
    const page = await ctx.cases.list({ status: 'denied', sort: 'receivedAt', order: 'desc', offset, limit: 500 });
    for (const stored of page.items) {
      if (!stored.purgedAt && (stored.closedAt ?? stored.updatedAt) >= since) due.push({ id: stored.id, kind: 'denial', keys: noticeKeys(stored.id, 'denial', { hold: null }) });
    }
    if (page.items.length < 500) break;
  }
  const done = (m: MessageRecord | undefined) => !!m && (m.status === 'sent' || m.status === 'skipped');
  for (const d of due) {
    if (done(await svc.mailer.messages.byKey(d.keys.email)) || done(await svc.mailer.messages.byKey(d.keys.call))) continue;
    try {
      const m = await sendCaseNotice(ctx, svc, d.id, d.kind, actor);
      if (m.status === 'skipped') out.skipped += 1; else out.sent += 1;
    } catch {
      out.failed += 1;
    }
  }
  return out;
}

export function createResponseEffects(ctx: AppContext, options: ResponsesOptions = {}): Pick<CaseEffects, 'acknowledge' | 'respond'> {
  const svc = () => responsesService(ctx, options);
  return {
    acknowledge: async (caseId) => { await acknowledgeCase(ctx, svc(), caseId); },
    respond: async (caseId) => { await respondCase(ctx, svc(), caseId); },
  };
}


/**
 * Files on disk that belong to cases whose retention ended: the outbox copies of their messages
 * (embedded defaults: .eml files, and their texts in <dataDir>/sms/messages.jsonl, counted in
 * `outboxFiles`) and the encrypted report files behind their download links (links end at
 * the purge; expired links of every case go too). Idempotent, so a run that stopped midway is
 * finished by the next one.
 */
export async function purgeResponseFiles(ctx: AppContext, svc: ResponsesService): Promise<{ outboxFiles: number; reportLinks: number }> {
  const rows = await ctx.db.all<{ provider_message_id: string }>(
    `SELECT m.provider_message_id FROM messages m JOIN cases c ON c.id = m.case_id
      WHERE c.purged_at IS NOT NULL AND m.provider IN ('outbox', 'sms-outbox') AND m.provider_message_id IS NOT NULL`);
  const ids = rows.map((r) => r.provider_message_id);
  const outboxFiles = removeOutboxMessages(join(ctx.config.dataDir, 'outbox'), ids) + removeSmsOutboxMessages(join(ctx.config.dataDir, 'sms'), ids);
  const reportLinks = await svc.links.purgeExpired();
  return { outboxFiles, reportLinks };
}
