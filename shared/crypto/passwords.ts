// Staff passwords: scrypt (node:crypto) with a random 16-byte salt; stored as
// "scrypt$N$r$p$salt$hash" (base64url) so the cost can be raised later without breaking old hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((res, rej) => scrypt(password.normalize('NFC'), salt, KEYLEN, opts, (e, key) => (e ? rej(e) : res(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time check; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/u.exec(stored ?? '');
  if (!m) {
    // Spend the same time as a real check, so a missing user or password is not told apart by timing.
    await derive(password, Buffer.alloc(16), { N, r: R, p: P });
    return false;
  }
  const want = Buffer.from(m[5]!, 'base64url');
  const got = await derive(password, Buffer.from(m[4]!, 'base64url'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A random password to hand out once (about 120 bits, no look-alike characters). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(24);
  let out = '';
  for (let i = 0; i < 21; i += 1) out += alphabet[bytes[i]! % alphabet.length];
  return `${out.slice(0, 7)}-${out.slice(7, 14)}-${out.slice(14)}`;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
