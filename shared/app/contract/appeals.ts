// Appeals of a refused request (issue 14 item 2): file one on a denied or partly refused case whose
// state law gives an appeal, answer it (granted: the request is redone in a linked case; upheld: the
// consumer is told how to contact the state Attorney General), and list the open ones for the queue.
import { z } from 'zod';
import { op } from './define';
import { InstantSchema, JurisdictionSchema, LocalDateSchema } from '../../domain/case';
import { AppealOutcomeSchema } from '../../domain/appeals';

export const AppealStatusSchema = z.enum(['open', 'granted', 'upheld']);

export const AppealViewSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  jurisdiction: JurisdictionSchema,
  status: AppealStatusSchema,
  receivedOn: LocalDateSchema,
  /** The answer is due by `respond` (after the extension when taken); `respondOriginal` without it. */
  deadlines: z.object({ respond: LocalDateSchema, respondOriginal: LocalDateSchema }),
  daysLeft: z.number().int(),
  overdue: z.boolean(),
  extended: z.boolean(),
  /** The consumer's reason (null in lists: open the case to read it). */
  reason: z.string().nullable(),
  createdAt: InstantSchema,
  createdBy: z.string(),
  decidedAt: InstantSchema.nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** A granted appeal: the case that redoes the request (same type, the original's identities). */
  reopenedCaseId: z.string().nullable(),
  /** Where a refusal of the appeal sends the consumer, as the statute names it. */
  attorneyGeneral: z.object({ office: z.string(), website: z.string() }),
  citation: z.string(),
});
export type AppealView = z.infer<typeof AppealViewSchema>;

const CaseId = z.string().min(1).max(64);

export const appealsContract = {
  'appeals.file': op('command', z.object({
    id: CaseId,
    /** The local date the appeal was received (default: today in the case's zone); not in the future. */
    receivedOn: LocalDateSchema.optional(),
    reason: z.string().trim().min(1, 'reason is required (what the consumer disagrees with)').max(4000),
  }).strict(), AppealViewSchema, 'Record the consumer\'s appeal of a denied or partly refused request (its answer deadline from the state\'s rule).'),
  'appeals.decide': op('command', z.object({
    id: CaseId,
    outcome: AppealOutcomeSchema,
    note: z.string().trim().min(1, 'note is required (the reasons for the decision)').max(4000),
  }).strict(), AppealViewSchema, 'Answer the open appeal of a case: granted (the request is redone in a linked case) or upheld (notice naming the Attorney General).'),
  'appeals.extend': op('command', z.object({
    id: CaseId,
    reason: z.string().trim().min(1, 'reason is required (it is sent to the consumer with the extension notice)').max(2000),
  }).strict(), AppealViewSchema, 'Extend the open appeal\'s answer once, where the state allows it (Colorado, Oregon, Minnesota: 60 days), before the first due date.'),
  'appeals.forCase': op('query', z.object({ id: CaseId }).strict(), z.array(AppealViewSchema), 'The appeals of one case (reasons opened).'),
  'appeals.list': op('query', z.object({
    status: AppealStatusSchema.optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  }).strict(), z.object({ items: z.array(AppealViewSchema) }), 'Appeals by status, earliest answer first (the queue\'s "open appeal" filter).'),
};
