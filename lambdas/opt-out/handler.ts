// opt-out: records the caller's opt-out of sale/sharing as a case of type opt_out (channel
// phone). No identity verification: the law forbids requiring it (CCPA regs §7026(d)). The case
// machine applies the opt-out at once; the answer says whether it is already applied.
import { z } from 'zod';
import { normalizePhone } from '../../shared/domain/identity';
import { parseConnectEvent } from '../common/connect-event';
import { errorCode, makeLogger } from '../common/log';
import { runtime, within } from '../common/runtime';
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
    const identities: Record<string, unknown> = { phone };
    const customerId = params.success ? params.data.customerId : undefined;
    if (customerId) {
      // Add what the CRM knows about this customer so the opt-out reaches every system; only if
      // the customer really is the calling number's.
      const crm = await rt.crm().catch(() => null);
      const c = crm ? await crm.findById(customerId).catch(() => null) : null;
      if (c && c.phone === phone) {
        identities.customKeys = [{ name: 'crm_customer_id', value: c.customerId }];
        if (c.email) identities.email = c.email;
      }
    }
    const app = await rt.app();
    const created = await app.call('cases.create', { type: 'opt_out', jurisdiction: rt.jurisdiction, channel: 'phone', identities }, META);
    const left = rt.budgetMs - (Date.now() - started);
    const settled = await within(left, app.settle(created.id).then(() => true), false);
    const now = settled ? await app.call('cases.get', { id: created.id }, META) : created;
    const applied = now.status === 'closed' || now.status === 'responding';
    log('info', 'opt_out', { contactId: call.contactId, caseId: created.id, result: 'recorded', status: now.status, ms: Date.now() - started });
    return toStringMap({
      result: 'recorded', applied: applied ? 'true' : 'false', caseReference: created.id,
      caseReferenceSpoken: spoken(created.id), caseStatus: now.status,
    });
  } catch (e) {
    log('error', 'opt_out_failed', { contactId: call.contactId, code: errorCode(e), ms: Date.now() - started });
    return toStringMap({ result: 'error', reason: 'internal' });
  }
}
