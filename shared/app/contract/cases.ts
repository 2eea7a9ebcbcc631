import { z } from 'zod';
import { op } from './define';
import {
  CaseStatusSchema, CaseTypeSchema, CaseViewSchema, ChannelSchema, DenialReasonSchema, ExtensionCategorySchema, HoldReasonSchema,
  JurisdictionSchema, NewCaseSchema, VerificationMethodSchema,
} from '../../domain/case';

const Id = z.object({ id: z.string().min(1).max(64) }).strict();
export const AuditEntryViewSchema = z.object({
  seq: z.number().int(),
  caseId: z.string().nullable(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
  prevHash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;

export const CaseListQuerySchema = z.object({
  status: CaseStatusSchema.optional(),
  type: CaseTypeSchema.optional(),
  channel: ChannelSchema.optional(),
  jurisdiction: JurisdictionSchema.optional(),
  overdue: z.boolean().optional(),
  /** A case id (prefix) or an identity (email/phone), matched by keyed hash, never plain text. */
  search: z.string().trim().max(256).optional(),
  assignee: z.string().max(100).optional(),
  sort: z.enum(['respondBy', 'receivedAt', 'status', 'type', 'id']).default('respondBy'),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
}).strict();

export const casesContract = {
  'cases.create': op('command', NewCaseSchema, CaseViewSchema, 'Open a request (any channel); computes the legal clock.'),
  'cases.get': op('query', Id, CaseViewSchema, 'One case (identities masked).'),
  'cases.list': op('query', CaseListQuerySchema, z.object({ items: z.array(CaseViewSchema), total: z.number().int() }), 'Queue: filter, sort, page.'),
  // The console's queue asks for the rows and the total apart (at 1M cases a count reads up to 10^6
  // index entries): the rows show as soon as they come, the total follows, and a page further down
  // the list does not count again.
  'cases.page': op('query', CaseListQuerySchema, z.object({ items: z.array(CaseViewSchema) }), 'Queue: one page of cases.list (no total).'),
  'cases.count': op('query', CaseListQuerySchema.omit({ sort: true, order: true, offset: true, limit: true }), z.object({ total: z.number().int() }), 'Queue: the total of cases.list for these filters.'),
  'cases.revealIdentities': op('command', Id.extend({ reason: z.string().trim().min(1).max(500) }).strict(),
    z.record(z.string(), z.string()), 'Show the plain identities of a case (audited).'),
  'cases.verify': op('command', Id.extend({
    method: VerificationMethodSchema.exclude(['none']),
    note: z.string().trim().min(1, 'note is required').max(2000),
    dataPoints: z.number().int().min(0).max(10).default(2),
    /** Older yes/no flag: only accepted together with declarationId (a declaration stored with the case). */
    signedDeclaration: z.boolean().optional(),
    /** The signed declaration this verification relies on, stored (encrypted) with the case (declarations.store); the high level needs one. */
    declarationId: z.string().min(1).max(64).optional(),
  }).strict().superRefine((v, ctx) => {
    if (v.signedDeclaration && v.declarationId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['signedDeclaration'], message: 'signedDeclaration: a yes/no flag is not enough; store the signed declaration with the case (declarations.store, CLI `request declaration`) and name it with declarationId' });
    }
  }), CaseViewSchema, 'Record identity verification (tier from data points and a signed declaration stored with the case).'),
  'cases.categoriesOnly': op('command', Id.extend({ note: z.string().trim().min(1, 'note is required (why the high level cannot be reached)').max(2000) }).strict(), CaseViewSchema,
    'A request for specific pieces verified only to the reasonable level: answer it with the categories report (11 CCR §7024(c)) instead of waiting.'),
  'cases.deny': op('command', Id.extend({
    reason: DenialReasonSchema,
    /** Sent to the consumer in the denial email: left out, or words (never empty or blank). */
    note: z.string().trim().min(1, 'note is empty: write what the consumer should know, or leave the note out').max(2000).optional(),
  }).strict(), CaseViewSchema, 'Deny with a reason (and an optional note to the consumer, never blank).'),
  'cases.extend': op('command', Id.extend({
    reason: z.string().trim().min(1, 'reason is required').max(2000),
    /** What a status call tells a consumer without email (the reason text goes only into the email). */
    category: ExtensionCategorySchema.optional(),
  }).strict(), CaseViewSchema, 'Extend once, before the first due date.'),
  'cases.hold': op('command', Id.extend({ reason: HoldReasonSchema.default('legal_hold'), note: z.string().trim().min(1).max(2000) }).strict(), CaseViewSchema, 'Put on hold (clock pauses where the law allows).'),
  'cases.resume': op('command', Id, CaseViewSchema, 'Resume from hold.'),
  'cases.discover': op('command', Id, CaseViewSchema, 'Run discovery across the data map.'),
  'cases.retry': op('command', Id, CaseViewSchema, 'Retry a failed step (acknowledgement or response).'),
  'cases.approve': op('command', Id, CaseViewSchema, 'Approve the plan (after review).'),
  'cases.assign': op('command', Id.extend({ assignee: z.string().trim().max(100).nullable() }).strict(), CaseViewSchema, 'Assign to a staff member.'),
  'cases.audit': op('query', Id, z.array(AuditEntryViewSchema), 'The audit timeline of one case.'),
  'retention.purge': op('command', z.object({
    /** Purge PII of cases closed before this instant; default: 24 months before now (CCPA regs §7101). */
    before: z.string().datetime({ offset: true }).optional(),
    /**
     * A cut-off younger than the 24 months of §7101 is refused unless forced with a reason (a court
     * order, a regulator's instruction), which is audited (`retention.forced`).
     */
    force: z.boolean().default(false),
    reason: z.string().trim().min(1).max(2000).optional(),
  }).strict().superRefine((v, ctx) => {
    if (v.force && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason: required with force (why records younger than 24 months must go, e.g. the court order)' });
  }), z.object({
    purged: z.number().int(), before: z.string(),
    /** Outbox copies of the purged cases' messages and expired report-link files removed from disk. */
    files: z.object({ outboxFiles: z.number().int(), reportLinks: z.number().int() }),
  }), 'Remove the PII of request records past retention (and their files); keep the audit skeleton.'),
  'audit.verify': op('query', z.object({
    /** An anchor kept outside the database (what audit.anchor returned): also fails when the log was cut at or before it, emptied or rewritten. */
    anchor: z.unknown().optional(),
  }).strict(), z.object({
    ok: z.boolean(), entries: z.number().int(), firstBad: z.object({ seq: z.number().int(), problem: z.string() }).nullable(),
  }), 'Check the audit hash chain; names the first altered or removed entry.'),
};
