// The privacy center's status session: no cookies, a short-lived token the status page carries in
// its links and forms. "<case id>.<expiry ms>.<keyed hash>" base64url-encoded; the keyed hash (the
// store's HMAC key) makes it unforgeable, the expiry makes it short-lived (15 minutes).
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from './context';

export const SESSION_MINUTES = 15;

function mac(ctx: AppContext, caseId: string, exp: number): string {
  return ctx.crypto.keyedHash('public-status-session', `${caseId}|${exp}`);
}

export function signSession(ctx: AppContext, caseId: string, minutes = SESSION_MINUTES): string {
  const exp = ctx.clock().getTime() + minutes * 60_000;
  return Buffer.from(`${caseId}.${exp}.${mac(ctx, caseId, exp)}`).toString('base64url');
}

/** The case id of a valid, unexpired session; null otherwise. */
export function openSession(ctx: AppContext, token: string): string | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^(PD-[A-Z0-9-]{4,40})\.(\d{10,16})\.([0-9a-f]{16,128})$/u.exec(text);
  if (!m) return null;
  const exp = Number(m[2]);
  if (!(exp > ctx.clock().getTime())) return null;
  const want = Buffer.from(mac(ctx, m[1]!, exp));
  const got = Buffer.from(m[3]!);
  return want.length === got.length && timingSafeEqual(want, got) ? m[1]! : null;
}
