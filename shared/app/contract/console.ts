// Operations only the staff console needs: which ops the back end offers (screens show a section
// when its ops exist) and the dashboard figures.
import { z } from 'zod';
import { op } from './define';
import { CaseStatusSchema, CaseTypeSchema, InstantSchema, JurisdictionSchema, LocalDateSchema } from '../../domain/case';

export const DashboardSchema = z.object({
  /** Today in California (the CA calendar; also the metrics' default year). Shells show `at` in their own zone instead. */
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
  /** CCPA regs §7102 (computed by shared/domain/metrics.ts): per request type, for one calendar year. */
  metrics: z.object({
    year: z.number().int(),
    citation: z.string(),
    rows: z.array(z.object({
      type: CaseTypeSchema,
      received: z.number().int(),
      compliedInWhole: z.number().int(),
      compliedInPart: z.number().int(),
      denied: z.number().int(),
      pending: z.number().int(),
      medianDays: z.number().nullable(),
      meanDays: z.number().nullable(),
    })),
  }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

/** A document staff upload (an authorized agent's written permission): base64 in, a stored id out. */
export const DocumentUploadSchema = z.object({
  kind: z.enum(['agent-permission']).default('agent-permission'),
  mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']),
  /** At most 10 MiB of document (base64 is 4/3 of that). */
  contentBase64: z.string().min(4).max(14_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/u, 'contentBase64: must be base64'),
}).strict();

export const consoleContract = {
  'console.ops': op('query', z.object({}).strict(), z.object({ ops: z.array(z.string()) }),
    'The operations this back end offers (the console shows what is available).'),
  'console.dashboard': op('query', z.object({ year: z.number().int().min(2000).max(2100).optional() }).strict(), DashboardSchema,
    'Dashboard figures: open/overdue by type, due this week, median days to close, §7102 yearly metrics.'),
  'documents.upload': op('command', DocumentUploadSchema,
    z.object({ id: z.string(), bytes: z.number().int(), sha256: z.string() }),
    'Store a document (agent permission) encrypted in the data folder; returns its id for permissionRef.'),
};
