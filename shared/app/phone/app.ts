// createPhoneApp: the app a phone Lambda runs. The same core as createApp (app-core.ts: the case
// store, the engine, the case effects, validation in and out), answering only the operations the
// Lambdas call (PHONE_OPERATIONS), so a cold start loads and builds only their contract and
// handlers, not the console's, the data-map editor's, the lakes', the public portal's.
import { casesContract } from '../contract/cases';
import { phoneContract } from '../contract/phone';
import { casesHandlers } from '../handlers/cases';
import { phoneHandlers } from '../handlers/phone';
import type { AppConfig, AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { createAppCore, type AppCore, type CreateAppOptions } from '../app-core';
import type { Contract } from '../contract/define';

/** What the intake, opt-out, crm-lookup and sms-inbound Lambdas call (PhoneApp in runtime.ts). */
export const PHONE_OPERATIONS = [
  'cases.create', 'cases.verify', 'cases.get', 'cases.list', 'cases.audit',
  'phone.ivrGate', 'phone.ivrAttempt', 'phone.contactCase', 'phone.openCase', 'phone.caseStatus',
  'sms.inbound',
] as const;

/** The named entries of `from`; a name it lacks throws (an operation renamed in its area must be renamed here). */
function pick<T extends object>(what: string, from: T, names: readonly string[]): T {
  const all = from as Record<string, unknown>;
  const missing = names.filter((n) => !Object.prototype.hasOwnProperty.call(all, n));
  if (missing.length) throw new Error(`phone app: no ${what} for ${missing.join(', ')}`);
  return Object.fromEntries(names.map((n) => [n, all[n]])) as T;
}

const contract: Contract = pick('contract', { ...casesContract, ...phoneContract } as Contract, PHONE_OPERATIONS);

function handlers(ctx: AppContext, engine: CaseEngine): object {
  // Each area's handlers are built once per app (as createApp does); only the phone's operations are kept.
  return pick('handler', { ...casesHandlers(ctx, engine), ...phoneHandlers(ctx, engine) }, PHONE_OPERATIONS);
}

export interface PhoneAppCore extends AppCore {
  /** Untyped like callUnknown: PhoneApp (runtime.ts) types the operations a Lambda calls. */
  call(op: string, input: unknown, meta: { actor: string }): Promise<unknown>;
}

export async function createPhoneApp(config: AppConfig, options: CreateAppOptions = {}): Promise<PhoneAppCore> {
  const core = await createAppCore({ contract, handlers }, config, options);
  return { ...core, call: (op, input, meta) => core.callUnknown(op, input, meta) };
}
