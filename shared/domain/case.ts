// The case model: what a privacy request is, as zod schemas (the single source of the types).
import { z } from 'zod';
import { IdentitiesSchema } from './identity';
import { CASE_STATUSES, CASE_TYPES, CHANNELS, JURISDICTIONS } from './case-values';

export { CASE_STATUSES, CASE_TYPES, CHANNELS, JURISDICTIONS };
export const CaseTypeSchema = z.enum(CASE_TYPES);
export type CaseType = z.infer<typeof CaseTypeSchema>;

export const STRATEGIES = ['exact', 'connected_pii'] as const;
export const StrategySchema = z.enum(STRATEGIES);
export type Strategy = z.infer<typeof StrategySchema>;

export const JurisdictionSchema = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => s !== 'closed' && s !== 'denied');

export const DENIAL_REASONS = ['unverifiable', 'exempt', 'duplicate', 'withdrawn'] as const;
export const DenialReasonSchema = z.enum(DENIAL_REASONS);
export type DenialReason = z.infer<typeof DenialReasonSchema>;

export const HOLD_REASONS = ['legal_hold', 'awaiting_consumer'] as const;
export const HoldReasonSchema = z.enum(HOLD_REASONS);
export type HoldReason = z.infer<typeof HoldReasonSchema>;

/**
 * Why a response needs the extension, as a category the consumer can be told on a status call (the
 * staff's own reason text goes only into the extension email). The law allows the extension for the
 * complexity and number of requests (CCPA §1798.145, regs §7021(b)); no category: told in those words.
 */
export const EXTENSION_CATEGORIES = ['complexity', 'many_systems', 'volume', 'archived_records'] as const;
export const ExtensionCategorySchema = z.enum(EXTENSION_CATEGORIES);
export type ExtensionCategory = z.infer<typeof ExtensionCategorySchema>;

/**
 * What a status call says after "because " for an extension (English, like the outbound flow); a
 * fixed phrase per category, never staff's text. `general` when staff gave no category. Here (not
 * in shared/channels) so the console can show staff the very words a caller will hear.
 */
export const EXTENSION_PHRASES: Readonly<Record<ExtensionCategory | 'general', string>> = {
  complexity: 'your request is complex',
  many_systems: 'your request covers many of our systems',
  volume: 'we have received an unusually large number of requests',
  archived_records: 'some of your information is in archives that we must restore first',
  general: 'of the complexity of your request or the number of requests we have received',
};

export const VERIFICATION_METHODS = ['staff', 'email-code', 'phone-code', 'knowledge', 'none'] as const;
export const VerificationMethodSchema = z.enum(VERIFICATION_METHODS);
export type VerificationMethod = z.infer<typeof VerificationMethodSchema>;

/** Verification levels (CCPA regs §7062): none, reasonable (2 data points), high (3 + signed declaration). */
export const VERIFICATION_LEVELS = ['none', 'reasonable', 'high'] as const;
export const VerificationLevelSchema = z.enum(VERIFICATION_LEVELS);
export type VerificationLevel = z.infer<typeof VerificationLevelSchema>;

export const LocalDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be a date YYYY-MM-DD');
export const InstantSchema = z.string().datetime({ offset: true });

export const AgentSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().max(254).optional(),
  organization: z.string().trim().max(200).optional(),
  /** Reference to the written permission (a stored document id or a note of where it is kept). */
  permissionRef: z.string().trim().min(1, 'the agent\'s written permission is required').max(500),
}).strict();
export type Agent = z.infer<typeof AgentSchema>;

export const DeadlinesSchema = z.object({
  acknowledge: LocalDateSchema.nullable(),
  respond: LocalDateSchema,
  /** The respond date before any extension. */
  respondOriginal: LocalDateSchema,
  paused: z.boolean(),
});
export type Deadlines = z.infer<typeof DeadlinesSchema>;

export const VerificationSchema = z.object({
  level: VerificationLevelSchema,
  method: VerificationMethodSchema.nullable(),
  dataPoints: z.number().int().min(0),
  signedDeclaration: z.boolean(),
  by: z.string().nullable(),
  at: InstantSchema.nullable(),
  note: z.string().nullable(),
});
export type Verification = z.infer<typeof VerificationSchema>;

/**
 * Who a case waits for: staff to retry a failed step, staff to deliver a report by hand, staff to
 * verify the identity or decide review rows, the consumer (a code, documents), or a hold.
 */
export const WAITING_FOR = ['staff_retry', 'staff_delivery', 'staff_verification', 'staff_review', 'consumer', 'hold'] as const;
export const WaitingForSchema = z.enum(WAITING_FOR);
export type WaitingFor = z.infer<typeof WaitingForSchema>;

/** The case as every shell sees it. Identities are only here when revealed (see CaseView.identities). */
export const CaseViewSchema = z.object({
  id: z.string(),
  type: CaseTypeSchema,
  strategy: StrategySchema,
  jurisdiction: JurisdictionSchema,
  channel: ChannelSchema,
  status: CaseStatusSchema,
  receivedAt: InstantSchema,
  deadlines: DeadlinesSchema,
  daysLeft: z.number().int(),
  overdue: z.boolean(),
  extended: z.boolean(),
  extensionReason: z.string().nullable(),
  hold: z.object({ reason: HoldReasonSchema, note: z.string().nullable(), since: InstantSchema, resumeTo: CaseStatusSchema }).nullable(),
  denial: z.object({ reason: DenialReasonSchema, note: z.string().nullable() }).nullable(),
  verification: VerificationSchema,
  requiredLevel: VerificationLevelSchema,
  agent: AgentSchema.nullable(),
  assignee: z.string().nullable(),
  /** Masked identities ("j***@example.com"), safe to show. */
  identitiesMasked: z.record(z.string(), z.string()),
  autoApprove: z.boolean(),
  /** The step that failed last (retry runs it again), or null. */
  failure: z.object({ step: z.string(), message: z.string() }).nullable(),
  /** Who the case waits for now (null: the engine is working, or the case is finished). */
  waitingFor: WaitingForSchema.nullable(),
  closedAt: InstantSchema.nullable(),
  updatedAt: InstantSchema,
});
export type CaseView = z.infer<typeof CaseViewSchema>;

/** The languages a consumer can be answered in (the email templates' locales). */
export const CONSUMER_LOCALES = ['en', 'es'] as const;
export const ConsumerLocaleSchema = z.enum(CONSUMER_LOCALES);
export type ConsumerLocale = z.infer<typeof ConsumerLocaleSchema>;

export const NewCaseSchema = z.object({
  type: CaseTypeSchema,
  strategy: StrategySchema.default('exact'),
  jurisdiction: JurisdictionSchema,
  channel: ChannelSchema.default('staff'),
  identities: IdentitiesSchema,
  agent: AgentSchema.optional(),
  receivedAt: InstantSchema.optional(),
  /** Ask for specific pieces of information (access) or sensitive data: needs the high tier. */
  specificPieces: z.boolean().default(false),
  autoApprove: z.boolean().default(false),
  assignee: z.string().trim().max(100).optional(),
  /** The language the consumer asked in (the privacy center's page): every email to them uses it; absent: the business's default. */
  locale: ConsumerLocaleSchema.optional(),
}).strict().superRefine((v, ctx) => {
  const ids = v.identities;
  if (!ids.email && !ids.phone && !(ids.customKeys && ids.customKeys.length)) {
    ctx.addIssue({ code: 'custom', path: ['identities'], message: 'identities: at least one of email, phone or a custom key is required' });
  }
});
export type NewCase = z.input<typeof NewCaseSchema>;
export type NewCaseParsed = z.output<typeof NewCaseSchema>;
