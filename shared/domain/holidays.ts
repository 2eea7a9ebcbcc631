// Public holiday calendars, computed by rule for any year, and the business-day arithmetic.
// Each calendar is data (a list of rules); the sources and the weekend-observation choices are in
// docs/DEADLINES.md. Pure: no clock, no I/O.
import type { Jurisdiction } from './case';
import {
  addDays, dayNumber, easterSunday, formatLocalDate, fromDayNumber, isWeekend, nthWeekdayOfMonth,
  parseLocalDate, weekday, type LocalDate,
} from './deadlines-calendar';
import { rulesFor, type HolidayCalendarId } from './jurisdiction-rules';

/**
 * What happens when a fixed-date holiday falls on a weekend:
 * - `none`: nothing (the day is simply lost, e.g. Belgium; California's Saturday holidays).
 * - `sunday_to_monday`: a Sunday holiday is observed on the Monday (Cal. Gov. Code §6701).
 * - `federal`: Saturday -> the Friday before, Sunday -> the Monday after (5 U.S.C. §6103(b), EO 11582).
 * - `substitute`: a weekend holiday moves to the next weekday that is not already a holiday
 *   (UK substitute bank holidays: Christmas on Saturday -> Monday 27, Boxing Day -> Tuesday 28).
 */
export type ObservePolicy = 'none' | 'sunday_to_monday' | 'federal' | 'substitute';

export type HolidayRule =
  | { kind: 'fixed'; name: string; month: number; day: number; observe: ObservePolicy }
  /** nth weekday of a month (n = -1: the last), plus optional days (the day after Thanksgiving). */
  | { kind: 'nth_weekday'; name: string; month: number; weekday: number; n: number; plusDays?: number }
  /** Days after Easter Sunday (Good Friday -2, Easter Monday +1, Ascension +39, Whit Monday +50). */
  | { kind: 'easter'; name: string; offset: number };

export interface HolidayCalendar { id: HolidayCalendarId; name: string; source: string; rules: readonly HolidayRule[] }

export interface Holiday { date: LocalDate; name: string }

const MON = 1, THU = 4, FRI = 5;

/** The holidays on which a business can count on federal offices and banks being closed. */
const US_FEDERAL: HolidayCalendar = {
  id: 'US-FED',
  name: 'US federal holidays',
  source: '5 U.S.C. §6103(a); weekend observation §6103(b) and Executive Order 11582; OPM federal holiday tables',
  rules: [
    { kind: 'fixed', name: "New Year's Day", month: 1, day: 1, observe: 'federal' },
    { kind: 'nth_weekday', name: 'Birthday of Martin Luther King, Jr.', month: 1, weekday: MON, n: 3 },
    { kind: 'nth_weekday', name: "Washington's Birthday", month: 2, weekday: MON, n: 3 },
    { kind: 'nth_weekday', name: 'Memorial Day', month: 5, weekday: MON, n: -1 },
    { kind: 'fixed', name: 'Juneteenth National Independence Day', month: 6, day: 19, observe: 'federal' },
    { kind: 'fixed', name: 'Independence Day', month: 7, day: 4, observe: 'federal' },
    { kind: 'nth_weekday', name: 'Labor Day', month: 9, weekday: MON, n: 1 },
    { kind: 'nth_weekday', name: 'Columbus Day', month: 10, weekday: MON, n: 2 },
    { kind: 'fixed', name: 'Veterans Day', month: 11, day: 11, observe: 'federal' },
    { kind: 'nth_weekday', name: 'Thanksgiving Day', month: 11, weekday: THU, n: 4 },
    { kind: 'fixed', name: 'Christmas Day', month: 12, day: 25, observe: 'federal' },
  ],
};

/**
 * California's state holidays as Gov. Code §6700(a) lists them: the "state holidays" of 11 CCR
 * §7001 ("business day"), as Civ. Code §7 sends "holidays" to the Government Code. A date-fixed
 * holiday on a Sunday is observed on the Monday after; Veterans Day on a Saturday on the Friday
 * before (Gov. Code §6701; June 19 is not in §6701's list, so a Sunday Juneteenth is not moved). Not counted (docs/DEADLINES.md says why; each gives the earlier
 * date): Good Friday from noon to 3 p.m. (a part day: the day stays a business day), the day
 * after Thanksgiving (a holiday for state employees under Gov. Code §19853, not in §6700), a
 * Saturday holiday (not moved, so no weekday is lost) and holidays added to §6700 after the
 * version this list follows.
 */
const CA_STATE: HolidayCalendar = {
  id: 'US-CA',
  name: 'California state holidays (Gov. Code §6700)',
  source: 'Cal. Gov. Code §6700(a) (list) and §6701 (Sunday -> Monday, Veterans Day Saturday -> Friday); Cal. Civ. Code §7; 11 CCR §7001 "business day"',
  rules: [
    { kind: 'fixed', name: "New Year's Day", month: 1, day: 1, observe: 'sunday_to_monday' },
    { kind: 'nth_weekday', name: 'Dr. Martin Luther King, Jr. Day', month: 1, weekday: MON, n: 3 },
    { kind: 'fixed', name: 'Lincoln Day', month: 2, day: 12, observe: 'sunday_to_monday' },
    { kind: 'nth_weekday', name: "Washington's Birthday (third Monday in February)", month: 2, weekday: MON, n: 3 },
    { kind: 'fixed', name: 'Cesar Chavez Day', month: 3, day: 31, observe: 'sunday_to_monday' },
    { kind: 'nth_weekday', name: 'Memorial Day', month: 5, weekday: MON, n: -1 },
    { kind: 'fixed', name: 'Juneteenth', month: 6, day: 19, observe: 'none' },
    { kind: 'fixed', name: 'Independence Day', month: 7, day: 4, observe: 'sunday_to_monday' },
    { kind: 'nth_weekday', name: 'Labor Day', month: 9, weekday: MON, n: 1 },
    { kind: 'fixed', name: 'Admission Day', month: 9, day: 9, observe: 'sunday_to_monday' },
    { kind: 'nth_weekday', name: 'Native American Day', month: 9, weekday: FRI, n: 4 },
    { kind: 'nth_weekday', name: 'Columbus Day', month: 10, weekday: MON, n: 2 },
    { kind: 'fixed', name: 'Veterans Day', month: 11, day: 11, observe: 'federal' },
    { kind: 'nth_weekday', name: 'Thanksgiving Day (appointed by the President, §6700(a)(16))', month: 11, weekday: THU, n: 4 },
    { kind: 'fixed', name: 'Christmas Day', month: 12, day: 25, observe: 'sunday_to_monday' },
  ],
};

/** Belgium's ten legal public holidays (Brussels, the EU's seat); no weekend substitution by law. */
const BELGIUM: HolidayCalendar = {
  id: 'BE',
  name: 'Belgian public holidays',
  source: 'Belgian Royal Decree of 18 April 1974 (jours fériés légaux / wettelijke feestdagen); Law of 4 January 1974',
  rules: [
    { kind: 'fixed', name: "New Year's Day", month: 1, day: 1, observe: 'none' },
    { kind: 'easter', name: 'Easter Monday', offset: 1 },
    { kind: 'fixed', name: 'Labour Day', month: 5, day: 1, observe: 'none' },
    { kind: 'easter', name: 'Ascension Day', offset: 39 },
    { kind: 'easter', name: 'Whit Monday', offset: 50 },
    { kind: 'fixed', name: 'Belgian National Day', month: 7, day: 21, observe: 'none' },
    { kind: 'fixed', name: 'Assumption Day', month: 8, day: 15, observe: 'none' },
    { kind: 'fixed', name: "All Saints' Day", month: 11, day: 1, observe: 'none' },
    { kind: 'fixed', name: 'Armistice Day', month: 11, day: 11, observe: 'none' },
    { kind: 'fixed', name: 'Christmas Day', month: 12, day: 25, observe: 'none' },
  ],
};

/** England and Wales bank holidays (the regular ones; one-off proclamations are not predictable). */
const ENGLAND_WALES: HolidayCalendar = {
  id: 'GB-EAW',
  name: 'England and Wales bank holidays',
  source: 'Banking and Financial Dealings Act 1971, Schedule 1, and the annual royal proclamations; gov.uk/bank-holidays',
  rules: [
    { kind: 'fixed', name: "New Year's Day", month: 1, day: 1, observe: 'substitute' },
    { kind: 'easter', name: 'Good Friday', offset: -2 },
    { kind: 'easter', name: 'Easter Monday', offset: 1 },
    { kind: 'nth_weekday', name: 'Early May bank holiday', month: 5, weekday: MON, n: 1 },
    { kind: 'nth_weekday', name: 'Spring bank holiday', month: 5, weekday: MON, n: -1 },
    { kind: 'nth_weekday', name: 'Summer bank holiday', month: 8, weekday: MON, n: -1 },
    { kind: 'fixed', name: 'Christmas Day', month: 12, day: 25, observe: 'substitute' },
    { kind: 'fixed', name: 'Boxing Day', month: 12, day: 26, observe: 'substitute' },
  ],
};

export const HOLIDAY_CALENDARS: Readonly<Record<HolidayCalendarId, HolidayCalendar>> = {
  'US-FED': US_FEDERAL,
  'US-CA': CA_STATE,
  BE: BELGIUM,
  'GB-EAW': ENGLAND_WALES,
};

/** The observed holidays of one calendar "year" of rules (may spill into the year before, e.g. federal 12-31). */
function observedForRuleYear(cal: HolidayCalendar, y: number): Holiday[] {
  const out: Holiday[] = [];
  const pending: Array<{ date: LocalDate; name: string }> = [];
  for (const r of cal.rules) {
    if (r.kind === 'nth_weekday') {
      out.push({ date: addDays(nthWeekdayOfMonth(y, r.month, r.weekday, r.n), r.plusDays ?? 0), name: r.name });
    } else if (r.kind === 'easter') {
      out.push({ date: addDays(easterSunday(y), r.offset), name: r.name });
    } else {
      const date = formatLocalDate(y, r.month, r.day);
      const wd = weekday(date);
      if (r.observe === 'federal' && wd === 6) out.push({ date: addDays(date, -1), name: `${r.name} (observed)` });
      else if ((r.observe === 'federal' || r.observe === 'sunday_to_monday') && wd === 0) out.push({ date: addDays(date, 1), name: `${r.name} (observed)` });
      else if (r.observe === 'substitute' && isWeekend(date)) pending.push({ date, name: r.name });
      else out.push({ date, name: r.name });
    }
  }
  // Substitute days go, in rule order, to the next weekday not already a holiday.
  for (const p of pending) {
    let d = addDays(p.date, 1);
    while (isWeekend(d) || out.some((h) => h.date === d)) d = addDays(d, 1);
    out.push({ date: d, name: `${p.name} (substitute day)` });
  }
  return out;
}

const cache = new Map<string, Holiday[]>();

/** The observed holidays of a calendar whose date falls in `year`, sorted by date. */
export function calendarHolidays(id: HolidayCalendarId, year: number): Holiday[] {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`year: must be a Gregorian year 1583-9999 (got ${year})`);
  const key = `${id}:${year}`;
  let list = cache.get(key);
  if (!list) {
    const cal = HOLIDAY_CALENDARS[id];
    const prefix = `${String(year).padStart(4, '0')}-`;
    list = [year - 1, year, year + 1]
      .filter((y) => y >= 1583 && y <= 9999)
      .flatMap((y) => observedForRuleYear(cal, y))
      .filter((h) => h.date.startsWith(prefix))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    cache.set(key, list);
  }
  return list.map((h) => ({ ...h }));
}

const dayNumberSets = new Map<string, Set<number>>();
function holidayDayNumbers(id: HolidayCalendarId, year: number): Set<number> {
  const key = `${id}:${year}`;
  let s = dayNumberSets.get(key);
  if (!s) {
    s = new Set(calendarHolidays(id, year).map((h) => dayNumber(h.date)));
    dayNumberSets.set(key, s);
  }
  return s;
}

/** The observed public holidays of a jurisdiction in a year (its calendar: see jurisdiction-rules). */
export function holidaysFor(jurisdiction: Jurisdiction, year: number): Holiday[] {
  return calendarHolidays(rulesFor(jurisdiction).holidayCalendar, year);
}

/** Monday to Friday and not an observed holiday of the jurisdiction. */
export function isBusinessDay(date: LocalDate, jurisdiction: Jurisdiction): boolean {
  const { y } = parseLocalDate(date);
  const n = dayNumber(date);
  return !isWeekendDay(n) && !holidayDayNumbers(rulesFor(jurisdiction).holidayCalendar, y).has(n);
}

function isWeekendDay(n: number): boolean {
  const wd = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return wd === 0 || wd === 6;
}

/**
 * The date n business days after `date` (the start day itself is not counted, Cal. Civ. Code §10):
 * received Friday 2026-11-20 in CA + 10 -> 2026-12-08 (skipping Thanksgiving and the day after).
 * n = 0 returns the date unchanged; negative n counts backwards.
 */
export function addBusinessDays(date: LocalDate, n: number, jurisdiction: Jurisdiction): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`n: must be a whole number of business days (got ${n})`);
  const cal = rulesFor(jurisdiction).holidayCalendar;
  let { y } = parseLocalDate(date);
  let d = dayNumber(date);
  let yearStart = dayNumber(formatLocalDate(y, 1, 1));
  let nextYearStart = dayNumber(formatLocalDate(y + 1, 1, 1));
  let holidays = holidayDayNumbers(cal, y);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  while (left > 0) {
    d += step;
    if (d >= nextYearStart || d < yearStart) {
      y += step;
      yearStart = dayNumber(formatLocalDate(y, 1, 1));
      nextYearStart = dayNumber(formatLocalDate(y + 1, 1, 1));
      holidays = holidayDayNumbers(cal, y);
    }
    if (!isWeekendDay(d) && !holidays.has(d)) left -= 1;
  }
  return fromDayNumber(d);
}

/** The date itself when it is a business day, else the next business day. */
export function nextBusinessDayOnOrAfter(date: LocalDate, jurisdiction: Jurisdiction): LocalDate {
  let d = date;
  while (!isBusinessDay(d, jurisdiction)) d = addDays(d, 1);
  return d;
}
