// The legal clock: acknowledge-by and respond-by dates of a case, extensions and pauses, per the
// jurisdiction rules in jurisdiction-rules.ts. Pure: time is always passed in.
import { JURISDICTIONS, type CaseType, type HoldReason, type Jurisdiction } from './case';
import {
  addDays, addMonths, daysBetween, localDateInZone, type LocalDate,
} from './deadlines-calendar';
import { addBusinessDays, nextBusinessDayOnOrAfter } from './holidays';
import { rulesFor, typeRule, type JurisdictionRule, type Period } from './jurisdiction-rules';

export type { LocalDate } from './deadlines-calendar';
export { addBusinessDays, isBusinessDay, holidaysFor } from './holidays';
export type { Holiday } from './holidays';

export interface ClockPause { from: string; to: string | null; reason: HoldReason }

export interface ClockInput {
  jurisdiction: Jurisdiction;
  type: CaseType;
  /** ISO instant with offset. */
  receivedAt: string;
  extended: boolean;
  pauses: readonly ClockPause[];
}

export interface ComputedDeadlines {
  /** Confirm receipt by (null where the law sets no such deadline, e.g. CA opt-outs, GDPR). */
  acknowledge: LocalDate | null;
  /** The date the response is due, after the extension (if taken) and counting pauses. */
  respond: LocalDate;
  /** The due date without the extension (still counting pauses): the last day to claim one. */
  respondOriginal: LocalDate;
  /** An open pause whose reason stops the clock in this jurisdiction. */
  paused: boolean;
}

/** The calendar date of an instant in the jurisdiction's time zone. */
export function localDate(instant: Date | string, jurisdiction: Jurisdiction): LocalDate {
  return localDateInZone(instant, rulesFor(jurisdiction).timeZone);
}

function endOf(start: LocalDate, p: Period, j: Jurisdiction): LocalDate {
  switch (p.unit) {
    case 'calendar_days': return addDays(start, p.n);
    case 'business_days': return addBusinessDays(start, p.n, j);
    case 'months': return addMonths(start, p.n);
  }
}

/** The period plus the extension, counted as one period from receipt when the units agree. */
function extendedEnd(start: LocalDate, respond: Period, ext: Period, j: Jurisdiction): LocalDate {
  if (respond.unit === ext.unit) return endOf(start, { unit: respond.unit, n: respond.n + ext.n }, j);
  return endOf(endOf(start, respond, j), ext, j);
}

/**
 * The local days lost to pauses that stop the clock here: for each such pause, every day from the
 * day it began up to (not including) the day it ended; an open pause runs up to (not including)
 * `now`'s date when given, and adds nothing otherwise. Overlapping pauses count a day once.
 */
function pausedDays(input: ClockInput, rule: JurisdictionRule, now?: Date): LocalDate[] {
  const set = new Set<LocalDate>();
  input.pauses.forEach((p, i) => {
    if (!rule.pauseReasons.includes(p.reason)) return;
    const from = localDateInZone(p.from, rule.timeZone, `pauses[${i}].from`);
    const toInstant = p.to ?? now ?? null;
    if (toInstant === null) return;
    const to = localDateInZone(toInstant, rule.timeZone, p.to !== null ? `pauses[${i}].to` : 'now');
    for (let d = from; d < to; d = addDays(d, 1)) set.add(d);
  });
  return [...set].sort();
}

/** Each paused day on which the clock was still running (on or before the due date so far) adds a day. */
function pushed(end: LocalDate, receipt: LocalDate, lost: readonly LocalDate[]): LocalDate {
  let r = end;
  for (const d of lost) if (d >= receipt && d <= r) r = addDays(r, 1);
  return r;
}

function finish(end: LocalDate, period: Period, rule: JurisdictionRule, receipt: LocalDate, lost: readonly LocalDate[]): LocalDate {
  let r = pushed(end, receipt, lost);
  if (rule.rollToBusinessDay || (period.unit === 'business_days' && r !== end)) {
    r = nextBusinessDayOnOrAfter(r, rule.jurisdiction);
  }
  return r;
}

/**
 * The deadlines of a case. `now` is optional: when given, an open pause that stops the clock counts
 * up to today, so the due date (and days left) stand still while the case is paused.
 */
export function computeDeadlines(input: ClockInput, now?: Date): ComputedDeadlines {
  const rule = rulesFor(input.jurisdiction);
  const t = typeRule(input.jurisdiction, input.type);
  const receipt = localDateInZone(input.receivedAt, rule.timeZone, 'receivedAt');
  const lost = pausedDays(input, rule, now);

  const acknowledge = t.acknowledge ? endOf(receipt, t.acknowledge, input.jurisdiction) : null;
  const respondOriginal = finish(endOf(receipt, t.respond, input.jurisdiction), t.respond, rule, receipt, lost);
  const respond = input.extended && t.extension
    ? finish(extendedEnd(receipt, t.respond, t.extension, input.jurisdiction), t.extension, rule, receipt, lost)
    : respondOriginal;
  const paused = input.pauses.some((p) => p.to === null && rule.pauseReasons.includes(p.reason));
  return { acknowledge, respond, respondOriginal, paused };
}

/**
 * Today in every jurisdiction's zone, grouped by date (at any instant there are at most a few
 * distinct dates, e.g. Los Angeles still on Monday while Brussels is on Tuesday), latest date first.
 * A case is overdue when it is open and its due date is before today in its own zone: the queue
 * compares each case's stored due date with its group's date (`respond_by < date`).
 */
export function todayByJurisdiction(now: Date): Array<{ date: LocalDate; jurisdictions: Jurisdiction[] }> {
  const byDate = new Map<LocalDate, Jurisdiction[]>();
  for (const j of JURISDICTIONS) {
    const d = localDate(now, j);
    const list = byDate.get(d);
    if (list) list.push(j); else byDate.set(d, [j]);
  }
  return [...byDate.entries()].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([date, jurisdictions]) => ({ date, jurisdictions }));
}

/** Today in each jurisdiction time zone, with the jurisdictions that use it (in JURISDICTIONS order). */
export function todayByZone(now: Date): Array<{ timeZone: string; date: LocalDate; jurisdictions: Jurisdiction[] }> {
  const zones = new Map<string, Jurisdiction[]>();
  for (const j of JURISDICTIONS) {
    const z = rulesFor(j).timeZone;
    const list = zones.get(z);
    if (list) list.push(j); else zones.set(z, [j]);
  }
  return [...zones].map(([timeZone, jurisdictions]) => ({ timeZone, date: localDateInZone(now, timeZone), jurisdictions }));
}

/** Calendar days from today (in the jurisdiction's zone) to the due date: 0 on the day itself, negative once breached. */
export function daysLeft(respond: LocalDate, now: Date, jurisdiction: Jurisdiction): number {
  return daysBetween(localDate(now, jurisdiction), respond);
}

export function isBreached(respond: LocalDate, now: Date, jurisdiction: Jurisdiction): boolean {
  return daysLeft(respond, now, jurisdiction) < 0;
}

export interface ClockStatus extends ComputedDeadlines { daysLeft: number; breached: boolean }

/** Everything the console shows about the clock of one case: due dates, days left, breached or not. */
export function clockStatus(input: ClockInput, now: Date): ClockStatus {
  const d = computeDeadlines(input, now);
  const left = daysLeft(d.respond, now, input.jurisdiction);
  return { ...d, daysLeft: left, breached: left < 0 };
}

export type ExtendCheck = { ok: true } | { ok: false; reason: string };

/**
 * May the case be extended now? Once only, and no later than the first due date (the notice of the
 * extension must reach the consumer within the first period); opt-outs/limits in CA cannot be.
 */
export function canExtend(input: ClockInput, now: Date): ExtendCheck {
  const t = typeRule(input.jurisdiction, input.type);
  if (!t.extension) {
    return { ok: false, reason: `${input.type} requests cannot be extended in ${input.jurisdiction} (${t.citation.split(' (')[0]})` };
  }
  if (input.extended) return { ok: false, reason: 'the deadline was already extended once; a second extension is not allowed' };
  const first = computeDeadlines({ ...input, extended: false }, now).respondOriginal;
  const today = localDate(now, input.jurisdiction);
  if (today > first) {
    return { ok: false, reason: `the first due date ${first} has passed; an extension must be taken, and the consumer told, by then` };
  }
  return { ok: true };
}
