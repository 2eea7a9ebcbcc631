import { describe, it, expect } from 'vitest';
import { addDays, dashboardFrom, median, type StatRow } from '../../../shared/app/console-stats';

const row = (p: Partial<StatRow>): StatRow => ({
  type: 'delete', status: 'verifying', jurisdiction: 'CA', receivedAt: '2026-11-01T17:00:00Z', closedAt: null,
  updatedAt: '2026-11-01T17:00:00Z', respondBy: '2026-12-16', ...p,
});

describe('dashboard figures', () => {
  const now = new Date('2026-11-23T18:00:00Z');
  it('counts open, overdue and due this week per type', () => {
    const d = dashboardFrom([
      row({ respondBy: '2026-11-20' }),
      row({ type: 'access', respondBy: '2026-11-25' }),
      row({ type: 'access', respondBy: '2026-12-30' }),
      row({ status: 'closed', closedAt: '2026-11-10T17:00:00Z', respondBy: '2026-11-01' }),
    ], '2026-11-23', 2026, now);
    expect(d).toMatchObject({ open: 3, overdue: 1, dueThisWeek: 1, asOf: '2026-11-23' });
    expect(d.byType.find((t) => t.type === 'delete')).toEqual({ type: 'delete', open: 1, overdue: 1, dueThisWeek: 0 });
    expect(d.byType.find((t) => t.type === 'access')).toEqual({ type: 'access', open: 2, overdue: 0, dueThisWeek: 1 });
    expect(d.byStatus.find((s) => s.status === 'closed')!.count).toBe(1);
    expect(d.medianDaysToClose).toBe(9);
  });

  it('counts overdue and due this week by each case\'s own jurisdiction date when given', () => {
    // 00:30 in Brussels on 24 November, still the 23rd in California.
    const rows = [row({ jurisdiction: 'EU', respondBy: '2026-11-23' }), row({ jurisdiction: 'CA', respondBy: '2026-11-23' }), row({ jurisdiction: 'EU', respondBy: '2026-12-01' })];
    expect(dashboardFrom(rows, '2026-11-23', 2026, now)).toMatchObject({ overdue: 0, dueThisWeek: 2 });
    // The EU week also runs a day later: 1 December is inside it.
    expect(dashboardFrom(rows, '2026-11-23', 2026, now, { CA: '2026-11-23', EU: '2026-11-24' })).toMatchObject({ overdue: 1, dueThisWeek: 2 });
  });

  it('names the year its §7102 figures (compliance.metrics) default to, and no older metrics', () => {
    const d = dashboardFrom([row({ status: 'closed', receivedAt: '2026-03-01T17:00:00Z', closedAt: '2026-03-11T17:00:00Z' })], '2026-11-23', 2026, now);
    expect(d.year).toBe(2026);
    expect(d).not.toHaveProperty('metrics');
  });

  it('has helpers that behave at the edges', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(addDays('2026-12-30', 7)).toBe('2027-01-06');
  });
});
