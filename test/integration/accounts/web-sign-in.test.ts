// Web-mode sign-in over real HTTP: the real startWebServer (no `actor`: the session-cookie mode of
// `npm start`) over a real createApp on SQLite in a temp folder. Password sign-in sets an HttpOnly,
// SameSite=Strict, Path=/ cookie; /api needs it (401 without); audit entries name staff:<user>;
// the role rule refuses with 403 over HTTP; the session survives a restart of the server and the
// app on the same data folder and port; logout ends it; a one-time link works once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { startWebServer, type WebServer } from '../../../server/web-server';
import { cookiePair, send, setCookie } from '../../support/http-client';

const SHELL = { actor: 'cli' };

describe('web-mode sign-in over HTTP (SQLite)', () => {
  let dir: string;
  let dist: string;
  let app: App;
  let web: WebServer;
  let port = 0;

  async function start(): Promise<void> {
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
    web = await startWebServer({ backend: app, staticDir: dist, port });
    port = web.port;
  }
  async function stop(): Promise<void> {
    await web?.close();
    await app?.close();
  }
  const json = (body: unknown, cookie?: string) => ({
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', origin: web.origin, ...(cookie ? { cookie } : {}) },
  });
  const api = (op: string, input: unknown, cookie?: string) => send(`${web.origin}/api/${op}`, json(input, cookie));
  const login = (name: string, password: string) => send(`${web.origin}/auth/login`, json({ name, password }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-web-signin-'));
    dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>PrivacyDesk</title>');
    await start();
    await app.call('users.add', { name: 'ana', role: 'analyst', password: 'ana-correct-horse' }, SHELL);
    await app.call('users.add', { name: 'vera', role: 'viewer', password: 'vera-correct-horse' }, SHELL);
    await app.call('users.add', { name: 'carl', role: 'analyst', noPassword: true }, SHELL);
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let anaCookie = '';

  it('a wrong password is refused with 401 and sets no cookie; the right one sets an HttpOnly SameSite=Strict Path=/ cookie', async () => {
    const wrong = await login('ana', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.json().error.message).toBe('wrong user name or password');
    expect(setCookie(wrong, web.cookie)).toBeUndefined();
    const unknown = await login('nobody', 'ana-correct-horse');
    expect(unknown.status).toBe(401);
    expect(unknown.json().error.message).toBe('wrong user name or password');

    const ok = await login('ana', 'ana-correct-horse');
    expect(ok.status).toBe(200);
    expect(ok.json().user).toMatchObject({ name: 'ana', role: 'analyst' });
    const line = setCookie(ok, web.cookie)!;
    expect(line).toBeDefined();
    expect(web.cookie).toBe(`pd_session_${web.port}`);
    const attrs = line.split(';').map((s) => s.trim());
    expect(attrs).toContain('HttpOnly');
    expect(attrs).toContain('SameSite=Strict');
    expect(attrs).toContain('Path=/');
    expect(attrs.find((a) => a.startsWith('Max-Age='))).toMatch(/^Max-Age=\d{4,}$/u);
    expect(attrs).not.toContain('Secure'); // plain HTTP on loopback; PRIVACY_DESK_COOKIE_SECURE=1 behind TLS
    anaCookie = cookiePair(line);
    // The cookie is not the stored value: sessions are stored hashed.
    const rows = await app.ctx.db.all<{ token_hash: string }>('SELECT token_hash FROM staff_sessions');
    expect(rows.map((r) => r.token_hash)).not.toContain(anaCookie.split('=')[1]);
  });

  it('/api without the cookie is 401; with it the call works and the audit entries name staff:<user>', async () => {
    const none = await api('cases.list', {});
    expect(none.status).toBe(401);
    expect(none.json().error.type).toBe('auth');
    const forged = await api('cases.list', {}, `${web.cookie}=${'A'.repeat(43)}`);
    expect(forged.status).toBe(401);
    // A Bearer token does nothing in this mode (no `actor`).
    const bearer = await send(`${web.origin}/api/cases.list`, { ...json({}), headers: { ...json({}).headers, authorization: `Bearer ${web.token}` } });
    expect(bearer.status).toBe(401);

    const me = await send(`${web.origin}/auth/me`, { headers: { cookie: anaCookie } });
    expect(me.status).toBe(200);
    expect(me.json().user.name).toBe('ana');
    const created = await api('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'web.signin@example.com' } }, anaCookie);
    expect(created.status).toBe(200);
    const id = created.json().result.id as string;
    const audit = await api('cases.audit', { id }, anaCookie);
    expect(audit.status).toBe(200);
    const entries = audit.json().result as Array<{ action: string; actor: string }>;
    expect(entries.find((e) => e.action === 'case.created')?.actor).toBe('staff:ana');
    expect((await api('auth.me', {}, anaCookie)).json().result).toMatchObject({ user: { name: 'ana' }, actor: 'staff:ana' });
    const signedIn = await app.ctx.db.all<{ actor: string; action: string }>("SELECT actor, action FROM audit_log WHERE action = 'auth.signed_in'");
    expect(signedIn.map((r) => r.actor)).toContain('staff:ana');
  });

  it('a role rule refuses over HTTP with 403 (viewer creates, analyst approves, analyst manages users)', async () => {
    const vera = cookiePair(setCookie(await login('vera', 'vera-correct-horse'), web.cookie)!);
    const byViewer = await api('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'v@example.com' } }, vera);
    expect(byViewer.status).toBe(403);
    expect(byViewer.json().error).toMatchObject({ type: 'forbidden' });
    expect(byViewer.json().error.message).toMatch(/cases\.create needs the analyst role \(vera is viewer\)/u);
    expect((await api('cases.list', {}, vera)).status).toBe(200);
    expect((await api('users.list', {}, anaCookie)).status).toBe(403);
    // The shells' own operations are never callable by a signed-in user over /api.
    expect((await api('auth.login', { name: 'ana', password: 'ana-correct-horse' }, anaCookie)).status).toBe(403);
  });

  it('the same cookie still works after the server AND the app restart on the same data folder', async () => {
    await stop();
    await start();
    expect(web.port).toBe(port);
    const r = await api('cases.list', {}, anaCookie);
    expect(r.status).toBe(200);
    expect(r.json().result.items.length).toBeGreaterThanOrEqual(1);
    expect((await send(`${web.origin}/auth/me`, { headers: { cookie: anaCookie } })).json().user.name).toBe('ana');
  });

  it('logout ends the session: the cookie is cleared and no longer works, also after another restart', async () => {
    const out = await send(`${web.origin}/auth/logout`, json({}, anaCookie));
    expect(out.status).toBe(200);
    expect(setCookie(out, web.cookie)).toMatch(/Max-Age=0/u);
    expect((await api('cases.list', {}, anaCookie)).status).toBe(401);
    expect((await send(`${web.origin}/auth/me`, { headers: { cookie: anaCookie } })).status).toBe(401);
    await stop();
    await start();
    expect((await api('cases.list', {}, anaCookie)).status).toBe(401);
    const audit = await app.ctx.db.all<{ actor: string }>("SELECT actor FROM audit_log WHERE action = 'auth.signed_out'");
    expect(audit.map((r) => r.actor)).toContain('staff:ana');
  });

  it('a one-time link signs in once (redirect with the cookie), then sends back to the sign-in page', async () => {
    const { token } = await app.call('auth.link', { name: 'carl', minutes: 15 }, SHELL);
    const first = await send(`${web.origin}/auth/link?t=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/#/queue');
    const line = setCookie(first, web.cookie)!;
    expect(line).toMatch(/HttpOnly; SameSite=Strict; Path=\//u);
    const carl = cookiePair(line);
    expect((await api('auth.me', {}, carl)).json().result.user.name).toBe('carl');
    const again = await send(`${web.origin}/auth/link?t=${token}`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/?signin=link');
    expect(setCookie(again, web.cookie)).toBeUndefined();
    const junk = await send(`${web.origin}/auth/link?t=nonsense`);
    expect(junk.headers.location).toBe('/?signin=link');
    // carl has no password: the link was the only way in.
    expect((await login('carl', 'anything-at-all')).status).toBe(401);
  });

  it('the page opens from a navigation coming from another site (the identity provider\'s redirect back); nothing else cross-site', async () => {
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    expect((await send(`${web.origin}/`, { headers: nav })).status).toBe(200);
    expect((await send(`${web.origin}/`, { headers: { ...nav, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' } })).status).toBe(403);
    expect((await send(`${web.origin}/`, { headers: { ...nav, 'sec-fetch-dest': 'iframe' } })).status).toBe(403);
    expect((await send(`${web.origin}/api/cases.list`, { ...json({}), headers: { ...json({}).headers, ...nav } })).status).toBe(403);
    expect((await send(`${web.origin}/auth/me`, { headers: nav })).status).toBe(403);
  });

  it('sign-in routes check Host and Origin like the API', async () => {
    const cross = await send(`${web.origin}/auth/login`, { ...json({ name: 'ana', password: 'ana-correct-horse' }), headers: { 'content-type': 'application/json', origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
    expect(setCookie(cross, web.cookie)).toBeUndefined();
  });
});
