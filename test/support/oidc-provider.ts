// A real OpenID Connect provider for tests: `oidc-provider` (npm) on 127.0.0.1 with one confidential
// client registered for the console's callback, its development login page (any password; the
// login name is the subject) and a fixed account list for the claims (email, email_verified).
// signInAtProvider drives the authorization code flow over plain HTTP: it follows the provider's
// redirects itself, posts its login and consent forms, and returns the redirect back to the console.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { Jar, send, type Res } from './http-client';

export interface OidcAccount { email?: string; emailVerified?: boolean; name?: string }

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** PRIVACY_DESK_OIDC_* variables pointing the console at this provider. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: { redirectUris: string[]; accounts: Record<string, OidcAccount> }): Promise<LocalOidcProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => { res.statusCode = 503; res.end(); };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'privacy-desk-console';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: opts.redirectUris,
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx: unknown, sub: string) => {
      const a = opts.accounts[sub] ?? {}; // like the development login page: any login is an account
      return {
        accountId: sub,
        claims: () => ({
          sub, ...(a.email !== undefined ? { email: a.email, email_verified: a.emailVerified ?? false } : {}), ...(a.name ? { name: a.name } : {}),
        }),
      };
    },
  });
  provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider: ${(err as Error).message}\n`));
  handler = provider.callback();
  return {
    issuer, clientId, clientSecret,
    env: { PRIVACY_DESK_OIDC_ISSUER: issuer, PRIVACY_DESK_OIDC_CLIENT_ID: clientId, PRIVACY_DESK_OIDC_CLIENT_SECRET: clientSecret, PRIVACY_DESK_OIDC_LABEL: 'Sign in with Test IdP' },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const formPrompt = (html: string) => /name="prompt" value="([a-z]+)"/u.exec(html)?.[1];
const formAction = (html: string) => /<form[^>]*action="([^"]+)"/u.exec(html)?.[1]?.replace(/&amp;/gu, '&');

/**
 * From the provider's authorization URL to the redirect back to the console: logs in as `login`
 * at the development login page and confirms the consent page. Returns the callback URL.
 */
export async function signInAtProvider(authorizationUrl: string, login: string, consoleOrigin: string): Promise<string> {
  const jar = new Jar();
  let url = authorizationUrl;
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(consoleOrigin)) return url;
    const r: Res = await send(url, { headers: { cookie: jar.header() } });
    jar.take(r);
    if (r.status >= 300 && r.status < 400) { url = new URL(String(r.headers.location), url).href; continue; }
    if (r.status !== 200) throw new Error(`provider answered ${r.status} at ${url}: ${r.body.slice(0, 300)}`);
    const prompt = formPrompt(r.body);
    const action = formAction(r.body);
    if (!prompt || !action) throw new Error(`provider page without a form at ${url}: ${r.body.slice(0, 300)}`);
    const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any-password' } : { prompt });
    const posted = await send(new URL(action, url).href, {
      method: 'POST', body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    });
    jar.take(posted);
    if (posted.status < 300 || posted.status >= 400) throw new Error(`provider form ${prompt}: ${posted.status} ${posted.body.slice(0, 300)}`);
    url = new URL(String(posted.headers.location), url).href;
  }
  throw new Error('too many redirects at the provider');
}
