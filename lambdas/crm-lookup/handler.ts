// crm-lookup: who is calling? Looks the calling number up in the CRM directory and, unless the
// flow asks for the CRM only, finds the caller's most recent open privacy case. `lookup: "cases"`
// skips the CRM (the status menu); with `caseReference` (the Lex slot the caller said) the case
// with that reference is answered if it is one of this number's open cases, else
// `referenceMatched: "false"` and the most recent open case. Always answers
// with a flat string map: an unknown or anonymous caller is `found: "false"`, never an error.
import '../common/zod-jitless'; // first: before any schema is built
import { normalizePhone } from '../../shared/domain/identity';
import { OPEN_STATUSES, type CaseStatus, type CaseView } from '../../shared/domain/case';
import { parseConnectEvent } from '../common/connect-event';
import { errorCode, makeLogger } from '../common/log';
import { runtime, within, type PhoneRuntime } from '../common/runtime';
import { spoken, toStringMap, type StringMap } from '../common/string-map';

const log = makeLogger('crm-lookup');
const META = { actor: 'lambda:crm-lookup' };

/** How a case status is read to a caller. */
export const STATUS_SPOKEN: Partial<Record<CaseStatus, string>> = {
  received: 'received and about to be acknowledged',
  acknowledged: 'acknowledged',
  verifying: 'waiting for us to verify your identity',
  verified: 'verified, and we are searching our systems',
  discovering: 'being searched for in our systems',
  in_review: 'being reviewed by our privacy team',
  approved: 'approved and about to be carried out',
  executing: 'being carried out',
  checking: 'being checked',
  responding: 'complete, and we are sending you the result',
  on_hold: 'on hold, and our privacy team will contact you',
};

export async function handler(event: unknown): Promise<StringMap> {
  const started = Date.now();
  const parsed = parseConnectEvent(event);
  if (!parsed.ok) {
    log('warn', 'bad_event', { problem: parsed.problem });
    return toStringMap({ found: 'false', openCase: 'unknown', reason: 'bad_event' });
  }
  const { call } = parsed;
  const phone = call.callerAddress ? normalizePhone(call.callerAddress) : null;
  if (!phone) {
    log('info', 'lookup', { contactId: call.contactId, result: 'anonymous', ms: Date.now() - started });
    return toStringMap({ found: 'false', customerId: '', reason: 'anonymous', openCase: 'false', caseReferenceSpoken: '', caseStatusSpoken: '' });
  }

  // Every key is always present (empty when unknown) so the flow can copy them into attributes.
  const out: Record<string, string> = {
    found: 'false', customerId: '', firstName: '', verifiable: 'false', factors: '', openCase: 'false',
    caseReference: '', caseReferenceSpoken: '', caseStatus: '', caseStatusSpoken: '', caseType: '', caseRespondBy: '', referenceMatched: '',
  };
  let rt: PhoneRuntime;
  try {
    rt = runtime();
  } catch (e) {
    // Broken configuration (e.g. the budget or jurisdiction variable): an unknown caller, not a Lambda error.
    log('error', 'config_failed', { contactId: call.contactId, code: errorCode(e) });
    return toStringMap({ ...out, openCase: 'unknown', crmError: 'true' });
  }
  const lookup = call.parameters.lookup ?? 'crm+cases';
  // Cold start: open the case store while the CRM answers (both wait on the network); the case
  // look-up below awaits the same promise. Its failure is handled there.
  if (lookup !== 'crm') rt.app().catch(() => undefined);
  if (lookup !== 'cases') try {
    const crm = await rt.crm();
    const customers = crm ? await crm.findByPhone(phone) : [];
    if (customers.length === 1) {
      const c = customers[0]!;
      Object.assign(out, {
        found: 'true', customerId: c.customerId, firstName: c.firstName ?? '',
        verifiable: Object.keys(c.factors).length >= 2 ? 'true' : 'false',
        factors: Object.keys(c.factors).join(','),
      });
    } else if (customers.length > 1) {
      out.found = 'multiple';
      out.verifiable = 'true';
    }
    log('info', 'crm', { contactId: call.contactId, found: out.found, count: customers.length });
  } catch (e) {
    log('error', 'crm_failed', { contactId: call.contactId, code: errorCode(e) });
    out.crmError = 'true';
  }

  if (lookup !== 'crm') {
    const left = rt.budgetMs - (Date.now() - started);
    const said = normaliseReference(call.parameters.caseReference);
    const open = await within(left, openCaseFor(phone, said).catch((e: unknown) => {
      log('error', 'case_lookup_failed', { contactId: call.contactId, code: errorCode(e) });
      return 'unknown' as const;
    }), 'unknown' as const);
    if (open === 'unknown') out.openCase = 'unknown';
    else {
      if (said) out.referenceMatched = open.matched ? 'true' : 'false';
      if (open.case) {
        const c = open.case;
        Object.assign(out, {
          openCase: 'true', caseReference: c.id, caseReferenceSpoken: spoken(c.id),
          caseStatus: c.status, caseStatusSpoken: STATUS_SPOKEN[c.status] ?? 'being worked on',
          caseType: c.type, caseRespondBy: c.deadlines.respond,
        });
      }
    }
  }
  log('info', 'lookup', { contactId: call.contactId, found: out.found, result: out.openCase, ms: Date.now() - started });
  return toStringMap(out);
}

/** A reference as Lex hears it ("pd 20260512 k7m2qx", "PD-20260512-K7M2QX"): letters and digits only, upper case; null if none was said. */
export function normaliseReference(raw: string | undefined): string | null {
  const s = (raw ?? '').toUpperCase().replace(/[^A-Z0-9]/gu, '').slice(0, 64);
  return s ? s : null;
}

/** The caller's open case: the one with the reference they said if it is theirs and open, else the most recent. */
async function openCaseFor(phone: string, said: string | null): Promise<{ case: CaseView | null; matched: boolean }> {
  const app = await runtime().app();
  const { items } = await app.call('cases.list', { search: phone, sort: 'receivedAt', order: 'desc', limit: 20 }, META);
  const open = items.filter((c) => OPEN_STATUSES.includes(c.status));
  const named = said ? open.find((c) => c.id.toUpperCase().replace(/[^A-Z0-9]/gu, '') === said) : undefined;
  return { case: named ?? open[0] ?? null, matched: Boolean(named) };
}
