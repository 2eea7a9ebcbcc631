// The event Amazon Connect sends to a Lambda from an InvokeLambdaFunction block, validated with
// zod. Only what the handlers use is required; everything else passes through untouched.
import { z } from 'zod';

const StringMap = z.record(z.string(), z.string());

export const ContactFlowEventSchema = z.object({
  Name: z.literal('ContactFlowEvent'),
  Details: z.object({
    ContactData: z.object({
      ContactId: z.string().min(1).max(256),
      Channel: z.string().optional(),
      InitiationMethod: z.string().optional(),
      CustomerEndpoint: z.object({ Address: z.string().max(64).optional(), Type: z.string().optional() }).passthrough().nullable().optional(),
      SystemEndpoint: z.object({ Address: z.string().max(64).optional(), Type: z.string().optional() }).passthrough().nullable().optional(),
      Attributes: StringMap.default({}),
      InstanceARN: z.string().optional(),
    }).passthrough(),
    Parameters: StringMap.default({}),
  }).passthrough(),
}).passthrough();

export interface ConnectCall {
  contactId: string;
  /** The calling number as Connect gave it (absent for anonymous callers). Raw PII: never log it. */
  callerAddress: string | null;
  parameters: Record<string, string>;
  attributes: Record<string, string>;
}

export type ParsedEvent = { ok: true; call: ConnectCall } | { ok: false; problem: string };

/** Validates the event; the problem names fields only (never their values). */
export function parseConnectEvent(event: unknown): ParsedEvent {
  const r = ContactFlowEventSchema.safeParse(event);
  if (!r.success) {
    return { ok: false, problem: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.code}`).join('; ') };
  }
  const d = r.data.Details;
  return {
    ok: true,
    call: {
      contactId: d.ContactData.ContactId,
      callerAddress: d.ContactData.CustomerEndpoint?.Address?.trim() || null,
      parameters: d.Parameters,
      attributes: d.ContactData.Attributes,
    },
  };
}
