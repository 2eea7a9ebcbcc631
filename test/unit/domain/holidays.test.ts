// Holiday calendars by rule, checked against the official lists (Cal. Gov. Code §6700, OPM, gov.uk, Belgium).
import { describe, it, expect } from 'vitest';
import { addBusinessDays, calendarHolidays, holidaysFor, isBusinessDay, nextBusinessDayOnOrAfter } from '../../../shared/domain/holidays';
import { addMonths, easterSunday, nthWeekdayOfMonth, weekday, isWeekend } from '../../../shared/domain/deadlines-calendar';

const dates = (list: Array<{ date: string }>) => list.map((h) => h.date);

describe('California state holidays (Gov. Code §6700, the "state holidays" of 11 CCR §7001)', () => {
  // Table: year -> the observed dates, worked out by hand from §6700(a) and §6701.
  const table: Array<[number, string[], string]> = [
    [2026, ['2026-01-01', '2026-01-19', '2026-02-12', '2026-02-16', '2026-03-31', '2026-05-25', '2026-06-19', '2026-07-04',
      '2026-09-07', '2026-09-09', '2026-09-25', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25'], 'Saturday July 4 not moved'],
    [2027, ['2027-01-01', '2027-01-18', '2027-02-12', '2027-02-15', '2027-03-31', '2027-05-31', '2027-06-19', '2027-07-05',
      '2027-09-06', '2027-09-09', '2027-09-24', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-25'], 'Sunday July 4 -> Monday July 5; Saturday June 19 and December 25 not moved'],
    [2028, ['2028-01-01', '2028-01-17', '2028-02-12', '2028-02-21', '2028-03-31', '2028-05-29', '2028-06-19', '2028-07-04',
      '2028-09-04', '2028-09-09', '2028-09-22', '2028-10-09', '2028-11-10', '2028-11-23', '2028-12-25'], 'Saturday Veterans Day -> Friday November 10'],
    [2024, ['2024-01-01', '2024-01-15', '2024-02-12', '2024-02-19', '2024-04-01', '2024-05-27', '2024-06-19', '2024-07-04',
      '2024-09-02', '2024-09-09', '2024-09-27', '2024-10-14', '2024-11-11', '2024-11-28', '2024-12-25'], 'Sunday Cesar Chavez Day -> Monday April 1'],
  ];
  it.each(table)('%i (%#)', (year, expected, _why) => {
    expect(dates(holidaysFor('CA', year))).toEqual(expected);
  });

  it('names each holiday as §6700 does; observed days say so', () => {
    const l2026 = holidaysFor('CA', 2026);
    expect(l2026.map((h) => h.name)).toEqual([
      "New Year's Day", 'Dr. Martin Luther King, Jr. Day', 'Lincoln Day', "Washington's Birthday (third Monday in February)",
      'Cesar Chavez Day', 'Memorial Day', 'Juneteenth', 'Independence Day', 'Labor Day', 'Admission Day', 'Native American Day',
      'Columbus Day', 'Veterans Day', 'Thanksgiving Day (appointed by the President, §6700(a)(16))', 'Christmas Day',
    ]);
    expect(holidaysFor('CA', 2027)[7].name).toBe('Independence Day (observed)');
    expect(holidaysFor('CA', 2023).map((h) => h.date)).toContain('2023-11-10'); // Saturday Veterans Day -> Friday
    expect(holidaysFor('CA', 2023).map((h) => h.date)).toContain('2023-01-02'); // Sunday New Year -> Monday
  });

  it('has 15 holidays every year, Native American Day always the fourth Friday of September', () => {
    for (let y = 2000; y <= 2100; y += 1) {
      const list = holidaysFor('CA', y);
      expect(list, String(y)).toHaveLength(15);
      const nad = list.find((h) => h.name === 'Native American Day')!;
      expect(weekday(nad.date)).toBe(5);
      expect(Number(nad.date.slice(8))).toBeGreaterThanOrEqual(22);
      expect(Number(nad.date.slice(8))).toBeLessThanOrEqual(28);
    }
  });

  it('business days skip them; the day after Thanksgiving and Good Friday stay business days (the earlier date)', () => {
    expect(isBusinessDay('2026-11-26', 'CA')).toBe(false);
    expect(isBusinessDay('2026-11-27', 'CA')).toBe(true); // §19853 employee holiday, not in §6700
    expect(isBusinessDay('2026-04-03', 'CA')).toBe(true); // Good Friday: only noon to 3 p.m. (§6700(a)(15))
    expect(isBusinessDay('2026-03-31', 'CA')).toBe(false);
    expect(isBusinessDay('2026-10-12', 'CA')).toBe(false); // Columbus Day (§6700)
    expect(isBusinessDay('2026-06-19', 'CA')).toBe(false); // Juneteenth (§6700)
    expect(isBusinessDay('2026-02-12', 'CA')).toBe(false); // Lincoln Day
    expect(isBusinessDay('2026-09-09', 'CA')).toBe(false); // Admission Day
    expect(isBusinessDay('2026-09-25', 'CA')).toBe(false); // Native American Day
    expect(isBusinessDay('2026-07-03', 'CA')).toBe(true); // the Friday before a Saturday July 4
    expect(isBusinessDay('2026-11-28', 'CA')).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-25', 'CA')).toBe(true);
  });
});

describe('US federal holidays (OPM), used for the other US states', () => {
  it('2026', () => {
    expect(dates(holidaysFor('VA', 2026))).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03',
      '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
  });

  it('2027: Saturday holidays move to Friday, including New Year 2028 to Friday 2027-12-31', () => {
    expect(dates(holidaysFor('TX', 2027))).toEqual([
      '2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-07-05',
      '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24', '2027-12-31',
    ]);
    // ...and 2028 then has no January 1 holiday (OPM lists it under 2027-12-31).
    expect(dates(holidaysFor('TX', 2028))[0]).toBe('2028-01-17');
    expect(isBusinessDay('2027-12-31', 'TX')).toBe(false);
    expect(isBusinessDay('2026-11-27', 'TX')).toBe(true);
  });

  it('every observed federal holiday is a weekday', () => {
    for (let y = 2000; y <= 2100; y += 1) {
      for (const h of holidaysFor('VA', y)) expect(isWeekend(h.date), h.date).toBe(false);
    }
  });
});

describe('England and Wales bank holidays (gov.uk), for the UK', () => {
  it('2026', () => {
    expect(holidaysFor('UK', 2026)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-04-03', name: 'Good Friday' },
      { date: '2026-04-06', name: 'Easter Monday' },
      { date: '2026-05-04', name: 'Early May bank holiday' },
      { date: '2026-05-25', name: 'Spring bank holiday' },
      { date: '2026-08-31', name: 'Summer bank holiday' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
    ]);
  });

  it('2027: Christmas on Saturday and Boxing Day on Sunday -> Monday 27 and Tuesday 28', () => {
    expect(dates(holidaysFor('UK', 2027))).toEqual([
      '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
    ]);
  });

  it('Christmas on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27 (2022); New Year on Saturday -> Monday 3', () => {
    const y2022 = holidaysFor('UK', 2022);
    expect(y2022.filter((h) => h.date >= '2022-12-01')).toEqual([
      { date: '2022-12-26', name: 'Boxing Day' },
      { date: '2022-12-27', name: 'Christmas Day (substitute day)' },
    ]);
    expect(y2022[0]).toEqual({ date: '2022-01-03', name: "New Year's Day (substitute day)" });
  });
});

describe('Belgian public holidays, for the EU', () => {
  it('2026 and 2027', () => {
    expect(dates(holidaysFor('EU', 2026))).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-07-21',
      '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
    expect(dates(holidaysFor('EU', 2027))).toEqual([
      '2027-01-01', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-17', '2027-07-21',
      '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25',
    ]);
  });
});

describe('date rules', () => {
  it('Easter by the Gregorian computus', () => {
    const known: Record<number, string> = {
      1943: '1943-04-25', 2000: '2000-04-23', 2008: '2008-03-23', 2019: '2019-04-21', 2024: '2024-03-31',
      2025: '2025-04-20', 2026: '2026-04-05', 2027: '2027-03-28', 2028: '2028-04-16', 2038: '2038-04-25', 2285: '2285-03-22',
    };
    for (const [y, d] of Object.entries(known)) expect(easterSunday(Number(y))).toBe(d);
  });

  it('nth and last weekday of a month', () => {
    expect(nthWeekdayOfMonth(2026, 11, 4, 4)).toBe('2026-11-26');
    expect(nthWeekdayOfMonth(2027, 11, 4, 4)).toBe('2027-11-25');
    expect(nthWeekdayOfMonth(2028, 11, 4, 4)).toBe('2028-11-23');
    expect(nthWeekdayOfMonth(2030, 11, 4, 4)).toBe('2030-11-28');
    expect(nthWeekdayOfMonth(2026, 5, 1, -1)).toBe('2026-05-25');
    expect(nthWeekdayOfMonth(2027, 5, 1, -1)).toBe('2027-05-31');
    expect(nthWeekdayOfMonth(2026, 9, 5, 4)).toBe('2026-09-25'); // Native American Day (not a CalHR office closure)
  });

  it('months: the same date or the month\'s last day', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2100-01-29', 1)).toBe('2100-02-28'); // 2100 is not a leap year
    expect(addMonths('2000-01-29', 1)).toBe('2000-02-29'); // 2000 is
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('refuses impossible dates and years outside the Gregorian range', () => {
    expect(() => addMonths('2027-02-29', 1)).toThrow(/not a calendar date/u);
    expect(() => isBusinessDay('2026-13-01', 'CA')).toThrow(/not a calendar date/u);
    expect(() => addBusinessDays('26-1-1', 3, 'CA')).toThrow(/YYYY-MM-DD/u);
    expect(() => addBusinessDays('2026-01-01', 1.5, 'CA')).toThrow(/whole number/u);
    expect(() => calendarHolidays('US-CA', 1200)).toThrow(/year/u);
  });
});

describe('addBusinessDays', () => {
  it('counts forward from the day after, skipping weekends and holidays', () => {
    expect(addBusinessDays('2026-11-20', 10, 'CA')).toBe('2026-12-07'); // only Thanksgiving (Nov 27 is worked)
    expect(addBusinessDays('2026-11-20', 10, 'VA')).toBe('2026-12-07'); // only Thanksgiving is federal
    expect(addBusinessDays('2026-12-20', 10, 'CA')).toBe('2027-01-05');
    expect(addBusinessDays('2026-11-20', 15, 'CA')).toBe('2026-12-14');
    expect(addBusinessDays('2026-09-04', 5, 'CA')).toBe('2026-09-15'); // skips Labor Day and Admission Day
    expect(addBusinessDays('2026-09-04', 5, 'VA')).toBe('2026-09-14'); // federal: skips Labor Day only
    expect(addBusinessDays('2026-09-24', 1, 'CA')).toBe('2026-09-28'); // skips Native American Day
    expect(addBusinessDays('2026-11-20', 0, 'CA')).toBe('2026-11-20');
    expect(addBusinessDays('2026-11-28', 1, 'CA')).toBe('2026-11-30'); // from a Saturday
    expect(addBusinessDays('2026-12-24', 1, 'UK')).toBe('2026-12-29');
    expect(addBusinessDays('2026-04-02', 1, 'EU')).toBe('2026-04-03'); // Good Friday is worked in Belgium
    expect(addBusinessDays('2026-04-02', 1, 'UK')).toBe('2026-04-07');
  });

  it('counts backwards with a negative n', () => {
    expect(addBusinessDays('2026-11-30', -1, 'CA')).toBe('2026-11-27');
    expect(addBusinessDays('2026-12-07', -10, 'CA')).toBe('2026-11-20');
  });

  it('nextBusinessDayOnOrAfter', () => {
    expect(nextBusinessDayOnOrAfter('2026-11-26', 'CA')).toBe('2026-11-27');
    expect(nextBusinessDayOnOrAfter('2026-06-19', 'CA')).toBe('2026-06-22');
    expect(nextBusinessDayOnOrAfter('2026-11-25', 'CA')).toBe('2026-11-25');
  });
});
