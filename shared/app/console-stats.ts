// Dashboard figures from case rows (pure: rows and "today" passed in). The §7102 yearly metrics
// are compliance.metrics (shared/domain/compliance-metrics.ts). Rows are read in pages by handlers/console.ts.
import type { CaseStatus, CaseType, Jurisdiction } from '../domain/case';
import { CASE_TYPES, CASE_STATUSES } from '../domain/case';
import type { Dashboard } from './contract/console';

export interface StatRow {
  type: CaseType; status: CaseStatus; jurisdiction: Jurisdiction; receivedAt: string; closedAt: string | null;
  updatedAt: string; respondBy: string;
}

/** The figures; the handler adds when (`at`) and in which zones (`todayByZone`) they were counted. */
export type DashboardFigures = Omit<Dashboard, 'at' | 'todayByZone'>;

const DAY = 86_400_000;
const isOpen = (s: CaseStatus) => s !== 'closed' && s !== 'denied';

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/**
 * `today` is the date the dashboard is "as of"; `todayIn`, when given, is today in each
 * jurisdiction's zone, so a case is overdue or due this week by its own jurisdiction's date (as the
 * queue's overdue filter counts it).
 */
export function dashboardFrom(rows: readonly StatRow[], today: string, year: number, now: Date, todayIn?: Partial<Record<Jurisdiction, string>>): DashboardFigures {
  const byType = new Map(CASE_TYPES.map((t) => [t, { type: t, open: 0, overdue: 0, dueThisWeek: 0 }]));
  const byStatus = new Map(CASE_STATUSES.map((s) => [s, 0]));
  const recentClose: number[] = [];
  let open = 0; let overdue = 0; let dueThisWeek = 0;
  const yearAgo = now.getTime() - 365 * DAY;
  for (const r of rows) {
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const t = byType.get(r.type)!;
    if (isOpen(r.status)) {
      open += 1; t.open += 1;
      const day = todayIn?.[r.jurisdiction] ?? today;
      const weekEnd = addDays(day, 7);
      if (r.respondBy < day) { overdue += 1; t.overdue += 1; } else if (r.respondBy <= weekEnd) { dueThisWeek += 1; t.dueThisWeek += 1; }
    } else {
      const closed = Date.parse(r.closedAt ?? r.updatedAt);
      if (closed >= yearAgo) recentClose.push((closed - Date.parse(r.receivedAt)) / DAY);
    }
  }
  return {
    asOf: today, open, overdue, dueThisWeek,
    medianDaysToClose: round1(median(recentClose)),
    byType: [...byType.values()],
    byStatus: [...byStatus.entries()].map(([status, count]) => ({ status, count })),
    year,
  };
}
