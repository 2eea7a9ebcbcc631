import { describe, it, expect } from 'vitest';
import { countingZonesNote, daysLeftText, urgencyOf, zoneName } from '../../../renderer/src/format';
import { todayByZone } from '../../../shared/domain/deadlines';
import { parseRoute, href } from '../../../renderer/src/router';

describe('renderer formatting and routes', () => {
  it('colours days left by urgency and says it in words', () => {
    expect(urgencyOf(-3, 'verifying')).toBe('overdue');
    expect(urgencyOf(0, 'in_review')).toBe('soon');
    expect(urgencyOf(7, 'verified')).toBe('soon');
    expect(urgencyOf(8, 'verified')).toBe('ok');
    expect(urgencyOf(-30, 'closed')).toBe('done');
    expect(daysLeftText(-3, 'verifying')).toBe('3 d overdue');
    expect(daysLeftText(0, 'verifying')).toBe('due today');
    expect(daysLeftText(12, 'verifying')).toBe('12 d left');
    expect(daysLeftText(5, 'denied')).toBe('Denied');
  });
  it('parses hash routes and refuses odd case ids', () => {
    expect(parseRoute('#/case/PD-20261123-ABC123')).toEqual({ screen: 'case', id: 'PD-20261123-ABC123' });
    expect(parseRoute('#/case/../../etc')).toEqual({ screen: 'queue' });
    expect(parseRoute('#/dashboard')).toEqual({ screen: 'dashboard' });
    expect(parseRoute('')).toEqual({ screen: 'queue' });
    expect(href({ screen: 'case', id: 'PD-1' })).toBe('#/case/PD-1');
  });
});

describe('dashboard date and the zones its counts use', () => {
  // 00:39 UTC on 24 November: the 24th in UTC, Berlin, Brussels and London, still the 23rd in the US.
  const at = '2026-11-24T00:39:00.000Z';
  const zones = todayByZone(new Date(at));

  it('groups the jurisdictions by time zone with today there', () => {
    expect(zones.find((z) => z.timeZone === 'America/Los_Angeles')).toEqual({ timeZone: 'America/Los_Angeles', date: '2026-11-23', jurisdictions: ['CA', 'OR'] });
    expect(zones.find((z) => z.timeZone === 'Europe/Brussels')).toEqual({ timeZone: 'Europe/Brussels', date: '2026-11-24', jurisdictions: ['EU'] });
    expect(zones.flatMap((z) => z.jurisdictions)).toHaveLength(22);
  });

  it('names the zones whose date is not the console\'s own, and nothing when all agree', () => {
    const utc = countingZonesNote(at, zones, 'UTC')!;
    expect(utc).toMatch(/^Overdue and due in the next 7 days count each case by today's date in its jurisdiction's time zone\. Today is Nov 24, 2026 in UTC, but Nov 23, 2026 in Los Angeles time \(CA, OR\), /u);
    expect(utc).toContain('Indianapolis time (IN)');
    expect(utc).not.toMatch(/Brussels|London/u);
    // In New York at 19:39 on the 23rd: the EU and UK are a day ahead, the other US zones agree.
    const ny = countingZonesNote(at, zones, 'America/New_York')!;
    expect(ny).toBe("Overdue and due in the next 7 days count each case by today's date in its jurisdiction's time zone. Today is Nov 23, 2026 in New York time, but Nov 24, 2026 in Brussels time (EU), London time (UK).");
    // Midday UTC: the same date everywhere.
    const noon = '2026-11-24T12:00:00.000Z';
    expect(countingZonesNote(noon, todayByZone(new Date(noon)), 'Europe/Berlin')).toBeNull();
    expect(zoneName('America/Indiana/Indianapolis')).toBe('Indianapolis time');
  });
});
