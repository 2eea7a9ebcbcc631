// The web-mode session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page
// can make the browser send it), Path=/, named after the port (cookies are shared across ports of
// one host, and two consoles on one machine must not sign each other out). Secure when served over
// HTTPS (behind a TLS proxy: PRIVACY_DESK_COOKIE_SECURE=1).
import type { IncomingMessage } from 'node:http';

export function cookieName(port: number): string {
  return `pd_session_${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{40,64}$/u.test(v) ? v : null;
    }
  }
  return null;
}

/**
 * The session cookie. Its Max-Age is the longest a session may last (the app says how long); the
 * server checks on every call whether the session is still valid by the app's own clock, so a
 * clock set for a demo or a test never makes the browser drop the cookie at once.
 */
export function sessionCookie(name: string, token: string, maxAge: number, secure: boolean): string {
  return `${name}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearCookie(name: string, secure: boolean, sameSite: 'Strict' | 'Lax' = 'Strict'): string {
  return `${name}=; HttpOnly; SameSite=${sameSite}; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The short-lived cookie binding an identity-provider round trip to this browser (Lax: it must come back on the provider's redirect). */
export function oidcStateCookie(name: string, state: string, secure: boolean): string {
  return `${name}=${state}; HttpOnly; SameSite=Lax; Path=/auth/oidc; Max-Age=600${secure ? '; Secure' : ''}`;
}
