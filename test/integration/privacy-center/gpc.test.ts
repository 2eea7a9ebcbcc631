// Global Privacy Control through the public server over real HTTP: with `Sec-GPC: 1` an opt-out
// case (channel gpc, no verification); a repeat while it stands opens nothing; without the header
// 400; browsers only from the configured origins (CORS); pseudonymous ids (custom keys) work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, postJson, type Center } from './center-harness';

let c: Center;
const SITE = 'https://shop.example.com';
beforeAll(async () => { c = await startCenter({ gpcOrigins: [SITE] }); });
afterAll(async () => { await c.close(); });

const gpcCases = async () => (await c.app.call('cases.list', { channel: 'gpc' }, { actor: 'staff' })).items;

describe('POST /gpc', () => {
  it('opens one opt-out case with the signal, none without it, and none again while it stands', async () => {
    const without = await postJson(c.base, '/gpc', { email: 'gpc@example.com' });
    expect(without.status).toBe(400);
    expect(JSON.stringify(without.json)).toContain('Sec-GPC');
    expect(await gpcCases()).toHaveLength(0);

    const first = await postJson(c.base, '/gpc', { email: 'GPC@example.com' }, { 'sec-gpc': '1' });
    expect(first.status).toBe(202);
    const cases = await gpcCases();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ type: 'opt_out', channel: 'gpc', requiredLevel: 'none' });
    const again = await postJson(c.base, '/gpc', { email: 'gpc@example.com' }, { 'sec-gpc': '1' });
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json); // nothing tells a repeat from a first signal
    expect(await gpcCases()).toHaveLength(1);
    const audit = await c.app.call('cases.audit', { id: cases[0]!.id }, { actor: 'staff' });
    expect(audit.filter((a) => a.action === 'gpc.repeat')).toHaveLength(1);

    // Concurrent repeats for a new identity still open one case.
    const burst = await Promise.all(Array.from({ length: 5 }, () => postJson(c.base, '/gpc', { phone: '+1 415 555 0142' }, { 'sec-gpc': '1' })));
    expect(burst.map((b) => b.status)).toEqual([202, 202, 202, 202, 202]);
    expect(await gpcCases()).toHaveLength(2);
  });

  it('takes a pseudonymous site id as a custom key; refuses two identities at once', async () => {
    const before = (await gpcCases()).map((x) => x.id);
    const r = await postJson(c.base, '/gpc', { customKey: 'cookie-8f3a1c' }, { 'sec-gpc': '1' });
    expect(r.status).toBe(202);
    const kase = (await gpcCases()).find((x) => !before.includes(x.id))!;
    expect((await c.app.call('cases.get', { id: kase.id }, { actor: 'staff' })).identitiesMasked).toHaveProperty('custom:site_user_id');
    expect((await postJson(c.base, '/gpc', { customKey: 'cookie-8f3a1c' }, { 'sec-gpc': '1' })).status).toBe(202);
    expect(await gpcCases()).toHaveLength(before.length + 1);
    // Applied like any opt-out: the engine works it as it works a phone or web opt-out.
    await c.app.settle(kase.id);
    const audit = await c.app.call('cases.audit', { id: kase.id }, { actor: 'staff' });
    console.log(`gpc case ${kase.id}: ${(await c.app.call('cases.get', { id: kase.id }, { actor: 'staff' })).status}; audit: ${audit.map((a) => a.action).join(', ')}`);
    expect(audit[0]!.detail).toMatchObject({ channel: 'gpc', type: 'opt_out' });
    const bad = await postJson(c.base, '/gpc', { email: 'a@example.com', phone: '+14155550100' }, { 'sec-gpc': '1' });
    expect(bad.status).toBe(400);
    const notJson = await fetch(`${c.base}/gpc`, { method: 'POST', headers: { 'sec-gpc': '1', 'content-type': 'text/plain' }, body: 'x' });
    expect(notJson.status).toBe(415);
  });

  it('answers browsers of the configured origins only (CORS), and serves gpc.js to any site', async () => {
    const pre = await fetch(`${c.base}/gpc`, { method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SITE);
    const otherPre = await fetch(`${c.base}/gpc`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(otherPre.status).toBe(403);
    expect(otherPre.headers.get('access-control-allow-origin')).toBeNull();
    const fromSite = await postJson(c.base, '/gpc', { customKey: 'user-42' }, { 'sec-gpc': '1', origin: SITE });
    expect(fromSite.status).toBe(202);
    expect(fromSite.headers.get('access-control-allow-origin')).toBe(SITE);
    const fromOther = await postJson(c.base, '/gpc', { customKey: 'user-43' }, { 'sec-gpc': '1', origin: 'https://evil.example' });
    expect(fromOther.status).toBe(403);
    const js = await fetch(`${c.base}/gpc.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await js.text()).toContain('navigator.globalPrivacyControl');
  });
});
