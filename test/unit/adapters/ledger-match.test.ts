// The ledger replay's matcher (shared/app/datamap/ledger-match.ts) must give exactly the answers of
// identityValue + keyedHash per value (what the replay did before): the phone candidate never differs
// from libphonenumber's own result, the pad-keeping HMAC is HMAC-SHA256, and the matcher finds the
// same (kind, value, erasures) for every value.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCountries, getCountryCallingCode } from 'libphonenumber-js';
import { ledgerMatcher, phoneCandidate } from '../../../shared/app/datamap/ledger-match';
import { identityValue } from '../../../shared/app/datamap/ledger';
import { normalizePhone } from '../../../shared/domain/identity';
import { createPiiCrypto, hmacSha256Hasher, type EnvelopeCrypto } from '../../../shared/crypto/envelope';

// A fixed pseudo-random sequence (mulberry32), so a failure names an input that can be re-run.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
const PUNCT = [' ', '-', '.', '(', ')', ''];
function punctuate(r: () => number, d: string): string {
  let out = '';
  for (const c of d) out += (r() < 0.25 ? PUNCT[Math.floor(r() * PUNCT.length)]! : '') + c;
  return out;
}

/** Written phone numbers: every calling code with national parts of many lengths and first digits, US national forms, edge cases. */
function phoneInputs(): string[] {
  const r = rng(18);
  const codes = [...new Set(getCountries().map((c) => getCountryCallingCode(c)))];
  const out: string[] = ['+4402079460000', '+44 (0) 20 7946 0000', '+14155550123', '+1 415 555 0123', '(415) 555-0123', '415.555.0123',
    '+1 (415) 555-0123', '1 415 555 0123', '011 44 20 7946 0000', '+0 415 555 0123', '+', '+1', '555-0100', ' +14155550123 ', '+54 9 11 2345 6789',
    '+54 0 11 15 2345 6789', '+7 8 495 123 4567', '+39 06 1234 5678', '+61 0 4 1234 5678', '+1 1 415 555 0123', '(011) 555-0123', '(212) 011-1234'];
  for (const cc of codes) {
    for (let k = 0; k < 120; k += 1) {
      const first = String(k % 10);
      const nat = first + digits(r, 3 + Math.floor(r() * 12));
      out.push(`+${cc}${nat}`, `+${cc} ${punctuate(r, nat)}`);
    }
  }
  for (let k = 0; k < 3000; k += 1) {
    const d = String(k % 10) + digits(r, 8 + Math.floor(r() * 4));
    out.push(d, punctuate(r, d), `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`);
  }
  return out;
}

describe('phoneCandidate', () => {
  it('is, where it answers, the only non-null value normalizePhone returns', () => {
    let answered = 0;
    for (const x of phoneInputs()) {
      const c = phoneCandidate(x);
      if (c === undefined) continue;
      answered += 1;
      const n = normalizePhone(x);
      if (n !== null && n !== c) throw new Error(`phoneCandidate(${JSON.stringify(x)}) = ${c}, normalizePhone = ${n}`);
    }
    expect(answered).toBeGreaterThan(10_000);
  });

  it('answers for the common written forms and leaves national prefixes to the parse', () => {
    expect(phoneCandidate('+14155550123')).toBe('+14155550123');
    expect(phoneCandidate(' +1 (415) 555-0123 ')).toBe('+14155550123');
    expect(phoneCandidate('(415) 555-0123')).toBe('+14155550123');
    expect(phoneCandidate('+442079460000')).toBe('+442079460000');
    // "+44 0…": libphonenumber drops the 0 (+442079460000), so only the parse can tell
    expect(phoneCandidate('+4402079460000')).toBeUndefined();
    expect(normalizePhone('+4402079460000')).toBe('+442079460000');
    expect(phoneCandidate('+44 (0) 20 7946 0000')).toBeUndefined();
    expect(phoneCandidate('1 415 555 0123')).toBeUndefined();
    expect(phoneCandidate('415 555 0123 ext. 7')).toBeUndefined();
    expect(phoneCandidate('tel:+14155550123')).toBeUndefined();
  });
});

describe('hmacSha256Hasher', () => {
  it('is HMAC-SHA256 of prefix + value, for short and long keys and values', () => {
    const r = rng(7);
    for (const keyLen of [32, 64, 65, 100]) {
      const key = Buffer.from(Array.from({ length: keyLen }, () => Math.floor(r() * 256)));
      for (const prefix of ['email\u0000', 'custom:läge\u0000', '']) {
        const h = hmacSha256Hasher(key, prefix);
        if (!h) continue; // Node without crypto.hash: the callers fall back to createHmac
        for (const v of ['', 'a', 'user1@example.com', 'ünïcödé ✓ 😀', 'x'.repeat(341), 'y'.repeat(342), 'é'.repeat(2000), '\ud800 lone', `${digits(r, 40)}`]) {
          expect(h(v)).toBe(createHmac('sha256', key).update(`${prefix}${v}`, 'utf8').digest('hex'));
          expect(h(v)).toBe(createHmac('sha256', key).update(`${prefix}${v}`, 'utf8').digest('hex')); // buffers reused
        }
      }
    }
  });
});

describe('ledgerMatcher', () => {
  let dir: string;
  let crypto: EnvelopeCrypto;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-match-'));
    crypto = await createPiiCrypto({ dataDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds exactly what identityValue + keyedHash finds', () => {
    const values: Array<[string, unknown]> = [
      ...phoneInputs().map((p) => ['phone', p] as [string, unknown]),
      ...['User1@Example.com', ' user2@example.com ', 'x@y.z', '', '  '].map((e) => ['email', e] as [string, unknown]),
      ['loyalty_id', ' L-1 '], ['loyalty_id', 'L-2'], ['loyalty_id', 42], ['phone', 14155550123], ['email', 7],
    ];
    // The ledger: every third value's normalised form, and the "+44 0…" number's E.164 form.
    const hashes = new Map<string, Set<string>>();
    values.forEach(([identity, v], k) => {
      const { kind, value } = identityValue(identity, v);
      if (value && k % 3 === 0) hashes.set(crypto.keyedHash(kind, value), new Set([k % 2 ? 'delete' : 'delete_pii:user.contact.phone_number']));
    });
    hashes.set(crypto.keyedHash('phone', '+442079460000'), new Set(['delete']));
    const match = ledgerMatcher(crypto, hashes);
    let hits = 0;
    for (const [identity, v] of values) {
      const { kind, value } = identityValue(identity, v);
      const erasures = value ? hashes.get(crypto.keyedHash(kind, value)) : undefined;
      const want = value && erasures ? { kind, value, erasures } : null;
      expect(match(identity, v), `${identity} ${JSON.stringify(v)}`).toEqual(want);
      if (want) hits += 1;
    }
    expect(hits).toBeGreaterThan(1000);
    expect(match('phone', '+4402079460000')).toEqual({ kind: 'phone', value: '+442079460000', erasures: new Set(['delete']) });
  });
});
