// Abuse controls of the privacy center, no third party involved:
// - RateLimiter: fixed windows per key (a client address, or a hash of an identity), in memory;
// - ProofOfWork: a signed, single-use challenge; the browser finds a nonce so that
//   SHA-256(challenge ":" nonce) starts with `bits` zero bits (about 2^bits hashes, a second or so);
// - the honeypot is a form field people never see (handled by the routes: a filled one gets the
//   usual answer and nothing is created).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class RateLimiter {
  private readonly hits = new Map<string, { start: number; count: number }>();
  constructor(private readonly limit: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Counts `weight` hits for the key; false when the key is over its limit in this window. */
  take(key: string, weight = 1): boolean {
    const t = this.now();
    let h = this.hits.get(key);
    if (!h || t - h.start >= this.windowMs) { h = { start: t, count: 0 }; this.hits.set(key, h); }
    if (h.count + weight > this.limit) return false;
    h.count += weight;
    if (this.hits.size > 50_000) this.sweep(t);
    return true;
  }

  private sweep(t: number): void {
    for (const [k, h] of this.hits) if (t - h.start >= this.windowMs) this.hits.delete(k);
  }
}

/** A per-process hash of an identity for rate-limit keys (never stored, never logged). */
export function identityKey(salt: Buffer, kind: string, value: string): string {
  return createHash('sha256').update(salt).update(`${kind}\u0000${value.trim().toLowerCase()}`).digest('base64url');
}

export function leadingZeroBits(digest: Buffer): number {
  let n = 0;
  for (const b of digest) {
    if (b === 0) { n += 8; continue; }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

export function powDigest(challenge: string, nonce: string): Buffer {
  return createHash('sha256').update(`${challenge}:${nonce}`).digest();
}

/** Solves a challenge (tests; the browser runs the same loop in center.js). */
export function solvePow(challenge: string, bits: number): string {
  for (let i = 0; ; i += 1) if (leadingZeroBits(powDigest(challenge, String(i))) >= bits) return String(i);
}

export class ProofOfWork {
  private readonly key = randomBytes(32);
  private readonly used = new Map<string, number>();
  constructor(readonly bits: number, private readonly ttlMs = 10 * 60_000, private readonly now: () => number = Date.now) {}

  /** "<expiry>.<random>.<mac>": verifiable without server state until it is used. */
  challenge(): string {
    const body = `${this.now() + this.ttlMs}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${createHmac('sha256', this.key).update(body).digest('base64url')}`;
  }

  /** True once per challenge, when it is ours, unexpired and the nonce meets the difficulty. */
  check(challenge: unknown, nonce: unknown): boolean {
    if (typeof challenge !== 'string' || typeof nonce !== 'string' || challenge.length > 200 || nonce.length > 40) return false;
    const m = /^(\d{10,16})\.([A-Za-z0-9_-]{8,40})\.([A-Za-z0-9_-]{20,80})$/u.exec(challenge);
    if (!m) return false;
    const body = `${m[1]}.${m[2]}`;
    const want = createHmac('sha256', this.key).update(body).digest();
    const got = Buffer.from(m[3]!, 'base64url');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
    const t = this.now();
    if (Number(m[1]) < t) return false;
    if (this.used.has(challenge)) return false;
    if (leadingZeroBits(powDigest(challenge, nonce)) < this.bits) return false;
    this.used.set(challenge, Number(m[1]));
    if (this.used.size > 10_000) for (const [c, exp] of this.used) if (exp < t) this.used.delete(c);
    return true;
  }
}
