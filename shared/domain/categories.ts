// Data categories: the fideslang taxonomy is hierarchical ("user.contact" covers
// "user.contact.email" and "user.contact.address.city"), and the one mapping from fideslang onto
// the CCPA categories A-L lives in shared/domain/report/ccpa-categories.ts (re-exported here).
export { CCPA_CATEGORIES, ccpaCategoryOf, type CcpaCategory } from './report/ccpa-categories';

const CATEGORY_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/u;

export function isCategory(value: string): boolean {
  return CATEGORY_RE.test(value);
}

/** True when `parent` names `child` or one of its ancestors ("user.contact" covers "user.contact.email"). */
export function covers(parent: string, child: string): boolean {
  return child === parent || child.startsWith(`${parent}.`);
}

/** True when any of `targets` covers any of `categories`. */
export function anyCovered(targets: readonly string[], categories: readonly string[]): boolean {
  return categories.some((c) => targets.some((t) => covers(t, c)));
}

/** Personal data: everything under the fideslang "user" branch. */
export function isPersonal(category: string): boolean {
  return covers('user', category);
}

/** Proposed category for a column name (PII discovery); null when nothing suggests personal data. */
export function categoryFromColumnName(column: string): string | null {
  const c = column.toLowerCase();
  // Keys of other tables ("address_id", "card_id") are links, not the data itself.
  if (/_(id|key|fk)$/u.test(c) && !/(^|_)(customer|user|member|loyalty|person|device|account)_id$/u.test(c)) return null;
  const rules: Array<[RegExp, string]> = [
    [/(^|_)(ip|ip_address|ipaddr|ip_addr)(_|$)/u, 'user.device.ip_address'],
    [/(^|_)(e_?mail|email_address)(_|$)/u, 'user.contact.email'],
    [/(^|_)(phone|mobile|cell|tel|telephone|msisdn)(_|$)/u, 'user.contact.phone_number'],
    [/(^|_)(ssn|social_security|national_id|passport|driver_?licen[cs]e)(_|$)/u, 'user.government_id'],
    [/(^|_)(card|ccn|pan|card_number|credit_card)(_|$)/u, 'user.financial.credit_card'],
    [/(^|_)(iban|account_number|bank_account|routing)(_|$)/u, 'user.financial.bank_account'],
    [/(^|_)(first_?name|last_?name|full_?name|surname|given_name|name)(_|$)/u, 'user.name'],
    [/(^|_)(street|address|addr|line1|line2|house)(_|$)/u, 'user.contact.address.street'],
    [/(^|_)(city|town)(_|$)/u, 'user.contact.address.city'],
    [/(^|_)(state|province|region)(_|$)/u, 'user.contact.address.state'],
    [/(^|_)(zip|postal|postcode|postal_code|zipcode)(_|$)/u, 'user.contact.address.postal_code'],
    [/(^|_)(country)(_|$)/u, 'user.contact.address.country'],
    [/(^|_)(dob|birth|birthday|date_of_birth|birthdate)(_|$)/u, 'user.demographic.date_of_birth'],
    [/(^|_)(gender|sex)(_|$)/u, 'user.demographic.gender'],
    [/(^|_)(device_id|idfa|gaid|cookie)(_|$)/u, 'user.device.device_id'],
    [/(^|_)(lat|latitude|lng|lon|longitude|geo|gps)(_|$)/u, 'user.location.precise'],
    [/(^|_)(password|passwd|pwd|secret|token)(_|$)/u, 'user.authorization.credentials'],
    [/(^|_)(username|user_name|login)(_|$)/u, 'user.account.username'],
    [/(^|_)(customer_id|user_id|member_id|loyalty_id|person_id)(_|$)/u, 'user.unique_id'],
  ];
  for (const [re, cat] of rules) if (re.test(c)) return cat;
  return null;
}
