// Who may drive the API: only the page this server served. Three checks on every API call:
// - Host must be this server's own loopback name and port (defeats DNS rebinding);
// - Origin, when the browser sends one, must be this server's origin (defeats other local pages);
// - Authorization: Bearer <token> with the per-start random session token (the page gets it from
//   the URL fragment, which browsers never send to servers; no cookies, so no cross-site riding).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set([host, '127.0.0.1', 'localhost', '[::1]']);
  return new Set([...names].map((n) => `${n}:${port}`));
}

export type GuardResult = { ok: true } | { ok: false; status: 401 | 403; message: string };

export function checkHostAndOrigin(req: IncomingMessage, hosts: Set<string>, opts: { allowCrossSite?: boolean } = {}): GuardResult {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { ok: false, status: 403, message: 'forbidden: unexpected Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return { ok: false, status: 403, message: 'forbidden: cross-origin request' };
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none' && !opts.allowCrossSite) return { ok: false, status: 403, message: 'forbidden: cross-site request' };
  return { ok: true };
}

export function checkToken(req: IncomingMessage, token: string): GuardResult {
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/u.exec(auth);
  if (!m) return { ok: false, status: 401, message: 'unauthorized: session token required' };
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, status: 401, message: 'unauthorized: wrong session token' };
  return { ok: true };
}
