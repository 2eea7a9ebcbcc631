// The legal clock per jurisdiction, as data with its citations. deadlines.ts interprets it.
// Reasoning behind each choice (and what was deliberately left out) is in docs/DEADLINES.md.
import { JURISDICTIONS, type CaseType, type HoldReason, type Jurisdiction } from './case';
import type { LocalDate } from './deadlines-calendar';

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

/** Who to contact about a refused appeal: the office the statute names, and its website. */
export interface AttorneyGeneral { office: string; website: string }

/** The consumer's appeal of a refusal (US state laws): its own answer period, counted from its receipt. */
export interface AppealRule {
  respond: Period;
  /** One extension (Colorado, Oregon, Minnesota: 60 days) with notice within the first period; null: none. */
  extension: Period | null;
  /** A refused appeal tells the consumer how to contact this office (every state law with appeals says so). */
  attorneyGeneral: AttorneyGeneral;
  citation: string;
}

/** Must a business treat a universal opt-out preference signal (GPC) as an opt-out, and from when. */
export interface OptOutSignalRule { required: boolean; from: LocalDate | null; citation: string }

export interface JurisdictionRule {
  jurisdiction: Jurisdiction;
  name: string;
  law: string;
  /** The day the law's consumer rights took (or take) effect. */
  effective: LocalDate;
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
  /** The appeal of a refusal (null: the law gives none, e.g. CCPA, GDPR, Utah). */
  appeal: AppealRule | null;
  /** Where the appeal rule (or its absence) comes from. */
  appealCitation: string;
  optOutSignal: OptOutSignalRule;
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
  effective: '2020-01-01',
  appeal: null,
  appealCitation: 'The CCPA and its regulations give no appeal to the business; a denial explains the basis and the consumer may complain to the California Privacy Protection Agency or the Attorney General (11 CCR §7022(f)(1), §7024(e)); Cal. Civ. Code §1798.199.10 et seq.',
  optOutSignal: { required: true, from: '2023-01-01', citation: 'Cal. Civ. Code §1798.135(b)(1), (e); 11 CCR §7025(b) (process an opt-out preference signal as a valid request to opt out of sale/sharing), §7026(a)(1)' },
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
  effective: '2018-05-25',
  appeal: null,
  appealCitation: 'GDPR gives no appeal to the controller: a refusal tells the data subject of the right to lodge a complaint with a supervisory authority and to seek a judicial remedy (Art 12(4), Art 77, Art 79)',
  optOutSignal: { required: false, from: null, citation: 'GDPR Art 21(5) allows objecting by automated means using technical specifications; no specific signal is mandated' },
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
  effective: '2021-01-01',
  appeal: null,
  appealCitation: 'UK GDPR gives no appeal to the controller: a refusal tells the individual of the right to complain to the ICO and to seek a judicial remedy (Art 12(4), Art 77, Art 79); the Data (Use and Access) Act 2025 adds a duty to handle complaints (DPA 2018 s.164A)',
  optOutSignal: { required: false, from: null, citation: 'UK GDPR Art 21(5) allows objecting by automated means; no specific signal is mandated' },
};

// ---- Other US state comprehensive privacy laws ----------------------------------------------
// Every comprehensive consumer privacy law of a US state in force by 2027 (checked against each
// act; docs/DEADLINES.md has the table and the readings chosen). Each act: respond within 45 days
// (Iowa 90) of receipt, one extension (45 days; Florida 15) with notice inside the first period;
// an appeal of a refusal answered within its own period, the refusal of an appeal telling the
// consumer how to contact the Attorney General; some require a universal opt-out signal.

interface StateLaw {
  name: string;
  law: string;
  zone: string;
  effective: LocalDate;
  respondDays?: number;
  extensionDays?: number;
  /** Where the act sets the 45-day response and the extension. */
  citation: string;
  /** null: the act gives no appeal (Utah). */
  appeal: { days: number; extensionDays?: number; citation: string; ag: AttorneyGeneral } | null;
  noAppealCitation?: string;
  optOutSignal: OptOutSignalRule;
}

const ag = (office: string, website: string): AttorneyGeneral => ({ office, website });
const signal = (from: LocalDate, citation: string): OptOutSignalRule => ({ required: true, from, citation });
const noSignal = (citation: string): OptOutSignalRule => ({ required: false, from: null, citation });

const STATE_LAWS: Record<Exclude<Jurisdiction, 'CA' | 'EU' | 'UK'>, StateLaw> = {
  VA: {
    name: 'Virginia', law: 'Virginia Consumer Data Protection Act', zone: 'America/New_York', effective: '2023-01-01',
    citation: 'Va. Code §59.1-577(B)(1)',
    appeal: { days: 60, citation: 'Va. Code §59.1-577(C) (answer in writing within 60 days of receipt of the appeal; if the appeal is denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Office of the Attorney General of Virginia, Consumer Protection Section', 'https://www.oag.state.va.us/consumer-protection') },
    optOutSignal: noSignal('Va. Code §59.1-577: no duty to honour a universal opt-out signal'),
  },
  CO: {
    name: 'Colorado', law: 'Colorado Privacy Act', zone: 'America/Denver', effective: '2023-07-01',
    citation: 'C.R.S. §6-1-1306(2)(a)-(b)',
    appeal: { days: 45, extensionDays: 60, citation: 'C.R.S. §6-1-1306(3) (answer within 45 days of receipt of the appeal, extendable by 60 additional days where reasonably necessary, the consumer told of the extension and the reasons within the 45 days; the answer informs the consumer of the ability to contact the Attorney General if the consumer has concerns about the result); 4 CCR 904-3 Rule 4.09', ag: ag('Colorado Attorney General, Consumer Protection Section', 'https://coag.gov/file-complaint') },
    optOutSignal: signal('2024-07-01', 'C.R.S. §6-1-1306(1)(a)(IV)(B) (opt out through a user-selected universal opt-out mechanism from July 1, 2024); 4 CCR 904-3 Rule 5'),
  },
  CT: {
    name: 'Connecticut', law: 'Connecticut Data Privacy Act', zone: 'America/New_York', effective: '2023-07-01',
    citation: 'Conn. Gen. Stat. §42-518',
    appeal: { days: 60, citation: 'Conn. Gen. Stat. §42-518 (answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Office of the Attorney General of Connecticut, Privacy and Data Security Section', 'https://portal.ct.gov/ag') },
    optOutSignal: signal('2025-01-01', 'Conn. Gen. Stat. §42-520 (an opt-out preference signal sent with the consumer\'s consent, from January 1, 2025)'),
  },
  UT: {
    name: 'Utah', law: 'Utah Consumer Privacy Act', zone: 'America/Denver', effective: '2023-12-31',
    citation: 'Utah Code §13-61-203(4)',
    appeal: null,
    noAppealCitation: 'Utah Code §13-61-203: the act gives no right to appeal a controller\'s refusal (the only comprehensive US state law without one)',
    optOutSignal: noSignal('Utah Code §13-61-201: no duty to honour a universal opt-out signal'),
  },
  TX: {
    name: 'Texas', law: 'Texas Data Privacy and Security Act', zone: 'America/Chicago', effective: '2024-07-01',
    citation: 'Tex. Bus. & Com. Code §541.052(b)',
    appeal: { days: 60, citation: 'Tex. Bus. & Com. Code §541.053 (answer in writing not later than the 60th day after receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Office of the Attorney General of Texas, Consumer Protection Division', 'https://www.texasattorneygeneral.gov/consumer-protection') },
    optOutSignal: signal('2025-01-01', 'Tex. Bus. & Com. Code §541.055(e) (a user-selected universal opt-out mechanism, from January 1, 2025)'),
  },
  OR: {
    name: 'Oregon', law: 'Oregon Consumer Privacy Act', zone: 'America/Los_Angeles', effective: '2024-07-01',
    citation: 'ORS 646A.576',
    appeal: { days: 45, extensionDays: 60, citation: 'ORS 646A.576 (answer within 45 days of receipt of the appeal, extendable by 60 additional days where reasonably necessary, with notice and the reasons within the 45 days; if denied, the method by which the consumer may submit a complaint to the Attorney General)', ag: ag('Oregon Department of Justice, Consumer Protection', 'https://www.doj.state.or.us/consumer-protection') },
    optOutSignal: signal('2026-01-01', 'ORS 646A.574 (an opt-out preference signal, from January 1, 2026)'),
  },
  MT: {
    name: 'Montana', law: 'Montana Consumer Data Privacy Act', zone: 'America/Denver', effective: '2024-10-01',
    citation: 'Mont. Code Ann. §30-14-2801 et seq. (consumer requests)',
    appeal: { days: 60, citation: 'Mont. Code Ann. §30-14-2801 et seq. (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Montana Department of Justice, Office of Consumer Protection', 'https://dojmt.gov/consumer') },
    optOutSignal: signal('2025-01-01', 'Mont. Code Ann. §30-14-2801 et seq. (an opt-out preference signal, from January 1, 2025)'),
  },
  IA: {
    name: 'Iowa', law: 'Iowa Consumer Data Protection Act', zone: 'America/Chicago', effective: '2025-01-01', respondDays: 90,
    citation: 'Iowa Code §715D.4 (90 days of receipt, extendable once by 45 days)',
    appeal: { days: 60, citation: 'Iowa Code §715D.4 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Iowa Attorney General, Consumer Protection Division', 'https://www.iowaattorneygeneral.gov') },
    optOutSignal: noSignal('Iowa Code ch. 715D: no duty to honour a universal opt-out signal'),
  },
  DE: {
    name: 'Delaware', law: 'Delaware Personal Data Privacy Act', zone: 'America/New_York', effective: '2025-01-01',
    citation: 'Del. Code tit. 6, §12D-104',
    appeal: { days: 60, citation: 'Del. Code tit. 6, §12D-104 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Delaware Department of Justice, Consumer Protection Unit', 'https://attorneygeneral.delaware.gov/fraud/cpu') },
    optOutSignal: signal('2026-01-01', 'Del. Code tit. 6, §12D-104 (an opt-out preference signal, from January 1, 2026)'),
  },
  NJ: {
    name: 'New Jersey', law: 'New Jersey Data Privacy Act', zone: 'America/New_York', effective: '2025-01-15',
    citation: 'N.J.S.A. 56:8-166.4 et seq. (P.L.2023, c.266, §5)',
    appeal: { days: 45, citation: 'N.J.S.A. 56:8-166.4 et seq. (P.L.2023, c.266, §5: answer the appeal in writing within 45 days of receipt, with the reasons; if denied, how to contact the Division of Consumer Affairs to submit a complaint). Reading chosen: no extension of the appeal period is applied (the earlier deadline)', ag: ag('New Jersey Division of Consumer Affairs (Office of the Attorney General)', 'https://www.njconsumeraffairs.gov') },
    optOutSignal: signal('2025-07-15', 'N.J.S.A. 56:8-166.4 et seq. (P.L.2023, c.266, §8: a user-selected universal opt-out mechanism, from July 15, 2025)'),
  },
  NH: {
    name: 'New Hampshire', law: 'New Hampshire Privacy Act', zone: 'America/New_York', effective: '2025-01-01',
    citation: 'N.H. RSA 507-H:4',
    appeal: { days: 60, citation: 'N.H. RSA 507-H:4 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('New Hampshire Department of Justice, Consumer Protection and Antitrust Bureau', 'https://www.doj.nh.gov/consumer') },
    optOutSignal: signal('2025-01-01', 'N.H. RSA 507-H:6 (an opt-out preference signal, from January 1, 2025)'),
  },
  NE: {
    name: 'Nebraska', law: 'Nebraska Data Privacy Act', zone: 'America/Chicago', effective: '2025-01-01',
    citation: 'Neb. Rev. Stat. §87-1101 et seq. (consumer requests)',
    appeal: { days: 60, citation: 'Neb. Rev. Stat. §87-1101 et seq. (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Nebraska Attorney General, Consumer Protection Division', 'https://protectthegoodlife.nebraska.gov') },
    optOutSignal: noSignal('Neb. Rev. Stat. §87-1101 et seq.: a consumer may designate an agent by a browser setting or global device setting, but the act sets no separate universal-signal duty; this product honours GPC everywhere regardless'),
  },
  TN: {
    name: 'Tennessee', law: 'Tennessee Information Protection Act', zone: 'America/Chicago', effective: '2025-07-01',
    citation: 'Tenn. Code Ann. §47-18-3203',
    appeal: { days: 60, citation: 'Tenn. Code Ann. §47-18-3203 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General and Reporter to submit a complaint)', ag: ag('Tennessee Attorney General and Reporter, Consumer Protection Division', 'https://www.tn.gov/attorneygeneral') },
    optOutSignal: noSignal('Tenn. Code Ann. §47-18-3201 et seq.: no duty to honour a universal opt-out signal'),
  },
  MN: {
    name: 'Minnesota', law: 'Minnesota Consumer Data Privacy Act', zone: 'America/Chicago', effective: '2025-07-31',
    citation: 'Minn. Stat. §325M.14',
    appeal: { days: 45, extensionDays: 60, citation: 'Minn. Stat. §325M.14 (appeals: answer within 45 days of receipt of the appeal, extendable by 60 additional days where reasonably necessary, with notice and the reasons within the 45 days; if denied, how to contact the Attorney General)', ag: ag('Minnesota Attorney General\'s Office, Consumer Protection', 'https://www.ag.state.mn.us') },
    optOutSignal: signal('2025-07-31', 'Minn. Stat. §325M.12 et seq. (a user-selected universal opt-out mechanism, in force with the act)'),
  },
  MD: {
    name: 'Maryland', law: 'Maryland Online Data Privacy Act', zone: 'America/New_York', effective: '2025-10-01',
    citation: 'Md. Code, Com. Law §14-4605',
    appeal: { days: 60, citation: 'Md. Code, Com. Law §14-4605 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General\'s Consumer Protection Division to submit a complaint)', ag: ag('Office of the Attorney General of Maryland, Consumer Protection Division', 'https://www.marylandattorneygeneral.gov') },
    optOutSignal: signal('2025-10-01', 'Md. Code, Com. Law §14-4601 et seq. (an opt-out preference signal, in force with the act)'),
  },
  IN: {
    name: 'Indiana', law: 'Indiana Consumer Data Protection Act', zone: 'America/Indiana/Indianapolis', effective: '2026-01-01',
    citation: 'Ind. Code ch. 24-15-3',
    appeal: { days: 60, citation: 'Ind. Code ch. 24-15-3 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Indiana Attorney General, Consumer Protection Division', 'https://www.in.gov/attorneygeneral') },
    optOutSignal: noSignal('Ind. Code art. 24-15: no duty to honour a universal opt-out signal'),
  },
  KY: {
    name: 'Kentucky', law: 'Kentucky Consumer Data Protection Act', zone: 'America/New_York', effective: '2026-01-01',
    citation: 'KRS 367.3615',
    appeal: { days: 60, citation: 'KRS 367.3615 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Office of the Kentucky Attorney General, Office of Consumer Protection', 'https://www.ag.ky.gov') },
    optOutSignal: noSignal('KRS 367.3611 et seq.: no duty to honour a universal opt-out signal'),
  },
  RI: {
    name: 'Rhode Island', law: 'Rhode Island Data Transparency and Privacy Protection Act', zone: 'America/New_York', effective: '2026-01-01',
    citation: 'R.I. Gen. Laws §6-48.1-6(b)(1)',
    appeal: { days: 60, citation: 'R.I. Gen. Laws §6-48.1-6(b)(2) (a refusal gives "instructions for how to appeal the decision") and the act’s appeal provision (answer the appeal in writing within 60 days of receipt; if denied, an online mechanism, if available, or other method to contact the Attorney General to submit a complaint)', ag: ag('Rhode Island Office of the Attorney General, Consumer Protection Unit', 'https://riag.ri.gov') },
    optOutSignal: noSignal('R.I. Gen. Laws ch. 6-48.1: no duty to honour a universal opt-out signal'),
  },
  FL: {
    name: 'Florida', law: 'Florida Digital Bill of Rights', zone: 'America/New_York', effective: '2024-07-01', extensionDays: 15,
    citation: 'Fla. Stat. §501.706 (45 days of receipt, extendable once by 15 additional days when reasonably necessary, with notice and the reason within the first 45 days)',
    appeal: { days: 60, citation: 'Fla. Stat. §501.706 (appeals: answer in writing within 60 days of receipt of the appeal; if denied, an online mechanism, if available, or other method to contact the Department of Legal Affairs (the Attorney General) to submit a complaint)', ag: ag('Florida Office of the Attorney General (Department of Legal Affairs)', 'https://www.myfloridalegal.com') },
    optOutSignal: noSignal('Fla. Stat. §501.701 et seq.: no duty to honour a universal opt-out signal'),
  },
};

function stateRule(j: Jurisdiction, s: StateLaw): JurisdictionRule {
  const n = s.respondDays ?? 45;
  const ext = s.extensionDays ?? 45;
  return {
    jurisdiction: j,
    name: s.name,
    law: s.law,
    effective: s.effective,
    timeZone: s.zone,
    holidayCalendar: 'US-FED',
    byType: allTypes({
      acknowledge: null,
      respond: days(n),
      extension: days(ext),
      citation: `${s.citation}: respond within ${n} days of receipt; extendable once by ${ext} additional days when reasonably necessary, with notice and the reason within the first ${n} days (the same for every consumer right, opt-outs included)`,
    }),
    pauseReasons: [],
    pauseCitation: `${s.law}: the period runs from receipt of the request; no suspension while authenticating or for a legal hold`,
    rollToBusinessDay: false,
    rollCitation: 'None: the period is counted in calendar days, and a general computation statute moving a last day off a weekend is not relied on (the earlier date is kept)',
    appeal: s.appeal
      ? { respond: days(s.appeal.days), extension: s.appeal.extensionDays ? days(s.appeal.extensionDays) : null, attorneyGeneral: s.appeal.ag, citation: s.appeal.citation }
      : null,
    appealCitation: s.appeal ? s.appeal.citation : (s.noAppealCitation ?? `${s.law}: no appeal`),
    optOutSignal: s.optOutSignal,
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

/** The appeal rule of a jurisdiction, or null when its law gives none. */
export function appealRule(jurisdiction: Jurisdiction): AppealRule | null {
  return rulesFor(jurisdiction).appeal;
}
