// Web mode's sign-in routes (the page itself is the renderer's login screen):
//   GET  /auth/me             who is signed in (401 when nobody), and whether the identity provider is configured
//   POST /auth/login          {name, password} -> session cookie
//   POST /auth/logout         ends the session
//   GET  /auth/link?t=TOKEN   a one-time sign-in link (printed by `npm start`, `privacy-desk users link`) -> session cookie
//   GET  /auth/oidc/start     -> the identity provider;  GET /auth/oidc/callback -> session cookie
// Sessions live in the database (hashed); the cookie is HttpOnly, SameSite=Strict (session-cookie.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { CallMeta } from '../shared/app/api';
import { errorResponse } from './api-errors';
import { checkHostAndOrigin } from './request-guard';
import { clearCookie, oidcStateCookie, readCookie, sessionCookie } from './session-cookie';
import { securityHeaders } from './static-files';
import type { OidcSignIn } from './oidc-sign-in';

interface Backend { callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown> }
const SHELL: CallMeta = { actor: 'web' };
const LoginSchema = z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }).strict();
interface SessionOut { token: string; expiresAt: string; maxAgeSeconds: number; user: { name: string } }

export interface AuthRouteOptions {
  backend: Backend; hosts: Set<string>; cookie: string; origin: string; oidc: OidcSignIn | null; secure: boolean;
  readBody(req: IncomingMessage): Promise<string>;
}

/** The signed-in user's name from the session cookie, or null. */
export async function sessionUser(backend: Backend, req: IncomingMessage, cookie: string): Promise<string | null> {
  const token = readCookie(req, cookie);
  if (!token) return null;
  try {
    const r = await backend.callUnknown('auth.session', { token }, SHELL) as { user: { name: string } };
    return r.user.name;
  } catch { return null; }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), ...securityHeaders(), ...headers });
  res.end(text);
}

function redirect(res: ServerResponse, to: string, cookies: string[] = []): void {
  res.writeHead(303, { Location: to, 'Cache-Control': 'no-store', ...securityHeaders(), ...(cookies.length ? { 'Set-Cookie': cookies } : {}) });
  res.end();
}

export async function handleAuth(req: IncomingMessage, res: ServerResponse, o: AuthRouteOptions): Promise<void> {
  const url = new URL(req.url ?? '/', o.origin);
  const path = url.pathname;
  const stateCookie = `${o.cookie}_oidc`;
  // The provider's redirect back is a cross-site navigation: only its Host is checked (state, PKCE and nonce protect it).
  if (path === '/auth/oidc/callback') {
    if (!o.hosts.has((req.headers.host ?? '').toLowerCase())) return send(res, 403, { error: { type: 'auth', message: 'forbidden: unexpected Host header' } });
  } else {
    const guard = checkHostAndOrigin(req, o.hosts);
    if (!guard.ok) return send(res, guard.status, { error: { type: 'auth', message: guard.message } });
  }
  const oidcInfo = o.oidc ? { label: o.oidc.label } : null;
  const callbackUri = `${o.origin}/auth/oidc/callback`;

  if (path === '/auth/me' && req.method === 'GET') {
    const token = readCookie(req, o.cookie);
    if (token) {
      try {
        const r = await o.backend.callUnknown('auth.session', { token }, SHELL) as { user: unknown; expiresAt: string };
        return send(res, 200, { user: r.user, expiresAt: r.expiresAt, oidc: oidcInfo });
      } catch { /* fall through: signed out */ }
    }
    return send(res, 401, { error: { type: 'auth', message: 'not signed in' }, oidc: oidcInfo });
  }

  if (path === '/auth/login' && req.method === 'POST') {
    if (!/^application\/json\b/iu.test(String(req.headers['content-type'] ?? ''))) return send(res, 415, { error: { type: 'input', message: 'Content-Type must be application/json' } });
    let input: z.infer<typeof LoginSchema>;
    try {
      const parsed = LoginSchema.safeParse(JSON.parse(await o.readBody(req)));
      if (!parsed.success) return send(res, 400, { error: { type: 'input', message: 'enter your user name and password' } });
      input = parsed.data;
    } catch { return send(res, 400, { error: { type: 'input', message: 'request body: not valid JSON' } }); }
    try {
      const s = await o.backend.callUnknown('auth.login', input, SHELL) as SessionOut;
      return send(res, 200, { user: s.user, expiresAt: s.expiresAt }, { 'Set-Cookie': sessionCookie(o.cookie, s.token, s.maxAgeSeconds, o.secure) });
    } catch (e) {
      const m = errorResponse(e);
      return send(res, m.status === 500 ? 500 : 401, { error: { type: 'auth', message: m.status === 500 ? 'sign-in failed (see the server log)' : 'wrong user name or password' } });
    }
  }

  if (path === '/auth/logout' && req.method === 'POST') {
    const token = readCookie(req, o.cookie);
    if (token) await o.backend.callUnknown('auth.logout', { token }, SHELL).catch(() => undefined);
    return send(res, 200, { ok: true }, { 'Set-Cookie': clearCookie(o.cookie, o.secure) });
  }

  if (path === '/auth/link' && req.method === 'GET') {
    const t = url.searchParams.get('t') ?? '';
    try {
      const s = await o.backend.callUnknown('auth.redeemLink', { token: t }, SHELL) as SessionOut;
      return redirect(res, '/#/queue', [sessionCookie(o.cookie, s.token, s.maxAgeSeconds, o.secure)]);
    } catch {
      return redirect(res, '/?signin=link');
    }
  }

  if (path === '/auth/oidc/start' && req.method === 'GET') {
    if (!o.oidc) return redirect(res, '/?signin=oidc-off');
    try {
      const { url: to, state } = await o.oidc.start(callbackUri);
      return redirect(res, to, [oidcStateCookie(stateCookie, state, o.secure)]);
    } catch (e) {
      process.stderr.write(`privacy-desk web: identity provider not reachable: ${(e as Error).message}\n`);
      return redirect(res, '/?signin=oidc-down');
    }
  }

  if (path === '/auth/oidc/callback' && req.method === 'GET') {
    if (!o.oidc) return redirect(res, '/?signin=oidc-off');
    const state = readCookie(req, stateCookie);
    const clear = clearCookie(stateCookie, o.secure, 'Lax').replace('Path=/', 'Path=/auth/oidc');
    if (!state || url.searchParams.get('state') !== state) return redirect(res, '/?signin=oidc-failed', [clear]);
    let identity: Awaited<ReturnType<OidcSignIn['finish']>>;
    try {
      identity = await o.oidc.finish(url, state, callbackUri);
    } catch (e) {
      process.stderr.write(`privacy-desk web: identity-provider sign-in failed: ${(e as Error).message}\n`);
      return redirect(res, '/?signin=oidc-failed', [clear]);
    }
    try {
      const s = await o.backend.callUnknown('auth.oidc', identity, SHELL) as SessionOut;
      return redirect(res, '/#/queue', [clear, sessionCookie(o.cookie, s.token, s.maxAgeSeconds, o.secure)]);
    } catch {
      return redirect(res, '/?signin=oidc-unknown', [clear]);
    }
  }

  return send(res, 404, { error: { type: 'not_found', message: 'unknown sign-in route' } });
}
