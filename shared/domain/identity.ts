// Identity normalisation: the one place that decides when two identities are "the same".
// Emails: trimmed, lower-cased. Phones: E.164 via libphonenumber. Addresses: every part trimmed,
// upper-cased, inner whitespace collapsed; a match needs every part to match.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

export const AddressSchema = z.object({
  line1: z.string().trim().min(1, 'address line1 is required').max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1, 'address city is required').max(100),
  state: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1, 'address postalCode is required').max(20),
  country: z.string().trim().min(2).max(56).default('US'),
}).strict();
export type Address = z.infer<typeof AddressSchema>;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/u;
export function isEmail(value: string): boolean {
  const v = value.trim();
  return v.length <= 254 && EMAIL_RE.test(v);
}

/** E.164 form of a phone number, or null when it is not a valid number. */
export function normalizePhone(phone: string, defaultCountry: CountryCode = 'US'): string | null {
  const p = parsePhoneNumberFromString(phone.trim(), defaultCountry);
  if (!p || !p.isValid()) return null;
  return p.number;
}

function normPart(s: string | undefined): string {
  return (s ?? '').normalize('NFKC').trim().replace(/\s+/gu, ' ').toUpperCase();
}
export function normalizeAddress(a: Address): Required<Address> {
  return {
    line1: normPart(a.line1),
    line2: normPart(a.line2),
    city: normPart(a.city),
    state: normPart(a.state),
    postalCode: normPart(a.postalCode).replace(/\s/gu, ''),
    country: normPart(a.country || 'US'),
  };
}
/** A stable key for an address: all parts, normalised, joined. Two addresses match iff keys match. */
export function addressKey(a: Address): string {
  const n = normalizeAddress(a);
  return [n.line1, n.line2, n.city, n.state, n.postalCode, n.country].join('|');
}

export const EmailSchema = z.string().trim().max(254).refine(isEmail, 'must be a valid email address').transform(normalizeEmail);
export const PhoneSchema = z.string().trim().max(40).transform((v, ctx) => {
  const e164 = normalizePhone(v);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: 'must be a valid phone number (E.164, e.g. +14155550123)' });
    return z.NEVER;
  }
  return e164;
});

export const CustomKeySchema = z.object({
  name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/u, 'custom key names are letters, digits, _ . -'),
  value: z.string().trim().min(1).max(256),
}).strict();

/** The subject's identities as given by the requester. At least one of email/phone/custom key. */
export const IdentitiesSchema = z.object({
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  address: AddressSchema.optional(),
  customKeys: z.array(CustomKeySchema).max(3, 'at most three custom keys').optional(),
}).strict();
export type Identities = z.infer<typeof IdentitiesSchema>;

export type IdentityKind = 'email' | 'phone' | 'name' | 'address' | `custom:${string}`;

/** Every identity as (kind, normalised value) pairs: what gets a keyed hash for look-ups. */
export function identityPairs(ids: Identities): Array<{ kind: IdentityKind; value: string }> {
  const out: Array<{ kind: IdentityKind; value: string }> = [];
  if (ids.email) out.push({ kind: 'email', value: normalizeEmail(ids.email) });
  if (ids.phone) out.push({ kind: 'phone', value: normalizePhone(ids.phone) ?? ids.phone });
  if (ids.name) out.push({ kind: 'name', value: normPart(ids.name) });
  if (ids.address) out.push({ kind: 'address', value: addressKey(ids.address) });
  for (const k of ids.customKeys ?? []) out.push({ kind: `custom:${k.name}`, value: k.value.trim() });
  return out;
}

/** Masked for display: "j***@example.com", "+1******0123". */
export function maskIdentity(kind: string, value: string): string {
  if (kind === 'email') {
    const [user, domain] = value.split('@');
    return `${(user ?? '').slice(0, 1)}***@${domain ?? ''}`;
  }
  if (kind === 'phone') return value.slice(0, 2) + '*'.repeat(Math.max(0, value.length - 6)) + value.slice(-4);
  if (value.length <= 2) return '**';
  return value.slice(0, 1) + '*'.repeat(Math.min(8, value.length - 1));
}
