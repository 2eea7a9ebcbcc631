// The center's one-click GPC opt-out over real HTTP: the banner shown server-side with Sec-GPC: 1,
// POST /gpc/opt-out files the opt-out through public.gpc (channel gpc, once per identity), refused
// without a signal, an invalid email tied to its field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, postForm, type Center } from './center-harness';

let c: Center;
beforeAll(async () => { c = await startCenter({}); });
afterAll(async () => { await c.close(); });

const optOuts = async (email: string) => (await c.app.ctx.cases.list({
  type: 'opt_out', identityHashes: [c.app.ctx.crypto.keyedHash('email', email)], sort: 'receivedAt', order: 'desc', offset: 0, limit: 10,
})).items;

describe('GPC on the privacy center', () => {
  it('shows the offer without JavaScript when the page request carries Sec-GPC: 1', async () => {
    const plain = await (await fetch(`${c.base}/`)).text();
    expect(plain).toMatch(/id="gpc-banner"[^>]* hidden/u);
    const signalled = await (await fetch(`${c.base}/`, { headers: { 'sec-gpc': '1' } })).text();
    expect(signalled).not.toMatch(/id="gpc-banner"[^>]* hidden/u);
    expect(signalled).toContain('action="/gpc/opt-out"');
    expect(signalled).toMatch(/name="gpc" id="gpc-flag" value="1"/u);
  });

  it('files one opt-out per identity through the GPC path; the same answer on a repeat', async () => {
    const a = await postForm(c.base, '/gpc/opt-out', { lang: 'en', gpc: '1', email: 'One.Click@Example.com' });
    expect(a.status).toBe(200);
    expect(a.html).toContain('Your opt-out is recorded');
    const b = await postForm(c.base, '/gpc/opt-out', { lang: 'es', gpc: '1', email: 'one.click@example.com' });
    expect(b.status).toBe(200);
    expect(b.html).toContain('Su exclusión quedó registrada');
    const items = await optOuts('one.click@example.com');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ channel: 'gpc', type: 'opt_out', jurisdiction: 'CA' });
  });

  it('refuses without a signal and ties a bad email to its field', async () => {
    const none = await postForm(c.base, '/gpc/opt-out', { lang: 'en', email: 'nosignal@example.com' });
    expect(none.status).toBe(400);
    expect(none.html).toContain('did not send the Global Privacy Control signal');
    expect(await optOuts('nosignal@example.com')).toHaveLength(0);
    const bad = await postForm(c.base, '/gpc/opt-out', { lang: 'en', gpc: '1', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#gpc-email"');
    expect(bad.html).toMatch(/id="gpc-email"[^>]*aria-describedby="gpc-email-hint gpc-email-error" aria-invalid="true"/u);
  });
});
