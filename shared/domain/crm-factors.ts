// The knowledge factors the phone IVR can check against a CRM record (CCPA regs §7062: data
// points matched for a reasonable degree of certainty), the customer record the CRM directory
// answers with, and the keyed form of a factor. Pure: the directory (shared/adapters/crm-directory)
// reads them, the intake Lambda compares them.

/** Knowledge factors the IVR can check, in the form the caller keys them. */
export const FACTORS = ['accountNumber', 'dateOfBirth', 'postalCode'] as const;
export type Factor = (typeof FACTORS)[number];

export interface CrmCustomer {
  customerId: string;
  firstName: string | null;
  email: string | null;
  phone: string;
  /** Present factors, normalised to keyed form (digits). Never log or return these. */
  factors: Partial<Record<Factor, string>>;
}

/** Keyed form of a factor: what the caller can type on a keypad. */
export function normaliseFactor(kind: Factor, value: string): string {
  const v = value.trim();
  if (kind === 'dateOfBirth') {
    const iso = /^(\d{4})-(\d{2})-(\d{2})/u.exec(v);
    if (iso) return `${iso[2]}${iso[3]}${iso[1]}`; // MMDDYYYY, as the prompt asks for it
    return v.replace(/\D/gu, '');
  }
  if (kind === 'postalCode') return v.replace(/\D/gu, '').slice(0, 5);
  return v.replace(/[^0-9A-Za-z]/gu, '').toUpperCase();
}
