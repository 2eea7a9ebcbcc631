// The public operations: everything the public server (privacy center, GPC endpoint, report and
// processor links) may call, and nothing else. Inputs are what a stranger on the internet may send;
// outputs never carry identities, only the case reference and what the consumer may see of it.
import { z } from 'zod';
import { op } from './define';
import { CaseStatusSchema, CaseTypeSchema, JurisdictionSchema, LocalDateSchema } from '../../domain/case';
import { AppealStatusSchema } from './appeals';
import { AddressSchema, CustomKeySchema, EmailSchema, PhoneSchema } from '../../domain/identity';

export const PUBLIC_LOCALES = ['en', 'es'] as const;
export const PublicLocaleSchema = z.enum(PUBLIC_LOCALES);
export type PublicLocale = z.infer<typeof PublicLocaleSchema>;

/** Case references as the engine makes them (PD-YYYYMMDD-XXXXXX); anything else is refused early. */
export const ReferenceSchema = z.string().trim().toUpperCase().regex(/^PD-\d{8}-[A-Z0-9]{4,16}$/u, 'must be a request reference like PD-20260302-AB12CD');
const CodeSchema = z.string().trim().min(4, 'code is required').max(20).regex(/^[\d\s-]+$/u, 'the code is digits');
const SessionSchema = z.string().trim().min(20).max(400);

/** Categories a consumer may ask to delete (delete_pii); free text never reaches the erasure plan. */
export const DELETE_CATEGORIES = ['contact', 'orders', 'marketing', 'support', 'device', 'location'] as const;

export const PublicDocumentSchema = z.object({
  filename: z.string().trim().min(1).max(200).optional(),
  mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg'], { message: 'the permission document must be a PDF, PNG or JPEG' }),
  contentBase64: z.string().min(4).max(14_000_000),
}).strict();

export const PublicAgentSchema = z.object({
  name: z.string().trim().min(1, 'the agent\'s name is required').max(200),
  email: EmailSchema.optional(),
  organization: z.string().trim().max(200).optional(),
  /** The consumer's signed permission (required: CCPA regs §7063). Stored encrypted. */
  document: PublicDocumentSchema,
}).strict();

export const PublicRequestSchema = z.object({
  type: CaseTypeSchema,
  jurisdiction: JurisdictionSchema,
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  address: AddressSchema.optional(),
  agent: PublicAgentSchema.optional(),
  /** correct: what is wrong and the new value. */
  correction: z.object({ field: z.string().trim().min(1, 'say what is wrong').max(200), value: z.string().trim().min(1, 'give the correct value').max(2000) }).strict().optional(),
  /** delete_pii: the categories to delete. */
  categories: z.array(z.enum(DELETE_CATEGORIES)).min(1, 'choose at least one category').max(DELETE_CATEGORIES.length).optional(),
  /** access: specific pieces of information (needs the higher verification level). */
  specificPieces: z.boolean().default(false),
  locale: PublicLocaleSchema.default('en'),
  /** sms or voice: how a consumer with only a phone number gets the code (default: text, a call for fixed lines). */
  codeChannel: z.enum(['email', 'sms', 'voice', 'auto']).optional(),
}).strict().superRefine((parsed, ctx) => {
  // Runs even when a field failed (`when` below), so the consumer sees every error at once; the
  // value may then be only partly valid, so each rule reads just the key it needs.
  const v = parsed as Partial<Record<'email' | 'phone' | 'type' | 'correction' | 'categories', unknown>>;
  if (!v.email && !v.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'give an email address or a phone number' });
  if (v.type === 'correct' && v.correction === undefined) ctx.addIssue({ code: 'custom', path: ['correction'], message: 'say what is wrong and the correct value' });
  if (v.type === 'delete_pii' && v.categories === undefined) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'choose at least one category' });
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) });
export type PublicRequest = z.input<typeof PublicRequestSchema>;

/** What the consumer sees of a case: no identities, no staff notes. */
export const PublicStatusSchema = z.object({
  reference: z.string(),
  type: CaseTypeSchema,
  status: CaseStatusSchema,
  receivedAt: z.string(),
  respondBy: z.string(),
  extended: z.boolean(),
  verified: z.boolean(),
  /** What waits for the consumer: verify (a code), awaiting_consumer (staff asked for something). */
  pendingOnConsumer: z.array(z.enum(['verify', 'awaiting_consumer'])),
  /** The code is done but the request needs the higher level (§7062): extra data points and a signed declaration. */
  higherVerification: z.boolean().default(false),
  denialReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  messages: z.array(z.object({ template: z.string(), channel: z.string(), sentAt: z.string().nullable() })),
  /** The state whose law applies (it decides whether a refusal may be appealed). */
  jurisdiction: JurisdictionSchema,
  /** Appealing a refusal (shared/domain/appeals.ts). */
  appeal: z.object({
    /** The consumer may appeal from the status page now (refused, the state gives an appeal, none filed). */
    available: z.boolean(),
    /** Refused, and the state's law gives no appeal (CCPA, GDPR, Utah...): the page says where else to turn. */
    noAppealInLaw: z.boolean(),
    /** The appeal filed (one per refusal): its state and the date its written answer is due. */
    filed: z.object({
      status: AppealStatusSchema, receivedOn: LocalDateSchema, respondBy: LocalDateSchema, extended: z.boolean(),
      /** Granted: the reference of the case that redoes the request. */
      reopenedReference: z.string().nullable(),
    }).nullable(),
  }),
});
export type PublicStatus = z.infer<typeof PublicStatusSchema>;

const CodeSent = z.object({ sent: z.literal(true) });
const Checked = z.object({
  ok: z.boolean(), reason: z.enum(['wrong', 'locked', 'expired', 'no-code']).nullable(), attemptsLeft: z.number().int().nullable(),
  status: PublicStatusSchema.nullable(),
  /** A short-lived signed session for the status page (no cookies); null unless ok. */
  session: z.string().nullable(),
});

/** The §7062 declaration the consumer signs (checkbox + typed name) on the status page. */
export const DECLARATION_TEXT = {
  en: 'I declare under penalty of perjury under the laws of the State of California that I am the consumer whose personal information is the subject of this request.',
  es: 'Declaro bajo pena de perjurio conforme a las leyes del Estado de California que soy el consumidor cuya información personal es objeto de esta solicitud.',
} as const;

/** Higher verification (CCPA regs §7062): data points checked against the data map, and the signed declaration. */
export const HigherVerificationSchema = z.object({
  session: SessionSchema,
  phone: z.string().trim().max(40).optional(),
  postalCode: z.string().trim().max(20).optional(),
  birthDate: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/u, 'a date like 1990-04-21').optional(),
  declaration: z.object({
    accepted: z.literal(true, { message: 'tick the declaration' }),
    name: z.string().trim().min(2, 'type your full name to sign').max(200),
  }).strict(),
  locale: PublicLocaleSchema.default('en'),
}).strict().superRefine((v, ctx) => {
  if (!v.phone && !v.postalCode && !v.birthDate) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'give at least one more detail we hold about you' });
}, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

/** The consumer's appeal of a refusal, from the status page (after the fresh code). */
export const PublicAppealSchema = z.object({
  session: SessionSchema,
  reason: z.string().trim().min(1, 'tell us why you disagree').max(2000, 'at most 2000 characters'),
  locale: PublicLocaleSchema.default('en'),
}).strict();

export const GpcInputSchema = z.union([
  z.object({ email: EmailSchema }).strict(),
  z.object({ phone: PhoneSchema }).strict(),
  z.object({ customKey: z.string().trim().min(1).max(256) }).strict(),
], { message: 'send exactly one of email, phone or customKey' });

export const publicContract = {
  'public.submitRequest': op('command', PublicRequestSchema, z.object({
    reference: z.string(), codeChannel: z.enum(['email', 'sms', 'voice']).nullable(),
  }), 'Privacy center: open a request (channel web) and send its one-time code.'),
  'public.sendCode': op('command', z.object({
    reference: ReferenceSchema, purpose: z.enum(['verification', 'status']).default('status'),
    channel: z.enum(['email', 'sms', 'voice', 'auto']).optional(), locale: PublicLocaleSchema.default('en'),
  }).strict(), CodeSent, 'Privacy center: send a fresh code for a reference (the same answer whether it exists or not).'),
  'public.verify': op('command', z.object({ reference: ReferenceSchema, code: CodeSchema }).strict(), Checked,
    'Privacy center: check a verification code (wrong codes count towards the lock); returns the status.'),
  'public.openStatus': op('command', z.object({ reference: ReferenceSchema, code: CodeSchema }).strict(), Checked,
    'Privacy center: a fresh status code opens the status page (a signed session of a few minutes).'),
  'public.verifyHigher': op('command', HigherVerificationSchema, z.object({
    ok: z.boolean(), reason: z.enum(['mismatch', 'locked', 'not-needed']).nullable(), attemptsLeft: z.number().int().nullable(),
    status: PublicStatusSchema.nullable(),
  }), 'Privacy center: §7062 higher verification after the code: extra data points matched against the data map and the signed declaration (stored encrypted).'),
  'public.appeal': op('command', PublicAppealSchema, z.object({
    ok: z.boolean(),
    /** not-appealable: not refused, or the state gives no appeal; already-appealed: one appeal per refusal. */
    reason: z.enum(['not-appealable', 'already-appealed']).nullable(),
    /** The date the written answer to the appeal is due (the appeal filed now, or the one filed before). */
    respondBy: LocalDateSchema.nullable(),
    status: PublicStatusSchema,
  }), 'Privacy center: appeal a refused request from the status page (signed session): filed as received today, channel web; returns the answer\'s due date.'),
  'public.status': op('query', z.object({ session: SessionSchema }).strict(), PublicStatusSchema,
    'Privacy center: the status behind a signed session.'),
  'public.gpc': op('command', z.object({
    identity: GpcInputSchema, customKeyName: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/u).default('site_user_id'),
    jurisdiction: JurisdictionSchema.default('CA'),
  }).strict(), z.object({ reference: z.string(), created: z.boolean() }),
  'Global Privacy Control: an opt-out case (channel gpc, no verification) unless one already stands for the identity.'),
  'public.reportFiles': op('query', z.object({ token: z.string().trim().min(10).max(200) }).strict(), z.object({
    caseId: z.string(), expiresAt: z.string(), files: z.array(z.object({ name: z.string(), contentType: z.string(), bytes: z.number().int() })),
  }), 'Files behind a report download link.'),
  'public.reportDownload': op('query', z.object({ token: z.string().trim().min(10).max(200), file: z.string().trim().min(1).max(120) }).strict(),
    z.object({ name: z.string(), contentType: z.string(), base64: z.string() }), 'One file of a report download link (audited).'),
  'public.confirmProcessor': op('command', z.object({ token: z.string().trim().min(10).max(200) }).strict(),
    z.object({ caseId: z.string() }), 'A processor confirms a deletion notice with its token.'),
};
export type PublicOpName = keyof typeof publicContract;
export const PUBLIC_OPS = Object.keys(publicContract) as PublicOpName[];
