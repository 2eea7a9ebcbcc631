// Every comprehensive US state privacy law in force by 2027, and the appeal clocks, table-driven
// with real dates (expected values worked out by hand: Nov 20 + 45 = Jan 4, + 60 = Jan 19, + 90 = Feb 18).
import { describe, it, expect } from 'vitest';
import { CASE_TYPES, JURISDICTIONS, type Jurisdiction } from '../../../shared/domain/case';
import { canExtend, computeDeadlines } from '../../../shared/domain/deadlines';
import { rulesFor } from '../../../shared/domain/jurisdiction-rules';
import { appealDeadlines, canExtendAppeal, mayAppeal, refusal } from '../../../shared/domain/appeals';

// jurisdiction, effective, respond (received 2026-11-20 noon local), extended respond,
// appeal days, appeal extension days (0: none; null: no appeal), universal opt-out signal from
const STATES: Array<[Jurisdiction, string, string, string, number | null, number, string | null]> = [
  ['CA', '2020-01-01', '2027-01-04', '2027-02-18', null, 0, '2023-01-01'],
  ['VA', '2023-01-01', '2027-01-04', '2027-02-18', 60, 0, null],
  ['CO', '2023-07-01', '2027-01-04', '2027-02-18', 45, 60, '2024-07-01'],
  ['CT', '2023-07-01', '2027-01-04', '2027-02-18', 60, 0, '2025-01-01'],
  ['UT', '2023-12-31', '2027-01-04', '2027-02-18', null, 0, null],
  ['TX', '2024-07-01', '2027-01-04', '2027-02-18', 60, 0, '2025-01-01'],
  ['FL', '2024-07-01', '2027-01-04', '2027-01-19', 60, 0, null],
  ['OR', '2024-07-01', '2027-01-04', '2027-02-18', 45, 60, '2026-01-01'],
  ['MT', '2024-10-01', '2027-01-04', '2027-02-18', 60, 0, '2025-01-01'],
  ['IA', '2025-01-01', '2027-02-18', '2027-04-04', 60, 0, null],
  ['DE', '2025-01-01', '2027-01-04', '2027-02-18', 60, 0, '2026-01-01'],
  ['NE', '2025-01-01', '2027-01-04', '2027-02-18', 60, 0, null],
  ['NH', '2025-01-01', '2027-01-04', '2027-02-18', 60, 0, '2025-01-01'],
  ['NJ', '2025-01-15', '2027-01-04', '2027-02-18', 45, 0, '2025-07-15'],
  ['TN', '2025-07-01', '2027-01-04', '2027-02-18', 60, 0, null],
  ['MN', '2025-07-31', '2027-01-04', '2027-02-18', 45, 60, '2025-07-31'],
  ['MD', '2025-10-01', '2027-01-04', '2027-02-18', 60, 0, '2025-10-01'],
  ['IN', '2026-01-01', '2027-01-04', '2027-02-18', 60, 0, null],
  ['KY', '2026-01-01', '2027-01-04', '2027-02-18', 60, 0, null],
  ['RI', '2026-01-01', '2027-01-04', '2027-02-18', 60, 0, null],
];

const noonUtc: Record<string, string> = {
  'America/Los_Angeles': '2026-11-20T20:00:00Z', 'America/Denver': '2026-11-20T19:00:00Z',
  'America/Chicago': '2026-11-20T18:00:00Z', 'America/New_York': '2026-11-20T17:00:00Z',
  'America/Indiana/Indianapolis': '2026-11-20T17:00:00Z',
};

describe('every comprehensive US state privacy law in force by 2027', () => {
  it('the table covers every US jurisdiction of the product', () => {
    expect(STATES.map((r) => r[0]).sort()).toEqual(JURISDICTIONS.filter((j) => j !== 'EU' && j !== 'UK').sort());
  });

  it.each(STATES)('%s', (j, effective, respond, extended, appealDays, appealExt, signalFrom) => {
    const r = rulesFor(j);
    expect(r.effective).toBe(effective);
    const receivedAt = noonUtc[r.timeZone]!;
    for (const type of (j === 'CA' ? ['access', 'delete', 'delete_pii', 'correct'] as const : CASE_TYPES)) {
      const d = computeDeadlines({ jurisdiction: j, type, receivedAt, extended: false, pauses: [] });
      expect(d.respond, `${j}/${type}`).toBe(respond);
      expect(computeDeadlines({ jurisdiction: j, type, receivedAt, extended: true, pauses: [] }).respond, `${j}/${type} extended`).toBe(extended);
      expect(r.byType[type].citation.length).toBeGreaterThan(20);
    }
    if (appealDays === null) {
      expect(r.appeal).toBeNull();
      expect(r.appealCitation).toMatch(/no (right to )?appeal/u);
      expect(mayAppeal({ jurisdiction: j, status: 'denied', denialReason: 'exempt', refusedInPart: false }).ok).toBe(false);
    } else {
      expect(r.appeal!.respond).toEqual({ unit: 'calendar_days', n: appealDays });
      expect(r.appeal!.extension).toEqual(appealExt ? { unit: 'calendar_days', n: appealExt } : null);
      expect(r.appeal!.attorneyGeneral.office.length).toBeGreaterThan(10);
      expect(r.appeal!.attorneyGeneral.website).toMatch(/^https:\/\//u);
      expect(r.appeal!.citation).toMatch(/Attorney General|Division of Consumer Affairs|Department of Legal Affairs/u);
    }
    expect(r.optOutSignal.required).toBe(signalFrom !== null);
    expect(r.optOutSignal.from).toBe(signalFrom);
    expect(r.optOutSignal.citation.length).toBeGreaterThan(20);
  });

  it('Florida: 45 days, one extension of 15 (Fla. Stat. §501.706), refused after day 45', () => {
    const input = { jurisdiction: 'FL' as const, type: 'access' as const, receivedAt: '2026-11-20T17:00:00Z', extended: false, pauses: [] };
    expect(rulesFor('FL').byType.access.citation).toMatch(/§501\.706/u);
    expect(canExtend(input, new Date('2027-01-04T20:00:00Z'))).toEqual({ ok: true }); // day 45, Eastern
    expect(canExtend(input, new Date('2027-01-05T15:00:00Z')).ok).toBe(false);
    expect(canExtend({ ...input, extended: true }, new Date('2026-12-01T15:00:00Z')).ok).toBe(false);
  });
});

describe('appeal answer deadlines, counted from the receipt of the appeal', () => {
  // received 2027-03-01: + 45 = Apr 15, + 60 = Apr 30, + 105 = Jun 14.
  const rows: Array<[Jurisdiction, string, string, string | null]> = [
    ['VA', '2027-03-01', '2027-04-30', null],
    ['CO', '2027-03-01', '2027-04-15', '2027-06-14'],
    ['CT', '2027-03-01', '2027-04-30', null],
    ['TX', '2027-03-01', '2027-04-30', null],
    ['OR', '2027-03-01', '2027-04-15', '2027-06-14'],
    ['MN', '2027-03-01', '2027-04-15', '2027-06-14'],
    ['NJ', '2027-03-01', '2027-04-15', null],
    ['FL', '2027-03-01', '2027-04-30', null],
    ['IA', '2027-03-01', '2027-04-30', null],
    // leap year: 2028-01-15 + 45 = Feb 29
    ['CO', '2028-01-15', '2028-02-29', '2028-04-29'],
  ];
  it.each(rows)('%s appeal received %s', (j, receivedOn, respond, extended) => {
    expect(appealDeadlines({ jurisdiction: j, receivedOn, extended: false })).toEqual({ respond, respondOriginal: respond });
    if (extended) {
      expect(appealDeadlines({ jurisdiction: j, receivedOn, extended: true })).toEqual({ respond: extended, respondOriginal: respond });
      expect(canExtendAppeal({ jurisdiction: j, receivedOn, extended: false }, respond)).toEqual({ ok: true });
      expect(canExtendAppeal({ jurisdiction: j, receivedOn, extended: false }, extended).ok).toBe(false);
      expect(canExtendAppeal({ jurisdiction: j, receivedOn, extended: true }, receivedOn).ok).toBe(false);
    } else {
      expect(appealDeadlines({ jurisdiction: j, receivedOn, extended: true }).respond).toBe(respond);
      expect(canExtendAppeal({ jurisdiction: j, receivedOn, extended: false }, receivedOn)).toMatchObject({ ok: false, reason: expect.stringMatching(/no extension/u) });
    }
  });

  it('refuses jurisdictions without appeals, naming the law', () => {
    expect(() => appealDeadlines({ jurisdiction: 'CA', receivedOn: '2027-03-01', extended: false })).toThrow(/California \(CA\) gives no appeal/u);
    expect(() => appealDeadlines({ jurisdiction: 'UT', receivedOn: '2027-03-01', extended: false })).toThrow(/Utah/u);
    expect(() => appealDeadlines({ jurisdiction: 'EU', receivedOn: '2027-03-01', extended: false })).toThrow(/supervisory authority/u);
    expect(() => appealDeadlines({ jurisdiction: 'VA', receivedOn: '2027-02-30', extended: false })).toThrow(/receivedOn/u);
  });

  it('only a refusal in whole or in part can be appealed; a withdrawal is no refusal', () => {
    const base = { jurisdiction: 'VA' as const, denialReason: null, refusedInPart: false };
    expect(mayAppeal({ ...base, status: 'denied', denialReason: 'unverifiable' })).toEqual({ ok: true });
    expect(mayAppeal({ ...base, status: 'denied', denialReason: 'withdrawn' }).ok).toBe(false);
    expect(mayAppeal({ ...base, status: 'closed', refusedInPart: true })).toEqual({ ok: true });
    expect(mayAppeal({ ...base, status: 'closed' })).toMatchObject({ ok: false, reason: expect.stringMatching(/in full/u) });
    expect(mayAppeal({ ...base, status: 'in_review' }).ok).toBe(false);
  });

  it('a refusal is a refusal whatever the state says of appeals (the center tells a Californian where else to turn)', () => {
    const base = { denialReason: null, refusedInPart: false };
    expect(refusal({ ...base, status: 'denied', denialReason: 'exempt' })).toEqual({ ok: true });
    expect(mayAppeal({ ...base, jurisdiction: 'CA', status: 'denied', denialReason: 'exempt' })).toMatchObject({ ok: false, reason: expect.stringMatching(/California/u) });
    expect(refusal({ ...base, status: 'denied', denialReason: 'withdrawn' }).ok).toBe(false);
    expect(refusal({ ...base, status: 'closed', refusedInPart: true })).toEqual({ ok: true });
    expect(refusal({ ...base, status: 'verifying' }).ok).toBe(false);
  });
});
