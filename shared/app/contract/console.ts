// Operations only the staff console needs: which ops the back end offers (screens show a section
// when its ops exist) and the dashboard figures.
import { z } from 'zod';
import { op } from './define';
import { CaseStatusSchema, CaseTypeSchema } from '../../domain/case';

export const DashboardSchema = z.object({
  /** The local date (CA calendar) the figures are computed for. */
  asOf: z.string(),
  open: z.number().int(),
  overdue: z.number().int(),
  dueThisWeek: z.number().int(),
  /** Median calendar days from receipt to close/denial over the last 365 days; null when none closed. */
  medianDaysToClose: z.number().nullable(),
  byType: z.array(z.object({ type: CaseTypeSchema, open: z.number().int(), overdue: z.number().int(), dueThisWeek: z.number().int() })),
  byStatus: z.array(z.object({ status: CaseStatusSchema, count: z.number().int() })),
  /** CCPA regs §7102: per request type, for one calendar year. */
  metrics: z.object({
    year: z.number().int(),
    rows: z.array(z.object({
      type: CaseTypeSchema,
      received: z.number().int(),
      complied: z.number().int(),
      denied: z.number().int(),
      medianDays: z.number().nullable(),
      meanDays: z.number().nullable(),
    })),
  }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const consoleContract = {
  'console.ops': op('query', z.object({}).strict(), z.object({ ops: z.array(z.string()) }),
    'The operations this back end offers (the console shows what is available).'),
  'console.dashboard': op('query', z.object({ year: z.number().int().min(2000).max(2100).optional() }).strict(), DashboardSchema,
    'Dashboard figures: open/overdue by type, due this week, median days to close, §7102 yearly metrics.'),
};
