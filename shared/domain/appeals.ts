// Appeals of a refused request (US state privacy laws): may this case be appealed, and when is the
// answer due. Pure: dates and "today" are passed in. The rules per state (period, extension, the
// Attorney General to name in a refusal) are data in jurisdiction-rules.ts; docs/DEADLINES.md cites them.
import { z } from 'zod';
import type { CaseStatus, Jurisdiction } from './case';
import { addDays, parseLocalDate, type LocalDate } from './deadlines-calendar';
import { rulesFor, type AppealRule, type Period } from './jurisdiction-rules';

export const APPEAL_OUTCOMES = ['granted', 'upheld'] as const;
export const AppealOutcomeSchema = z.enum(APPEAL_OUTCOMES);
export type AppealOutcome = z.infer<typeof AppealOutcomeSchema>;

export interface AppealClockInput {
  jurisdiction: Jurisdiction;
  /** The local date (in the jurisdiction's zone) on which the appeal was received. */
  receivedOn: LocalDate;
  extended: boolean;
}

export interface AppealDeadlines {
  /** The answer is due by (after the extension, when taken). */
  respond: LocalDate;
  /** Without the extension: also the last day to take one (the notice goes out within the first period). */
  respondOriginal: LocalDate;
}

function days(p: Period): number {
  if (p.unit !== 'calendar_days') throw new RangeError(`appeal periods are counted in calendar days (got ${p.unit})`);
  return p.n;
}

/** The rule, or a RangeError saying the law gives no appeal (CCPA, GDPR, UK GDPR, Utah). */
export function appealRuleOrThrow(jurisdiction: Jurisdiction): AppealRule {
  const r = rulesFor(jurisdiction);
  if (!r.appeal) throw new RangeError(`${r.name} (${jurisdiction}) gives no appeal of a refused request: ${r.appealCitation}`);
  return r.appeal;
}

/**
 * Receipt + the state's period (the receipt day is day 0), plus the extension when taken. Calendar
 * days, not moved off a weekend (the earlier date, as for requests).
 * Virginia, received 2027-03-01: due 2027-04-30; Colorado: 2027-04-15, extended 2027-06-14.
 */
export function appealDeadlines(input: AppealClockInput): AppealDeadlines {
  parseLocalDate(input.receivedOn, 'receivedOn');
  const rule = appealRuleOrThrow(input.jurisdiction);
  const first = addDays(input.receivedOn, days(rule.respond));
  const respond = input.extended && rule.extension ? addDays(input.receivedOn, days(rule.respond) + days(rule.extension)) : first;
  return { respond, respondOriginal: first };
}

export type AppealCheck = { ok: true } | { ok: false; reason: string };

/**
 * A case may be appealed when its jurisdiction's law gives an appeal and the request was refused in
 * whole (denied, except withdrawn by the consumer) or in part (closed with something refused: rows
 * kept as exempt, a categories report instead of specific pieces).
 */
export function mayAppeal(c: { jurisdiction: Jurisdiction; status: CaseStatus; denialReason: string | null; refusedInPart: boolean }): AppealCheck {
  const r = rulesFor(c.jurisdiction);
  if (!r.appeal) return { ok: false, reason: `${r.name} (${c.jurisdiction}) gives no appeal of a refused request: ${r.appealCitation}` };
  return refusal(c);
}

/**
 * Was the request refused, in whole or in part, whatever the state's law says of appeals (the
 * privacy center tells a refused consumer of a state without appeals where else to turn).
 */
export function refusal(c: { status: CaseStatus; denialReason: string | null; refusedInPart: boolean }): AppealCheck {
  if (c.status === 'denied') {
    if (c.denialReason === 'withdrawn') return { ok: false, reason: 'the consumer withdrew the request; there is no refusal to appeal' };
    return { ok: true };
  }
  if (c.status === 'closed' && c.refusedInPart) return { ok: true };
  if (c.status === 'closed') return { ok: false, reason: 'the request was complied with in full; there is no refusal to appeal' };
  return { ok: false, reason: `the case is ${c.status}: only a denied or partly refused request can be appealed` };
}

/** May the appeal's answer be extended now: where the law allows it, once, by the first due date. */
export function canExtendAppeal(input: AppealClockInput, today: LocalDate): AppealCheck {
  const rule = appealRuleOrThrow(input.jurisdiction);
  if (!rule.extension) return { ok: false, reason: `${rulesFor(input.jurisdiction).name} allows no extension of an appeal's answer (${rule.citation.split(' (')[0]})` };
  if (input.extended) return { ok: false, reason: 'the appeal was already extended once' };
  const first = appealDeadlines({ ...input, extended: false }).respondOriginal;
  if (today > first) return { ok: false, reason: `the first due date ${first} has passed; the extension must be noticed within the first period` };
  return { ok: true };
}
