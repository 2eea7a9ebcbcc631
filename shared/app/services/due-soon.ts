// The daily "due soon" email (`digest.dueSoon`, `privacy-desk messages due-soon`, run from cron):
// to each assignee the open requests they must act on. Where an assignee's address comes from:
// a staff directory set as ctx.services.staffDirectory (the users store of issue 16
// items 1-2 plugs in here), else the assignee itself when it is an email address, else the
// configured staff address (PRIVACY_DESK_STAFF_EMAIL), which also gets unassigned cases. Sent
// once per address and day (the dedupe key), so a second run the same day sends nothing.
import type { AppContext } from '../context';
import { caseView } from '../case-view';
import { contextOf } from '../engine';
import { isEmail, maskIdentity, normalizeEmail } from '../../domain/identity';
import { dueLine, dueSoon, groupDigest, summaryLine } from '../../domain/due-soon';
import { escapeHtml } from '../../domain/report/report-html';
import { localDate } from '../../domain/deadlines';
import { responsesService } from './responses-service';

/** Set by whoever knows the staff (ctx.services.staffDirectory). */
export interface StaffDirectory { emailOf(assignee: string): Promise<string | null> }

export interface DigestResult {
  date: string;
  sent: Array<{ to: string; assignees: string[]; cases: number; status: string }>;
  undelivered: string[];
}

export async function sendDueSoonDigest(ctx: AppContext, actor: string, days: number, dryRun: boolean): Promise<DigestResult> {
  const now = ctx.clock();
  const date = localDate(now, 'CA');
  const open = await ctx.cases.listOpen();
  const views = open.map((stored) => ({ view: caseView({ stored, context: contextOf(stored), status: stored.status }, now), assignee: stored.assignee ?? null }));
  const assigneeOf = new Map(views.map((v) => [v.view.id, v.assignee]));
  const rows = dueSoon(views.map((v) => v.view), days).map((d) => ({ ...d, assignee: assigneeOf.get(d.id) ?? null }));
  const directory = ctx.services.staffDirectory;
  const addressOf = new Map<string, string | null>();
  for (const a of new Set(rows.map((r) => r.assignee).filter((a): a is string => !!a))) {
    const found = (await directory?.emailOf(a)) ?? (isEmail(a) ? a : null);
    addressOf.set(a, found ? normalizeEmail(found) : null);
  }
  const svc = responsesService(ctx);
  const { groups, undelivered } = groupDigest(rows, addressOf, svc.settings.staffEmail);
  const sent: DigestResult['sent'] = [];
  for (const g of groups) {
    const to = maskIdentity('email', g.to);
    if (dryRun) { sent.push({ to, assignees: g.assignees, cases: g.cases.length, status: 'dry-run' }); continue; }
    const lines = g.cases.map(dueLine);
    try {
      const m = await svc.mailer.send({
        caseId: null, dedupeKey: `digest:due-soon:${date}:${ctx.crypto.keyedHash('email', g.to)}`, template: 'due-soon', locale: 'en', to: g.to,
        vars: {
          asOf: date, summaryLine: summaryLine(g.cases),
          casesHtml: `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`, casesText: lines.map((l) => `- ${l}`).join('\n'),
        },
        detail: { digest: 'due-soon', date, cases: g.cases.length }, actor,
      });
      sent.push({ to, assignees: g.assignees, cases: g.cases.length, status: m.status });
    } catch (e) {
      sent.push({ to, assignees: g.assignees, cases: g.cases.length, status: `failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  await ctx.audit.append({ caseId: null, actor, action: 'digest.due_soon', detail: { date, days, dryRun, recipients: sent.length, cases: rows.length, undelivered: undelivered.length } }, ctx.clock());
  return { date, sent, undelivered: undelivered.map((u) => u.id) };
}
