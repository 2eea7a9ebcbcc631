// Handlers of the case operations (shared/app/contract/cases.ts): thin, every rule lives in the
// case machine and the legal clock; every change is audited (who, what, why; no raw PII).
import type { Handlers, ParsedInputOf } from '../api';
import { ApiInputError, ApiStateError } from '../api';
import { SqlAuditLog } from '../../store/audit-log';
import type { casesContract } from '../contract/cases';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { caseView } from '../case-view';
import { contextOf } from '../engine';
import { identityPairs, isEmail, maskIdentity, normalizeEmail, normalizePhone } from '../../domain/identity';
import { canExtend, todayByJurisdiction } from '../../domain/deadlines';
import { meets } from '../../domain/verification';
import { purgeExpired, retentionCutoff, RETENTION_MONTHS } from '../../store/retention';
import { purgeResponseFiles } from '../services/responses';
import { declarationOrThrow } from './declarations';
import { responsesService } from '../services/responses-service';
import type { CaseView } from '../../domain/case';
import type { CaseQuery } from '../../store/ports';

type CaseListInput = ParsedInputOf<typeof casesContract, 'cases.list'>;

export function casesHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof casesContract> {
  const now = () => ctx.clock();
  const at = () => now().toISOString();

  async function view(id: string, withIdentities = false): Promise<CaseView> {
    const state = await engine.state(id);
    let masked: Record<string, string> = {};
    let agent = null;
    if (withIdentities && !state.stored.purgedAt) {
      const pii = await ctx.cases.identitiesAndAgent(id);
      masked = Object.fromEntries(identityPairs(pii.identities).map((p) => [p.kind, maskIdentity(p.kind, p.value)]));
      agent = pii.agent;
    }
    return { ...caseView(state, now(), masked), agent };
  }

  /** The store's query for the queue's filters: the search text read as a case id (prefix), a code fragment or an identity. */
  function caseQuery(q: CaseListInput): CaseQuery {
    let identityHashes: string[] | undefined;
    let idPrefix: string | undefined;
    let idCode: string | undefined;
    if (q.search) {
      const s = q.search.trim();
      if (/^PD-/iu.test(s)) idPrefix = s.toUpperCase();
      else if (/^\d{8}(-[A-Za-z0-9]{0,6})?$/u.test(s)) idPrefix = `PD-${s.toUpperCase()}`; // the date part of an id
      else {
        // Letters and digits only: also the start or end of the 6-character code ending every case id.
        if (/^[A-Za-z0-9]{2,6}$/u.test(s)) idCode = s;
        const hashes: string[] = [];
        if (isEmail(s)) hashes.push(ctx.crypto.keyedHash('email', normalizeEmail(s)));
        const phone = normalizePhone(s);
        if (phone) hashes.push(ctx.crypto.keyedHash('phone', phone));
        if (!hashes.length && !idCode) idPrefix = s.toUpperCase();
        identityHashes = hashes.length ? hashes : undefined;
      }
    }
    // Overdue = open and past the due date in the case's own jurisdiction (its zone's today).
    const todays = q.overdue ? todayByJurisdiction(now()) : undefined;
    const overdueAsOf = todays && todays.length === 1 ? todays[0]!.date : todays;
    return {
      status: q.status, type: q.type, channel: q.channel, jurisdiction: q.jurisdiction,
      overdueAsOf, idPrefix, idCode, identityHashes, assignee: q.assignee,
      sort: q.sort, order: q.order, offset: q.offset, limit: q.limit,
    };
  }

  return {
    'cases.create': async (input, meta) => {
      const id = await engine.create(input, meta);
      return view(id, true);
    },
    'cases.get': async ({ id }) => view(id, true),
    'cases.list': async (q) => {
      const { items, total } = await ctx.cases.list(caseQuery(q));
      const t = now();
      return { items: items.map((stored) => caseView({ stored, context: contextOf(stored), status: stored.status }, t)), total };
    },
    'cases.page': async (q) => {
      const items = await ctx.cases.page(caseQuery(q));
      const t = now();
      return { items: items.map((stored) => caseView({ stored, context: contextOf(stored), status: stored.status }, t)) };
    },
    'cases.count': async (q) => ({ total: await ctx.cases.count(caseQuery({ ...q, sort: 'respondBy', order: 'asc', offset: 0, limit: 1 })) }),
    'cases.revealIdentities': async ({ id, reason }, meta) => {
      const state = await engine.state(id);
      if (state.stored.purgedAt) throw new ApiInputError(`case ${id}: identities were purged at the end of the retention period`);
      const ids = await ctx.cases.identities(id);
      await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'identities.revealed', detail: { reason, kinds: identityPairs(ids).map((p) => p.kind) } }, now());
      const out: Record<string, string> = {};
      if (ids.email) out.email = ids.email;
      if (ids.phone) out.phone = ids.phone;
      if (ids.name) out.name = ids.name;
      if (ids.address) out.address = [ids.address.line1, ids.address.line2, ids.address.city, ids.address.state, ids.address.postalCode, ids.address.country].filter(Boolean).join(', ');
      for (const k of ids.customKeys ?? []) out[`custom:${k.name}`] = k.value;
      return out;
    },
    'cases.verify': async ({ id, method, note, dataPoints, declarationId }, meta) => {
      // Only a declaration stored with this case (encrypted, declarations.store) counts as signed;
      // the contract refuses the older yes/no flag without one.
      if (declarationId !== undefined) await declarationOrThrow(ctx, id, declarationId);
      const signedDeclaration = declarationId !== undefined;
      await engine.send(id, { type: 'VERIFY', at: at(), by: meta.actor, method, dataPoints, signedDeclaration, note },
        meta, { action: 'case.verify', detail: { method, dataPoints, signedDeclaration, ...(declarationId ? { declarationId } : {}), note } });
      return view(id, true);
    },
    'cases.categoriesOnly': async ({ id, note }, meta) => {
      const state = await engine.state(id);
      const c = state.context;
      if (c.type !== 'access' || c.requiredLevel !== 'high') throw new ApiStateError(`case ${id} is not a request for specific pieces awaiting the high level`);
      if (state.status !== 'verifying') throw new ApiStateError(`case ${id} is ${state.status}: only a case still verifying can fall back to the categories report`);
      if (c.verification.level !== 'reasonable') throw new ApiStateError(`case ${id}: verify it to the reasonable level first (2 data points); the categories report still needs that (11 CCR §7062(b))`);
      await engine.send(id, { type: 'CATEGORIES_ONLY', at: at(), by: meta.actor, note }, meta, { action: 'case.categories_only', detail: { note } });
      return view(id, true);
    },
    'cases.deny': async ({ id, reason, note }, meta) => {
      await engine.send(id, { type: 'DENY', at: at(), reason, note: note ?? null }, meta, { action: 'case.deny', detail: { reason, note: note ?? null } });
      return view(id, true);
    },
    'cases.extend': async ({ id, reason, category }, meta) => {
      const before = (await engine.state(id)).context;
      const n = now();
      const check = canExtend({ jurisdiction: before.jurisdiction, type: before.type, receivedAt: before.receivedAt, extended: before.extension !== null, pauses: before.pauses }, n);
      if (!check.ok) throw new ApiInputError(`cannot extend case ${id}: ${check.reason}`);
      const c = category ? { category } : {};
      await engine.send(id, { type: 'EXTEND', at: n.toISOString(), reason, ...c }, meta, { action: 'case.extend', detail: { reason, ...c } });
      return view(id, true);
    },
    'cases.hold': async ({ id, reason, note }, meta) => {
      await engine.send(id, { type: 'HOLD', at: at(), reason, note }, meta, { action: 'case.hold', detail: { reason, note } });
      return view(id, true);
    },
    'cases.resume': async ({ id }, meta) => {
      await engine.send(id, { type: 'RESUME', at: at() }, meta, { action: 'case.resume' });
      return view(id, true);
    },
    'cases.discover': async ({ id }, meta) => {
      await engine.send(id, { type: 'DISCOVER', at: at() }, meta, { action: 'case.discover' });
      return view(id, true);
    },
    'cases.approve': async ({ id }, meta) => {
      const state = await engine.state(id);
      const c = state.context;
      if (state.status === 'in_review' && !c.autoApprove && c.pendingReview > 0) {
        throw new ApiInputError(`case ${id}: ${c.pendingReview} row(s) still await review (approve or set aside each first)`);
      }
      if (state.status === 'in_review' && !meets(c.verification.level, c.requiredLevel)) {
        throw new ApiStateError(`case ${id}: discovery found sensitive personal information, so the deletion needs the ${c.requiredLevel} level of verification (11 CCR §7062(d): 3 data points and a signed declaration); it is ${c.verification.level}`);
      }
      await engine.send(id, { type: 'APPROVE', at: at(), by: meta.actor }, meta, { action: 'case.approve' });
      return view(id, true);
    },
    'cases.retry': async ({ id }, meta) => {
      await engine.send(id, { type: 'RETRY', at: at() }, meta, { action: 'case.retry' });
      return view(id, true);
    },
    'cases.assign': async ({ id, assignee }, meta) => {
      await engine.state(id);
      await ctx.db.tx(async () => {
        await ctx.cases.update(id, { assignee, updatedAt: at() });
        await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'case.assign', detail: { assignee } }, now());
      });
      return view(id, true);
    },
    'cases.audit': async ({ id }) => {
      await engine.state(id);
      return ctx.audit.forCase(id);
    },
    'retention.purge': async ({ before, force, reason }, meta) => {
      const t = now();
      if (before !== undefined && Date.parse(before) > t.getTime()) throw new ApiInputError('before: must not be in the future');
      // CCPA regs §7101(a): request records are kept at least 24 months. A later cut-off purges
      // younger records: refused, unless forced with a reason (audited before the purge runs).
      const floor = retentionCutoff(t, RETENTION_MONTHS);
      if (before !== undefined && Date.parse(before) > floor.getTime()) {
        if (!force) {
          throw new ApiInputError(`before: ${before} would purge records younger than ${RETENTION_MONTHS} months (11 CCR §7101 keeps them until ${floor.toISOString()}); to do it anyway (a court order) use force with a reason`);
        }
        await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'retention.forced', detail: { before, retentionCutoff: floor.toISOString(), note: reason ?? '' } }, t);
      }
      // The store's purge: PII of cases closed before the cutoff (24 calendar months by default),
      // one `case.pii_purged` entry per case and a `retention.purge` summary, in one transaction.
      const r = await purgeExpired(ctx.db, { cases: ctx.cases, audit: ctx.audit }, t, { actor: meta.actor, before });
      // Then the files of purged cases (after the commit; idempotent, so a crash here is finished next run).
      const files = await purgeResponseFiles(ctx, responsesService(ctx));
      if (files.outboxFiles || files.reportLinks) {
        await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'retention.files', detail: files }, now());
      }
      return { purged: r.purged, before: r.cutoff, files };
    },
    'audit.verify': async ({ anchor }) => {
      if (anchor === undefined) return ctx.audit.verify();
      if (!(ctx.audit instanceof SqlAuditLog)) throw new ApiStateError('this store has no anchored audit log');
      return ctx.audit.verifyAnchor(anchor);
    },
  };
}

export { contextOf };
