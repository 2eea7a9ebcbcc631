// Matching scanned identity values against the deletion ledger (./ledger-replay.ts), fast and with
// exactly the answer of hashing identityValue(...) of every value (./ledger.ts):
// - phones: libphonenumber's parse + validity check is the costliest step of a replay. For the two
//   written forms that are cheap to read — "+" and digits, and a US national number of 10 digits,
//   both with or without spaces, dots, dashes or parentheses — `phoneCandidate` gives the only E.164 string the parse can
//   return (or it returns nothing: not a valid number). A value whose candidate's keyed hash is not
//   in the ledger cannot match (its normalised form is the candidate or null); one whose candidate
//   is in the ledger is parsed and checked as before. Every other written form is parsed as before.
// - keyed hashes: one HMAC per value, through the crypto port's precomputed-key hasher when it has one.
import { Metadata } from 'libphonenumber-js';
import { normalizeEmail, normalizePhone } from '../../domain/identity';
import type { PiiCrypto } from '../../crypto/port';

// libphonenumber-js's own metadata (the same "min" set `normalizePhone` parses with).
interface Plan { nationalPrefixForParsing(): string | undefined; IDDPrefix(): string | undefined }
interface Meta { selectNumberingPlan(code: string): void; numberingPlan?: Plan; hasCallingCode(code: string): boolean | undefined }
const meta = new Metadata() as unknown as Meta;

/** The national-prefix pattern libphonenumber strips (or transforms) after a calling code; null: none. undefined: not a calling code. */
const prefixByCode = new Map<string, RegExp | null | undefined>();
function nationalPrefixPattern(code: string): RegExp | null | undefined {
  if (prefixByCode.has(code)) return prefixByCode.get(code);
  let out: RegExp | null | undefined;
  if (!meta.hasCallingCode(code)) out = undefined;
  else {
    meta.selectNumberingPlan(code);
    const p = meta.numberingPlan?.nationalPrefixForParsing();
    out = p ? new RegExp(`^(?:${p})`, 'u') : null;
  }
  prefixByCode.set(code, out);
  return out;
}

meta.selectNumberingPlan('US');
const US_IDD = new RegExp(meta.numberingPlan!.IDDPrefix() ?? '(?!)', 'u');
const US_PREFIX = nationalPrefixPattern('1');

const INTERNATIONAL = /^\+[0-9 ().-]{2,40}$/u;
const US_NATIONAL = /^[0-9 ().-]+$/u;

/**
 * The only non-null value `normalizePhone(raw)` (default country US) can return, when that can be told
 * without parsing; undefined when it cannot (the caller parses). null: normalizePhone returns null.
 *
 * Why it is exact, from libphonenumber-js's parse (parsePhoneNumber / extractNationalNumber):
 * "+<digits>" (spaces, dots, dashes, parentheses between them are dropped: no extension label, no
 * second number, no RFC 3966 parameter can be written with them): the calling code is the shortest
 * prefix of 1-3 digits that is one; the number it returns is "+" + calling code + national number, where the national number is the rest of the digits unless
 * the plan's national_prefix_for_parsing matches at its start (then it may be stripped or
 * transformed: "+44 020..." becomes "+4420..."). So when that pattern does not match, the result is
 * the input or no valid number. US national, 10 digits from 2-9 with only " ().-" around them: no
 * extension label, no IDD prefix, no leading "1", no national prefix: "+1" + the digits, or null.
 */
export function phoneCandidate(raw: string): string | null | undefined {
  const t = raw.trim();
  if (INTERNATIONAL.test(t)) {
    const s = `+${t.replace(/[^0-9]/gu, '')}`;
    if (s.length < 3 || s[1] === '0') return undefined;
    for (let i = 2; i <= 4 && i < s.length; i += 1) {
      const p = nationalPrefixPattern(s.slice(1, i));
      if (p === undefined) continue; // not a calling code: a longer one may be
      if (p && p.test(s.slice(i))) return undefined; // a national prefix could be stripped: parse
      return s;
    }
    return undefined;
  }
  if (t.length <= 20 && US_NATIONAL.test(t)) {
    const d = t.replace(/[^0-9]/gu, '');
    if (d.length !== 10 || !/^[2-9]/u.test(d) || d.search(US_IDD) === 0 || US_PREFIX?.test(d)) return undefined;
    return `+1${d}`;
  }
  return undefined;
}

export interface LedgerHit { kind: string; value: string; erasures: Set<string> }

/** A matcher of one replay: identity field value -> the ledger's erasures for it, or null. */
export function ledgerMatcher(crypto: PiiCrypto, hashes: Map<string, Set<string>>): (identity: string, v: unknown) => LedgerHit | null {
  const hashers = new Map<string, (value: string) => string>();
  const hasher = (kind: string) => {
    let h = hashers.get(kind);
    if (!h) { h = crypto.keyedHasher?.(kind) ?? ((value: string) => crypto.keyedHash(kind, value)); hashers.set(kind, h); }
    return h;
  };
  const email = hasher('email');
  const phone = hasher('phone');
  const hit = (kind: string, value: string | null, h: (v: string) => string): LedgerHit | null => {
    if (!value) return null;
    const erasures = hashes.get(h(value));
    return erasures ? { kind, value, erasures } : null;
  };
  return (identity, v) => {
    if (identity === 'email') return hit('email', normalizeEmail(String(v)), email);
    if (identity === 'phone') {
      const raw = String(v);
      const c = phoneCandidate(raw);
      // The candidate's hash is not in the ledger: the value cannot match (see phoneCandidate).
      if (c !== undefined && (c === null || !hashes.has(phone(c)))) return null;
      return hit('phone', normalizePhone(raw), phone);
    }
    const kind = `custom:${identity}`;
    return hit(kind, String(v).trim(), hasher(kind));
  };
}
