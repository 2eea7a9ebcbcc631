// The ways one phone number is commonly written in a store (pure): E.164 ("+14155550102"), the
// international and national formats ("+1 415 555 0102", "(415) 555-0102"), RFC 3966, bare digits
// with and without the country code, and the digit groups joined by spaces, dashes or dots, with
// the area code in brackets or not, with "+1" / "1" in front or not. A store that can only compare
// exactly (a DynamoDB key or index Query, a plain SQL index) looks each form up; callers re-check
// every row found by its normalised number, so a form that is someone else's number costs only one
// more probe, never a wrong match.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';

const SEPS = ['', ' ', '-', '.'] as const;

/** The number a value names: as written when it starts with "+", else national in the default country, else international digits. */
export function parsePhone(value: unknown, defaultCountry: CountryCode = 'US'): PhoneNumber | null {
  const s = String(value ?? '').trim();
  if (!s) return null;
  if (s.startsWith('+')) { const p = parsePhoneNumberFromString(s); return p?.isValid() ? p : null; }
  const national = parsePhoneNumberFromString(s, defaultCountry);
  if (national?.isValid()) return national;
  const digits = s.replace(/[^0-9]/gu, '');
  const intl = digits ? parsePhoneNumberFromString(`+${digits}`) : undefined;
  return intl?.isValid() ? intl : null;
}

/** Digit groups written with each separator, and with the first group in brackets. */
function bodies(groups: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of SEPS) out.push(groups.join(s));
  if (groups.length >= 2) {
    const [first, ...rest] = groups;
    for (const gap of ['', ' ']) for (const s of ['-', ' ', '.']) out.push(`(${first})${gap}${rest.join(s)}`);
  }
  return out;
}

/** The common written forms of one number (E.164 first). */
export function formsOfNumber(p: PhoneNumber): string[] {
  const out = new Set<string>([p.number, p.formatInternational(), p.formatNational(), p.format('RFC3966')]);
  const cc = String(p.countryCallingCode);
  const national = p.formatNational().split(/[^0-9]+/u).filter(Boolean);
  const intl = p.formatInternational().split(/[^0-9]+/u).filter(Boolean).slice(1);
  out.add(String(p.nationalNumber));
  out.add(`${cc}${p.nationalNumber}`);
  for (const b of bodies(national)) out.add(b);
  for (const b of bodies(intl)) out.add(b);
  for (const prefix of [`+${cc}`, cc]) {
    // the country code joined like the groups ("+1-415-555-0102", "1.415.555.0102") or by a space ("+1 415-555-0102")
    for (const s of SEPS) for (const j of new Set([s, ' '])) out.add(`${prefix}${j}${intl.join(s)}`);
    if (intl.length >= 2) for (const j of [' ', '']) for (const s of ['-', ' ']) out.add(`${prefix}${j}(${intl[0]})${j}${intl.slice(1).join(s)}`);
  }
  return [...out];
}

/**
 * Every form to look up for a phone value as a request gives it (any punctuation, E.164, or the
 * digit strings a normalised phone match carries): the value as given (trimmed) first, then the
 * forms of the number it names. A value that names no valid number is looked up as given only.
 */
export function phoneLookupForms(value: unknown, defaultCountry: CountryCode = 'US'): string[] {
  const given = String(value ?? '').trim();
  const p = parsePhone(given, defaultCountry);
  return [...new Set([...(given ? [given] : []), ...(p ? formsOfNumber(p) : [])])];
}
