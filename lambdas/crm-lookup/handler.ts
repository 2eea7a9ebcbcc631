// crm-lookup: who is calling? Looks the calling number up in the CRM directory and, unless the
// flow asks for the CRM only, finds the caller's most recent open privacy case. Always answers
// with a flat string map: an unknown or anonymous caller is `found: "false"`, never an error.
import { normalizePhone } from '../../shared/domain/identity';
import { OPEN_STATUSES, type CaseView } from '../../shared/domain/case';
import { parseConnectEvent } from '../common/connect-event';
import { errorCode, makeLogger } from '../common/log';
import { runtime, within } from '../common/runtime';
import { spoken, toStringMap, type StringMap } from '../common/string-map';

const log = makeLogger('crm-lookup');
const META = { actor: 'lambda:crm-lookup' };

export async function handler(event: unknown): Promise<StringMap> {
  const started = Date.now();
  const parsed = parseConnectEvent(event);
  if (!parsed.ok) {
    log('warn', 'bad_event', { problem: parsed.problem });
    return toStringMap({ found: 'false', openCase: 'unknown', error: 'bad_event' });
  }
  const { call } = parsed;
  const rt = runtime();
  const phone = call.callerAddress ? normalizePhone(call.callerAddress) : null;
  if (!phone) {
    log('info', 'lookup', { contactId: call.contactId, result: 'anonymous', ms: Date.now() - started });
    return toStringMap({ found: 'false', reason: 'anonymous', openCase: 'false' });
  }

  const out: Record<string, string> = { found: 'false', openCase: 'false' };
  try {
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

  if ((call.parameters.lookup ?? 'crm+cases') !== 'crm') {
    const left = rt.budgetMs - (Date.now() - started);
    const open = await within(left, openCaseFor(phone).catch((e: unknown) => {
      log('error', 'case_lookup_failed', { contactId: call.contactId, code: errorCode(e) });
      return 'unknown' as const;
    }), 'unknown' as const);
    if (open === 'unknown') out.openCase = 'unknown';
    else if (open) {
      Object.assign(out, {
        openCase: 'true', caseReference: open.id, caseReferenceSpoken: spoken(open.id),
        caseStatus: open.status, caseType: open.type, caseRespondBy: open.deadlines.respond,
      });
    }
  }
  log('info', 'lookup', { contactId: call.contactId, found: out.found, result: out.openCase, ms: Date.now() - started });
  return toStringMap(out);
}

async function openCaseFor(phone: string): Promise<CaseView | null> {
  const app = await runtime().app();
  const { items } = await app.call('cases.list', { search: phone, sort: 'receivedAt', order: 'desc', limit: 20 }, META);
  return items.find((c) => OPEN_STATUSES.includes(c.status)) ?? null;
}
