// Dashboard figures from case rows (pure: rows and "today" passed in). Read in pages from the
// case store by handlers/console.ts.
import type { CaseStatus, CaseType } from '../domain/case';
import { CASE_TYPES, CASE_STATUSES } from '../domain/case';
import type { Dashboard } from './contract/console';

export interface StatRow {
  type: CaseType; status: CaseStatus; receivedAt: string; closedAt: string | null; respondBy: string;
}

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

export function dashboardFrom(rows: Iterable<StatRow>, today: string, year: number, now: Date): Dashboard {
  const weekEnd = addDays(today, 7);
  const byType = new Map(CASE_TYPES.map((t) => [t, { type: t, open: 0, overdue: 0, dueThisWeek: 0 }]));
  const byStatus = new Map(CASE_STATUSES.map((s) => [s, 0]));
  const metric = new Map(CASE_TYPES.map((t) => [t, { received: 0, complied: 0, denied: 0, days: [] as number[] }]));
  const recentClose: number[] = [];
  let open = 0; let overdue = 0; let dueThisWeek = 0;
  const yearAgo = now.getTime() - 365 * DAY;
  for (const r of rows) {
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const t = byType.get(r.type)!;
    if (isOpen(r.status)) {
      open += 1; t.open += 1;
      if (r.respondBy < today) { overdue += 1; t.overdue += 1; } else if (r.respondBy <= weekEnd) { dueThisWeek += 1; t.dueThisWeek += 1; }
    } else if (r.closedAt) {
      const days = (Date.parse(r.closedAt) - Date.parse(r.receivedAt)) / DAY;
      if (Date.parse(r.closedAt) >= yearAgo) recentClose.push(days);
    }
    if (new Date(r.receivedAt).getUTCFullYear() === year) {
      const m = metric.get(r.type)!;
      m.received += 1;
      if (r.status === 'closed') m.complied += 1;
      if (r.status === 'denied') m.denied += 1;
      if (!isOpen(r.status) && r.closedAt) m.days.push((Date.parse(r.closedAt) - Date.parse(r.receivedAt)) / DAY);
    }
  }
  return {
    asOf: today, open, overdue, dueThisWeek,
    medianDaysToClose: round1(median(recentClose)),
    byType: [...byType.values()],
    byStatus: [...byStatus.entries()].map(([status, count]) => ({ status, count })),
    metrics: {
      year,
      rows: CASE_TYPES.map((type) => {
        const m = metric.get(type)!;
        return {
          type, received: m.received, complied: m.complied, denied: m.denied,
          medianDays: round1(median(m.days)),
          meanDays: m.days.length ? round1(m.days.reduce((a, b) => a + b, 0) / m.days.length) : null,
        };
      }),
    },
  };
}
