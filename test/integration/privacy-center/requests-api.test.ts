// The privacy center's HTTP contract over real HTTP against a real app: a request opens a `web`
// case with its deadlines and audit, the code goes out by email (or text for a phone only), wrong
// codes count towards the lock, and the status page needs a fresh code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, lastEmailCode, postJson, pow, texts, type Center } from './center-harness';
import { publicBackend } from '../../../server/public-backend';

let c: Center;
beforeAll(async () => { c = await startCenter({ limits: { requestsPerIpPerHour: 1000, requestsPerIdentityPerDay: 50, codesPerIpPerHour: 1000, gpcPerIpPerHour: 1000 } }); });
afterAll(async () => { await c.close(); });

describe('POST /api/requests → verify → status', () => {
  it('opens a web case, emails a code; a wrong code counts, the right one verifies and shows the status', async () => {
    const r = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email: 'Jane.Doe@example.com', pow: await pow(c.base) });
    expect(r.status).toBe(202);
    const reference = r.json.reference as string;
    expect(reference).toMatch(/^PD-\d{8}-[A-Z0-9]+$/u);
    expect(Object.keys(r.json)).toEqual(['reference']);
    const kase = await c.app.call('cases.get', { id: reference }, { actor: 'staff' });
    expect(kase.channel).toBe('web');
    expect(kase.type).toBe('delete');
    expect(kase.deadlines.respond).toMatch(/^\d{4}-\d{2}-\d{2}$/u);
    const audit = await c.app.call('cases.audit', { id: reference }, { actor: 'staff' });
    expect(audit.find((a) => a.action === 'case.created')?.detail).toMatchObject({ channel: 'web' });
    expect(audit.some((a) => a.action === 'verification.code-issued')).toBe(true);

    const code = await lastEmailCode(c.dir, 'jane.doe@example.com', reference);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const bad = await postJson(c.base, '/api/requests/verify', { reference, code: wrong });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ reason: 'wrong', attemptsLeft: 2 });
    expect((await c.app.call('codes.status', { id: reference }, { actor: 'staff' })).failures).toBe(1);

    const ok = await postJson(c.base, '/api/requests/verify', { reference, code });
    expect(ok.status).toBe(200);
    const status = ok.json.status as Record<string, unknown>;
    expect(status).toMatchObject({ reference, type: 'delete', verified: true });
    expect(JSON.stringify(ok.json)).not.toContain('jane');
    const after = await c.app.call('cases.get', { id: reference }, { actor: 'staff' });
    expect(after.verification).toMatchObject({ level: 'reasonable', method: 'email-code' });
    console.log(`verified case ${reference} is ${after.status}`);

    // The session from the verification opens the status API; a forged one does not.
    const session = ok.json.session as string;
    const s = await fetch(`${c.base}/api/status`, { headers: { authorization: `Bearer ${session}` } });
    expect(s.status).toBe(200);
    expect(((await s.json()) as { reference: string }).reference).toBe(reference);
    const forged = Buffer.from(Buffer.from(session, 'base64url').toString().replace(/.$/u, (ch) => (ch === '0' ? '1' : '0'))).toString('base64url');
    expect((await fetch(`${c.base}/api/status`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);

    // Later: a fresh status code (never verifies anything) opens the status page again.
    expect((await postJson(c.base, '/api/status/code', { reference })).status).toBe(202);
    const statusCode = await lastEmailCode(c.dir, 'jane.doe@example.com', reference);
    const open = await postJson(c.base, '/api/status', { reference, code: statusCode });
    expect(open.status).toBe(200);
    expect((open.json.status as { reference: string }).reference).toBe(reference);
    // Used once: the same code does not open it twice.
    expect((await postJson(c.base, '/api/status', { reference, code: statusCode })).status).toBe(422);
  });

  it('three wrong codes lock the case for staff', async () => {
    const r = await postJson(c.base, '/api/requests', { type: 'access', jurisdiction: 'VA', email: 'lock@example.com' });
    const reference = r.json.reference as string;
    const code = await lastEmailCode(c.dir, 'lock@example.com', reference);
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    const reasons = [];
    for (let i = 0; i < 3; i += 1) reasons.push(((await postJson(c.base, '/api/requests/verify', { reference, code: wrong })).json.error as { reason: string }).reason);
    expect(reasons).toEqual(['wrong', 'wrong', 'locked']);
    expect(((await postJson(c.base, '/api/requests/verify', { reference, code })).json.error as { reason: string }).reason).toBe('locked');
    expect((await c.app.call('codes.status', { id: reference }, { actor: 'staff' })).locked).toBe(true);
  });

  it('a consumer with only a phone number gets the code by text message', async () => {
    const r = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', phone: '+1 415 555 0199', codeChannel: 'sms' });
    expect(r.status).toBe(202);
    const reference = r.json.reference as string;
    const sms = texts(c.dir).filter((t) => t.to === '+14155550199').at(-1)!;
    expect(sms.body).toContain(reference);
    const code = /: (\d{6}) is your verification code/u.exec(sms.body)![1]!;
    const ok = await postJson(c.base, '/api/requests/verify', { reference, code });
    expect(ok.status).toBe(200);
    expect((await c.app.call('cases.get', { id: reference }, { actor: 'staff' })).verification.method).toBe('phone-code');
  });

  it('opt-out and limit need no code; correct and delete_pii keep what the right needs, encrypted', async () => {
    const before = (await import('node:fs')).readdirSync(c.dir).length;
    const o = await postJson(c.base, '/api/requests', { type: 'opt_out', jurisdiction: 'CO', email: 'optout@example.com' });
    expect(o.status).toBe(202);
    const oc = await c.app.call('cases.get', { id: o.json.reference as string }, { actor: 'staff' });
    expect(oc).toMatchObject({ type: 'opt_out', channel: 'web', requiredLevel: 'none' });
    const fix = await postJson(c.base, '/api/requests', { type: 'correct', jurisdiction: 'CA', email: 'fix@example.com', correction: { field: 'postal address', value: '1 Secret Lane' } });
    expect(fix.status).toBe(202);
    const audit = await c.app.call('cases.audit', { id: fix.json.reference as string }, { actor: 'staff' });
    const details = audit.find((a) => a.action === 'request.details')!;
    expect(details.detail).toMatchObject({ correction: true });
    expect(JSON.stringify(audit)).not.toContain('Secret Lane');
    const { readdirSync, readFileSync } = await import('node:fs');
    const docs = readdirSync(`${c.dir}/documents`).filter((f) => f.endsWith('.bin'));
    for (const d of docs) expect(readFileSync(`${c.dir}/documents/${d}`).includes(Buffer.from('Secret Lane'))).toBe(false);
    expect(before).toBeGreaterThan(0);
    const missing = await postJson(c.base, '/api/requests', { type: 'delete_pii', jurisdiction: 'CA', email: 'x@example.com' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.json)).toContain('categories');
  });

  it('bad input gets clear zod errors naming the field', async () => {
    const r = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'ZZ', email: 'not-an-email' });
    expect(r.status).toBe(400);
    const paths = ((r.json.error as { issues: Array<{ path: string }> }).issues).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['jurisdiction', 'email']));
    expect((await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA' })).status).toBe(400);
    expect((await postJson(c.base, '/api/requests/verify', { reference: 'nope', code: '123456' })).status).toBe(400);
    const res = await fetch(`${c.base}/api/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
  });

  it('reaches no staff operation: the backend refuses them and no route serves them', async () => {
    await expect(publicBackend(c.app).call('cases.list' as never, {} as never, { actor: 'x' })).rejects.toThrow(/unknown operation/u);
    for (const p of ['/api/cases.list', '/api/cases.get', '/api/console.ops']) {
      const r = await postJson(c.base, p, {});
      expect(r.status).toBe(404);
    }
  });

  it('answers with a strict CSP, no cookies, and frame-ancestors only when configured', async () => {
    const res = await fetch(`${c.base}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const embedded = await (await import('./center-harness')).startCenter({ frameAncestors: ['https://shop.example.com'], accent: '#7a1f5c', businessName: 'Shop & Co' });
    try {
      const r2 = await fetch(`${embedded.base}/`);
      expect(r2.headers.get('content-security-policy')).toContain('frame-ancestors https://shop.example.com');
      expect(r2.headers.get('x-frame-options')).toBeNull();
      expect(await r2.text()).toContain('Shop &amp; Co');
      expect(await (await fetch(`${embedded.base}/center.css`)).text()).toContain('--accent: #7a1f5c');
    } finally { await embedded.close(); }
  });
});
