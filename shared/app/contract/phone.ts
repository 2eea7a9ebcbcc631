// Phone channel operations: the IVR's knowledge-check ledger (per calling number, by keyed hash).
import { z } from 'zod';
import { op } from './define';
import { PhoneSchema } from '../../domain/identity';

/** Failed IVR knowledge checks allowed per calling number in the window before IVR verification locks. */
export const IVR_FAILURE_LIMIT = 5;
export const IVR_WINDOW_HOURS = 24;

const Gate = z.object({ allowed: z.boolean(), failures: z.number().int().min(0), limit: z.number().int(), windowHours: z.number().int() });

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
  }).strict(), Gate, 'Record one IVR knowledge check (counts only) and return the gate after it.'),
  'phone.ivrUnlock': op('command', z.object({ phone: PhoneSchema, reason: z.string().trim().min(1, 'reason is required').max(500) }).strict(), Gate,
    'Staff: clear the failed IVR checks of a number (audited with the reason).'),
};
