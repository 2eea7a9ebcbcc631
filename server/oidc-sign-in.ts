// Sign-in with the company's identity provider (OpenID Connect, authorization code flow with PKCE,
// state and nonce) through `openid-client`. Configured by PRIVACY_DESK_OIDC_ISSUER, _CLIENT_ID,
// _CLIENT_SECRET (optional: public client), _REDIRECT_URI (default <console origin>/auth/oidc/callback),
// _LABEL (the button's text). Plain-HTTP issuers are allowed only on loopback (a local test provider).
import * as oidc from 'openid-client';
import { z } from 'zod';

export const OidcConfigSchema = z.object({
  issuer: z.string().url('PRIVACY_DESK_OIDC_ISSUER: must be the issuer URL'),
  clientId: z.string().min(1, 'PRIVACY_DESK_OIDC_CLIENT_ID is required with PRIVACY_DESK_OIDC_ISSUER'),
  clientSecret: z.string().min(1).optional(),
  redirectUri: z.string().url('PRIVACY_DESK_OIDC_REDIRECT_URI: must be a URL').optional(),
  label: z.string().min(1).max(80).default('Sign in with your company account'),
  scope: z.string().default('openid email profile'),
}).strict();
export type OidcConfig = z.infer<typeof OidcConfigSchema>;

export function oidcConfigFrom(env: NodeJS.ProcessEnv): OidcConfig | null {
  if (!env.PRIVACY_DESK_OIDC_ISSUER) return null;
  const parsed = OidcConfigSchema.safeParse({
    issuer: env.PRIVACY_DESK_OIDC_ISSUER, clientId: env.PRIVACY_DESK_OIDC_CLIENT_ID ?? '',
    clientSecret: env.PRIVACY_DESK_OIDC_CLIENT_SECRET || undefined, redirectUri: env.PRIVACY_DESK_OIDC_REDIRECT_URI || undefined,
    label: env.PRIVACY_DESK_OIDC_LABEL || undefined,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

function loopback(url: string): boolean {
  const h = new URL(url).hostname;
  return h === '127.0.0.1' || h === 'localhost' || h === '[::1]' || h === '::1';
}

interface Pending { verifier: string; nonce: string; at: number }

export interface OidcSignIn {
  label: string;
  /** The provider's authorization URL for a new round trip, and the state that binds it to this browser. */
  start(redirectUri: string): Promise<{ url: string; state: string }>;
  /** Checks the callback (state, PKCE, nonce, ID token) and returns the vouched-for identity. */
  finish(callbackUrl: URL, state: string, redirectUri: string): Promise<{ issuer: string; subject: string; email?: string; emailVerified: boolean }>;
}

export function oidcSignIn(cfg: OidcConfig): OidcSignIn {
  let config: Promise<oidc.Configuration> | null = null;
  const pending = new Map<string, Pending>();
  const discover = () => {
    config ??= oidc.discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, cfg.clientSecret ? undefined : oidc.None(),
      loopback(cfg.issuer) && cfg.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((e: unknown) => { config = null; throw e; });
    return config;
  };
  const sweep = () => { const old = Date.now() - 600_000; for (const [k, v] of pending) if (v.at < old) pending.delete(k); };
  return {
    label: cfg.label,
    async start(redirectUri) {
      const c = await discover();
      sweep();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      pending.set(state, { verifier, nonce, at: Date.now() });
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: cfg.redirectUri ?? redirectUri, scope: cfg.scope, state, nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      });
      return { url: url.href, state };
    },
    async finish(callbackUrl, state, redirectUri) {
      const p = pending.get(state);
      if (!p) throw new Error('the sign-in took too long or was started elsewhere; start again');
      pending.delete(state);
      const c = await discover();
      const url = new URL(callbackUrl.href);
      const want = new URL(cfg.redirectUri ?? redirectUri);
      url.protocol = want.protocol; url.host = want.host; url.pathname = want.pathname;
      const tokens = await oidc.authorizationCodeGrant(c, url, { pkceCodeVerifier: p.verifier, expectedState: state, expectedNonce: p.nonce, idTokenExpected: true });
      const claims = tokens.claims();
      if (!claims) throw new Error('the identity provider sent no ID token');
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let emailVerified = claims.email_verified === true;
      // Many providers put scope claims (email) only in the UserInfo answer for the code flow
      // (OpenID Connect Core 5.4); ask it when the ID token has none (sub must match).
      if (email === undefined && tokens.access_token) {
        const info = await oidc.fetchUserInfo(c, tokens.access_token, String(claims.sub)).catch(() => null);
        if (info && typeof info.email === 'string') { email = info.email; emailVerified = info.email_verified === true; }
      }
      return { issuer: String(claims.iss), subject: String(claims.sub), ...(email !== undefined ? { email } : {}), emailVerified };
    },
  };
}
