// intake (verify and open): the caller asked to delete or see their data. Decrypts the answers
// Connect encrypted (account number, date of birth, postal code), checks them against the CRM
// record in constant time, opens the case through the app API with the verification level the
// answers earn, and answers with the case reference. Plaintext answers exist only in this
// function's memory: never in a log, an error, the audit log or the response.
// Idempotent per Connect contact and request type: an invocation for a contact that already
// opened its case (a retry, or a concurrent duplicate) answers that case and creates nothing.
import '../common/zod-jitless'; // first: before any schema is built
import { z } from 'zod';
import { normalizePhone } from '../../shared/domain/identity';
import { parseConnectEvent } from '../common/connect-event';
import { errorCode, makeLogger } from '../common/log';
import { ConnectInputError, factorEquals, FACTORS, normaliseFactor, runtime, type CrmCustomer, type Factor, type PhoneApp } from '../common/runtime';
import { spoken, toStringMap, type StringMap } from '../common/string-map';

const log = makeLogger('intake');
const META = { actor: 'lambda:intake' };
/** Data points a phone verification must match for a reasonable degree of certainty (CCPA regs §7062). */
const NEEDED = 2;

const ENCRYPTED_PARAM: Record<Factor, string> = {
  accountNumber: 'encryptedAccountNumber', dateOfBirth: 'encryptedDateOfBirth', postalCode: 'encryptedPostalCode',
};

const ParamsSchema = z.object({
  requestType: z.enum(['delete', 'access']),
  customerId: z.string().trim().max(128).optional(),
  attempt: z.coerce.number().int().min(1).max(5).default(1),
  maxAttempts: z.coerce.number().int().min(1).max(5).default(2),
  encryptedAccountNumber: z.string().max(16_384).optional(),
  encryptedDateOfBirth: z.string().max(16_384).optional(),
  encryptedPostalCode: z.string().max(16_384).optional(),
}).passthrough();

export async function handler(event: unknown): Promise<StringMap> {
  const started = Date.now();
  const parsed = parseConnectEvent(event);
  if (!parsed.ok) {
    log('warn', 'bad_event', { problem: parsed.problem });
    return toStringMap({ result: 'error', reason: 'bad_event' });
  }
  const { call } = parsed;
  const params = ParamsSchema.safeParse(call.parameters);
  if (!params.success) {
    log('warn', 'bad_parameters', { contactId: call.contactId, problem: params.error.issues.map((i) => i.path.join('.')).join(',') });
    return toStringMap({ result: 'error', reason: 'bad_parameters' });
  }
  const p = params.data;
  // Connect stores the word "Timeout" (not a ciphertext) when the caller keys nothing: that is no
  // answer, not a wrong one. Nothing is checked, counted towards the lock or opened; the flow
  // offers the privacy team.
  const notKeyed = FACTORS.filter((f) => (p[ENCRYPTED_PARAM[f] as keyof typeof p] as string | undefined)?.trim() === 'Timeout');
  if (notKeyed.length) {
    log('info', 'intake', { contactId: call.contactId, result: 'no_input', reason: 'timeout', factors: notKeyed.join(',') });
    return toStringMap({ result: 'no_input', reason: 'timeout' });
  }
  const phone = call.callerAddress ? normalizePhone(call.callerAddress) : null;
  if (!phone) {
    log('info', 'intake', { contactId: call.contactId, result: 'no_number' });
    return toStringMap({ result: 'no_number' });
  }

  try {
    const rt = runtime();
    // Cold start: the CRM connection and the decryption keys get ready while the case store opens
    // (each waits on the network or the Secrets extension); awaited below, failures handled there.
    const crmReady = rt.crm();
    crmReady.catch(() => undefined);
    if (FACTORS.some((f) => Boolean((p[ENCRYPTED_PARAM[f] as keyof typeof p] as string | undefined)?.trim()))) rt.decryptor().catch(() => undefined);
    const app = await rt.app();
    // Connect or Lambda may invoke us twice for one call: the first invocation's case is the answer.
    const earlier = await app.call('phone.contactCase', { contactId: call.contactId, action: p.requestType }, META);
    if (earlier.found && earlier.caseId && earlier.result) return await repeated(app, earlier.caseId, earlier.result, call.contactId, started);
    const crm = await crmReady;
    let candidates: CrmCustomer[] = [];
    if (crm) {
      const byId = p.customerId ? await crm.findById(p.customerId) : null;
      // A customer id from the flow is trusted only if it belongs to the calling number.
      candidates = byId && byId.phone === phone ? [byId] : await crm.findByPhone(phone);
    }
    const wantsCheck = candidates.length > 0 && FACTORS.some((f) => Boolean((p[ENCRYPTED_PARAM[f] as keyof typeof p] as string | undefined)?.trim()));
    if (wantsCheck) {
      // Guessing across calls: after too many failed checks for this number, no more IVR checks.
      const gate = await app.call('phone.ivrGate', { phone }, META);
      if (!gate.allowed) return await unverified(app, p, phone, candidates, rt.jurisdiction, call.contactId, 'locked', 0, 0, started,
        `Phone IVR verification is locked for this number (${gate.failures} failed checks in ${gate.windowHours} h); answers were not checked.`);
    }
    const { answers, unreadable } = wantsCheck ? await decryptAnswers(p, call.contactId) : { answers: {}, unreadable: false };
    if (unreadable) {
      // Encrypted for a key id we do not hold (Connect's key and ours differ): our fault, not a
      // wrong answer. Nothing is counted towards the lock; the request is recorded for staff.
      return await unverified(app, p, phone, candidates, rt.jurisdiction, call.contactId, 'opened_unverified', 0, 0, started,
        'Phone IVR answers could not be read (encrypted for a key id this function does not hold); not counted as a failed check.');
    }
    const asked = Object.keys(answers).length;
    const best = bestMatch(candidates, answers);

    if (best.matched >= NEEDED) {
      const c = await openCase(app, call.contactId, 'opened_verified', p.requestType, phone, best.customer, rt.jurisdiction);
      if (!c.created) return await repeated(app, c.caseId, c.result, call.contactId, started);
      const v = await app.call('cases.verify', {
        id: c.caseId, method: 'knowledge', dataPoints: best.matched,
        note: `Phone IVR knowledge check: ${best.matched} of ${asked} data points matched (${best.factors.join(', ')}).`,
      }, META);
      await app.call('phone.ivrAttempt', { phone, contactId: call.contactId, matched: best.matched, asked, passed: true, caseId: c.caseId, attempt: p.attempt }, META);
      log('info', 'intake', { contactId: call.contactId, caseId: c.caseId, result: 'opened_verified', matched: best.matched, asked, ms: Date.now() - started });
      return answer('opened_verified', v, best.matched);
    }
    if (wantsCheck && p.attempt < p.maxAttempts) {
      const gate = await app.call('phone.ivrAttempt', { phone, contactId: call.contactId, matched: best.matched, asked, passed: false, attempt: p.attempt }, META);
      if (gate.allowed) {
        log('info', 'intake', { contactId: call.contactId, result: 'retry', matched: best.matched, asked, attempt: p.attempt });
        return toStringMap({ result: 'retry', verified: 'false', dataPointsMatched: best.matched, attemptsLeft: p.maxAttempts - p.attempt });
      }
      return await unverified(app, p, phone, candidates, rt.jurisdiction, call.contactId, 'locked', best.matched, asked, started,
        `Phone IVR knowledge check failed (${best.matched} of ${asked} data points matched); IVR verification is now locked for this number.`);
    }
    // Unknown caller, or out of attempts: the request is still recorded (the law counts it) and
    // waits for verification by another channel; staff see why.
    if (wantsCheck) {
      const c = await openCase(app, call.contactId, 'opened_unverified', p.requestType, phone, candidates.length === 1 ? candidates[0]! : null, rt.jurisdiction);
      if (!c.created) return await repeated(app, c.caseId, c.result, call.contactId, started);
      await app.call('phone.ivrAttempt', { phone, contactId: call.contactId, matched: best.matched, asked, passed: false, caseId: c.caseId, attempt: p.attempt }, META);
      const v = await app.call('cases.verify', {
        id: c.caseId, method: 'knowledge', dataPoints: best.matched,
        note: `Phone IVR knowledge check failed after ${p.attempt} attempt(s): ${best.matched} of ${asked} data points matched.`,
      }, META);
      log('info', 'intake', { contactId: call.contactId, caseId: c.caseId, result: 'opened_unverified', matched: best.matched, asked, ms: Date.now() - started });
      return answer('opened_unverified', v, best.matched);
    }
    const result = candidates.length ? 'opened_unverified' : 'opened_unknown_caller';
    const c = await openCase(app, call.contactId, result, p.requestType, phone, candidates.length === 1 ? candidates[0]! : null, rt.jurisdiction);
    if (!c.created) return await repeated(app, c.caseId, c.result, call.contactId, started);
    log('info', 'intake', { contactId: call.contactId, caseId: c.caseId, result, matched: 0, asked: 0, ms: Date.now() - started });
    return answer(result, await app.call('cases.get', { id: c.caseId }, META), 0);
  } catch (e) {
    log('error', 'intake_failed', { contactId: call.contactId, code: errorCode(e), ms: Date.now() - started });
    return toStringMap({ result: 'error', reason: 'internal' });
  }
}

/** Opens the case without verification and says why (a note with counts only). */
async function unverified(
  app: PhoneApp, p: z.infer<typeof ParamsSchema>, phone: string, candidates: CrmCustomer[], jurisdiction: string,
  contactId: string, result: string, matched: number, asked: number, started: number, note: string,
): Promise<StringMap> {
  const c = await openCase(app, contactId, result, p.requestType, phone, candidates.length === 1 ? candidates[0]! : null, jurisdiction);
  if (!c.created) return repeated(app, c.caseId, c.result, contactId, started);
  const v = await app.call('cases.verify', { id: c.caseId, method: 'knowledge', dataPoints: matched, note }, META);
  log('info', 'intake', { contactId, caseId: c.caseId, result, matched, asked, ms: Date.now() - started });
  return answer(result, v, matched);
}

/**
 * This contact already opened its case (a repeated or concurrent invocation): the same answer,
 * nothing new recorded. A first invocation that verified the caller may still be recording the
 * verification (it runs concurrently), so a verified result waits for it within the budget; if it
 * never comes (that invocation failed after opening the case), the answer says what is true: the
 * request is recorded and staff will verify the caller another way.
 */
async function repeated(app: PhoneApp, caseId: string, result: string, contactId: string, started: number): Promise<StringMap> {
  let c = await app.call('cases.get', { id: caseId }, META);
  let answered = result;
  if (result === 'opened_verified' && c.verification.level === 'none') {
    const deadline = started + runtime().budgetMs - 300;
    while (c.verification.level === 'none' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
      c = await app.call('cases.get', { id: caseId }, META);
    }
    if (c.verification.level === 'none') answered = 'opened_unverified';
  }
  log('info', 'intake', { contactId, caseId, result: 'repeated', status: c.status, ms: Date.now() - started });
  return answer(answered, c, c.verification.dataPoints);
}

async function decryptAnswers(p: z.infer<typeof ParamsSchema>, contactId: string): Promise<{ answers: Partial<Record<Factor, string>>; unreadable: boolean }> {
  const out: Partial<Record<Factor, string>> = {};
  let unreadable = false;
  const wanted = FACTORS.filter((f) => (p[ENCRYPTED_PARAM[f] as keyof typeof p] as string | undefined)?.trim());
  if (!wanted.length) return { answers: out, unreadable };
  const decryptor = await runtime().decryptor();
  for (const f of wanted) {
    try {
      const plain = await decryptor.decrypt(p[ENCRYPTED_PARAM[f] as keyof typeof p] as string);
      if (plain.trim() && plain.trim().toLowerCase() !== 'timeout') out[f] = normaliseFactor(f, plain);
      else out[f] = '';
    } catch (e) {
      log('warn', 'decrypt_failed', { contactId, factor: f, reason: e instanceof ConnectInputError ? e.reason : 'error' });
      if (e instanceof ConnectInputError && e.reason === 'wrong_key') unreadable = true;
      out[f] = '';
    }
  }
  return { answers: out, unreadable };
}

/** The candidate with the most matching answers; every comparison runs (constant time per factor). */
function bestMatch(candidates: CrmCustomer[], answers: Partial<Record<Factor, string>>): { customer: CrmCustomer | null; matched: number; factors: Factor[] } {
  let best: { customer: CrmCustomer | null; matched: number; factors: Factor[] } = { customer: null, matched: 0, factors: [] };
  for (const c of candidates) {
    const factors: Factor[] = [];
    for (const f of FACTORS) {
      const given = answers[f];
      const held = c.factors[f];
      if (given === undefined || held === undefined) continue;
      if (factorEquals(given, held)) factors.push(f);
    }
    if (factors.length > best.matched) best = { customer: c, matched: factors.length, factors };
  }
  return best;
}

/** Opens the case once per contact and request type (`created: false`: another invocation for this contact did). */
async function openCase(app: PhoneApp, contactId: string, result: string, type: 'delete' | 'access', phone: string, customer: CrmCustomer | null, jurisdiction: string) {
  const identities: Record<string, unknown> = { phone };
  if (customer?.email) identities.email = customer.email;
  if (customer) identities.customKeys = [{ name: 'crm_customer_id', value: customer.customerId }];
  return app.call('phone.openCase', { contactId, result, case: { type, jurisdiction, channel: 'phone', identities } }, META);
}

function answer(result: string, c: { id: string; status: string; verification: { level: string } }, matched: number): StringMap {
  return toStringMap({
    result, verified: c.verification.level !== 'none' ? 'true' : 'false', dataPointsMatched: matched,
    caseReference: c.id, caseReferenceSpoken: spoken(c.id), caseStatus: c.status,
  });
}
