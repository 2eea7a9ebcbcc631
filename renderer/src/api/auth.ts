// Who is signed in, and signing in and out: web mode through /auth/* (the session is an HttpOnly
// cookie the page never sees), Electron through the bridge (the main process keeps the session).
import type { UserView } from '../../../shared/app/contract/accounts';
import { ApiError, type PreloadBridge } from './transport';

export interface SignedIn { user: UserView | null; label: string }
export interface AuthState { signedIn: SignedIn | null; oidc: { label: string } | null }

export interface AuthClient {
  state(): Promise<AuthState>;
  login(name: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** Where the identity-provider button goes (web mode), or null. */
  oidcStartUrl: string | null;
}

async function json(res: Response): Promise<{ user?: UserView; oidc?: { label: string } | null; error?: { type: string; message: string } } | null> {
  return res.json().catch(() => null) as never;
}

export function webAuth(base = ''): AuthClient {
  return {
    oidcStartUrl: `${base}/auth/oidc/start`,
    async state() {
      let res: Response;
      try { res = await fetch(`${base}/auth/me`, { credentials: 'same-origin', cache: 'no-store' }); } catch {
        throw new ApiError('network', 'The PrivacyDesk server is not reachable. Is it still running?');
      }
      const body = await json(res);
      const oidc = body?.oidc ?? null;
      if (res.ok && body?.user) return { signedIn: { user: body.user, label: body.user.displayName ?? body.user.name }, oidc };
      return { signedIn: null, oidc };
    },
    async login(name, password) {
      const res = await fetch(`${base}/auth/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', cache: 'no-store',
        body: JSON.stringify({ name, password }),
      }).catch(() => { throw new ApiError('network', 'The PrivacyDesk server is not reachable. Is it still running?'); });
      if (!res.ok) { const b = await json(res); throw new ApiError('auth', b?.error?.message ?? `HTTP ${res.status}`, [], res.status); }
    },
    async logout() {
      await fetch(`${base}/auth/logout`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: '{}' }).catch(() => undefined);
    },
  };
}

/** Automation's Bearer token: a trusted caller with no user account. */
export function tokenAuth(): AuthClient {
  return {
    oidcStartUrl: null,
    state: async () => ({ signedIn: { user: null, label: 'Automation (session token)' }, oidc: null }),
    login: async () => undefined,
    logout: async () => undefined,
  };
}

export function bridgeAuth(bridge: PreloadBridge): AuthClient {
  const call = async (op: string, input: unknown) => {
    const r = await bridge.call(op, input);
    if (r.ok) return r.result as { user: UserView | null };
    throw new ApiError(r.error.type, r.error.message, r.error.issues ?? []);
  };
  return {
    oidcStartUrl: null,
    async state() {
      const r = await call('auth.state', {});
      return { signedIn: r.user ? { user: r.user, label: r.user.displayName ?? r.user.name } : null, oidc: null };
    },
    async login(name, password) { await call('auth.signIn', { name, password }); },
    async logout() { await call('auth.signOut', {}); },
  };
}
