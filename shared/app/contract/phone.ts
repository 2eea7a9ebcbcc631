// Phone channel operations: the IVR's knowledge-check ledger (per calling number, by keyed hash),
// one case per Connect contact and action (the intake and opt-out Lambdas are idempotent), and
// replies to our texts (the sms-inbound Lambda).
import { z } from 'zod';
import { op } from './define';
import { PhoneSchema } from '../../domain/identity';
import { CaseStatusSchema, CaseTypeSchema, NewCaseSchema } from '../../domain/case';

/** Failed IVR knowledge checks allowed per calling number in the window before IVR verification locks. */
export const IVR_FAILURE_LIMIT = 5;
export const IVR_WINDOW_HOURS = 24;

const Gate = z.object({ allowed: z.boolean(), failures: z.number().int().min(0), limit: z.number().int(), windowHours: z.number().int() });
/** Amazon Connect's contact id (not personal data; it names the call, not the caller). */
const ContactId = z.string().trim().min(1).max(256);
/** What a Lambda answered when it opened the case (a fixed word such as `opened_verified`, `recorded`): never caller input. */
const ResultCode = z.string().regex(/^[a-z][a-z_]{0,39}$/u, 'result: a lower-case code (letters and _)');

export const phoneContract = {
  'phone.ivrGate': op('query', z.object({ phone: PhoneSchema }).strict(), Gate,
    'May this calling number try an IVR knowledge check now? (failed checks in the window vs the limit)'),
  'phone.ivrAttempt': op('command', z.object({
    phone: PhoneSchema,
    contactId: z.string().trim().min(1).max(256),
    matched: z.number().int().min(0).max(10),
    asked: z.number().int().min(0).max(10),
    passed: z.boolean(),
    caseId: z.string().min(1).max(64).optional(),
    /** The flow's attempt number: a check is recorded once per contact and attempt (a retried invocation is not counted twice). */
    attempt: z.number().int().min(1).max(5).optional(),
  }).strict(), Gate, 'Record one IVR knowledge check (counts only; once per contact and attempt) and return the gate after it.'),
  'phone.ivrUnlock': op('command', z.object({ phone: PhoneSchema, reason: z.string().trim().min(1, 'reason is required').max(500) }).strict(), Gate,
    'Staff: clear the failed IVR checks of a number (audited with the reason).'),
  'phone.contactCase': op('query', z.object({ contactId: ContactId, action: CaseTypeSchema }).strict(),
    z.object({ found: z.boolean(), caseId: z.string().nullable(), result: z.string().nullable() }),
    'The case a Connect contact already opened for an action (the case type), if any.'),
  'phone.openCase': op('command', z.object({ contactId: ContactId, result: ResultCode, case: NewCaseSchema }).strict(),
    z.object({ created: z.boolean(), caseId: z.string(), result: z.string() }),
    'Open a case for a Connect contact once per action (the case type): a repeated or concurrent call returns the first case and its result, creating nothing.'),
  'phone.caseStatus': op('query', z.object({ caseId: z.string().trim().min(1).max(64) }).strict(), z.object({ status: CaseStatusSchema }),
    'The status of a case and nothing else (what the opt-out Lambda tells the caller: no identities are opened).'),
  // Here, with the other operations the Lambdas call (the sms-inbound Lambda), so the phone app
  // (shared/app/phone/app.ts) builds no schema of the responses area.
  'sms.inbound': op('command', z.object({
    originationNumber: z.string().trim().regex(/^\+[1-9]\d{6,14}$/u, 'must be an E.164 number'),
    messageBody: z.string().max(1600),
  }).strict(), z.object({ keyword: z.enum(['opt-out', 'opt-in']).nullable() }),
  'A reply to our texts (two-way SMS, e.g. from the End User Messaging SNS topic): STOP and the other opt-out words opt the number out of texts, START opts it back in.'),
};
