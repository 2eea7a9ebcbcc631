// Matching scanned identity values against the deletion ledger (./ledger-replay.ts), fast and with
// exactly the answer of hashing identityValue(...) of every value (./ledger.ts):
// - phones: libphonenumber's parse + validity check is the costliest step of a replay. For the two
//   written forms that are cheap to read — "+" and digits, and a US national number of 10 digits,
//   both with or without spaces, dots, dashes or parentheses — `phoneCandidate` gives the only E.164 string the parse can
//   return (or it returns nothing: not a valid number). A value whose candidate's keyed hash is not
//   in the ledger cannot match (its normalised form is the candidate or null); one whose candidate
//   is in the ledger is parsed and checked as before. Every other written form is parsed as before.
// - keyed hashes: one HMAC per value, through the crypto port's precomputed-key hasher when it has one,
//   and only for values whose 32-bit keyed prefix is one of the ledger's (ledgerIndex / ledgerMatcher;
//   entries without a prefix keep the HMAC for every value of their kind).
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

/**
 * What a replay matches against, from the ledger's entries: identity hash -> erasures, and per kind
 * the entries' keyed prefixes — a Set when every entry of that kind has one, null when some do not
 * (entries from before migration 145: that kind is matched by the full HMAC alone). A kind with no
 * entry is absent: no value of it can match (an entry's hash is the HMAC of its own kind and value).
 */
export interface LedgerIndex { hashes: Map<string, Set<string>>; prefixes: Map<string, Set<number> | null> }

export function ledgerIndex(entries: Iterable<{ hash: string; kind: string; erasure: string; prefix?: number | null }>): LedgerIndex {
  const hashes = new Map<string, Set<string>>();
  const prefixes = new Map<string, Set<number> | null>();
  for (const e of entries) {
    const kinds = hashes.get(e.hash) ?? new Set<string>();
    kinds.add(e.erasure);
    hashes.set(e.hash, kinds);
    const p = e.prefix ?? null;
    const set = prefixes.has(e.kind) ? prefixes.get(e.kind)! : new Set<number>();
    if (set && p !== null) set.add(p);
    prefixes.set(e.kind, set && p !== null ? set : null);
  }
  return { hashes, prefixes };
}

/**
 * A matcher of one replay: identity field value -> the ledger's erasures for it, or null. With a
 * LedgerIndex (and a crypto port that has keyedPrefixer), a value of a kind whose entries all carry
 * a prefix is first narrowed by its 32-bit keyed prefix: not in the kind's set, it cannot be in the
 * ledger (equal values have equal prefixes); in it, the full HMAC decides, as without prefixes. A
 * kind with no entry matches nothing. So the answers are those of the HMAC alone, exactly.
 */
export function ledgerMatcher(crypto: PiiCrypto, ledger: Map<string, Set<string>> | LedgerIndex): (identity: string, v: unknown) => LedgerHit | null {
  const hashes = ledger instanceof Map ? ledger : ledger.hashes;
  const prefixes = ledger instanceof Map || !crypto.keyedPrefixer ? null : ledger.prefixes;
  const hashers = new Map<string, (value: string) => string>();
  const hasher = (kind: string) => {
    let h = hashers.get(kind);
    if (!h) { h = crypto.keyedHasher?.(kind) ?? ((value: string) => crypto.keyedHash(kind, value)); hashers.set(kind, h); }
    return h;
  };
  /** Per kind: false = nothing of this kind can match; a function = "may this value match?"; null: no filter. */
  const filters = new Map<string, ((value: string) => boolean) | false | null>();
  const filter = (kind: string) => {
    let g = filters.get(kind);
    if (g === undefined) {
      if (!prefixes) g = null;
      else if (!prefixes.has(kind)) g = false;
      else {
        const set = prefixes.get(kind)!;
        const p = set ? crypto.keyedPrefixer!(kind) : null;
        g = set && p ? (value: string) => set.has(p(value)) : null;
      }
      filters.set(kind, g);
    }
    return g;
  };
  const email = hasher('email');
  const phone = hasher('phone');
  const emailMay = filter('email');
  const phoneMay = filter('phone');
  const hit = (kind: string, value: string | null, h: (v: string) => string, may: ((v: string) => boolean) | false | null): LedgerHit | null => {
    if (!value || may === false || (may && !may(value))) return null;
    const erasures = hashes.get(h(value));
    return erasures ? { kind, value, erasures } : null;
  };
  return (identity, v) => {
    if (identity === 'email') return emailMay === false ? null : hit('email', normalizeEmail(String(v)), email, emailMay);
    if (identity === 'phone') {
      if (phoneMay === false) return null;
      const raw = String(v);
      const c = phoneCandidate(raw);
      // The candidate cannot be in the ledger: the value cannot match (see phoneCandidate).
      if (c !== undefined && (c === null || (phoneMay && !phoneMay(c)) || !hashes.has(phone(c)))) return null;
      return hit('phone', normalizePhone(raw), phone, phoneMay);
    }
    const kind = `custom:${identity}`;
    const may = filter(kind);
    if (may === false) return null;
    return hit(kind, String(v).trim(), hasher(kind), may);
  };
}
