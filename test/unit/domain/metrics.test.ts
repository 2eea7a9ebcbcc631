// CCPA regs §7102 yearly metrics.
import { describe, it, expect } from 'vitest';
import { ccpaMetrics, type MetricsCase } from '../../../shared/domain/metrics';

const c = (type: MetricsCase['type'], receivedAt: string, closedAt: string | null, outcome: MetricsCase['outcome'], extra: Partial<MetricsCase> = {}): MetricsCase =>
  ({ type, receivedAt, closedAt, outcome, ...extra });

// Times are noon-ish Pacific unless a row says otherwise.
const CASES: MetricsCase[] = [
  c('access', '2026-01-05T20:00:00Z', '2026-01-15T20:00:00Z', 'complied'), // 10 days
  c('access', '2026-02-01T20:00:00Z', '2026-03-18T20:00:00Z', 'complied_in_part'), // 45 days
  c('access', '2026-03-01T20:00:00Z', '2026-03-05T20:00:00Z', 'denied', { denialReason: 'unverifiable' }), // 4 days
  c('access', '2026-12-30T20:00:00Z', null, 'pending'),
  c('delete', '2026-04-01T19:00:00Z', '2026-04-21T19:00:00Z', 'complied'), // 20
  c('delete_pii', '2026-04-01T19:00:00Z', '2026-04-11T19:00:00Z', 'complied'), // 10
  c('delete', '2026-05-01T19:00:00Z', '2026-05-31T19:00:00Z', 'denied', { denialReason: 'exempt' }), // 30
  c('delete', '2026-06-01T19:00:00Z', '2026-06-02T19:00:00Z', 'denied', { denialReason: 'withdrawn' }), // 1
  c('delete', '2026-06-01T19:00:00Z', '2026-06-03T19:00:00Z', 'denied'), // 2, no reason given
  c('opt_out', '2026-07-01T19:00:00Z', '2026-07-01T23:00:00Z', 'complied'), // 0
  c('opt_out', '2026-07-02T19:00:00Z', '2026-07-05T19:00:00Z', 'complied'), // 3
  // Received 23:30 PST on 2025-12-31 (already 2026 in UTC): a 2025 request, not counted.
  c('access', '2026-01-01T07:30:00Z', '2026-01-10T20:00:00Z', 'complied'),
  // Received 2026-12-31 at 23:00 PST (2027 in UTC): a 2026 request, answered in 2027 after 6 days.
  c('correct', '2027-01-01T07:00:00Z', '2027-01-06T20:00:00Z', 'complied'),
];

describe('ccpaMetrics', () => {
  const report = ccpaMetrics(CASES, { year: 2026 });

  it('counts received / complied (whole, part) / denied per request type', () => {
    expect(report.byType.access).toMatchObject({
      received: 4, complied: 2, compliedInWhole: 1, compliedInPart: 1, denied: 1, pending: 1, responded: 3,
    });
    expect(report.byType.delete).toMatchObject({ received: 4, complied: 1, denied: 3, responded: 4 });
    expect(report.byType.delete_pii).toMatchObject({ received: 1, complied: 1, denied: 0 });
    expect(report.byType.opt_out).toMatchObject({ received: 2, complied: 2, denied: 0 });
    expect(report.byType.correct).toMatchObject({ received: 1, complied: 1 });
    expect(report.byType.limit).toMatchObject({ received: 0, complied: 0, denied: 0, responded: 0, medianDays: null, meanDays: null });
  });

  it('denials by reason and by the §7102(a)(2) grounds', () => {
    expect(report.byType.delete.deniedByReason).toEqual({ unverifiable: 0, exempt: 1, duplicate: 0, withdrawn: 1, unspecified: 1 });
    expect(report.byType.delete.deniedByGround).toEqual({ notVerifiable: 0, notMadeByConsumer: 0, exempt: 1, other: 2 });
    expect(report.byType.access.deniedByGround).toEqual({ notVerifiable: 1, notMadeByConsumer: 0, exempt: 0, other: 0 });
  });

  it('median and mean calendar days to respond, pending requests left out', () => {
    expect(report.byType.access.medianDays).toBe(10); // 4, 10, 45
    expect(report.byType.access.meanDays).toBeCloseTo(59 / 3, 10);
    expect(report.byType.delete.medianDays).toBe(11); // 1, 2, 20, 30 -> (2 + 20) / 2
    expect(report.byType.delete.meanDays).toBe(53 / 4);
    expect(report.byType.opt_out.medianDays).toBe(1.5); // 0, 3
    expect(report.byType.correct.medianDays).toBe(6);
  });

  it('§7102 categories: delete_pii counts as a request to delete', () => {
    expect(report.byCategory.delete).toMatchObject({ received: 5, complied: 2, denied: 3, medianDays: 10 }); // 1, 2, 10, 20, 30
    expect(report.byCategory.know).toEqual(report.byType.access);
    expect(Object.keys(report.byCategory)).toEqual(['know', 'delete', 'correct', 'opt_out', 'limit']);
    expect(report.total).toMatchObject({ received: 12, complied: 7, denied: 4, pending: 1, responded: 11 });
    expect(report.year).toBe(2026);
    expect(report.scope).toBe('all');
    expect(report.citation).toContain('§7102');
  });

  it('the year is read from the local date of receipt', () => {
    const y2025 = ccpaMetrics(CASES, { year: 2025 });
    expect(y2025.total).toMatchObject({ received: 1, complied: 1, medianDays: 10 });
    expect(ccpaMetrics(CASES, { year: 2027 }).total.received).toBe(0);
  });

  it('can be limited to one jurisdiction (rows without one are California)', () => {
    const mixed = [
      ...CASES,
      c('access', '2026-01-10T10:00:00Z', '2026-02-10T10:00:00Z', 'complied', { jurisdiction: 'EU' }),
      c('access', '2026-01-10T10:00:00Z', '2026-01-20T10:00:00Z', 'complied', { jurisdiction: 'CA' }),
    ];
    expect(ccpaMetrics(mixed, { year: 2026, jurisdiction: 'CA' }).byType.access.received).toBe(5);
    const eu = ccpaMetrics(mixed, { year: 2026, jurisdiction: 'EU' });
    expect(eu.scope).toBe('EU');
    expect(eu.byType.access).toMatchObject({ received: 1, complied: 1, medianDays: 31 });
    expect(ccpaMetrics(mixed, { year: 2026 }).total.received).toBe(14);
  });

  it('an empty year is all zeros and nulls', () => {
    const r = ccpaMetrics([], { year: 2026 });
    expect(r.total).toEqual({
      received: 0, complied: 0, compliedInWhole: 0, compliedInPart: 0, denied: 0,
      deniedByReason: { unverifiable: 0, exempt: 0, duplicate: 0, withdrawn: 0, unspecified: 0 },
      deniedByGround: { notVerifiable: 0, notMadeByConsumer: 0, exempt: 0, other: 0 },
      pending: 0, responded: 0, medianDays: null, meanDays: null,
    });
  });

  it('refuses bad rows, naming the row and field', () => {
    const bad = (row: unknown) => () => ccpaMetrics([CASES[0], row as MetricsCase], { year: 2026 });
    expect(bad({ ...CASES[0], closedAt: null })).toThrow('cases[1].closedAt: required for outcome complied');
    expect(bad({ ...CASES[3], closedAt: '2026-12-31T10:00:00Z' })).toThrow('cases[1].closedAt: must be null for a pending request');
    expect(bad({ ...CASES[0], denialReason: 'exempt' })).toThrow('cases[1].denialReason: only for denied requests');
    expect(bad({ ...CASES[0], closedAt: '2025-01-01T00:00:00Z' })).toThrow('cases[1].closedAt: before receivedAt');
    expect(bad({ ...CASES[0], type: 'wish' })).toThrow(/^cases\[1\]\.type: /u);
    expect(bad({ ...CASES[0], receivedAt: '2026-01-05' })).toThrow(/^cases\[1\]\.receivedAt: /u);
    expect(bad({ ...CASES[0], email: 'x@example.com' })).toThrow(/^cases\[1\]/u);
    expect(() => ccpaMetrics([], { year: 26.5 })).toThrow(/year/u);
  });
});
