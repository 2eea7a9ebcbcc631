// The legal clock per jurisdiction, as data with its citations. deadlines.ts interprets it.
// Reasoning behind each choice (and what was deliberately left out) is in docs/DEADLINES.md.
import { JURISDICTIONS, type CaseType, type HoldReason, type Jurisdiction } from './case';

export type HolidayCalendarId = 'US-CA' | 'US-FED' | 'BE' | 'GB-EAW';

/** A length of time counted from the local date of receipt (the receipt day itself is not counted). */
export type Period =
  | { unit: 'calendar_days'; n: number }
  | { unit: 'business_days'; n: number }
  /** Same day-of-month n months later, or that month's last day when the day does not exist. */
  | { unit: 'months'; n: number };

export interface TypeRule {
  /** Confirm receipt by (null: the law sets no acknowledgement deadline). */
  acknowledge: Period | null;
  respond: Period;
  /** One extension on top of respond (null: cannot be extended). Notice must go out before the first due date. */
  extension: Period | null;
  citation: string;
}

export interface JurisdictionRule {
  jurisdiction: Jurisdiction;
  name: string;
  law: string;
  /** IANA zone in which "the day of receipt" and "today" are read. */
  timeZone: string;
  holidayCalendar: HolidayCalendarId;
  byType: Readonly<Record<CaseType, TypeRule>>;
  /** Hold reasons that stop the clock in this jurisdiction (the others leave it running). */
  pauseReasons: readonly HoldReason[];
  pauseCitation: string;
  /** When the last day falls on a weekend or public holiday, the deadline moves to the next working day. */
  rollToBusinessDay: boolean;
  rollCitation: string;
}

const days = (n: number): Period => ({ unit: 'calendar_days', n });
const businessDays = (n: number): Period => ({ unit: 'business_days', n });
const months = (n: number): Period => ({ unit: 'months', n });

function allTypes(rule: TypeRule, overrides: Partial<Record<CaseType, TypeRule>> = {}): Record<CaseType, TypeRule> {
  return {
    access: rule, delete: rule, delete_pii: rule, correct: rule, opt_out: rule, limit: rule,
    ...overrides,
  };
}

// ---- California (CCPA as amended by the CPRA, and the CPPA regulations) -------------------------

const CCPA_REQUEST: TypeRule = {
  acknowledge: businessDays(10),
  respond: days(45),
  extension: days(45),
  citation: 'Cal. Civ. Code §1798.130(a)(2)(A) (45 days from receipt, extendable once by 45 days when reasonably necessary with notice within the first 45); CCPA Regs. (11 CCR) §7021(a) (confirm receipt within 10 business days) and §7021(b) (45 calendar days, beginning on the day of receipt regardless of verification time); §7001 "business day" = Monday to Friday excluding state holidays',
};

const CA: JurisdictionRule = {
  jurisdiction: 'CA',
  name: 'California',
  law: 'CCPA/CPRA (Cal. Civ. Code §1798.100 et seq.; 11 CCR §7000 et seq.)',
  timeZone: 'America/Los_Angeles',
  holidayCalendar: 'US-CA',
  byType: allTypes(CCPA_REQUEST, {
    opt_out: {
      acknowledge: null,
      respond: businessDays(15),
      extension: null,
      citation: '11 CCR §7026(f) (comply with a request to opt out of sale/sharing as soon as feasibly possible, no later than 15 business days from receipt; no confirmation of receipt or verification required)',
    },
    limit: {
      acknowledge: null,
      respond: businessDays(15),
      extension: null,
      citation: '11 CCR §7027(g) (comply with a request to limit the use of sensitive personal information as soon as feasibly possible, no later than 15 business days from receipt)',
    },
  }),
  pauseReasons: [],
  pauseCitation: '11 CCR §7021(b): the 45-calendar-day period begins on the day of receipt "regardless of time required to verify the request"; neither the statute nor the regulations suspend it for a legal hold',
  rollToBusinessDay: false,
  rollCitation: 'None in the CCPA; Cal. Civ. Code §10 would move a period ending on a holiday, but the regulations count "45 calendar days" and the earlier date is kept (conservative)',
};

// ---- EU GDPR and UK GDPR --------------------------------------------------------------------

const GDPR_REQUEST: TypeRule = {
  acknowledge: null,
  respond: months(1),
  extension: months(2),
  citation: 'GDPR Art 12(3) (within one month of receipt, extendable by two further months, the data subject informed within the first month); Regulation (EEC, Euratom) No 1182/71 Art 3(1)-(2)(c) (a period in months ends on the same date as the day of receipt, or the last day of the month when that date does not exist)',
};

const EU: JurisdictionRule = {
  jurisdiction: 'EU',
  name: 'European Union',
  law: 'GDPR (Regulation (EU) 2016/679)',
  timeZone: 'Europe/Brussels',
  holidayCalendar: 'BE',
  byType: allTypes(GDPR_REQUEST),
  pauseReasons: ['awaiting_consumer'],
  pauseCitation: 'GDPR Art 12(6) and Art 11(2) (the controller may request additional information necessary to confirm identity and cannot act until it has it); EDPB Guidelines 01/2022 on the right of access, timing section. A legal hold is not a ground to delay the reply (Art 12(4): a refusal must be answered within the month)',
  rollToBusinessDay: false,
  rollCitation: 'Regulation 1182/71 Art 3(4) would move a period ending on a Saturday, Sunday or public holiday to the next working day; not applied (the earlier date is kept, conservative) since GDPR Art 12(3) and EDPB guidance do not rely on it',
};

const UK: JurisdictionRule = {
  jurisdiction: 'UK',
  name: 'United Kingdom',
  law: 'UK GDPR and Data Protection Act 2018',
  timeZone: 'Europe/London',
  holidayCalendar: 'GB-EAW',
  byType: allTypes({
    ...GDPR_REQUEST,
    citation: 'UK GDPR Art 12(3) (one month from receipt, extendable by two further months); ICO guidance on the right of access "How long do we have to comply?" (from the day of receipt to the corresponding calendar date of the next month, or its last day)',
  }),
  pauseReasons: ['awaiting_consumer'],
  pauseCitation: 'UK GDPR Art 12(6); ICO guidance: the time limit runs from receipt of the information needed to confirm identity or to clarify the request ("stop the clock"), codified by the Data (Use and Access) Act 2025 (UK GDPR Art 12A)',
  rollToBusinessDay: true,
  rollCitation: 'ICO guidance on the right of access: "If the corresponding date falls on a weekend or a public holiday, you have until the next working day to respond" (England and Wales bank holidays)',
};

// ---- Other US state comprehensive privacy laws ----------------------------------------------

interface StateLaw { name: string; law: string; zone: string; respondDays?: number; citation: string }

const STATE_LAWS: Record<Exclude<Jurisdiction, 'CA' | 'EU' | 'UK'>, StateLaw> = {
  VA: { name: 'Virginia', law: 'Virginia Consumer Data Protection Act', zone: 'America/New_York', citation: 'Va. Code §59.1-577(B)' },
  CO: { name: 'Colorado', law: 'Colorado Privacy Act', zone: 'America/Denver', citation: 'C.R.S. §6-1-1306(2)' },
  CT: { name: 'Connecticut', law: 'Connecticut Data Privacy Act', zone: 'America/New_York', citation: 'Conn. Gen. Stat. §42-518' },
  UT: { name: 'Utah', law: 'Utah Consumer Privacy Act', zone: 'America/Denver', citation: 'Utah Code §13-61-203' },
  OR: { name: 'Oregon', law: 'Oregon Consumer Privacy Act', zone: 'America/Los_Angeles', citation: 'ORS 646A.576' },
  TX: { name: 'Texas', law: 'Texas Data Privacy and Security Act', zone: 'America/Chicago', citation: 'Tex. Bus. & Com. Code §541.052' },
  MT: { name: 'Montana', law: 'Montana Consumer Data Privacy Act', zone: 'America/Denver', citation: 'Mont. Code Ann. §30-14-2801 et seq.' },
  IA: { name: 'Iowa', law: 'Iowa Consumer Data Protection Act', zone: 'America/Chicago', respondDays: 90, citation: 'Iowa Code §715D.4 (90 days of receipt, extendable once by 45 days)' },
  DE: { name: 'Delaware', law: 'Delaware Personal Data Privacy Act', zone: 'America/New_York', citation: 'Del. Code tit. 6, ch. 12D' },
  NJ: { name: 'New Jersey', law: 'New Jersey Data Privacy Act', zone: 'America/New_York', citation: 'N.J.S.A. 56:8-166.4 et seq.' },
  NH: { name: 'New Hampshire', law: 'New Hampshire Privacy Act', zone: 'America/New_York', citation: 'N.H. RSA ch. 507-H' },
  NE: { name: 'Nebraska', law: 'Nebraska Data Privacy Act', zone: 'America/Chicago', citation: 'Neb. Rev. Stat. §87-1101 et seq.' },
  TN: { name: 'Tennessee', law: 'Tennessee Information Protection Act', zone: 'America/Chicago', citation: 'Tenn. Code Ann. §47-18-3201 et seq.' },
  MN: { name: 'Minnesota', law: 'Minnesota Consumer Data Privacy Act', zone: 'America/Chicago', citation: 'Minn. Stat. ch. 325M' },
  MD: { name: 'Maryland', law: 'Maryland Online Data Privacy Act', zone: 'America/New_York', citation: 'Md. Code, Com. Law §14-4601 et seq.' },
  IN: { name: 'Indiana', law: 'Indiana Consumer Data Protection Act', zone: 'America/Indiana/Indianapolis', citation: 'Ind. Code art. 24-15' },
  KY: { name: 'Kentucky', law: 'Kentucky Consumer Data Protection Act', zone: 'America/New_York', citation: 'KRS 367.3611 et seq.' },
  RI: { name: 'Rhode Island', law: 'Rhode Island Data Transparency and Privacy Protection Act', zone: 'America/New_York', citation: 'R.I. Gen. Laws ch. 6-48.1' },
};

function stateRule(j: Jurisdiction, s: StateLaw): JurisdictionRule {
  const n = s.respondDays ?? 45;
  return {
    jurisdiction: j,
    name: s.name,
    law: s.law,
    timeZone: s.zone,
    holidayCalendar: 'US-FED',
    byType: allTypes({
      acknowledge: null,
      respond: days(n),
      extension: days(45),
      citation: `${s.citation}: respond within ${n} days of receipt; extendable once by 45 additional days when reasonably necessary, with notice and the reason within the first ${n} days (the same for every consumer right, opt-outs included)`,
    }),
    pauseReasons: [],
    pauseCitation: `${s.law}: the period runs from receipt of the request; no suspension while authenticating or for a legal hold`,
    rollToBusinessDay: false,
    rollCitation: 'None: the period is counted in calendar days',
  };
}

export const JURISDICTION_RULES: Readonly<Record<Jurisdiction, JurisdictionRule>> = {
  CA, EU, UK,
  ...Object.fromEntries(Object.entries(STATE_LAWS).map(([j, s]) => [j, stateRule(j as Jurisdiction, s)])),
} as Record<Jurisdiction, JurisdictionRule>;

export function rulesFor(jurisdiction: Jurisdiction): JurisdictionRule {
  const r = (JURISDICTION_RULES as Record<string, JurisdictionRule | undefined>)[jurisdiction];
  if (!r) throw new RangeError(`jurisdiction: unknown "${String(jurisdiction).slice(0, 20)}" (expected one of ${JURISDICTIONS.join(', ')})`);
  return r;
}

export function typeRule(jurisdiction: Jurisdiction, type: CaseType): TypeRule {
  const r = rulesFor(jurisdiction).byType[type];
  if (!r) throw new RangeError(`type: unknown case type "${String(type).slice(0, 20)}"`);
  return r;
}
