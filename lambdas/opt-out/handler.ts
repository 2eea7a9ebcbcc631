// opt-out: records the caller's opt-out of sale/sharing as a case of type opt_out (channel
// phone). No identity verification: the law forbids requiring it (CCPA regs §7026(d)). The case
// machine applies the opt-out at once; the answer says whether it is already applied.
// Idempotent per Connect contact: a repeated or concurrent invocation for the same call answers
// the first invocation's case and records nothing new.
import '../common/zod-jitless'; // first: before any schema is built
import { z } from 'zod';
import { normalizePhone } from '../../shared/domain/identity';
import { parseConnectEvent } from '../common/connect-event';
import { errorCode, makeLogger } from '../common/log';
import { runtime, within, type PhoneApp } from '../common/runtime';
import { spoken, toStringMap, type StringMap } from '../common/string-map';

const log = makeLogger('opt-out');
const META = { actor: 'lambda:opt-out' };
const ParamsSchema = z.object({ customerId: z.string().trim().max(128).optional() }).passthrough();

export async function handler(event: unknown): Promise<StringMap> {
  const started = Date.now();
  const parsed = parseConnectEvent(event);
  if (!parsed.ok) {
    log('warn', 'bad_event', { problem: parsed.problem });
    return toStringMap({ result: 'error', reason: 'bad_event' });
  }
  const { call } = parsed;
  const params = ParamsSchema.safeParse(call.parameters);
  const phone = call.callerAddress ? normalizePhone(call.callerAddress) : null;
  if (!phone) {
    log('info', 'opt_out', { contactId: call.contactId, result: 'no_number' });
    return toStringMap({ result: 'no_number' });
  }
  try {
    const rt = runtime();
    // Cold start: connect to the CRM while the case store opens (both wait on the network).
    const crmReady = params.success && params.data.customerId ? rt.crm().catch(() => null) : null;
    const app = await rt.app();
    const earlier = await app.call('phone.contactCase', { contactId: call.contactId, action: 'opt_out' }, META);
    if (earlier.found && earlier.caseId) return await recorded(app, earlier.caseId, false, call.contactId, rt.budgetMs, started);
    const identities: Record<string, unknown> = { phone };
    const customerId = params.success ? params.data.customerId : undefined;
    if (customerId) {
      // Add what the CRM knows about this customer so the opt-out reaches every system; only if
      // the customer really is the calling number's.
      const crm = await crmReady;
      const c = crm ? await crm.findById(customerId).catch(() => null) : null;
      if (c && c.phone === phone) {
        identities.customKeys = [{ name: 'crm_customer_id', value: c.customerId }];
        if (c.email) identities.email = c.email;
      }
    }
    const opened = await app.call('phone.openCase', {
      contactId: call.contactId, result: 'recorded',
      case: { type: 'opt_out', jurisdiction: rt.jurisdiction, channel: 'phone', identities },
    }, META);
    return await recorded(app, opened.caseId, opened.created, call.contactId, rt.budgetMs, started);
  } catch (e) {
    log('error', 'opt_out_failed', { contactId: call.contactId, code: errorCode(e), ms: Date.now() - started });
    return toStringMap({ result: 'error', reason: 'internal' });
  }
}

/** Waits (within the budget) for the case to settle and answers with its reference and status. */
async function recorded(app: PhoneApp, caseId: string, created: boolean, contactId: string, budgetMs: number, started: number): Promise<StringMap> {
  // Keep a little of the budget to read the status after waiting. A case opened by another
  // container has no live actor here: settle() then only drains this container's queue.
  const reserve = Math.min(300, budgetMs / 4);
  await within(budgetMs - reserve - (Date.now() - started), app.settle(caseId), undefined);
  // The status only: the answer names no identity, so none is opened for it.
  const now = await within(budgetMs - (Date.now() - started), app.call('phone.caseStatus', { caseId }, META), null);
  const status = now?.status ?? 'unknown';
  const applied = status === 'closed' || status === 'responding';
  log('info', 'opt_out', { contactId, caseId, result: created ? 'recorded' : 'repeated', status, ms: Date.now() - started });
  return toStringMap({
    result: 'recorded', applied: applied ? 'true' : 'false', caseReference: caseId,
    caseReferenceSpoken: spoken(caseId), caseStatus: status,
  });
}
