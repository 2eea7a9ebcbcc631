// Calendar arithmetic on local dates ('YYYY-MM-DD') and the instant -> local date conversion.
// Pure: no clock is read here; every instant is passed in. Uses only Date.UTC and Intl.

/** A calendar date in a jurisdiction's time zone, 'YYYY-MM-DD'. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const MS_PER_DAY = 86_400_000;

export interface YMD { y: number; m: number; d: number }

/** Parses and checks a 'YYYY-MM-DD' date (rejects 2027-02-29, 2026-13-01 ...). */
export function parseLocalDate(date: LocalDate, field = 'date'): YMD {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`${field}: must be a date YYYY-MM-DD`);
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) {
    throw new RangeError(`${field}: ${date} is not a calendar date`);
  }
  return ymd;
}

export function formatLocalDate(y: number, m: number, d: number): LocalDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 1970-01-01 (proleptic Gregorian). */
export function dayNumber(date: LocalDate): number {
  const { y, m, d } = parseLocalDate(date);
  return Math.round(utcMidnight(y, m, d) / MS_PER_DAY);
}

export function fromDayNumber(n: number): LocalDate {
  const t = new Date(n * MS_PER_DAY);
  return formatLocalDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function utcMidnight(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // setUTCFullYear keeps years 0-99 literal, unlike Date.UTC
  t.setUTCHours(0, 0, 0, 0);
  return t.getTime();
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** Calendar days from a to b (b - a); negative when b is before a. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(date: LocalDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/**
 * The same day-of-month n months later; when that day does not exist in the target month, the
 * month's last day (GDPR Art 12(3) read with Regulation 1182/71 Art 3(2)(c)): 01-31 + 1 -> 02-28/29.
 */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const { y, m, d } = parseLocalDate(date);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return formatLocalDate(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** The nth (1-based) given weekday of a month, or with n = -1 the last one. */
export function nthWeekdayOfMonth(y: number, m: number, wd: number, n: number): LocalDate {
  if (n === -1) {
    const last = formatLocalDate(y, m, daysInMonth(y, m));
    return addDays(last, -((weekday(last) - wd + 7) % 7));
  }
  const first = formatLocalDate(y, m, 1);
  return addDays(first, ((wd - weekday(first) + 7) % 7) + (n - 1) * 7);
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(y: number): LocalDate {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const mm = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * mm + 114) / 31);
  const day = ((h + l - 7 * mm + 114) % 31) + 1;
  return formatLocalDate(y, month, day);
}

// ---- instants -> local dates -------------------------------------------------------------

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/iu;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Parses an instant: a Date, or an ISO 8601 string WITH a time and an offset ('Z' or '+02:00').
 * A bare date ('2026-11-20') is refused: which day it is depends on the zone, so it is ambiguous.
 */
export function toInstant(instant: Date | string, field = 'instant'): Date {
  if (instant instanceof Date) {
    if (Number.isNaN(instant.getTime())) throw new RangeError(`${field}: invalid date`);
    return instant;
  }
  if (typeof instant !== 'string' || !ISO_INSTANT.test(instant)) {
    throw new RangeError(`${field}: must be an ISO 8601 instant with a time and offset, e.g. 2026-11-20T17:00:00Z`);
  }
  try {
    parseLocalDate(instant.slice(0, 10), field); // Date would roll 02-30 over into March
  } catch {
    throw new RangeError(`${field}: not a valid instant (no such calendar date)`);
  }
  const t = new Date(instant);
  if (Number.isNaN(t.getTime())) throw new RangeError(`${field}: not a valid instant`);
  return t;
}

// Every UTC offset in use is a multiple of 15 minutes and changes only on such a boundary, so all
// instants of one 15-minute slot share a local date: memoise per zone and slot (bounded).
const SLOT_MS = 15 * 60_000;
const MEMO_LIMIT = 200_000;
const memo = new Map<string, Map<number, LocalDate>>();

/** The calendar date of an instant in an IANA time zone. */
export function localDateInZone(instant: Date | string, timeZone: string, field = 'instant'): LocalDate {
  const t = toInstant(instant, field);
  const slot = Math.floor(t.getTime() / SLOT_MS);
  let zoneMemo = memo.get(timeZone);
  const hit = zoneMemo?.get(slot);
  if (hit !== undefined) return hit;
  const parts = formatterFor(timeZone).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const date = formatLocalDate(get('year'), get('month'), get('day'));
  if (!zoneMemo) memo.set(timeZone, (zoneMemo = new Map()));
  if (zoneMemo.size >= MEMO_LIMIT) zoneMemo.clear();
  zoneMemo.set(slot, date);
  return date;
}
