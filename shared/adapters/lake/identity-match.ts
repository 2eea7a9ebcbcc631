// How a lake column is compared with a requester's identity, the same way in SQL (on the data)
// and in JS (on the request): emails trimmed and lower-cased; phones as digits, equal to the E.164
// number with or without its country code (numbers in the lake are often stored national);
// postal codes upper-cased without spaces; custom keys as exact text.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { IdentityColumn } from './table-spec';
import { quoteIdent } from './duckdb-session';

/** Identity column kinds, plus "postal" for matches the data-map layer asks to normalise that way. */
export type MatchKind = IdentityColumn['kind'] | 'postal';

/** The kind a match compares with: the column's declared identity kind, else what the match asks for. */
export function matchKind(declared: IdentityColumn['kind'] | undefined, normalize: string | undefined): MatchKind {
  if (declared) return declared;
  return normalize === 'email' || normalize === 'phone' || normalize === 'postal' ? normalize : 'custom';
}

export function normalizedSql(col: { column: string; kind: MatchKind }, tableAlias = 't'): string {
  const ref = `CAST(${tableAlias}.${quoteIdent(col.column)} AS VARCHAR)`;
  switch (col.kind) {
    case 'email': return `lower(trim(${ref}))`;
    case 'phone': return `regexp_replace(${ref}, '[^0-9]', '', 'g')`;
    case 'postal': return `upper(replace(${ref}, ' ', ''))`;
    default: return ref;
  }
}

/** The normalised forms of one requested value for a column of this kind (empty: cannot match). */
export function normalizedValues(kind: MatchKind, value: unknown, defaultCountry: string): string[] {
  if (value === null || value === undefined) return [];
  const text = String(value);
  if (kind === 'email') {
    const v = text.trim().toLowerCase();
    return v ? [v] : [];
  }
  if (kind === 'phone') {
    const p = parsePhoneNumberFromString(text.trim(), defaultCountry as CountryCode);
    if (p && p.isValid()) {
      const full = p.number.replace(/[^0-9]/gu, '');
      const national = String(p.nationalNumber);
      return p.country === defaultCountry ? [full, national] : [full];
    }
    const digits = text.replace(/[^0-9]/gu, '');
    return digits.length >= 6 ? [digits] : [];
  }
  if (kind === 'postal') {
    const v = text.toUpperCase().replace(/ /gu, '');
    return v ? [v] : [];
  }
  return text.length > 0 ? [text] : [];
}
