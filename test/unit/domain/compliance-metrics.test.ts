// §7102 figures over a generated year of requests (issue 14 item 4). The expected figures are
// worked out by hand in the comments: withdrawn is not a denial, delete + delete_pii are one
// right, "in part" is a closure with rows kept as exempt, scope by jurisdiction and by the local
// date of receipt (a request late on 31 December UTC may be the 30th in California).
import { describe, expect, it } from 'vitest';
import { complianceMetrics, metricsCsv, type ComplianceCase } from '../../../shared/domain/compliance-metrics';
import type { CaseType, DenialReason, Jurisdiction } from '../../../shared/domain/case';

function c(type: CaseType, jurisdiction: Jurisdiction, receivedAt: string, end: null | { at: string; denied?: DenialReason; part?: boolean }): ComplianceCase {
  return {
    type, jurisdiction, receivedAt,
    status: end === null ? 'in_review' : end.denied ? 'denied' : 'closed',
    closedAt: end?.at ?? null, denialReason: end?.denied ?? null, refusedInPart: end?.part ?? false,
  };
}

const CASES: ComplianceCase[] = [
  // know (CA): whole 10 d, part 30 d, denied unverifiable 2 d, withdrawn, pending (received 23:30 on 30 Dec in CA), one of 2025
  c('access', 'CA', '2026-01-05T18:00:00Z', { at: '2026-01-15T18:00:00Z' }),
  c('access', 'CA', '2026-03-01T20:00:00Z', { at: '2026-03-31T20:00:00Z', part: true }),
  c('access', 'CA', '2026-06-10T18:00:00Z', { at: '2026-06-12T18:00:00Z', denied: 'unverifiable' }),
  c('access', 'CA', '2026-07-01T18:00:00Z', { at: '2026-07-03T18:00:00Z', denied: 'withdrawn' }),
  c('access', 'CA', '2026-12-31T07:30:00Z', null),
  c('access', 'CA', '2026-01-01T05:00:00Z', { at: '2026-01-02T18:00:00Z' }), // 31 Dec 2025 in California: not counted
  // delete (CA): delete whole 18 d, delete_pii whole 30 d, denied exempt 5 d, delete_pii denied duplicate 1 d, withdrawn
  c('delete', 'CA', '2026-02-02T18:00:00Z', { at: '2026-02-20T18:00:00Z' }),
  c('delete_pii', 'CA', '2026-04-01T18:00:00Z', { at: '2026-05-01T18:00:00Z' }),
  c('delete', 'CA', '2026-05-05T18:00:00Z', { at: '2026-05-10T18:00:00Z', denied: 'exempt' }),
  c('delete_pii', 'CA', '2026-08-01T18:00:00Z', { at: '2026-08-02T18:00:00Z', denied: 'duplicate' }),
  c('delete', 'CA', '2026-08-05T18:00:00Z', { at: '2026-08-06T18:00:00Z', denied: 'withdrawn' }),
  // correct 15 d; opt-out 0 d and 2 d; no limit request
  c('correct', 'CA', '2026-09-01T18:00:00Z', { at: '2026-09-16T18:00:00Z' }),
  c('opt_out', 'CA', '2026-10-01T18:00:00Z', { at: '2026-10-01T19:00:00Z' }),
  c('opt_out', 'CA', '2026-10-02T18:00:00Z', { at: '2026-10-04T18:00:00Z' }),
  // Virginia: a deletion denied unverifiable in 10 days; an access received 22:00 on 31 Dec in New York (pending); one of 2027
  c('delete', 'VA', '2026-03-03T15:00:00Z', { at: '2026-03-13T15:00:00Z', denied: 'unverifiable' }),
  c('access', 'VA', '2027-01-01T03:00:00Z', null),
  c('access', 'VA', '2027-01-01T06:00:00Z', null),
];

describe('complianceMetrics (§7102)', () => {
  it('California only: one row per right, withdrawn apart, delete + delete_pii together', () => {
    const m = complianceMetrics(CASES, { year: 2026, jurisdiction: 'CA' });
    expect(m.scope).toMatchObject({ year: 2026, jurisdiction: 'CA', from: '2026-01-01', to: '2026-12-31' });
    expect(m.scope.counts).toContain('Withdrawn requests are neither complied with nor denied');
    const row = (r: string) => m.rows.find((x) => x.right === r)!;
    expect(m.rows.map((r) => r.right)).toEqual(['know', 'delete', 'correct', 'opt_out', 'limit']);
    // know: 5 received; days 2, 10, 30: mean 14, median 10
    expect(row('know')).toEqual({
      right: 'know', types: ['access'], received: 5, compliedInWhole: 1, compliedInPart: 1, denied: 1,
      deniedByReason: { unverifiable: 1, exempt: 0, duplicate: 0 }, withdrawn: 1, pending: 1, meanDays: 14, medianDays: 10,
    });
    // delete: 5 received; days 1, 5, 18, 30: mean 13.5, median (5 + 18) / 2 = 11.5
    expect(row('delete')).toEqual({
      right: 'delete', types: ['delete', 'delete_pii'], received: 5, compliedInWhole: 2, compliedInPart: 0, denied: 2,
      deniedByReason: { unverifiable: 0, exempt: 1, duplicate: 1 }, withdrawn: 1, pending: 0, meanDays: 13.5, medianDays: 11.5,
    });
    expect(row('correct')).toMatchObject({ received: 1, compliedInWhole: 1, meanDays: 15, medianDays: 15 });
    // opt-out: days 0 and 2: mean 1, median 1
    expect(row('opt_out')).toMatchObject({ received: 2, compliedInWhole: 2, denied: 0, meanDays: 1, medianDays: 1 });
    expect(row('limit')).toMatchObject({ received: 0, compliedInWhole: 0, denied: 0, meanDays: null, medianDays: null });
    // total: 13 received; days 2,10,30,18,30,5,1,15,0,2 = 113 / 10 = 11.3; sorted 0,1,2,2,5,10,15,18,30,30: median 7.5
    expect(m.total).toMatchObject({ received: 13, compliedInWhole: 6, compliedInPart: 1, denied: 3, withdrawn: 2, pending: 1, meanDays: 11.3, medianDays: 7.5 });
  });

  it('every jurisdiction: Virginia counted by its own local date of receipt', () => {
    const m = complianceMetrics(CASES, { year: 2026 });
    expect(m.scope.jurisdiction).toBe('all');
    expect(m.scope.counts).toContain('all individuals');
    const row = (r: string) => m.rows.find((x) => x.right === r)!;
    // know: + the VA access of 31 Dec (New York) pending; the one of 1 Jan 2027 not counted
    expect(row('know')).toMatchObject({ received: 6, pending: 2 });
    // delete: + VA denied unverifiable in 10 days: days 1, 5, 10, 18, 30: mean 12.8, median 10
    expect(row('delete')).toMatchObject({ received: 6, denied: 3, deniedByReason: { unverifiable: 1, exempt: 1, duplicate: 1 }, meanDays: 12.8, medianDays: 10 });
    expect(complianceMetrics(CASES, { year: 2026, jurisdiction: 'VA' }).total).toMatchObject({ received: 2, denied: 1, pending: 1 });
    expect(complianceMetrics(CASES, { year: 2025, jurisdiction: 'CA' }).total).toMatchObject({ received: 1, compliedInWhole: 1 });
  });

  it('CSV ready to publish, the scope on every row', () => {
    const csv = metricsCsv(complianceMetrics(CASES, { year: 2026, jurisdiction: 'CA' }));
    expect(csv.split('\r\n')).toEqual([
      'year,jurisdiction,right,received,complied_in_whole,complied_in_part,denied,denied_unverifiable,denied_exempt,denied_duplicate,withdrawn,pending,mean_days,median_days',
      '2026,CA,know,5,1,1,1,1,0,0,1,1,14,10',
      '2026,CA,delete,5,2,0,2,0,1,1,1,0,13.5,11.5',
      '2026,CA,correct,1,1,0,0,0,0,0,0,0,15,15',
      '2026,CA,opt_out,2,2,0,0,0,0,0,0,0,1,1',
      '2026,CA,limit,0,0,0,0,0,0,0,0,0,,',
      '',
    ]);
  });

  it('refuses a year that is not one', () => {
    expect(() => complianceMetrics([], { year: 26.5 })).toThrow(/year: must be a calendar year/u);
  });
});
