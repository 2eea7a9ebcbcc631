// Operations only the staff console needs: which ops the back end offers (screens show a section
// when its ops exist) and the dashboard figures.
import { z } from 'zod';
import { op } from './define';
import { CaseStatusSchema, CaseTypeSchema, InstantSchema, JurisdictionSchema, LocalDateSchema } from '../../domain/case';

export const DashboardSchema = z.object({
  /** Today in California (the CA calendar; its year is the default `year`). Shells show `at` in their own zone instead. */
  asOf: z.string(),
  /** The instant the figures were computed (the app's clock, which may be set: PRIVACY_DESK_CLOCK). */
  at: InstantSchema,
  /**
   * Overdue and due-in-7-days count each open case by today in its jurisdiction's time zone: the
   * date used per zone, with its jurisdictions (a shell says so where it differs from its own date).
   */
  todayByZone: z.array(z.object({ timeZone: z.string(), date: LocalDateSchema, jurisdictions: z.array(JurisdictionSchema) })),
  open: z.number().int(),
  overdue: z.number().int(),
  dueThisWeek: z.number().int(),
  /** Median calendar days from receipt to close/denial over the last 365 days; null when none closed. */
  medianDaysToClose: z.number().nullable(),
  byType: z.array(z.object({ type: CaseTypeSchema, open: z.number().int(), overdue: z.number().int(), dueThisWeek: z.number().int() })),
  byStatus: z.array(z.object({ status: CaseStatusSchema, count: z.number().int() })),
  /** The year the dashboard's §7102 figures (compliance.metrics) default to: the one asked for, else the clock's year in California. */
  year: z.number().int(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

/** A document staff upload (an authorized agent's written permission): base64 in, a stored id out. */
export const DocumentUploadSchema = z.object({
  /** agent-permission: an authorized agent's written permission; consumer-document: what a consumer sent with a request (e.g. proof for a correction). */
  kind: z.enum(['agent-permission', 'consumer-document']).default('agent-permission'),
  /** The case the document belongs to (its upload is then on the case's audit timeline). */
  caseId: z.string().min(1).max(64).optional(),
  mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']),
  /** At most 10 MiB of document (base64 is 4/3 of that). */
  contentBase64: z.string().min(4).max(14_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/u, 'contentBase64: must be base64'),
}).strict();

export const consoleContract = {
  'console.ops': op('query', z.object({}).strict(), z.object({ ops: z.array(z.string()) }),
    'The operations this back end offers (the console shows what is available).'),
  'console.dashboard': op('query', z.object({ year: z.number().int().min(2000).max(2100).optional() }).strict(), DashboardSchema,
    'Dashboard figures: open/overdue by type, due this week, median days to close, and the year its §7102 figures (compliance.metrics) default to.'),
  'digest.dueSoon': op('command', z.object({
    /** Cases due within this many days (and overdue ones) are listed. */
    days: z.number().int().min(0).max(45).default(3),
    /** List who would get what, send nothing. */
    dryRun: z.boolean().default(false),
  }).strict(), z.object({
    date: LocalDateSchema,
    sent: z.array(z.object({ to: z.string().describe('masked'), assignees: z.array(z.string()), cases: z.number().int(), status: z.string() })),
    /** Case ids due soon with nobody to tell (no address for the assignee and no staff address configured). */
    undelivered: z.array(z.string()),
  }), 'The daily "due soon" email: to each assignee (staff directory, an email assignee, else the staff address) the open requests overdue or due within N days; once per address and day.'),
  'console.reviewRows': op('query', z.object({ id: z.string().min(1).max(64) }).strict(), z.object({
    items: z.array(z.object({
      itemId: z.string(),
      /** What the row holds, field -> value masked by its category (ids and system fields as they are). */
      values: z.record(z.string(), z.string()),
      /** The row is someone else's too: who, masked, when discovery found them; else the reason's words. */
      otherPerson: z.string().nullable(),
    })),
  }), 'Review rows of a case with what they hold (masked) and whose else they are: for the review table.'),
  'console.planWrites': op('query', z.object({ id: z.string().min(1).max(64) }).strict(), z.object({
    type: CaseTypeSchema.nullable(),
    /** Per system and collection: rows written and, per field, the value written (masked for personal data) and what it was (masked). */
    writes: z.array(z.object({
      system: z.string(), collection: z.string(), rows: z.number().int(),
      fields: z.array(z.object({ field: z.string(), to: z.string(), from: z.array(z.string()) })),
    })),
  }), 'The writes a correct, opt-out or limit request will make (not deletions): flags set and values corrected, per system.'),
  'documents.upload': op('command', DocumentUploadSchema,
    z.object({ id: z.string(), bytes: z.number().int(), sha256: z.string() }),
    'Store a document (agent permission) encrypted in the data folder; returns its id for permissionRef.'),
};
