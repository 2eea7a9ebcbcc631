// The figures 11 CCR §7102 asks a business to publish (issue 14 item 4): for one calendar year, one
// row per right (know, delete, correct, opt-out, limit), with the requests received, complied with
// in whole, complied with in part, denied (by reason) and the mean and median days to respond.
// What counts, said with the figures (the scope): a request counts in the year of its local date of
// receipt (in its jurisdiction's zone); delete and delete_pii are both requests to delete; a
// request the consumer withdrew is neither complied with nor denied (counted as withdrawn, outside
// the days figures); one still open is pending; "in part" is a request answered with something
// refused (records kept under an exemption, or the categories report instead of the specific
// pieces asked for: 11 CCR §7024(c)). Days: calendar days from the local date of receipt to
// the local date of the response. Pure: the rows are passed in.
import type { CaseStatus, CaseType, DenialReason, Jurisdiction } from './case';
import { daysBetween, localDateInZone } from './deadlines-calendar';
import { rulesFor } from './jurisdiction-rules';

export const RIGHTS = ['know', 'delete', 'correct', 'opt_out', 'limit'] as const;
export type Right = (typeof RIGHTS)[number];
export const RIGHT_OF: Readonly<Record<CaseType, Right>> = {
  access: 'know', delete: 'delete', delete_pii: 'delete', correct: 'correct', opt_out: 'opt_out', limit: 'limit',
};
export const RIGHT_LABEL: Readonly<Record<Right, string>> = {
  know: 'Request to know', delete: 'Request to delete', correct: 'Request to correct', opt_out: 'Request to opt out of sale/sharing', limit: 'Request to limit use of sensitive personal information',
};
/** The grounds of a denial (withdrawn is not one). */
export const DENIAL_GROUNDS = ['unverifiable', 'exempt', 'duplicate'] as const;
export type DenialGround = (typeof DENIAL_GROUNDS)[number];

export interface ComplianceCase {
  type: CaseType;
  jurisdiction: Jurisdiction;
  status: CaseStatus;
  receivedAt: string;
  /** When the response went out (closed or denied); null while open. */
  closedAt: string | null;
  denialReason: DenialReason | null;
  /** Closed with something refused (rows kept as exempt): complied with in part. */
  refusedInPart: boolean;
}

export interface RightFigures {
  right: Right;
  /** The case types counted under this right. */
  types: CaseType[];
  received: number;
  compliedInWhole: number;
  compliedInPart: number;
  denied: number;
  deniedByReason: Record<DenialGround, number>;
  withdrawn: number;
  pending: number;
  /** Calendar days to respond over the requests answered (complied in whole or part, or denied); null when none. Rounded to 0.1. */
  meanDays: number | null;
  medianDays: number | null;
}

export interface ComplianceScope {
  year: number;
  /** One jurisdiction's requests, or every jurisdiction's ('all'). */
  jurisdiction: Jurisdiction | 'all';
  from: string;
  to: string;
  /** What counts, in words, to publish with the figures. */
  counts: string;
}

export interface ComplianceMetrics { scope: ComplianceScope; rows: RightFigures[]; total: Omit<RightFigures, 'right' | 'types'>; citation: string }

export const METRICS_CITATION = '11 CCR §7102(a)(1) (requests to know, delete, correct, opt-out and limit: received, complied with in whole or in part, denied; median or mean days to respond), §7102(a)(2) (denials by ground), §7102(b) (figures of all individuals allowed if so stated)';

type Outcome = 'whole' | 'part' | 'denied' | 'withdrawn' | 'pending';

export function outcomeOf(c: Pick<ComplianceCase, 'status' | 'denialReason' | 'refusedInPart'>): Outcome {
  if (c.status === 'denied') return c.denialReason === 'withdrawn' ? 'withdrawn' : 'denied';
  if (c.status === 'closed') return c.refusedInPart ? 'part' : 'whole';
  return 'pending';
}

function median(sorted: readonly number[]): number | null {
  if (!sorted.length) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

function figures(rows: ReadonlyArray<{ outcome: Outcome; reason: DenialReason | null; days: number | null }>): Omit<RightFigures, 'right' | 'types'> {
  const deniedByReason: Record<DenialGround, number> = { unverifiable: 0, exempt: 0, duplicate: 0 };
  const f = { received: rows.length, compliedInWhole: 0, compliedInPart: 0, denied: 0, withdrawn: 0, pending: 0 };
  const days: number[] = [];
  for (const r of rows) {
    if (r.outcome === 'whole') f.compliedInWhole += 1;
    else if (r.outcome === 'part') f.compliedInPart += 1;
    else if (r.outcome === 'denied') { f.denied += 1; if (r.reason && r.reason !== 'withdrawn') deniedByReason[r.reason] += 1; }
    else if (r.outcome === 'withdrawn') f.withdrawn += 1;
    else f.pending += 1;
    if ((r.outcome === 'whole' || r.outcome === 'part' || r.outcome === 'denied') && r.days !== null) days.push(r.days);
  }
  days.sort((a, b) => a - b);
  return { ...f, deniedByReason, meanDays: round1(days.length ? days.reduce((s, d) => s + d, 0) / days.length : null), medianDays: round1(median(days)) };
}

/** The §7102 figures of the requests received in `year` (optionally of one jurisdiction). */
export function complianceMetrics(cases: readonly ComplianceCase[], options: { year: number; jurisdiction?: Jurisdiction }): ComplianceMetrics {
  const { year } = options;
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw new RangeError(`year: must be a calendar year (got ${year})`);
  const prefix = `${year}-`;
  const counted: Array<{ right: Right; outcome: Outcome; reason: DenialReason | null; days: number | null }> = [];
  for (const c of cases) {
    if (options.jurisdiction && c.jurisdiction !== options.jurisdiction) continue;
    const zone = rulesFor(c.jurisdiction).timeZone;
    const received = localDateInZone(c.receivedAt, zone, 'receivedAt');
    if (!received.startsWith(prefix)) continue;
    const outcome = outcomeOf(c);
    const days = c.closedAt && outcome !== 'pending' ? daysBetween(received, localDateInZone(c.closedAt, zone, 'closedAt')) : null;
    counted.push({ right: RIGHT_OF[c.type], outcome, reason: c.denialReason, days });
  }
  const j = options.jurisdiction ?? 'all';
  return {
    scope: {
      year, jurisdiction: j, from: `${year}-01-01`, to: `${year}-12-31`,
      counts: `Requests ${j === 'all' ? 'of every jurisdiction (all individuals, §7102(b))' : `of ${rulesFor(j).name} (${j}) only`} received from ${year}-01-01 to ${year}-12-31 (the local date of receipt in each request's jurisdiction). `
        + 'Delete counts requests to delete and to remove personal details (delete and delete_pii). Complied with in part: answered with records kept under an exemption, or with the categories report instead of the specific pieces asked for. '
        + 'Withdrawn requests are neither complied with nor denied and are not in the days figures; pending requests are not answered yet. '
        + 'Days: calendar days from the day of receipt to the day of the response, mean and median, rounded to 0.1.',
    },
    rows: RIGHTS.map((right) => ({
      right, types: (Object.keys(RIGHT_OF) as CaseType[]).filter((t) => RIGHT_OF[t] === right),
      ...figures(counted.filter((r) => r.right === right)),
    })),
    total: figures(counted),
    citation: METRICS_CITATION,
  };
}

export const METRICS_CSV_COLUMNS = [
  'year', 'jurisdiction', 'right', 'received', 'complied_in_whole', 'complied_in_part', 'denied',
  'denied_unverifiable', 'denied_exempt', 'denied_duplicate', 'withdrawn', 'pending', 'mean_days', 'median_days',
] as const;

/** The figures as CSV ready to publish: one row per right, the scope (year, jurisdiction) on each row. */
export function metricsCsv(m: ComplianceMetrics): string {
  const cell = (v: string | number | null) => (v === null ? '' : String(v));
  const lines = [METRICS_CSV_COLUMNS.join(',')];
  for (const r of m.rows) {
    lines.push([m.scope.year, m.scope.jurisdiction, r.right, r.received, r.compliedInWhole, r.compliedInPart, r.denied,
      r.deniedByReason.unverifiable, r.deniedByReason.exempt, r.deniedByReason.duplicate, r.withdrawn, r.pending, r.meanDays, r.medianDays].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
