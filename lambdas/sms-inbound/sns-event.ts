// The event SNS delivers to a subscribed Lambda, carrying AWS End User Messaging SMS two-way
// messages: each record's Sns.Message is the JSON payload the service publishes for an incoming
// text (originationNumber, destinationNumber, messageKeyword, messageBody, inboundMessageId,
// previousPublishedMessageId; see the service's "two-way SMS message payload"). Validated with zod;
// problems name fields only, never their values (a number or a text is PII).
import { z } from 'zod';

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/u, 'must be an E.164 number');

export const SnsRecordSchema = z.object({
  EventSource: z.literal('aws:sns'),
  EventSubscriptionArn: z.string().optional(),
  Sns: z.object({
    Type: z.literal('Notification'),
    MessageId: z.string().min(1).max(100),
    TopicArn: z.string().min(1).max(256),
    Message: z.string().max(10_000),
    Timestamp: z.string().optional(),
  }).passthrough(),
}).passthrough();

export const SnsEventSchema = z.object({ Records: z.array(z.unknown()).min(1).max(100) }).passthrough();

export const InboundTextSchema = z.object({
  originationNumber: E164,
  destinationNumber: z.string().min(1).max(64),
  messageKeyword: z.string().max(100).optional(),
  messageBody: z.string().max(1600),
  inboundMessageId: z.string().min(1).max(100),
  previousPublishedMessageId: z.string().max(200).optional(),
}).passthrough();
export type InboundText = z.infer<typeof InboundTextSchema>;

export type ParsedRecord =
  | { ok: true; topicArn: string; snsMessageId: string; text: InboundText }
  | { ok: false; snsMessageId: string | null; problem: string };

const issues = (e: z.ZodError) => e.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(record)'}: ${i.code}`).join('; ');

/** One SNS record: the envelope, then its message as the two-way SMS payload. */
export function parseSnsRecord(record: unknown): ParsedRecord {
  const r = SnsRecordSchema.safeParse(record);
  if (!r.success) return { ok: false, snsMessageId: null, problem: issues(r.error) };
  const id = r.data.Sns.MessageId;
  let body: unknown;
  try { body = JSON.parse(r.data.Sns.Message); } catch { return { ok: false, snsMessageId: id, problem: 'Sns.Message: not JSON' }; }
  const t = InboundTextSchema.safeParse(body);
  if (!t.success) return { ok: false, snsMessageId: id, problem: `Sns.Message.${issues(t.error)}` };
  return { ok: true, topicArn: r.data.Sns.TopicArn, snsMessageId: id, text: t.data };
}
