// The deletion ledger's 32-bit keyed prefix (issue 18 goal 4): SipHash-2-4 is the reference
// function, the prefixer gives the same number for the same value whatever path its bytes take, it
// is keyed by the lookup key alone (the PII key and its re-encryption do not change it), and the
// replay's matcher with prefixes finds exactly what identityValue + keyedHash finds — with every
// entry prefixed, none, a mix, and prefixes forced to collide (a prefix hit is only ever a hint).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerIndex, ledgerMatcher } from '../../../shared/app/datamap/ledger-match';
import { identityHashes, identityValue } from '../../../shared/app/datamap/ledger';
import type { AppContext } from '../../../shared/app/context';
import type { Plan } from '../../../shared/app/datamap/plan-rows';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import { createPiiCrypto, prefixKey, sipPrefixer, type EnvelopeCrypto } from '../../../shared/crypto/envelope';
import { keyPaths } from '../../../shared/crypto/key-files';
import { sipHash24, sipHash24Low32 } from '../../../shared/crypto/siphash';
import type { PiiCrypto } from '../../../shared/crypto/port';

const hex = ([h, l]: [number, number]) => h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0');
const seq = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

describe('SipHash-2-4', () => {
  it('gives the reference test vectors (key 00..0f, message 00..len-1)', () => {
    // From the SipHash paper (appendix A) and the reference implementation's vectors.h.
    expect(hex(sipHash24(seq(16), seq(0)))).toBe('726fdb47dd0e0e31');
    expect(hex(sipHash24(seq(16), seq(1)))).toBe('74f839c593dc67fd');
    expect(hex(sipHash24(seq(16), seq(8)))).toBe('93f5f5799a932462');
    expect(hex(sipHash24(seq(16), seq(15)))).toBe('a129ca6149be45e5');
    for (const n of [0, 1, 7, 8, 9, 15, 16, 63]) expect(sipHash24Low32(seq(16), seq(n), n)).toBe(sipHash24(seq(16), seq(n))[1]);
  });
});

describe('sipPrefixer', () => {
  it('is SipHash of the UTF-8 bytes, as a signed 32-bit integer, for ASCII, multibyte, lone surrogates and long values', () => {
    const key = Buffer.from('0123456789abcdef');
    const p = sipPrefixer(key);
    for (const v of ['', 'a', 'user1@example.com', '+14155550123', 'ünïcödé ✓ 😀', 'abc\u0080', '\ud800 lone', 'x'.repeat(256), 'x'.repeat(257), 'é'.repeat(2000), 'L-1']) {
      const bytes = Buffer.from(v, 'utf8');
      const want = sipHash24Low32(key, bytes, bytes.length) | 0;
      expect(p(v), JSON.stringify(v.slice(0, 20))).toBe(want);
      expect(p(v)).toBe(want); // buffers reused
      expect(Number.isInteger(want) && want >= -(2 ** 31) && want < 2 ** 31).toBe(true);
    }
  });
});

/** A crypto port whose prefixes are `prefix(kind, value)` (forced collisions), counting full HMACs by kind. */
function withPrefixes(base: EnvelopeCrypto, prefix: ((kind: string, v: string) => number) | null, hmacs: Map<string, number>): PiiCrypto {
  return {
    encrypt: (p, c) => base.encrypt(p, c),
    decrypt: (p, c) => base.decrypt(p, c),
    keyedHash: (kind, v) => base.keyedHash(kind, v),
    keyedHasher: (kind) => { const h = base.keyedHasher(kind); return (v) => { hmacs.set(kind, (hmacs.get(kind) ?? 0) + 1); return h(v); }; },
    ...(prefix ? { keyedPrefixer: (kind: string) => (v: string) => prefix(kind, v) } : {}),
  };
}

describe('ledgerMatcher with keyed prefixes', () => {
  let dir: string;
  let crypto: EnvelopeCrypto;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-prefix-'));
    crypto = await createPiiCrypto({ dataDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const values: Array<[string, unknown]> = [];
  for (let i = 0; i < 600; i += 1) {
    values.push(['email', i % 5 === 0 ? ` User${i}@Example.com` : `user${i}@example.com`]);
    values.push(['phone', i % 3 === 0 ? `(415) 555-${String(1000 + i)}` : i % 7 === 0 ? `+44 020 7946 ${String(1000 + i)}` : `+1415555${String(1000 + i)}`]);
    values.push(['loyalty_id', ` L-${i} `]);
    if (i % 50 === 0) values.push(['phone', `555-${i}`], ['email', ''], ['loyalty_id', i]);
  }

  /** Ledger entries for every 4th value (kinds in `kinds`), prefixed by the given crypto where `prefixed(kind)`. */
  function entries(c: PiiCrypto, kinds: Set<string>, prefixed: (kind: string) => boolean) {
    const out: Array<{ hash: string; kind: string; erasure: string; prefix: number | null }> = [];
    values.forEach(([identity, v], k) => {
      const { kind, value } = identityValue(identity, v);
      if (!value || k % 4 !== 0 || !kinds.has(kind)) return;
      out.push({ hash: c.keyedHash(kind, value), kind, erasure: k % 8 ? 'delete' : 'delete_pii:user.contact.phone_number', prefix: prefixed(kind) ? c.keyedPrefixer!(kind)(value) : null });
    });
    return out;
  }

  function expectExact(c: PiiCrypto, es: ReturnType<typeof entries>) {
    const index = ledgerIndex(es);
    const match = ledgerMatcher(c, index);
    let hits = 0;
    for (const [identity, v] of values) {
      const { kind, value } = identityValue(identity, v);
      const erasures = value ? index.hashes.get(crypto.keyedHash(kind, value)) : undefined;
      const want = value && erasures ? { kind, value, erasures } : null;
      expect(match(identity, v), `${identity} ${JSON.stringify(v)}`).toEqual(want);
      if (want) hits += 1;
    }
    return hits;
  }

  const all = new Set(['email', 'phone', 'custom:loyalty_id']);

  it('every entry prefixed: the same matches, and a full HMAC only for the few values whose prefix hits', () => {
    const hmacs = new Map<string, number>();
    const c = withPrefixes(crypto, (kind, v) => crypto.keyedPrefixer(kind)(v), hmacs);
    const es = entries(c, all, () => true);
    expect(expectExact(c, es)).toBeGreaterThan(400);
    // the ledger's own values hash (phones: candidate, then the parse), the rest almost never (2^-32 per value and entry)
    const hashed = [...hmacs.values()].reduce((a, b) => a + b, 0);
    expect(hashed).toBeLessThan(es.length * 2 + 10);
    expect(hashed).toBeGreaterThanOrEqual(es.length);
  });

  it('no entry prefixed (a ledger from before migration 145): the full HMAC for every value, the same matches', () => {
    const hmacs = new Map<string, number>();
    const c = withPrefixes(crypto, (kind, v) => crypto.keyedPrefixer(kind)(v), hmacs);
    const es = entries(c, all, () => false);
    expect(expectExact(c, es)).toBeGreaterThan(400);
    expect(hmacs.get('email')).toBeGreaterThanOrEqual(values.filter(([i, v]) => i === 'email' && String(v).trim()).length);
    expect(hmacs.get('custom:loyalty_id')).toBe(values.filter(([i]) => i === 'loyalty_id').length);
  });

  it('a mix: one entry of a kind without a prefix sends that kind to the full HMAC; the others keep the filter', () => {
    const hmacs = new Map<string, number>();
    const c = withPrefixes(crypto, (kind, v) => crypto.keyedPrefixer(kind)(v), hmacs);
    const es = entries(c, all, (kind) => kind !== 'custom:loyalty_id');
    es.find((e) => e.kind === 'email')!.prefix = null; // one old email entry among prefixed ones
    expect(ledgerIndex(es).prefixes.get('email')).toBeNull();
    expect(ledgerIndex(es).prefixes.get('phone')).toBeInstanceOf(Set);
    expect(expectExact(c, es)).toBeGreaterThan(400);
    expect(hmacs.get('custom:loyalty_id')).toBe(values.filter(([i]) => i === 'loyalty_id').length);
    expect(hmacs.get('email')).toBeGreaterThanOrEqual(values.filter(([i, v]) => i === 'email' && String(v).trim()).length);
  });

  it('prefixes that collide (all equal, or a few values) are confirmed by the full HMAC: the same matches', () => {
    for (const prefix of [() => 0, (_k: string, v: string) => v.length % 3, (k: string, v: string) => (v.charCodeAt(v.length - 1) + k.length) & 1]) {
      const hmacs = new Map<string, number>();
      const c = withPrefixes(crypto, prefix, hmacs);
      expect(expectExact(c, entries(c, all, () => true))).toBeGreaterThan(400);
    }
  });

  it('a kind with no entry matches nothing without hashing; a crypto port without keyedPrefixer ignores the prefixes', () => {
    const hmacs = new Map<string, number>();
    const c = withPrefixes(crypto, (kind, v) => crypto.keyedPrefixer(kind)(v), hmacs);
    const es = entries(c, new Set(['email']), () => true);
    expectExact(c, es);
    expect(hmacs.get('phone') ?? 0).toBe(0);
    expect(hmacs.get('custom:loyalty_id') ?? 0).toBe(0);
    const plain = new Map<string, number>();
    const noPrefix = withPrefixes(crypto, null, plain);
    expect(expectExact(noPrefix, entries(c, all, () => true))).toBeGreaterThan(400);
    expect(plain.get('custom:loyalty_id')).toBe(values.filter(([i]) => i === 'loyalty_id').length);
  });

  it('identityHashes records each identity with its keyed prefix (what an erasure writes to the ledger)', () => {
    const ctx = { crypto } as unknown as AppContext;
    const plan = { collections: [] } as unknown as Plan;
    const result = { collections: [] } as unknown as DiscoveryResult;
    const got = identityHashes(ctx, { email: ' Ann@Example.com', phone: '(415) 555-0123', customKeys: [{ name: 'loyalty_id', value: ' L-7 ' }] } as never, plan, result, 'shop', { collections: [] } as never);
    expect(got).toEqual(expect.arrayContaining([
      { hash: crypto.keyedHash('email', 'ann@example.com'), kind: 'email', prefix: crypto.keyedPrefixer('email')('ann@example.com') },
      { hash: crypto.keyedHash('phone', '+14155550123'), kind: 'phone', prefix: crypto.keyedPrefixer('phone')('+14155550123') },
      { hash: crypto.keyedHash('custom:loyalty_id', 'L-7'), kind: 'custom:loyalty_id', prefix: crypto.keyedPrefixer('custom:loyalty_id')('L-7') },
    ]));
    expect(got).toHaveLength(3);
  });

  it('depends on the lookup key only: a new PII key (re-encryption, a move to KMS) keeps the prefixes; another lookup key changes them', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ledger-prefix-b-'));
    const third = mkdtempSync(join(tmpdir(), 'ledger-prefix-c-'));
    try {
      // the same lookup key file, a different PII key
      mkdirSync(join(other, 'keys'), { recursive: true });
      copyFileSync(keyPaths(dir).lookup, keyPaths(other).lookup);
      const same = await createPiiCrypto({ dataDir: other });
      const fresh = await createPiiCrypto({ dataDir: third });
      let differ = 0;
      for (let i = 0; i < 100; i += 1) {
        const v = `user${i}@example.com`;
        expect(same.keyedPrefixer('email')(v)).toBe(crypto.keyedPrefixer('email')(v));
        expect(same.keyedHash('email', v)).toBe(crypto.keyedHash('email', v));
        if (fresh.keyedPrefixer('email')(v) !== crypto.keyedPrefixer('email')(v)) differ += 1;
      }
      expect(differ).toBeGreaterThan(95);
      // per kind, an independent key: the same value under two kinds has unrelated prefixes
      expect(prefixKey(Buffer.alloc(32, 1), 'email').equals(prefixKey(Buffer.alloc(32, 1), 'phone'))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
      rmSync(third, { recursive: true, force: true });
    }
  });
});
