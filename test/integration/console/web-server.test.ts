// The web-mode server over the real app (SQLite case store in a temp folder): every API call needs
// the session token and this server's Host/Origin; inputs are validated with zod and errors come
// back as JSON with 400/404/409; nothing is written by a refused call.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { startWebServer, type WebServer } from '../../../server/web-server';

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: () => any }

function send(web: WebServer, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Res> {
  return new Promise((resolveRes, reject) => {
    const req = request({
      host: '127.0.0.1', port: web.port, path, method: opts.method ?? 'POST',
      headers: { host: opts.host ?? `127.0.0.1:${web.port}`, ...opts.headers },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolveRes({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

describe('web-mode server with the real app', () => {
  let dir: string;
  let app: App;
  let web: WebServer;
  const api = (op: string, input: unknown, headers: Record<string, string> = {}) => send(web, `/api/${op}`, {
    body: JSON.stringify(input), headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}`, ...headers },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-web-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>PrivacyDesk</title>');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } });
    web = await startWebServer({ backend: app, staticDir: dist, actor: 'staff:tester', port: 0 });
  });
  afterAll(async () => {
    await web?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 and hands out the token only in the URL fragment', () => {
    expect(web.origin).toBe(`http://127.0.0.1:${web.port}`);
    expect(web.url).toBe(`${web.origin}/#token=${web.token}`);
    expect(web.token.length).toBeGreaterThanOrEqual(43);
  });

  it('creates and lists a case with the token, auditing the staff user', async () => {
    const created = await api('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'Pat.Doe@Example.com' } });
    expect(created.status).toBe(200);
    const c = created.json().result;
    expect(c.identitiesMasked.email).not.toContain('pat.doe');
    await app.settle(c.id);
    const listed = await api('cases.list', { search: 'pat.doe@example.com' });
    expect(listed.json().result.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const audit = await api('cases.audit', { id: c.id });
    expect(audit.json().result.find((a: { action: string }) => a.action === 'case.created').actor).toBe('staff:tester');
    expect(created.headers['cache-control']).toBe('no-store');
  });

  it('refuses calls without the token or with a wrong one (401), writing nothing', async () => {
    const before = (await app.call('cases.list', {}, { actor: 't' })).total;
    const none = await send(web, '/api/cases.create', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'delete', jurisdiction: 'CA', identities: { email: 'a@example.com' } }) });
    expect(none.status).toBe(401);
    const wrong = await api('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'a@example.com' } }, { authorization: `Bearer ${'x'.repeat(43)}` });
    expect(wrong.status).toBe(401);
    expect(wrong.json().error.type).toBe('auth');
    expect((await app.call('cases.list', {}, { actor: 't' })).total).toBe(before);
  });

  it('refuses other origins, foreign Host headers (DNS rebinding) and cross-site fetches (403)', async () => {
    expect((await api('cases.list', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('cases.list', {}, { origin: `http://127.0.0.1:${web.port + 1}` })).status).toBe(403);
    expect((await api('cases.list', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const rebound = await send(web, '/api/cases.list', { host: `evil.example:${web.port}`, body: '{}', headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}` } });
    expect(rebound.status).toBe(403);
    expect((await send(web, '/', { method: 'GET', host: `evil.example:${web.port}` })).status).toBe(403);
    expect((await api('cases.list', {}, { origin: web.origin })).status).toBe(200);
  });

  it('answers bad input with 400 naming the field, unknown ops with 404, wrong state with 409', async () => {
    const bad = await api('cases.create', { type: 'erase-everything', jurisdiction: 'CA', identities: { email: 'a@example.com' } });
    expect(bad.status).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('type');
    const phone = await api('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { phone: 'call me maybe' } });
    expect(phone.status).toBe(400);
    expect(phone.json().error.message).toMatch(/identities\.phone/u);
    expect(phone.json().error.message).not.toContain('call me maybe');
    expect((await api('cases.nuke', {})).status).toBe(404);
    expect((await api('cases.get', { id: 'PD-NOPE' })).status).toBe(404);
    const c = (await api('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'b@example.com' } })).json().result;
    await app.settle(c.id);
    const approve = await api('cases.approve', { id: c.id });
    expect(approve.status).toBe(409);
    expect(approve.json().error.type).toBe('state');
  });

  it('refuses non-JSON bodies, wrong methods and content types', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${web.token}` };
    expect((await send(web, '/api/cases.list', { body: '{not json', headers })).status).toBe(400);
    expect((await send(web, '/api/cases.list', { body: '[1,2]', headers })).status).toBe(400);
    expect((await send(web, '/api/cases.list', { method: 'GET', headers })).status).toBe(405);
    expect((await send(web, '/api/cases.list', { body: '{}', headers: { ...headers, 'content-type': 'text/plain' } })).status).toBe(415);
  });

  it('serves the console with a strict CSP and never escapes the static folder', async () => {
    const page = await send(web, '/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('PrivacyDesk');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const escape = await send(web, '/../../../../etc/passwd', { method: 'GET' });
    expect(escape.body).not.toContain('root:');
  });

  it('serves console ops: the op list, the dashboard and an encrypted document upload', async () => {
    const ops = (await api('console.ops', {})).json().result.ops as string[];
    expect(ops).toEqual(expect.arrayContaining(['cases.list', 'console.dashboard', 'documents.upload']));
    const dash = (await api('console.dashboard', {})).json().result;
    expect(dash.open).toBeGreaterThanOrEqual(2);
    expect(dash.year).toBe(Number(dash.asOf.slice(0, 4)));
    expect(dash).not.toHaveProperty('metrics'); // the §7102 figures are compliance.metrics
    const secret = 'I, Pat Doe, authorise Agent Smith to act for me.';
    const up = await api('documents.upload', { mediaType: 'text/plain', contentBase64: Buffer.from(secret).toString('base64') });
    expect(up.status).toBe(200);
    const { id } = up.json().result;
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(join(dir, 'documents'));
    expect(files).toContain(`${id}.bin`);
    expect(readFileSync(join(dir, 'documents', `${id}.bin`)).toString('latin1')).not.toContain('Pat Doe');
    const { readDocument } = await import('../../../shared/app/documents');
    expect(Buffer.from((await readDocument(app.ctx, id)).content).toString()).toBe(secret);
    const badDoc = await api('documents.upload', { mediaType: 'application/x-sh', contentBase64: 'AAAA' });
    expect(badDoc.status).toBe(400);
    expect(badDoc.json().error.issues[0].path).toBe('mediaType');
  });
});
