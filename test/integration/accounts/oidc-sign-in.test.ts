// Sign-in with an identity provider over real HTTP: a real OpenID Connect provider (`oidc-provider`
// on 127.0.0.1, test/support/oidc-provider.ts), the console's real web server over createApp on
// SQLite, and openid-client between them (server/oidc-sign-in.ts). The authorization code flow is
// driven by hand (every redirect followed and checked): a user linked from the CLI by subject
// (`users add --oidc-subject --oidc-issuer`) and one matched by a verified email
// (`users add --email`; oidc-provider sends email only from UserInfo in the code flow, as many
// providers do) get a session; an unknown identity, an unverified email and a forged
// state are refused without a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { startWebServer, type WebServer } from '../../../server/web-server';
import { oidcConfigFrom, oidcSignIn } from '../../../server/oidc-sign-in';
import { main } from '../../../cli/main';
import { cookiePair, send, setCookie } from '../../support/http-client';
import { signInAtProvider, startOidcProvider, type LocalOidcProvider } from '../../support/oidc-provider';

describe('OpenID Connect sign-in against a local oidc-provider', () => {
  let dir: string;
  let app: App;
  let web: WebServer;
  let idp: LocalOidcProvider;

  async function cli(...argv: string[]): Promise<string> {
    let out = '';
    let err = '';
    const code = await main(['--data-dir', dir, '--db', join(dir, 'pd.sqlite'), ...argv], { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, isTTY: false });
    if (code !== 0) throw new Error(`privacy-desk ${argv.join(' ')}: exit ${code}: ${err}`);
    return out;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-oidc-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>PrivacyDesk</title>');
    // The console's port must be known for the client's redirect URI: take a free one, then bind it.
    const probe = await startWebServer({ backend: { callUnknown: async () => null }, staticDir: dist, port: 0 });
    const port = probe.port;
    await probe.close();
    idp = await startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/auth/oidc/callback`],
      accounts: {
        'olga-sub-1': { email: 'olga@corp.example', emailVerified: true, name: 'Olga' },
        'mail-sub-2': { email: 'mira@corp.example', emailVerified: true },
        'unverified-sub': { email: 'una@corp.example', emailVerified: false },
        'stranger-sub': { email: 'stranger@elsewhere.example', emailVerified: true },
      },
    });
    // Linked from the CLI, before the console starts (the CLI opens the same store).
    await cli('users', 'add', 'olga', '--role', 'approver', '--no-password', '--oidc-subject', 'olga-sub-1', '--oidc-issuer', idp.issuer);
    await cli('users', 'add', 'mira', '--role', 'analyst', '--no-password', '--email', 'mira@corp.example');
    await cli('users', 'add', 'una', '--role', 'analyst', '--no-password', '--email', 'una@corp.example');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
    const cfg = oidcConfigFrom(idp.env)!;
    web = await startWebServer({ backend: app, staticDir: dist, port, oidc: oidcSignIn(cfg) });
  });
  afterAll(async () => {
    await web?.close();
    await app?.close();
    await idp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** /auth/oidc/start -> provider (log in as `login`) -> /auth/oidc/callback; the console's answer. */
  async function oidcRoundTrip(login: string) {
    const start = await send(`${web.origin}/auth/oidc/start`);
    expect(start.status).toBe(303);
    const to = new URL(String(start.headers.location));
    expect(to.origin).toBe(idp.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('redirect_uri')).toBe(`${web.origin}/auth/oidc/callback`);
    expect(to.searchParams.get('nonce')).toBeTruthy();
    const stateLine = setCookie(start, `${web.cookie}_oidc`)!;
    expect(stateLine).toMatch(/HttpOnly; SameSite=Lax; Path=\/auth\/oidc/u);
    const callback = await signInAtProvider(to.href, login, web.origin);
    expect(new URL(callback).pathname).toBe('/auth/oidc/callback');
    expect(new URL(callback).searchParams.get('state')).toBe(to.searchParams.get('state'));
    return send(callback, { headers: { cookie: cookiePair(stateLine) } });
  }

  it('the login page learns that the identity provider is configured (its label)', async () => {
    const me = await send(`${web.origin}/auth/me`);
    expect(me.status).toBe(401);
    expect(me.json().oidc).toEqual({ label: 'Sign in with Test IdP' });
  });

  it('a user linked by issuer and subject (users add --oidc-subject) gets a session', async () => {
    const done = await oidcRoundTrip('olga-sub-1');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/#/queue');
    const line = setCookie(done, web.cookie)!;
    expect(line).toMatch(/HttpOnly; SameSite=Strict; Path=\//u);
    const cookie = cookiePair(line);
    const me = await send(`${web.origin}/api/auth.me`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', cookie } });
    expect(me.json().result).toMatchObject({ user: { name: 'olga', role: 'approver', signIn: ['oidc'] }, actor: 'staff:olga' });
    const rows = await app.ctx.db.all<{ actor: string; detail: string }>("SELECT actor, detail FROM audit_log WHERE action = 'auth.signed_in'");
    expect(rows.find((r) => r.actor === 'staff:olga')?.detail).toContain('oidc');
  });

  it('a user added with an email is matched by the verified email claim once, then by subject', async () => {
    const first = await oidcRoundTrip('mail-sub-2');
    expect(first.headers.location).toBe('/#/queue');
    const cookie = cookiePair(setCookie(first, web.cookie)!);
    const me = await send(`${web.origin}/api/auth.me`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', cookie } });
    expect(me.json().result.user.name).toBe('mira');
    const u = await app.ctx.db.get<{ oidc_issuer: string; oidc_subject: string }>('SELECT oidc_issuer, oidc_subject FROM staff_users WHERE name = ?', ['mira']);
    expect(u).toEqual({ oidc_issuer: idp.issuer, oidc_subject: 'mail-sub-2' });
    const again = await oidcRoundTrip('mail-sub-2');
    expect(again.headers.location).toBe('/#/queue');
  });

  it('an unknown identity and an unverified email are refused: no session cookie, the sign-in page says why', async () => {
    for (const who of ['stranger-sub', 'unverified-sub', 'nobody-at-all']) {
      const r = await oidcRoundTrip(who);
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe('/?signin=oidc-unknown');
      expect(setCookie(r, web.cookie)).toBeUndefined();
    }
    const refused = await app.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'auth.sign_in_failed'");
    expect(refused.filter((r) => r.detail.includes('oidc')).length).toBe(3);
  });

  it('a callback with a state that is not this browser\'s is refused', async () => {
    const start = await send(`${web.origin}/auth/oidc/start`);
    const callback = await signInAtProvider(String(start.headers.location), 'olga-sub-1', web.origin);
    const noCookie = await send(callback);
    expect(noCookie.headers.location).toBe('/?signin=oidc-failed');
    const other = await send(`${web.origin}/auth/oidc/start`);
    const wrong = await send(callback, { headers: { cookie: cookiePair(setCookie(other, `${web.cookie}_oidc`)!) } });
    expect(wrong.headers.location).toBe('/?signin=oidc-failed');
    expect(setCookie(wrong, web.cookie)).toBeUndefined();
  });
});
