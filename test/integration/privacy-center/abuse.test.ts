// Abuse controls over real HTTP: rate limits per client address and per identity, the honeypot,
// the proof-of-work, and no enumeration (known and unknown emails and references answer alike).
import { afterEach, describe, expect, it } from 'vitest';
import { startCenter, postJson, pow, type Center } from './center-harness';

let c: Center | undefined;
afterEach(async () => { await c?.close(); c = undefined; });

const shape = (j: Record<string, unknown>) => Object.fromEntries(Object.entries(j).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[A-Z0-9]{6}$/u, '*') : v]));

describe('privacy center abuse controls', () => {
  it('limits requests per client address; a post without the proof-of-work counts three times', async () => {
    c = await startCenter({ limits: { requestsPerIpPerHour: 6, requestsPerIdentityPerDay: 50, codesPerIpPerHour: 100, gpcPerIpPerHour: 100 } });
    const statuses: number[] = [];
    // 2 posts without proof-of-work = 6 units: the limit; the third is refused.
    for (let i = 0; i < 3; i += 1) statuses.push((await postJson(c.base, '/api/requests', { type: 'opt_out', jurisdiction: 'CA', email: `nopow${i}@example.com` })).status);
    expect(statuses).toEqual([202, 202, 429]);
    const c2 = await startCenter({ limits: { requestsPerIpPerHour: 6, requestsPerIdentityPerDay: 50, codesPerIpPerHour: 100, gpcPerIpPerHour: 100 } });
    try {
      const withPow: number[] = [];
      for (let i = 0; i < 7; i += 1) withPow.push((await postJson(c2.base, '/api/requests', { type: 'opt_out', jurisdiction: 'CA', email: `pow${i}@example.com`, pow: await pow(c2.base) })).status);
      expect(withPow).toEqual([202, 202, 202, 202, 202, 202, 429]);
      const refused = await postJson(c2.base, '/api/requests', { type: 'opt_out', jurisdiction: 'CA', email: 'late@example.com', pow: await pow(c2.base) });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('3600');
      // A challenge is good once.
      const p = await pow(c2.base);
      const c3 = await startCenter({});
      try { expect(c3.server.config.powBits).toBe(6); } finally { await c3.close(); }
      expect(p.nonce).toMatch(/^\d+$/u);
    } finally { await c2.close(); }
  });

  it('limits requests per identity, whatever the address', async () => {
    c = await startCenter({ limits: { requestsPerIpPerHour: 100, requestsPerIdentityPerDay: 2, codesPerIpPerHour: 100, gpcPerIpPerHour: 100 } });
    const s: number[] = [];
    for (const email of ['same@example.com', 'SAME@example.com ', 'same@example.com']) s.push((await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email })).status);
    expect(s).toEqual([202, 202, 429]);
    expect((await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email: 'other@example.com' })).status).toBe(202);
  });

  it('limits code sends and checks per address (no brute force across references)', async () => {
    c = await startCenter({ limits: { requestsPerIpPerHour: 100, requestsPerIdentityPerDay: 50, codesPerIpPerHour: 4, gpcPerIpPerHour: 100 } });
    const s: number[] = [];
    for (let i = 0; i < 5; i += 1) s.push((await postJson(c.base, '/api/status', { reference: `PD-20260101-AAAA${i}0`, code: '123456' })).status);
    expect(s).toEqual([422, 422, 422, 422, 429]);
  });

  it('a filled honeypot gets the usual answer and opens nothing', async () => {
    c = await startCenter({});
    const r = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email: 'bot@example.com', website: 'http://spam.example' });
    expect(r.status).toBe(202);
    expect(r.json.reference).toMatch(/^PD-\d{8}-[A-Z0-9]{6}$/u);
    await expect(c.app.call('cases.get', { id: r.json.reference as string }, { actor: 'staff' })).rejects.toThrow();
    expect((await c.app.call('cases.list', {}, { actor: 'staff' })).total).toBe(0);
    const form = await fetch(`${c.base}/requests`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'type=delete&jurisdiction=CA&email=bot2%40example.com&website=x&lang=en' });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Check your messages');
    expect((await c.app.call('cases.list', {}, { actor: 'staff' })).total).toBe(0);
  });

  it('answers alike for a known and an unknown email, and for a real and a made-up reference', async () => {
    c = await startCenter({});
    const first = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email: 'known@example.com' });
    const known = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email: 'known@example.com' });
    const unknown = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'CA', email: 'never-seen@example.com' });
    expect([first.status, known.status, unknown.status]).toEqual([202, 202, 202]);
    expect(shape(known.json)).toEqual(shape(unknown.json));
    const real = await postJson(c.base, '/api/status/code', { reference: first.json.reference });
    const madeUp = await postJson(c.base, '/api/status/code', { reference: 'PD-20260101-ZZZZZZ' });
    expect([real.status, madeUp.status]).toEqual([202, 202]);
    expect(real.json).toEqual(madeUp.json);
    const wrongReal = await postJson(c.base, '/api/status', { reference: first.json.reference, code: '000000' });
    const wrongFake = await postJson(c.base, '/api/status', { reference: 'PD-20260101-ZZZZZZ', code: '000000' });
    expect(wrongReal.status).toBe(422);
    expect(wrongFake.status).toBe(422);
    expect(wrongReal.json).toEqual(wrongFake.json);
    // Three wrong codes lock a made-up reference just as a real one.
    for (let i = 0; i < 2; i += 1) await postJson(c.base, '/api/status', { reference: 'PD-20260101-ZZZZZZ', code: '000000' });
    for (let i = 0; i < 2; i += 1) await postJson(c.base, '/api/status', { reference: first.json.reference, code: '000000' });
    const lockedReal = await postJson(c.base, '/api/status', { reference: first.json.reference, code: '000000' });
    const lockedFake = await postJson(c.base, '/api/status', { reference: 'PD-20260101-ZZZZZZ', code: '000000' });
    expect(lockedReal.json).toEqual(lockedFake.json);
    expect((lockedReal.json.error as { reason: string }).reason).toBe('locked');
    console.log('real reference, wrong code:', JSON.stringify(wrongReal.json), '| made-up reference:', JSON.stringify(wrongFake.json));
  });
});
