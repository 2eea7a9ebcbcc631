// Responses: messages on a case, verification codes, calls, processor notices, access reports.
import { z } from 'zod';
import { op } from './define';
import { CaseViewSchema, DenialReasonSchema } from '../../domain/case';
import { DisclosureTransfersSchema } from '../../domain/report/disclosure-breakdown';

const Id = z.object({ id: z.string().min(1).max(64) }).strict();

export const MessageViewSchema = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  template: z.string(),
  channel: z.enum(['email', 'sms', 'voice', 'webhook', 'post']),
  provider: z.string(),
  recipient: z.string().describe('masked'),
  locale: z.string().nullable(),
  status: z.enum(['sending', 'sent', 'failed', 'skipped', 'pending']),
  providerMessageId: z.string().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  delivery: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type MessageView = z.infer<typeof MessageViewSchema>;

/** One message's content as the consumer received it (HTML to be shown inertly: no scripts, sandboxed). */
export const MessageBodyViewSchema = z.object({
  messageId: z.string(),
  template: z.string(),
  channel: MessageViewSchema.shape.channel,
  status: MessageViewSchema.shape.status,
  kept: z.boolean(),
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string().nullable(),
});
export type MessageBodyView = z.infer<typeof MessageBodyViewSchema>;

export const ProcessorViewSchema = z.object({
  id: z.string(), name: z.string(), system: z.string(), channel: z.enum(['email', 'webhook']), address: z.string(), active: z.boolean(), createdAt: z.string(),
});
export const ProcessorNoticeViewSchema = z.object({
  id: z.string(), caseId: z.string(), processorId: z.string(), processorName: z.string(), system: z.string(), channel: z.string(),
  /** What the notice asks: delete, opt_out, limit, correct (absent: delete). */
  request: z.enum(['delete', 'opt_out', 'limit', 'correct']).optional(),
  status: z.enum(['pending', 'sent', 'failed', 'confirmed']), sentAt: z.string().nullable(), confirmedAt: z.string().nullable(),
  confirmedBy: z.string().nullable(), reminders: z.number().int(), lastRemindedAt: z.string().nullable(), lastError: z.string().nullable(),
});
const CodeStatusSchema = z.object({
  locked: z.boolean(), lockedAt: z.string().nullable(), failures: z.number().int(), attemptsLeft: z.number().int(),
  active: z.object({ id: z.string(), expiresAt: z.string(), channel: z.enum(['email', 'sms', 'voice']) }).nullable(), issued: z.number().int(),
});

const DisclosureSchema = z.object({
  system: z.string().trim().min(1, 'system is required').max(120),
  sources: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  purposes: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  thirdParties: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  /** Sold / shared / disclosed for a business purpose, with categories of recipients (§1798.115); omitted or null: not itemised. */
  transfers: DisclosureTransfersSchema,
}).strict();

export const responsesContract = {
  'disclosures.set': op('command', DisclosureSchema, DisclosureSchema, 'Declare a system\'s sources, business purposes and third parties (for access reports).'),
  'disclosures.list': op('query', z.object({}).strict(), z.array(DisclosureSchema), 'Declared sources, purposes and third parties per system.'),
  'messages.list': op('query', Id, z.array(MessageViewSchema), 'Messages of a case: template, channel, time, provider message id, outcome.'),
  'messages.body': op('query', Id.extend({ messageId: z.string().min(1).max(64) }).strict(), MessageBodyViewSchema,
    'What one message of a case said: subject, HTML and text as sent (codes masked); audited. kept false: sent before bodies were kept, or a text/call.'),
  'responses.denialPreview': op('query', Id.extend({ reason: DenialReasonSchema, note: z.string().trim().max(2000).optional() }).strict(), z.object({
    /** Masked address the denial would go to; null: no email on the case (a call or nothing, see the words). */
    to: z.string().nullable(),
    subject: z.string(), text: z.string(), html: z.string(),
  }), 'The denial email as it would be sent with this reason and note (nothing is sent): for the confirmation before Deny.'),
  'messages.attention': op('query', z.object({}).strict(), z.object({
    messages: z.array(MessageViewSchema),
    lockedCases: z.array(z.object({ caseId: z.string(), lockedAt: z.string(), failures: z.number().int() })),
    unconfirmedNotices: z.array(ProcessorNoticeViewSchema),
  }), 'What needs staff: failed sends, reports waiting for staff delivery, cases locked for verification, unconfirmed processor notices.'),
  'responses.notice': op('command', Id.extend({ kind: z.enum(['extension', 'hold', 'denial']) }).strict(), MessageViewSchema,
    'Email the consumer the extension notice (with reason), hold notice or denial (reason and how to appeal).'),
  'responses.deliver': op('command', Id.extend({
    method: z.enum(['post', 'in_person', 'other']).default('post'),
    note: z.string().trim().min(1, 'note is required').max(2000),
  }).strict(), CaseViewSchema,
  'Record that staff delivered an access report waiting for them (no email address on the case), then close the case.'),
  'responses.sweep': op('command', z.object({ denialDays: z.number().int().min(1).max(365).default(30) }).strict(),
    z.object({ sent: z.number().int(), failed: z.number().int(), skipped: z.number().int() }),
    'Send every due extension, hold and denial notice not sent yet (idempotent; run on a schedule).'),
  'codes.send': op('command', Id.extend({
    channel: z.enum(['email', 'sms', 'voice', 'auto']).optional()
      .describe('email; sms (text); voice (a call reading the code); auto: a phone number gets a call when it is a fixed line, else a text. Default: email when the case has one, else auto'),
  }).strict(), z.object({
    codeId: z.string(), expiresAt: z.string(), sentTo: z.string(), messageId: z.string().nullable(), channel: z.enum(['email', 'sms', 'voice']),
  }), 'Send a one-time verification code: by email, by text message, or read out in a call (fixed lines).'),
  'codes.check': op('command', Id.extend({ code: z.string().trim().min(1, 'code is required').max(20) }).strict(), z.object({
    ok: z.boolean(), reason: z.enum(['wrong', 'locked', 'expired', 'no-code']).nullable(), attemptsLeft: z.number().int().nullable(), case: CaseViewSchema,
  }), 'Check a code; a correct one raises the verification level; the attempt limit locks the case for staff.'),
  'codes.status': op('query', Id, CodeStatusSchema, 'Verification-code state of a case (locked, attempts left, active code expiry).'),
  'codes.unlock': op('command', Id.extend({ note: z.string().trim().min(1, 'note is required').max(2000) }).strict(), CodeStatusSchema, 'Staff lift a verification lock.'),
  'calls.place': op('command', Id.extend({ purpose: z.enum(['status', 'callback']).default('status'), sequence: z.number().int().min(1).max(100).default(1) }).strict(),
    MessageViewSchema, 'Call the requester (Amazon Connect outbound; embedded: recorded).'),
  'processors.add': op('command', z.object({
    name: z.string().trim().min(1).max(120), system: z.string().trim().min(1).max(120), channel: z.enum(['email', 'webhook']), address: z.string().trim().min(3).max(500),
  }).strict(), ProcessorViewSchema.extend({ webhookSecret: z.string().nullable() }), 'Register a service provider/contractor to tell about deletions in a system ("*" = all).'),
  'processors.list': op('query', z.object({}).strict(), z.array(ProcessorViewSchema), 'Registered service providers and contractors.'),
  'processors.deactivate': op('command', Id, z.object({ ok: z.literal(true) }), 'Stop notifying a processor.'),
  'processors.notices': op('query', Id, z.array(ProcessorNoticeViewSchema), 'Processor notices of a case and their confirmation.'),
  'processors.confirm': op('command', z.union([
    z.object({ token: z.string().trim().min(10).max(200) }).strict(),
    z.object({ noticeId: z.string().min(1).max(64), note: z.string().trim().min(1, 'note is required').max(2000) }).strict(),
  ]), ProcessorNoticeViewSchema, 'Record a processor\'s confirmation (its token, or staff with a note).'),
  'processors.remind': op('command', z.object({ afterDays: z.number().int().min(0).max(365).default(7) }).strict(),
    z.object({ reminded: z.number().int(), failed: z.number().int() }), 'Remind processors whose notice is unconfirmed after N days.'),
  'reports.preview': op('query', Id.extend({ format: z.enum(['html', 'json', 'csv']).default('html') }).strict(),
    z.object({ format: z.string(), content: z.string() }), 'The access report of a case as it would be sent (staff preview; audited).'),
  'reports.files': op('query', z.object({ token: z.string().trim().min(10).max(200) }).strict(), z.object({
    caseId: z.string(), expiresAt: z.string(), files: z.array(z.object({ name: z.string(), contentType: z.string(), bytes: z.number().int() })),
  }), 'Files behind a report download link (valid, unexpired token).'),
  'reports.download': op('query', z.object({ token: z.string().trim().min(10).max(200), file: z.string().trim().min(1).max(120) }).strict(),
    z.object({ name: z.string(), contentType: z.string(), base64: z.string() }), 'One file of a report download link (audited).'),
};
