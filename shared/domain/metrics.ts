// CCPA regulations §7102 yearly metrics: per request type, how many were received, complied with in
// whole or in part, and denied (by reason), and the median and mean days to respond. Pure.
import { z } from 'zod';
import {
  CaseTypeSchema, DENIAL_REASONS, DenialReasonSchema, InstantSchema, JurisdictionSchema,
  type CaseType, type DenialReason, type Jurisdiction,
} from './case';
import { daysBetween, localDateInZone } from './deadlines-calendar';
import { rulesFor } from './jurisdiction-rules';

export const METRIC_OUTCOMES = ['complied', 'complied_in_part', 'denied', 'pending'] as const;

/** One request as the metrics need it (no identities). `pending`: received, not yet answered. */
export const MetricsCaseSchema = z.object({
  type: CaseTypeSchema,
  receivedAt: InstantSchema,
  closedAt: InstantSchema.nullable(),
  outcome: z.enum(METRIC_OUTCOMES),
  denialReason: DenialReasonSchema.optional(),
  jurisdiction: JurisdictionSchema.optional(),
}).strict().superRefine((c, ctx) => {
  if (c.outcome === 'pending' && c.closedAt !== null) ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'closedAt: must be null for a pending request' });
  if (c.outcome !== 'pending' && c.closedAt === null) ctx.addIssue({ code: 'custom', path: ['closedAt'], message: `closedAt: required for outcome ${c.outcome}` });
  if (c.outcome !== 'denied' && c.denialReason !== undefined) ctx.addIssue({ code: 'custom', path: ['denialReason'], message: 'denialReason: only for denied requests' });
  if (c.closedAt !== null && Date.parse(c.closedAt) < Date.parse(c.receivedAt)) ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'closedAt: before receivedAt' });
});
export type MetricsCase = z.input<typeof MetricsCaseSchema>;

/** The grounds §7102(a)(2) lets a business disclose for its denials. */
export interface DenialGrounds { notVerifiable: number; notMadeByConsumer: number; exempt: number; other: number }

export interface RequestMetrics {
  received: number;
  /** Complied with in whole or in part (the §7102 figure) = compliedInWhole + compliedInPart. */
  complied: number;
  compliedInWhole: number;
  compliedInPart: number;
  denied: number;
  deniedByReason: Record<DenialReason | 'unspecified', number>;
  deniedByGround: DenialGrounds;
  /** Received in the year, not answered yet. */
  pending: number;
  /** Answered (complied, in part, or denied): the population of the day figures. */
  responded: number;
  /** Calendar days from the day of receipt to the day of the response, in the jurisdiction's zone. */
  medianDays: number | null;
  meanDays: number | null;
}

/** The request categories §7102(a)(1) names (delete_pii is a request to delete). */
export const CCPA_CATEGORIES = ['know', 'delete', 'correct', 'opt_out', 'limit'] as const;
export type CcpaCategory = (typeof CCPA_CATEGORIES)[number];
export const CATEGORY_OF: Readonly<Record<CaseType, CcpaCategory>> = {
  access: 'know', delete: 'delete', delete_pii: 'delete', correct: 'correct', opt_out: 'opt_out', limit: 'limit',
};

export interface MetricsReport {
  year: number;
  /** Which requests were counted: one jurisdiction's, or everyone's (§7102(b) allows either, if said). */
  scope: Jurisdiction | 'all';
  byType: Record<CaseType, RequestMetrics>;
  byCategory: Record<CcpaCategory, RequestMetrics>;
  total: RequestMetrics;
  citation: string;
}

export interface MetricsOptions {
  /** The calendar year whose requests (by local date of receipt) are counted. */
  year: number;
  /** Count only requests of this jurisdiction (rows without one count as CA); default: all rows. */
  jurisdiction?: Jurisdiction;
}

interface Row { type: CaseType; outcome: (typeof METRIC_OUTCOMES)[number]; denialReason?: DenialReason; days: number | null }

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarise(rows: readonly Row[]): RequestMetrics {
  const deniedByReason = Object.fromEntries([...DENIAL_REASONS, 'unspecified'].map((r) => [r, 0])) as Record<DenialReason | 'unspecified', number>;
  const deniedByGround: DenialGrounds = { notVerifiable: 0, notMadeByConsumer: 0, exempt: 0, other: 0 };
  let compliedInWhole = 0, compliedInPart = 0, denied = 0, pending = 0, sum = 0;
  const days: number[] = [];
  for (const r of rows) {
    if (r.outcome === 'pending') { pending += 1; continue; }
    if (r.outcome === 'complied') compliedInWhole += 1;
    else if (r.outcome === 'complied_in_part') compliedInPart += 1;
    else {
      denied += 1;
      deniedByReason[r.denialReason ?? 'unspecified'] += 1;
      if (r.denialReason === 'unverifiable') deniedByGround.notVerifiable += 1;
      else if (r.denialReason === 'exempt') deniedByGround.exempt += 1;
      else deniedByGround.other += 1;
    }
    days.push(r.days as number);
    sum += r.days as number;
  }
  days.sort((a, b) => a - b);
  return {
    received: rows.length,
    complied: compliedInWhole + compliedInPart,
    compliedInWhole, compliedInPart, denied, deniedByReason, deniedByGround, pending,
    responded: days.length,
    medianDays: median(days),
    meanDays: days.length ? sum / days.length : null,
  };
}

/**
 * The §7102 metrics of the requests received in `year`. Validates every row (zod); a bad row throws
 * a RangeError naming its index and field, e.g. "cases[3].closedAt: required for outcome denied".
 */
export function ccpaMetrics(cases: readonly MetricsCase[], options: MetricsOptions): MetricsReport {
  const { year } = options;
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw new RangeError(`year: must be a calendar year (got ${year})`);
  const parsed = z.array(MetricsCaseSchema).safeParse(cases);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index, ...path] = issue.path;
    const last = String(path[path.length - 1] ?? '');
    const message = last && issue.message.startsWith(`${last}: `) ? issue.message.slice(last.length + 2) : issue.message;
    throw new RangeError(`cases[${String(index)}]${path.length ? '.' + path.join('.') : ''}: ${message}`);
  }
  const prefix = `${year}-`;
  const rows: Row[] = [];
  for (const c of parsed.data) {
    const j = c.jurisdiction ?? 'CA';
    if (options.jurisdiction && j !== options.jurisdiction) continue;
    const zone = rulesFor(j).timeZone;
    const received = localDateInZone(c.receivedAt, zone, 'receivedAt');
    if (!received.startsWith(prefix)) continue;
    const days = c.closedAt === null ? null : daysBetween(received, localDateInZone(c.closedAt, zone, 'closedAt'));
    rows.push({ type: c.type, outcome: c.outcome, denialReason: c.denialReason, days });
  }
  const pick = (f: (r: Row) => boolean) => summarise(rows.filter(f));
  return {
    year,
    scope: options.jurisdiction ?? 'all',
    byType: Object.fromEntries(CaseTypeSchema.options.map((t) => [t, pick((r) => r.type === t)])) as Record<CaseType, RequestMetrics>,
    byCategory: Object.fromEntries(CCPA_CATEGORIES.map((k) => [k, pick((r) => CATEGORY_OF[r.type] === k)])) as Record<CcpaCategory, RequestMetrics>,
    total: summarise(rows),
    citation: '11 CCR §7102(a)(1)(A)-(F) (requests to delete, correct, know, opt-out of sale/sharing and limit: received, complied with in whole or in part, denied; median or mean days to respond); §7102(a)(2) (denials may be broken down: not verifiable, not made by a consumer, exempt, other grounds); §7102(b) (all individuals instead of California consumers, if so stated)',
  };
}
