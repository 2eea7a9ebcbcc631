// Handlers of the public operations (shared/app/contract/public.ts): what the privacy center, the
// GPC endpoint and the link pages may do. Cases open through the same engine as every channel
// (channel `web` or `gpc`, same deadlines and audit). No answer depends on whether an email or a
// reference is known (no enumeration); nothing of a case is shown without a fresh code.
import { createHash } from 'node:crypto';
import type { Handlers } from '../api';
import { ApiNotFoundError, ApiStateError } from '../api';
import type { publicContract, PublicStatus } from '../contract/public';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { caseView } from '../case-view';
import { storeDocument } from '../documents';
import { responsesService } from '../services/responses-service';
import { identityPairs, type Identities } from '../../domain/identity';
import { meets, needsVerification } from '../../domain/verification';
import { CodeError, type CodePurpose } from '../../channels/codes';
import { LinkError } from '../../channels/report-links';
import { openSession, signSession } from '../public-session';
import { datamapService } from '../datamap/service';
import { subjectOf } from '../datamap/subject';
import { matchDataPoints } from '../../domain/data-points';
import { rulesFor } from '../../domain/jurisdiction-rules';
import { DECLARATION_TEXT } from '../contract/public';
import { appealability, fileAppeal } from '../appeals/file';

const ACTOR = 'consumer:web';
const HIGHER_MAX_FAILURES = 3;

export function publicHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof publicContract> {
  const svc = () => responsesService(ctx);
  /** The case behind a reference, or null (missing and purged look the same from outside). */
  const findCase = async (reference: string) => {
    const c = await ctx.cases.get(reference);
    return c && !c.purgedAt ? c : null;
  };
  const statusOf = async (id: string): Promise<PublicStatus> => {
    const state = await engine.state(id);
    const v = caseView(state, ctx.clock());
    const messages = (await svc().mailer.messages.forCase(id))
      .filter((m) => m.status === 'sent' && m.template !== 'verification-code' && !m.template.startsWith('staff-'))
      .map((m) => ({ template: m.template, channel: m.channel, sentAt: m.sentAt }));
    const pending: PublicStatus['pendingOnConsumer'] = [];
    if (v.status === 'verifying' && needsVerification(v.type) && !meets(v.verification.level, v.requiredLevel)) pending.push('verify');
    if (v.status === 'on_hold' && v.hold?.reason === 'awaiting_consumer') pending.push('awaiting_consumer');
    const higherVerification = v.status === 'verifying' && v.requiredLevel === 'high' && v.verification.level === 'reasonable';
    const ap = await appealability(ctx, engine, id);
    const filed = ap.appeals.at(-1);
    return {
      reference: v.id, type: v.type, status: v.status, receivedAt: v.receivedAt, respondBy: v.deadlines.respond, extended: v.extended, higherVerification,
      verified: meets(v.verification.level, v.requiredLevel) && v.verification.level !== 'none' ? true : !needsVerification(v.type),
      pendingOnConsumer: pending, denialReason: v.denial?.reason ?? null, closedAt: v.closedAt, messages, jurisdiction: v.jurisdiction,
      appeal: {
        available: ap.mayFile, noAppealInLaw: ap.refused && rulesFor(v.jurisdiction).appeal === null,
        filed: filed ? { status: filed.status, receivedOn: filed.receivedOn, respondBy: filed.respondBy, extended: filed.extended, reopenedReference: filed.reopenedCaseId } : null,
      },
    };
  };
  /** Send a code; a refused send (lock, rate limit, STOP) is audited by the codes service and not told apart. */
  const sendCode = async (id: string, purpose: CodePurpose, channel: 'email' | 'sms' | 'voice' | 'auto' | undefined, locale: 'en' | 'es') => {
    const ids = await ctx.cases.identities(id);
    const how = channel ?? (ids.email ? 'email' : 'auto');
    const state = await engine.state(id);
    try {
      if (how === 'email' && ids.email) return (await svc().codes.issue(id, ids.email, locale, ACTOR, purpose)).channel;
      if (how !== 'email' && ids.phone) return (await svc().codes.issueToPhone(id, ids.phone, how, locale, ACTOR, state.status, purpose)).channel;
      if (ids.email) return (await svc().codes.issue(id, ids.email, locale, ACTOR, purpose)).channel;
      return null;
    } catch (e) {
      if (e instanceof CodeError) return null;
      throw e;
    }
  };
  // Wrong codes for references we do not have, counted like real ones (3 and "locked"), so no
  // answer tells a made-up reference from a real one.
  const unknownTries = new Map<string, number>();
  const maxFailures = () => svc().codes.policy.maxFailures;
  const check = async (reference: string, code: string, purpose: CodePurpose) => {
    const fail = (reason: 'wrong' | 'locked', attemptsLeft: number | null) => ({ ok: false, reason, attemptsLeft: reason === 'wrong' ? attemptsLeft : null, status: null, session: null });
    const c = await findCase(reference);
    const state = c ? await engine.state(c.id) : null;
    if (!c || (purpose === 'verification' && (state!.status === 'on_hold' || state!.status === 'closed' || state!.status === 'denied'))) {
      const n = (unknownTries.get(reference) ?? 0) + 1;
      if (unknownTries.size > 10_000) unknownTries.clear();
      unknownTries.set(reference, n);
      return n >= maxFailures() ? fail('locked', 0) : fail('wrong', maxFailures() - n);
    }
    const r = await svc().codes.check(c.id, code, ACTOR, purpose);
    if (r.ok) return { ok: true, reason: null, attemptsLeft: null, status: await statusOf(c.id), session: signSession(ctx, c.id) };
    if (r.reason === 'locked') return fail('locked', 0);
    // No active code or an expired one: told as a wrong code (the consumer asks for a new one either way).
    return fail('wrong', r.reason === 'wrong' ? r.attemptsLeft : (await svc().codes.status(c.id)).attemptsLeft);
  };
  const links = <T>(p: Promise<T>): Promise<T> => p.catch((e: unknown) => {
    if (e instanceof LinkError) throw (e.kind === 'not-found' || e.kind === 'invalid' ? new ApiNotFoundError(e.message) : new ApiStateError(e.message));
    throw e;
  });
  // One GPC case per identity at a time inside this process; the look-up below covers the rest.
  const gpcLocks = new Map<string, Promise<unknown>>();
  // Wrong §7062 data points per case in this process: after 3, staff verify another way.
  const higherFailures = new Map<string, number>();

  return {
    'public.submitRequest': async (r, meta) => {
      const actor = meta.actor || ACTOR;
      const identities: Identities = { email: r.email, phone: r.phone, name: r.name, address: r.address };
      let agent;
      if (r.agent) {
        const doc = await storeDocument(ctx, { kind: 'agent-permission', mediaType: r.agent.document.mediaType, contentBase64: r.agent.document.contentBase64 });
        await ctx.audit.append({ caseId: null, actor, action: 'document.stored', detail: { id: doc.id, kind: 'agent-permission', mediaType: r.agent.document.mediaType, bytes: doc.bytes, sha256: doc.sha256 } }, ctx.clock());
        agent = { name: r.agent.name, email: r.agent.email, organization: r.agent.organization, permissionRef: `doc:${doc.id}` };
      }
      const id = await engine.create({
        type: r.type, strategy: 'exact', jurisdiction: r.jurisdiction, channel: 'web', identities, agent,
        specificPieces: r.type === 'access' && r.specificPieces, autoApprove: false,
        // The page's language: the acknowledgement, the result and every later email use it.
        locale: r.locale,
      }, { actor });
      if (r.correction || r.categories) {
        // What the right needs beyond identities (the correct value, the categories), kept encrypted.
        const details = { correction: r.correction, categories: r.categories };
        const doc = await storeDocument(ctx, { kind: 'request-details', mediaType: 'application/json', contentBase64: Buffer.from(JSON.stringify(details)).toString('base64') });
        await ctx.audit.append({ caseId: id, actor, action: 'request.details', detail: { document: `doc:${doc.id}`, correction: !!r.correction, categories: r.categories ?? [] } }, ctx.clock());
      }
      const codeChannel = needsVerification(r.type) ? await sendCode(id, 'verification', r.codeChannel, r.locale) : null;
      return { reference: id, codeChannel };
    },
    'public.sendCode': async ({ reference, purpose, channel, locale }) => {
      const c = await findCase(reference);
      if (!c) return { sent: true as const };
      const state = await engine.state(c.id);
      if (purpose === 'verification' && state.status !== 'verifying') return { sent: true as const };
      await sendCode(c.id, purpose, channel, locale);
      return { sent: true as const };
    },
    'public.verify': async ({ reference, code }) => {
      const r = await check(reference, code, 'verification');
      if (r.ok) await engine.settle(reference.toUpperCase()).catch(() => undefined);
      return r.ok ? { ...r, status: await statusOf(reference.toUpperCase()) } : r;
    },
    'public.openStatus': async ({ reference, code }) => check(reference, code, 'status'),
    'public.verifyHigher': async ({ session, phone, postalCode, birthDate, declaration, locale }, meta) => {
      const actor = meta.actor || ACTOR;
      const id = openSession(ctx, session);
      if (!id || !(await findCase(id))) throw new ApiStateError('the status session has expired; ask for a new code');
      const before = await statusOf(id);
      if (!before.higherVerification) return { ok: false, reason: 'not-needed' as const, attemptsLeft: null, status: before };
      const failures = higherFailures.get(id) ?? 0;
      if (failures >= HIGHER_MAX_FAILURES) return { ok: false, reason: 'locked' as const, attemptsLeft: 0, status: before };
      // The same look-up as discovery (the data map's identities of the case), read only: nothing stored.
      const walked = await datamapService(ctx).walk(id, subjectOf(await ctx.cases.identities(id)), 'exact');
      const rows = walked.result.collections.flatMap((c) => c.rows);
      const { matched, mismatched } = matchDataPoints({ phone, postalCode, birthDate }, rows);
      if (!matched.length || mismatched.length) {
        higherFailures.set(id, failures + 1);
        await ctx.audit.append({ caseId: id, actor, action: 'verification.higher-failed', detail: { matched, mismatched, attempt: failures + 1 } }, ctx.clock());
        const left = HIGHER_MAX_FAILURES - failures - 1;
        return { ok: false, reason: left > 0 ? 'mismatch' as const : 'locked' as const, attemptsLeft: left, status: before };
      }
      higherFailures.delete(id);
      // The signed declaration, kept encrypted with the case (documents store, PII key).
      const signed = { text: DECLARATION_TEXT[locale], name: declaration.name, signedAt: ctx.clock().toISOString(), locale, dataPointsMatched: matched };
      const doc = await storeDocument(ctx, { kind: 'signed-declaration', mediaType: 'application/json', contentBase64: Buffer.from(JSON.stringify(signed)).toString('base64') });
      await ctx.audit.append({ caseId: id, actor, action: 'verification.declaration', detail: { document: `doc:${doc.id}`, sha256: doc.sha256, dataPointsMatched: matched } }, ctx.clock());
      // Linked to the case as every stored declaration is (declarations.forCase lists it; the name only in the sealed note).
      await ctx.audit.append({ caseId: id, actor, action: 'declaration.stored', detail: {
        documentId: doc.id, signedOn: signed.signedAt.slice(0, 10), mediaType: 'application/json', bytes: doc.bytes, sha256: doc.sha256, note: `signed by ${declaration.name}`,
      } }, ctx.clock());
      // The code counted two data points (responses-service codeDataPoints); each matched detail adds one.
      const dataPoints = 2 + matched.length;
      const note = `privacy center: ${matched.join(', ')} matched the data map; signed declaration doc:${doc.id}`;
      await engine.send(id, { type: 'VERIFY', at: ctx.clock().toISOString(), by: actor, method: 'knowledge', dataPoints, signedDeclaration: true, note },
        { actor }, { action: 'case.verify', detail: { method: 'knowledge', dataPoints, signedDeclaration: true, declarationId: doc.id, note } });
      await engine.settle(id).catch(() => undefined);
      return { ok: true, reason: null, attemptsLeft: null, status: await statusOf(id) };
    },
    'public.appeal': async ({ session, reason }, meta) => {
      const actor = meta.actor || ACTOR;
      const id = openSession(ctx, session);
      if (!id || !(await findCase(id))) throw new ApiStateError('the status session has expired; ask for a new code');
      const ap = await appealability(ctx, engine, id);
      if (!ap.mayFile) {
        const prior = ap.appeals.at(-1);
        return { ok: false, reason: prior ? 'already-appealed' as const : 'not-appealable' as const, respondBy: prior?.respondBy ?? null, status: await statusOf(id) };
      }
      // Received today (the case's zone), channel web, under the consumer's actor; one path with appeals.file.
      try {
        const a = await fileAppeal(ctx, engine, { id, reason, channel: 'web' }, actor);
        return { ok: true, reason: null, respondBy: a.respondBy, status: await statusOf(id) };
      } catch (e) {
        // Another filing won the race (the check again inside the transaction).
        if (!(e instanceof ApiStateError)) throw e;
        const prior = (await appealability(ctx, engine, id)).appeals.at(-1);
        return { ok: false, reason: prior ? 'already-appealed' as const : 'not-appealable' as const, respondBy: prior?.respondBy ?? null, status: await statusOf(id) };
      }
    },
    'public.status': async ({ session }) => {
      const id = openSession(ctx, session);
      if (!id || !(await findCase(id))) throw new ApiStateError('the status session has expired; ask for a new code');
      return statusOf(id);
    },
    'public.gpc': async ({ identity, customKeyName, jurisdiction }, meta) => {
      const ids: Identities = 'email' in identity ? { email: identity.email } : 'phone' in identity ? { phone: identity.phone }
        : { customKeys: [{ name: customKeyName, value: identity.customKey }] };
      const hashes = identityPairs(ids).map((p) => ctx.crypto.keyedHash(p.kind, p.value));
      const key = createHash('sha256').update(hashes.join('|')).digest('hex');
      const prior = gpcLocks.get(key) ?? Promise.resolve();
      const run = prior.catch(() => undefined).then(async () => {
        const existing = await ctx.cases.list({ type: 'opt_out', identityHashes: hashes, sort: 'receivedAt', order: 'desc', offset: 0, limit: 20 });
        // An opt-out stands unless it was denied (withdrawn, duplicate...).
        const standing = existing.items.find((c) => c.status !== 'denied');
        if (standing) {
          await ctx.audit.append({ caseId: standing.id, actor: meta.actor, action: 'gpc.repeat', detail: { channel: 'gpc' } }, ctx.clock());
          return { reference: standing.id, created: false };
        }
        const id = await engine.create({
          type: 'opt_out', strategy: 'exact', jurisdiction, channel: 'gpc', identities: ids, specificPieces: false, autoApprove: false,
        }, { actor: meta.actor });
        return { reference: id, created: true };
      });
      gpcLocks.set(key, run);
      try { return await run; } finally { if (gpcLocks.get(key) === run) gpcLocks.delete(key); }
    },
    'public.reportFiles': async ({ token }) => links(svc().links.list(token)),
    'public.reportDownload': async ({ token, file }, meta) => {
      const f = await links(svc().links.open(token, file, meta.actor));
      return { name: f.name, contentType: f.contentType, base64: Buffer.from(f.content).toString('base64') };
    },
    'public.confirmProcessor': async ({ token }, meta) => {
      try {
        const n = await svc().processors.confirmByToken(token, meta.actor);
        return { caseId: n.caseId };
      } catch (e) {
        throw new ApiNotFoundError((e as Error).message);
      }
    },
  };
}
