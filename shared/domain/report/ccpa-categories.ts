// CCPA categories of personal information (§1798.140(v)(1)) and the mapping from fideslang data
// categories (user.contact.email, user.financial, ...) onto them, used by the access report.
// The data-map layer may provide its own mapping (shared/domain/categories*.ts); the report takes
// the mapping as a function, this table is the default.
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

/** Longest-prefix rules: the most specific fideslang prefix wins. */
const RULES: Array<[prefix: string, cat: CcpaCategory]> = [
  ['user.government_id', 'L'],
  ['user.financial.bank_account', 'L'],
  ['user.financial.credit_card', 'L'],
  ['user.financial', 'B'],
  ['user.authorization.credentials', 'L'],
  ['user.authorization', 'A'],
  ['user.health_and_medical', 'L'],
  ['user.biometric', 'E'],
  ['user.genetic', 'L'],
  ['user.criminal_history', 'L'],
  ['user.location.precise', 'L'],
  ['user.location', 'G'],
  ['user.demographic.race_ethnicity', 'L'],
  ['user.demographic.religious_belief', 'L'],
  ['user.demographic.sexual_orientation', 'L'],
  ['user.demographic.political_opinion', 'L'],
  ['user.demographic', 'C'],
  ['user.contact.address', 'B'],
  ['user.contact', 'A'],
  ['user.name', 'A'],
  ['user.unique_id', 'A'],
  ['user.account', 'A'],
  ['user.device', 'F'],
  ['user.behavior', 'F'],
  ['user.content', 'H'],
  ['user.sensor', 'H'],
  ['user.workplace', 'I'],
  ['user.employment', 'I'],
  ['user.education', 'J'],
  ['user.inference', 'K'],
  ['user.privacy_preferences', 'D'],
  ['user.payment', 'D'],
  ['user.commercial', 'D'],
  ['user.childrens', 'L'],
  ['user', 'A'],
];

const memo = new Map<string, CcpaCategory>();

/** The CCPA category a fideslang data category falls under ("user.contact.email" -> "A"). Memoised. */
export function ccpaCategoryOf(fidesCategory: string): CcpaCategory {
  const hit = memo.get(fidesCategory);
  if (hit) return hit;
  const cat = lookup(fidesCategory);
  if (memo.size < 10_000) memo.set(fidesCategory, cat);
  return cat;
}

function lookup(fidesCategory: string): CcpaCategory {
  const c = fidesCategory.trim().toLowerCase();
  let best: [string, CcpaCategory] | null = null;
  for (const [prefix, cat] of RULES) {
    if ((c === prefix || c.startsWith(`${prefix}.`)) && (!best || prefix.length > best[0].length)) best = [prefix, cat];
  }
  if (best) return best[1];
  // Already a letter, or a CCPA label used directly in a data map.
  const upper = c.toUpperCase();
  if ((CCPA_LETTERS as string[]).includes(upper)) return upper as CcpaCategory;
  return 'A';
}
