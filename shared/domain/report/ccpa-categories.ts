// CCPA categories of personal information (§1798.140(v)(1)) and the one explicit table mapping
// fideslang data categories (user.contact.email, user.financial, ...) onto them, used by the access
// report. Each row names the statute text it rests on (docs/RESPONSES.md, "The CCPA table"). There is
// no catch-all: `system.*` (ids, timestamps, operational data) is not personal information and maps to
// nothing, and a `user.*` category the table does not name maps to nothing either: the report then
// stops at staff review ("map it") instead of guessing a letter.
export const CCPA_CATEGORIES = {
  A: 'Identifiers',
  B: 'Customer records (Cal. Civ. Code §1798.80(e))',
  C: 'Characteristics of protected classifications',
  D: 'Commercial information',
  E: 'Biometric information',
  F: 'Internet or other electronic network activity',
  G: 'Geolocation data',
  H: 'Audio, electronic, visual, thermal, olfactory or similar information',
  I: 'Professional or employment-related information',
  J: 'Education information',
  K: 'Inferences drawn to create a profile',
  L: 'Sensitive personal information',
} as const;
export type CcpaCategory = keyof typeof CCPA_CATEGORIES;
export const CCPA_LETTERS = Object.keys(CCPA_CATEGORIES) as CcpaCategory[];

/**
 * The table: fideslang category -> CCPA letter, with the text it rests on. A category is looked up
 * by itself, then by its nearest ancestor listed here (fideslang is hierarchical:
 * user.contact.address.city is a user.contact.address); `user` itself is deliberately absent.
 */
export const CCPA_TABLE: ReadonlyArray<readonly [fides: string, letter: CcpaCategory, basis: string]> = [
  ['user.name', 'A', '§1798.140(v)(1)(A) "real name, alias"'],
  ['user.contact', 'A', '§1798.140(v)(1)(A) "email address ... or other similar identifiers"'],
  ['user.contact.email', 'A', '§1798.140(v)(1)(A) "email address"'],
  ['user.contact.phone_number', 'A', '§1798.140(v)(1)(A) "other similar identifiers"; also §1798.80(e) "telephone number"'],
  ['user.contact.fax_number', 'A', '§1798.140(v)(1)(A) "other similar identifiers"'],
  ['user.contact.url', 'A', '§1798.140(v)(1)(A) "online identifier"'],
  ['user.contact.address', 'B', '§1798.80(e) "address" (customer records); also §1798.140(v)(1)(A) "postal address"'],
  ['user.contact.organization', 'I', '§1798.140(v)(1)(I) "professional or employment-related information"'],
  ['user.unique_id', 'A', '§1798.140(v)(1)(A) "unique personal identifier"; §1798.140(aj) "customer number"'],
  ['user.account', 'A', '§1798.140(v)(1)(A) "account name"'],
  ['user.authorization', 'A', '§1798.140(v)(1)(A) "account name" (sign-in identifiers)'],
  ['user.authorization.credentials', 'L', '§1798.140(ae)(1)(B) "account log-in ... in combination with any required security or access code, password, or credentials"'],
  ['user.authorization.password', 'L', '§1798.140(ae)(1)(B) "password, or credentials allowing access to an account"'],
  ['user.authorization.biometric', 'L', '§1798.140(ae)(2)(A) "biometric information processed for the purpose of uniquely identifying a consumer"'],
  ['user.device', 'A', '§1798.140(v)(1)(A) "online identifier, Internet Protocol address"; §1798.140(aj) "device identifier ... cookies"'],
  ['user.device.ip_address', 'A', '§1798.140(v)(1)(A) "Internet Protocol address"'],
  ['user.device.browser', 'F', '§1798.140(v)(1)(F) "information regarding a consumer\'s interaction with an internet website, application"'],
  ['user.behavior', 'F', '§1798.140(v)(1)(F) "browsing history, search history, and information regarding a consumer\'s interaction with an internet website, application, or advertisement"'],
  ['user.behavior.purchase_history', 'D', '§1798.140(v)(1)(D) "products or services purchased, obtained, or considered, or other purchasing or consuming histories"'],
  ['user.telemetry', 'F', '§1798.140(v)(1)(F) "interaction with an internet website, application"'],
  ['user.social', 'F', '§1798.140(v)(1)(F) "interaction with an internet website, application, or advertisement"'],
  ['user.commercial', 'D', '§1798.140(v)(1)(D) "records of personal property, products or services purchased, obtained, or considered"'],
  ['user.privacy_preferences', 'D', '§1798.140(v)(1)(D) records of the services obtained: the choices you made about them'],
  ['user.content', 'D', '§1798.140(v)(1)(D) "services ... obtained, or considered": what you wrote to us about them (support requests, gift messages); not (H), which is sensory recording'],
  ['user.content.public', 'F', '§1798.140(v)(1)(F) "interaction with an internet website, application" (what you posted on it)'],
  ['user.content.self_image', 'H', '§1798.140(v)(1)(H) "audio, electronic, visual ... information" (photos and videos of you)'],
  ['user.sensor', 'H', '§1798.140(v)(1)(H) "audio, electronic, visual, thermal, olfactory, or similar information"'],
  ['user.financial', 'B', '§1798.80(e) "bank account number, credit card number, debit card number, or any other financial information"'],
  ['user.payment', 'B', '§1798.80(e) "any other financial information"'],
  ['user.financial.bank_account', 'L', '§1798.140(ae)(1)(B) "financial account ... number in combination with any required security or access code"'],
  ['user.financial.credit_card', 'L', '§1798.140(ae)(1)(B) "debit card, or credit card number in combination with any required security or access code"'],
  ['user.government_id', 'L', '§1798.140(ae)(1)(A) "social security, driver\'s license, state identification card, or passport number"'],
  ['user.health_and_medical', 'L', '§1798.140(ae)(2)(B) "personal information collected and analyzed concerning a consumer\'s health"'],
  ['user.genetic', 'L', '§1798.140(ae)(1)(E) "genetic data"'],
  ['user.biometric', 'E', '§1798.140(v)(1)(E) "biometric information"; §1798.140(c)'],
  ['user.biometric.health', 'L', '§1798.140(ae)(2)(B) "concerning a consumer\'s health"'],
  ['user.location', 'G', '§1798.140(v)(1)(G) "geolocation data"'],
  ['user.location.precise', 'L', '§1798.140(ae)(1)(C) "precise geolocation"; §1798.140(w) (within 1,850 feet)'],
  ['user.demographic', 'C', '§1798.140(v)(1)(C) "characteristics of protected classifications under California or federal law" (age, sex, marital status, language/national origin)'],
  ['user.demographic.race_ethnicity', 'L', '§1798.140(ae)(1)(D) "racial or ethnic origin"'],
  ['user.demographic.religious_belief', 'L', '§1798.140(ae)(1)(D) "religious or philosophical beliefs"'],
  ['user.demographic.political_opinion', 'L', '§1798.140(ae)(1)(D) "philosophical beliefs" (treated as sensitive)'],
  ['user.demographic.sexual_orientation', 'L', '§1798.140(ae)(2)(C) "sex life or sexual orientation"'],
  ['user.demographic.profile', 'K', '§1798.140(v)(1)(K) "inferences drawn ... to create a profile"'],
  ['user.inference', 'K', '§1798.140(v)(1)(K) "inferences drawn from any of the information identified in this subdivision to create a profile"'],
  ['user.workplace', 'I', '§1798.140(v)(1)(I) "professional or employment-related information"'],
  ['user.job_title', 'I', '§1798.140(v)(1)(I) "professional or employment-related information"'],
  ['user.employment', 'I', '§1798.140(v)(1)(I) "professional or employment-related information"'],
  ['user.education', 'J', '§1798.140(v)(1)(J) "education information ... not publicly available" (20 U.S.C. §1232g)'],
  ['user.childrens', 'L', 'treated as sensitive: §1798.120(c)-(d) (consent for consumers under 16); no letter of §1798.140(v)(1) fits better'],
  ['user.criminal_history', 'L', 'treated as sensitive: no letter of §1798.140(v)(1) names it; handled with the care of §1798.140(ae)'],
];

const TABLE = new Map(CCPA_TABLE.map(([f, l]) => [f, l]));
const memo = new Map<string, CcpaCategory | null>();

/**
 * The CCPA category of a fideslang data category ("user.contact.email" -> "A"), by the table: the
 * category itself or its nearest listed ancestor. null for anything the table does not name:
 * `system.*` (not personal information) and unmapped `user.*` categories (staff must map them).
 */
export function ccpaCategoryOf(fidesCategory: string): CcpaCategory | null {
  if (memo.has(fidesCategory)) return memo.get(fidesCategory)!;
  let c = fidesCategory.trim().toLowerCase();
  let cat: CcpaCategory | null = null;
  while (c.includes('.')) {
    const hit = TABLE.get(c);
    if (hit) { cat = hit; break; }
    c = c.slice(0, c.lastIndexOf('.'));
  }
  if (memo.size < 10_000) memo.set(fidesCategory, cat);
  return cat;
}

/** The statute text a category's letter rests on (the table row used), or null. */
export function ccpaBasisOf(fidesCategory: string): string | null {
  let c = fidesCategory.trim().toLowerCase();
  while (c.includes('.')) {
    const row = CCPA_TABLE.find(([f]) => f === c);
    if (row) return row[2];
    c = c.slice(0, c.lastIndexOf('.'));
  }
  return null;
}
