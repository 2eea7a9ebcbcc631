// Pieces of information a business must never disclose in answer to a request to know (CCPA regs,
// 11 CCR §7024(d)): Social Security, driver's licence or other government-issued identification
// numbers, financial account numbers, health insurance or medical identification numbers, account
// passwords, security questions and answers, and unique biometric data. The report says, with
// sufficient particularity, that the business holds such a piece (its field and category stay
// listed) but never shows its value: a report that goes astray must not hand over a stolen identity.
// Pure; keyed on fideslang categories, most specific prefix first.

export interface WithheldKind {
  kind: 'government_id' | 'financial_account' | 'medical_id' | 'credentials' | 'biometric';
  /** Plain words for the consumer. */
  label: string;
}

const RULES: Array<[prefix: string, kind: WithheldKind]> = [
  ['user.government_id', { kind: 'government_id', label: 'a government-issued identification number (such as a Social Security, driver\'s licence or passport number)' }],
  ['user.financial.bank_account', { kind: 'financial_account', label: 'a financial account number' }],
  ['user.financial.credit_card', { kind: 'financial_account', label: 'a payment card number' }],
  ['user.financial.account_number', { kind: 'financial_account', label: 'a financial account number' }],
  ['user.health_and_medical.insurance_beneficiary_id', { kind: 'medical_id', label: 'a health insurance identification number' }],
  ['user.health_and_medical.record_id', { kind: 'medical_id', label: 'a medical identification number' }],
  ['user.authorization.credentials', { kind: 'credentials', label: 'an account password or security question and answer' }],
  ['user.authorization.password', { kind: 'credentials', label: 'an account password' }],
  ['user.authorization.biometric', { kind: 'biometric', label: 'unique biometric data' }],
  ['user.biometric', { kind: 'biometric', label: 'unique biometric data' }],
];

/** The §7024(d) kind of a fideslang category, or null when its values may be shown. */
export function withheldKindOf(fidesCategory: string): WithheldKind | null {
  for (const [prefix, kind] of RULES) {
    if (fidesCategory === prefix || fidesCategory.startsWith(`${prefix}.`)) return kind;
  }
  return null;
}

/** What the report shows in place of a withheld value. */
export function withheldValueText(kind: WithheldKind): string {
  return `[not shown: we hold ${kind.label}; for your security it is never sent]`;
}
