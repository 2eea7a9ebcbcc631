// The legal clock, table-driven with real dates (2026-2028 calendars).
import { describe, it, expect } from 'vitest';
import { JURISDICTIONS, CASE_TYPES, type CaseType, type HoldReason, type Jurisdiction } from '../../../shared/domain/case';
import {
  canExtend, clockStatus, computeDeadlines, daysLeft, isBreached, localDate, todayByJurisdiction, type ClockInput, type ClockPause,
} from '../../../shared/domain/deadlines';
import { JURISDICTION_RULES, rulesFor } from '../../../shared/domain/jurisdiction-rules';

function input(jurisdiction: Jurisdiction, type: CaseType, receivedAt: string, extended = false, pauses: ClockPause[] = []): ClockInput {
  return { jurisdiction, type, receivedAt, extended, pauses };
}
const pause = (from: string, to: string | null, reason: HoldReason = 'awaiting_consumer'): ClockPause => ({ from, to, reason });

describe('California (CCPA): acknowledge in 10 business days, respond in 45 calendar days', () => {
  // receivedAt is noon Pacific unless the row says otherwise.
  const rows: Array<[string, string, string, string, string]> = [
    // label, receivedAt, acknowledge, respond, extended respond
    ['Thanksgiving week: Friday before, skips Thanksgiving only (Nov 27 is not a §6700 holiday)', '2026-11-20T20:00:00Z', '2026-12-07', '2027-01-04', '2027-02-18'],
    ['across the year end (received on a Sunday)', '2026-12-20T20:00:00Z', '2027-01-05', '2027-02-03', '2027-03-20'],
    ['Christmas Eve: skips Dec 25 and Jan 1', '2026-12-24T20:00:00Z', '2027-01-11', '2027-02-07', '2027-03-24'],
    ['received on a Saturday: counting starts Monday', '2026-03-07T20:00:00Z', '2026-03-20', '2026-04-21', '2026-06-05'],
    ['skips Cesar Chavez Day (Tue 2026-03-31)', '2026-03-20T19:00:00Z', '2026-04-06', '2026-05-04', '2026-06-18'],
    ['leap year: 45 days lands on Feb 29', '2028-01-15T20:00:00Z', '2028-01-31', '2028-02-29', '2028-04-14'],
    ['22:30 PST on Nov 20 is already Nov 21 in UTC: counts as Nov 20', '2026-11-21T06:30:00Z', '2026-12-07', '2027-01-04', '2027-02-18'],
    ['22:30 PDT on Jun 30 is Jul 1 in UTC: counts as Jun 30; Sat Jul 4 is not moved to Friday in CA', '2026-07-01T05:30:00Z', '2026-07-14', '2026-08-14', '2026-09-28'],
  ];
  it.each(rows)('%s', (_label, receivedAt, ack, respond, extended) => {
    for (const type of ['access', 'delete', 'delete_pii', 'correct'] as const) {
      expect(computeDeadlines(input('CA', type, receivedAt))).toEqual({ acknowledge: ack, respond, respondOriginal: respond, paused: false });
      expect(computeDeadlines(input('CA', type, receivedAt, true))).toEqual({ acknowledge: ack, respond: extended, respondOriginal: respond, paused: false });
    }
  });

  it('opt-out and limit: 15 business days, no acknowledgement, no extension', () => {
    const rows: Array<[string, string]> = [
      ['2026-11-20T20:00:00Z', '2026-12-14'], // skips Thanksgiving (the day after is worked)
      ['2026-09-04T19:00:00Z', '2026-09-30'], // skips Labor Day, Admission Day (Sep 9) and Native American Day (Sep 25)
      ['2026-10-02T19:00:00Z', '2026-10-26'], // skips Columbus Day (Oct 12)
      ['2026-12-18T20:00:00Z', '2027-01-12'], // skips Christmas and New Year's Day
      ['2026-03-27T19:00:00Z', '2026-04-20'], // skips Cesar Chavez Day
      ['2026-11-21T06:30:00Z', '2026-12-14'], // Friday evening in LA, Saturday in UTC
    ];
    for (const [receivedAt, respond] of rows) {
      for (const type of ['opt_out', 'limit'] as const) {
        expect(computeDeadlines(input('CA', type, receivedAt))).toEqual({ acknowledge: null, respond, respondOriginal: respond, paused: false });
        // An extended flag (however it got there) does not move a deadline that cannot be extended.
        expect(computeDeadlines(input('CA', type, receivedAt, true)).respond).toBe(respond);
      }
    }
  });

  it('the 45 days are not paused while waiting for the consumer or under a legal hold', () => {
    for (const reason of ['awaiting_consumer', 'legal_hold'] as const) {
      const closed = computeDeadlines(input('CA', 'access', '2026-11-20T20:00:00Z', false, [pause('2026-11-23T17:00:00Z', '2026-12-10T17:00:00Z', reason)]));
      expect(closed).toEqual({ acknowledge: '2026-12-07', respond: '2027-01-04', respondOriginal: '2027-01-04', paused: false });
      const open = computeDeadlines(input('CA', 'access', '2026-11-20T20:00:00Z', false, [pause('2026-11-23T17:00:00Z', null, reason)]), new Date('2026-12-20T17:00:00Z'));
      expect(open).toEqual({ acknowledge: '2026-12-07', respond: '2027-01-04', respondOriginal: '2027-01-04', paused: false });
    }
  });
});

describe('EU (GDPR Art 12(3)): one month, +2 months, clock stops while waiting for the data subject', () => {
  const rows: Array<[string, string, string, string]> = [
    // label, receivedAt, respond, extended
    ['leap year: Jan 31 -> Feb 29', '2028-01-31T10:00:00Z', '2028-02-29', '2028-04-30'],
    ['common year: Jan 31 -> Feb 28 (a Sunday: not moved)', '2027-01-31T10:00:00Z', '2027-02-28', '2027-04-30'],
    ['Mar 31 -> Apr 30', '2026-03-31T10:00:00Z', '2026-04-30', '2026-06-30'],
    ['same date next month', '2026-11-20T10:00:00Z', '2026-12-20', '2027-02-20'],
    ['month end across the year end, extension into a leap February', '2027-11-30T10:00:00Z', '2027-12-30', '2028-02-29'],
    ['Nov 30 -> extension ends on Feb 28', '2026-11-30T10:00:00Z', '2026-12-30', '2027-02-28'],
    ['Dec 31 -> Jan 31, extension Mar 31', '2026-12-31T10:00:00Z', '2027-01-31', '2027-03-31'],
    ['23:30 UTC on Nov 30 is Dec 1 in Brussels', '2026-11-30T23:30:00Z', '2027-01-01', '2027-03-01'],
    ['Aug 31 -> Sep 30, extension Nov 30', '2026-08-31T10:00:00Z', '2026-09-30', '2026-11-30'],
  ];
  it.each(rows)('%s', (_label, receivedAt, respond, extended) => {
    for (const type of CASE_TYPES) {
      expect(computeDeadlines(input('EU', type, receivedAt))).toEqual({ acknowledge: null, respond, respondOriginal: respond, paused: false });
      expect(computeDeadlines(input('EU', type, receivedAt, true))).toEqual({ acknowledge: null, respond: extended, respondOriginal: respond, paused: false });
    }
  });

  const received = '2026-01-10T10:00:00Z'; // due 2026-02-10

  it('a closed pause while awaiting the data subject pushes the due date by its days', () => {
    const d = computeDeadlines(input('EU', 'access', received, false, [pause('2026-01-12T09:00:00Z', '2026-01-19T09:00:00Z')]));
    expect(d).toEqual({ acknowledge: null, respond: '2026-02-17', respondOriginal: '2026-02-17', paused: false });
    const ext = computeDeadlines(input('EU', 'access', received, true, [pause('2026-01-12T09:00:00Z', '2026-01-19T09:00:00Z')]));
    expect(ext).toEqual({ acknowledge: null, respond: '2026-04-17', respondOriginal: '2026-02-17', paused: false });
  });

  it('a pause opened and closed on the same day costs nothing; overlapping pauses count a day once', () => {
    expect(computeDeadlines(input('EU', 'access', received, false, [pause('2026-01-12T08:00:00Z', '2026-01-12T16:00:00Z')])).respond).toBe('2026-02-10');
    const overlapping = [pause('2026-01-12T09:00:00Z', '2026-01-19T09:00:00Z'), pause('2026-01-15T09:00:00Z', '2026-01-22T09:00:00Z')];
    expect(computeDeadlines(input('EU', 'access', received, false, overlapping)).respond).toBe('2026-02-20');
  });

  it('a legal hold does not stop the GDPR clock', () => {
    const d = computeDeadlines(input('EU', 'access', received, false, [pause('2026-01-12T09:00:00Z', '2026-01-19T09:00:00Z', 'legal_hold')]));
    expect(d.respond).toBe('2026-02-10');
    expect(computeDeadlines(input('EU', 'access', received, false, [pause('2026-01-12T09:00:00Z', null, 'legal_hold')])).paused).toBe(false);
  });

  it('an open pause: paused, and with now given the due date and days left stand still', () => {
    const pauses = [pause('2026-01-12T09:00:00Z', null)];
    expect(computeDeadlines(input('EU', 'access', received, false, pauses))).toEqual({ acknowledge: null, respond: '2026-02-10', respondOriginal: '2026-02-10', paused: true });
    const day3 = clockStatus(input('EU', 'access', received, false, pauses), new Date('2026-01-15T12:00:00Z'));
    const day20 = clockStatus(input('EU', 'access', received, false, pauses), new Date('2026-02-01T12:00:00Z'));
    expect(day3).toMatchObject({ respond: '2026-02-13', paused: true, daysLeft: 29, breached: false });
    expect(day20).toMatchObject({ respond: '2026-03-02', paused: true, daysLeft: 29, breached: false });
    // Resumed on day 20: the same date as the open pause showed that day.
    const resumed = computeDeadlines(input('EU', 'access', received, false, [pause('2026-01-12T09:00:00Z', '2026-02-01T12:00:00Z')]));
    expect(resumed).toEqual({ acknowledge: null, respond: '2026-03-02', respondOriginal: '2026-03-02', paused: false });
  });

  it('a pause that starts after the due date does not revive a breached case', () => {
    const d = computeDeadlines(input('EU', 'access', received, false, [pause('2026-03-01T09:00:00Z', '2026-03-10T09:00:00Z')]));
    expect(d.respond).toBe('2026-02-10');
    // One that straddles the due date counts only while the clock was still running.
    const straddle = computeDeadlines(input('EU', 'access', received, false, [pause('2026-02-09T09:00:00Z', '2026-02-12T09:00:00Z')]));
    expect(straddle.respond).toBe('2026-02-13');
  });
});

describe('UK (UK GDPR + ICO guidance): one month, a weekend or bank holiday moves it to the next working day', () => {
  const rows: Array<[string, string, string, string]> = [
    ['Jan 31 -> Sun Feb 28 -> Mon Mar 1', '2027-01-31T10:00:00Z', '2027-03-01', '2027-04-30'],
    ['Nov 25 -> Christmas -> after the Boxing Day substitute (Mon 28)', '2026-11-25T10:00:00Z', '2026-12-29', '2027-02-25'],
    ['Mar 3 -> Good Friday -> after Easter Monday', '2026-03-03T10:00:00Z', '2026-04-07', '2026-06-03'],
    ['23:30 UTC Jun 30 is Jul 1 in BST -> Sat Aug 1 -> Mon Aug 3', '2026-06-30T23:30:00Z', '2026-08-03', '2026-10-01'],
    ['Sep 27: extension ends Sun Dec 27 -> Tue Dec 29', '2026-09-27T10:00:00Z', '2026-10-27', '2026-12-29'],
  ];
  it.each(rows)('%s', (_label, receivedAt, respond, extended) => {
    expect(computeDeadlines(input('UK', 'access', receivedAt))).toEqual({ acknowledge: null, respond, respondOriginal: respond, paused: false });
    expect(computeDeadlines(input('UK', 'delete', receivedAt, true))).toEqual({ acknowledge: null, respond: extended, respondOriginal: respond, paused: false });
  });

  it('a pause pushing the date onto a weekend rolls on to Monday', () => {
    // Received 2026-01-10, due Tue 2026-02-10; 4 days paused -> Sat 2026-02-14 -> Mon 2026-02-16.
    const d = computeDeadlines(input('UK', 'access', '2026-01-10T10:00:00Z', false, [pause('2026-01-20T09:00:00Z', '2026-01-24T09:00:00Z')]));
    expect(d.respond).toBe('2026-02-16');
  });
});

describe('other US states: 45 + 45 days (Iowa 90 + 45), no acknowledgement deadline, no pause', () => {
  const rows: Array<[Jurisdiction, string, string, string]> = [
    ['VA', '2026-11-20T17:00:00Z', '2027-01-04', '2027-02-18'],
    ['CO', '2026-12-20T19:00:00Z', '2027-02-03', '2027-03-20'],
    ['TX', '2028-01-15T18:00:00Z', '2028-02-29', '2028-04-14'],
    ['IA', '2026-11-20T18:00:00Z', '2027-02-18', '2027-04-04'],
    // 23:30 Eastern on Nov 20 (04:30Z Nov 21): still Nov 20 in Virginia.
    ['VA', '2026-11-21T04:30:00Z', '2027-01-04', '2027-02-18'],
  ];
  it.each(rows)('%s received %s', (j, receivedAt, respond, extended) => {
    for (const type of CASE_TYPES) {
      expect(computeDeadlines(input(j, type, receivedAt))).toEqual({ acknowledge: null, respond, respondOriginal: respond, paused: false });
      expect(computeDeadlines(input(j, type, receivedAt, true)).respond).toBe(extended);
    }
    expect(computeDeadlines(input(j, 'access', receivedAt, false, [pause('2026-11-23T17:00:00Z', null)])).paused).toBe(false);
  });
});

describe('canExtend: once, reason-free here, only until the first due date', () => {
  const ca = input('CA', 'access', '2026-01-01T20:00:00Z'); // due 2026-02-15

  it('allowed up to and including the first due date, in the jurisdiction\'s zone', () => {
    expect(canExtend(ca, new Date('2026-01-20T12:00:00Z'))).toEqual({ ok: true });
    expect(canExtend(ca, new Date('2026-02-15T20:00:00Z'))).toEqual({ ok: true });
    // 23:30 PST on Feb 15 is Feb 16 in UTC: still the due date in California.
    expect(canExtend(ca, new Date('2026-02-16T07:30:00Z'))).toEqual({ ok: true });
  });

  it('refused after the first due date', () => {
    const r = canExtend(ca, new Date('2026-02-16T09:00:00Z'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('2026-02-15');
  });

  it('a second extension is refused', () => {
    const r = canExtend({ ...ca, extended: true }, new Date('2026-01-20T12:00:00Z'));
    expect(r).toEqual({ ok: false, reason: 'the deadline was already extended once; a second extension is not allowed' });
  });

  it('CA opt-outs and limits cannot be extended', () => {
    for (const type of ['opt_out', 'limit'] as const) {
      const r = canExtend(input('CA', type, '2026-01-01T20:00:00Z'), new Date('2026-01-02T12:00:00Z'));
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/cannot be extended in CA .*11 CCR §702[67]/u);
    }
  });

  it('GDPR: a pause moves the first due date and with it the last day to extend', () => {
    const eu = input('EU', 'access', '2026-01-10T10:00:00Z'); // due 2026-02-10
    expect(canExtend(eu, new Date('2026-02-11T10:00:00Z')).ok).toBe(false);
    const paused = { ...eu, pauses: [pause('2026-01-12T09:00:00Z', '2026-01-19T09:00:00Z')] };
    expect(canExtend(paused, new Date('2026-02-11T10:00:00Z'))).toEqual({ ok: true });
    expect(canExtend(paused, new Date('2026-02-18T10:00:00Z')).ok).toBe(false);
    // Still paused: the first due date has not been reached while the clock is stopped.
    const open = { ...eu, pauses: [pause('2026-01-12T09:00:00Z', null)] };
    expect(canExtend(open, new Date('2026-03-01T10:00:00Z'))).toEqual({ ok: true });
  });

  it('UK: the first due date rolled to a working day is the limit', () => {
    const uk = input('UK', 'access', '2027-01-31T10:00:00Z'); // due Mon 2027-03-01 (Feb 28 is a Sunday)
    expect(canExtend(uk, new Date('2027-03-01T18:00:00Z'))).toEqual({ ok: true });
    expect(canExtend(uk, new Date('2027-03-02T09:00:00Z')).ok).toBe(false);
  });
});

describe('daysLeft / isBreached', () => {
  it('counts calendar days in the jurisdiction\'s zone; 0 on the due date, negative once breached', () => {
    expect(daysLeft('2026-02-15', new Date('2026-02-10T20:00:00Z'), 'CA')).toBe(5);
    expect(daysLeft('2026-02-15', new Date('2026-02-15T20:00:00Z'), 'CA')).toBe(0);
    expect(isBreached('2026-02-15', new Date('2026-02-15T20:00:00Z'), 'CA')).toBe(false);
    expect(daysLeft('2026-02-15', new Date('2026-02-16T07:59:00Z'), 'CA')).toBe(0); // 23:59 PST
    expect(daysLeft('2026-02-15', new Date('2026-02-16T08:00:00Z'), 'CA')).toBe(-1); // 00:00 PST
    expect(isBreached('2026-02-15', new Date('2026-02-16T08:00:00Z'), 'CA')).toBe(true);
    // The same instant is already the 16th in Brussels.
    expect(daysLeft('2026-02-15', new Date('2026-02-15T23:30:00Z'), 'EU')).toBe(-1);
    // Across the year end and a leap day.
    expect(daysLeft('2028-03-01', new Date('2027-12-31T12:00:00Z'), 'EU')).toBe(61);
  });

  it('clockStatus sums it up', () => {
    const s = clockStatus(input('CA', 'access', '2026-11-20T20:00:00Z'), new Date('2027-01-05T20:00:00Z'));
    expect(s).toEqual({ acknowledge: '2026-12-07', respond: '2027-01-04', respondOriginal: '2027-01-04', paused: false, daysLeft: -1, breached: true });
  });
});

describe('todayByJurisdiction (the queue\'s overdue filter)', () => {
  it('groups every jurisdiction by its local date, latest first', () => {
    // 23:30 UTC on 2 March: already 3 March in Brussels, still 2 March in London and the US.
    expect(todayByJurisdiction(new Date('2026-03-02T23:30:00Z'))).toEqual([
      { date: '2026-03-03', jurisdictions: ['EU'] },
      { date: '2026-03-02', jurisdictions: JURISDICTIONS.filter((j) => j !== 'EU') },
    ]);
    // 05:30 UTC: New York (and Indianapolis) have passed midnight, Chicago, Denver and Los Angeles not yet.
    const at = todayByJurisdiction(new Date('2026-03-03T05:30:00Z'));
    expect(at.map((g) => g.date)).toEqual(['2026-03-03', '2026-03-02']);
    expect(at[1]!.jurisdictions.sort()).toEqual(['CA', 'CO', 'IA', 'MN', 'MT', 'NE', 'OR', 'TN', 'TX', 'UT']);
    // Noon UTC: one date everywhere.
    expect(todayByJurisdiction(new Date('2026-03-03T12:00:00Z'))).toEqual([{ date: '2026-03-03', jurisdictions: [...JURISDICTIONS] }]);
    for (const t of ['2026-03-02T23:30:00Z', '2026-07-01T03:00:00Z']) {
      for (const g of todayByJurisdiction(new Date(t))) for (const j of g.jurisdictions) expect(localDate(t, j)).toBe(g.date);
    }
  });
});

describe('localDate', () => {
  it('reads the date in the jurisdiction\'s zone, across DST changes', () => {
    expect(localDate('2026-11-21T06:30:00Z', 'CA')).toBe('2026-11-20');
    expect(localDate('2026-11-21T06:30:00Z', 'EU')).toBe('2026-11-21');
    expect(localDate(new Date('2026-03-08T07:59:00Z'), 'CA')).toBe('2026-03-07'); // 23:59 PST
    expect(localDate(new Date('2026-03-08T08:00:00Z'), 'CA')).toBe('2026-03-08'); // 00:00 PST (DST starts at 02:00)
    expect(localDate('2026-03-29T00:30:00+01:00', 'UK')).toBe('2026-03-28'); // 23:30 GMT
    expect(localDate('2026-10-24T23:30:00Z', 'UK')).toBe('2026-10-25'); // 00:30 BST
    expect(localDate('2026-12-31T23:00:00Z', 'EU')).toBe('2027-01-01');
    expect(localDate('2026-11-21T04:30:00Z', 'IN')).toBe('2026-11-20');
  });

  it('agrees with a fresh Intl conversion at every 7th minute around midnights and DST changes', () => {
    const windows = ['2026-03-08T00:00:00Z', '2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-11-01T00:00:00Z', '2026-12-31T12:00:00Z'];
    for (const j of ['CA', 'EU', 'UK', 'VA', 'CO', 'TX', 'IN'] as const) {
      const zone = rulesFor(j).timeZone;
      const fresh = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (const w of windows) {
        for (let m = 0; m < 36 * 60; m += 7) {
          const t = new Date(Date.parse(w) + m * 60_000 + 13_000);
          expect(localDate(t, j), `${j} ${t.toISOString()}`).toBe(fresh.format(t));
        }
      }
    }
  });

  it('refuses a bare date or garbage, naming the field', () => {
    expect(() => localDate('2026-11-20', 'CA')).toThrow(/instant: must be an ISO 8601 instant/u);
    expect(() => computeDeadlines(input('CA', 'access', 'yesterday'))).toThrow(/receivedAt/u);
    expect(() => computeDeadlines(input('CA', 'access', '2026-02-30T10:00:00Z'))).toThrow(/receivedAt/u);
    expect(() => computeDeadlines(input('ZZ' as Jurisdiction, 'access', '2026-01-01T10:00:00Z'))).toThrow(/jurisdiction: unknown/u);
    expect(() => computeDeadlines(input('CA', 'nope' as CaseType, '2026-01-01T10:00:00Z'))).toThrow(/type: unknown/u);
    expect(() => computeDeadlines(input('EU', 'access', '2026-01-01T10:00:00Z', false, [pause('soon', null)]))).toThrow(/pauses\[0\]\.from/u);
  });
});

describe('the rules table', () => {
  it('covers every jurisdiction and type with a valid zone, a calendar and a citation', () => {
    for (const j of JURISDICTIONS) {
      const r = rulesFor(j);
      expect(r.jurisdiction).toBe(j);
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: r.timeZone })).not.toThrow();
      expect(r.pauseCitation.length).toBeGreaterThan(10);
      for (const t of CASE_TYPES) {
        const tr = r.byType[t];
        expect(tr.citation.length, `${j}/${t}`).toBeGreaterThan(10);
        expect(tr.respond.n).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(JURISDICTION_RULES).sort()).toEqual([...JURISDICTIONS].sort());
  });

  it('uses the main zone of each place', () => {
    expect(rulesFor('CA').timeZone).toBe('America/Los_Angeles');
    expect(rulesFor('EU').timeZone).toBe('Europe/Brussels');
    expect(rulesFor('UK').timeZone).toBe('Europe/London');
    expect(rulesFor('TX').timeZone).toBe('America/Chicago');
    expect(rulesFor('CO').timeZone).toBe('America/Denver');
    expect(rulesFor('OR').timeZone).toBe('America/Los_Angeles');
  });
});
