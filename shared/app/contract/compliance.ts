// The §7102 figures a business publishes each year (issue 14 item 4), computed by
// shared/domain/compliance-metrics.ts over the store's cases.
import { z } from 'zod';
import { op } from './define';
import { CaseTypeSchema, JurisdictionSchema } from '../../domain/case';
import { RIGHTS } from '../../domain/compliance-metrics';
import { UC_COLUMNS, UC_OVERVIEW_COLUMNS } from '../../domain/unified-compliance';

const ucRow = <C extends readonly [string, ...string[]]>(cols: C) => z.object(Object.fromEntries(cols.map((c) => [c, z.string()])) as Record<C[number], z.ZodString>);

/** The unified-compliance export (seed 002's columns): the rows hold the requests' identities, for staff. */
export const UnifiedComplianceSchema = z.object({
  rows: z.array(ucRow(UC_COLUMNS as unknown as readonly [string, ...string[]])),
  overview: z.array(ucRow(UC_OVERVIEW_COLUMNS as unknown as readonly [string, ...string[]])),
  /** The same as CSV files: unified_compliance.csv and unified_compliance_overview.csv. */
  csv: z.object({ unifiedCompliance: z.string(), overview: z.string() }),
});
export type UnifiedComplianceView = z.infer<typeof UnifiedComplianceSchema>;

const Figures = z.object({
  received: z.number().int(),
  compliedInWhole: z.number().int(),
  compliedInPart: z.number().int(),
  denied: z.number().int(),
  deniedByReason: z.object({ unverifiable: z.number().int(), exempt: z.number().int(), duplicate: z.number().int() }),
  withdrawn: z.number().int(),
  pending: z.number().int(),
  meanDays: z.number().nullable(),
  medianDays: z.number().nullable(),
});

export const ComplianceMetricsSchema = z.object({
  scope: z.object({ year: z.number().int(), jurisdiction: z.union([JurisdictionSchema, z.literal('all')]), from: z.string(), to: z.string(), counts: z.string() }),
  rows: z.array(Figures.extend({ right: z.enum(RIGHTS), types: z.array(CaseTypeSchema) })),
  total: Figures,
  citation: z.string(),
  /** The rows as CSV ready to publish (the scope's year and jurisdiction on every row). */
  csv: z.string(),
});
export type ComplianceMetricsView = z.infer<typeof ComplianceMetricsSchema>;

export const complianceContract = {
  'compliance.metrics': op('query', z.object({
    year: z.number().int().min(2000).max(2100),
    /** Only this jurisdiction's requests (default: every jurisdiction's, stated in the scope). */
    jurisdiction: JurisdictionSchema.optional(),
  }).strict(), ComplianceMetricsSchema, 'The 11 CCR §7102 figures of one year: per right, received, complied with in whole / in part, denied by reason, mean and median days; scope stated.'),
  'compliance.unified': op('query', z.object({
    /** Only these cases (default: every case with a data-map contract). */
    caseIds: z.array(z.string().trim().min(1).max(100)).max(10_000).optional(),
  }).strict(), UnifiedComplianceSchema, 'The unified-compliance export: one row per matched record and action, one per request (seed 002 columns), as rows and CSV; holds identities (staff only).'),
};
