// The no-JavaScript privacy center over real HTTP: server-rendered pages in English and Spanish,
// only the fields a right needs, errors tied to their fields, a form-encoded request verified with
// the emailed code, and an authorized agent's multipart upload stored encrypted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCenter, lastEmailCode, postForm, type Center } from './center-harness';

let c: Center;
beforeAll(async () => { c = await startCenter({}); });
afterAll(async () => { await c.close(); });

const page = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${c.base}${path}`, { headers });
  return { status: res.status, html: await res.text() };
};

describe('privacy center pages without JavaScript', () => {
  it('offers the six rights, in English or Spanish (query or Accept-Language)', async () => {
    const en = await page('/');
    expect(en.status).toBe(200);
    expect(en.html).toContain('<html lang="en">');
    for (const t of ['access', 'delete', 'delete_pii', 'correct', 'opt_out', 'limit']) expect(en.html).toContain(`<label for="type-${t}">`);
    const es = await page('/?lang=es');
    expect(es.html).toContain('<html lang="es">');
    expect(es.html).toContain('Sus opciones de privacidad');
    expect((await page('/', { 'accept-language': 'es-MX,es;q=0.9' })).html).toContain('<html lang="es">');
  });

  it('asks only what the chosen right needs', async () => {
    const del = (await page('/?type=delete')).html;
    expect(del).toContain('<label for="email">');
    expect(del).toContain('<label for="jurisdiction">');
    expect(del).not.toContain('name="categories"');
    expect(del).not.toContain('correction.value');
    expect(del).not.toContain('agent.document');
    expect(del).toContain('name="website"'); // the honeypot, hidden from people
    const optOut = (await page('/?type=opt_out')).html;
    expect(optOut).not.toContain('id="name"');
    expect((await page('/?type=delete_pii')).html).toContain('name="categories"');
    expect((await page('/?type=correct')).html).toContain('name="correction.value"');
    const agent = (await page('/?type=access&agent=1')).html;
    expect(agent).toContain('enctype="multipart/form-data"');
    expect(agent).toContain('<label for="agent.document">');
  });

  it('ties errors to their fields and keeps what was typed', async () => {
    const r = await postForm(c.base, '/requests', { type: 'delete', lang: 'en', jurisdiction: 'CA', email: 'not-an-email', name: 'Ana <b>' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('class="error-summary"');
    expect(r.html).toContain('href="#email"');
    expect(r.html).toMatch(/id="email"[^>]*aria-describedby="email-hint email-error" aria-invalid="true"/u);
    expect(r.html).toContain('id="email-error"');
    expect(r.html).toContain('value="Ana &lt;b&gt;"');
    const es = await postForm(c.base, '/requests', { type: 'delete_pii', lang: 'es', jurisdiction: 'CA', email: 'a@example.com' });
    expect(es.status).toBe(400);
    expect(es.html).toContain('Elija al menos una categoría.');
  });

  it('a form-encoded request, verified with the emailed code, shows the status', async () => {
    const r = await postForm(c.base, '/requests', { type: 'delete', lang: 'en', jurisdiction: 'TX', email: 'form@example.com' });
    expect(r.status).toBe(200);
    const reference = /reference (PD-\d{8}-[A-Z0-9]+)/u.exec(r.html)![1]!;
    expect(r.html).toContain('action="/requests/verify"');
    const code = await lastEmailCode(c.dir, 'form@example.com', reference);
    const wrong = await postForm(c.base, '/requests/verify', { lang: 'en', reference, code: '000000' === code ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('2 tries left');
    expect(wrong.html).toMatch(/id="code"[^>]*aria-invalid="true"/u);
    const ok = await postForm(c.base, '/requests/verify', { lang: 'en', reference, code });
    expect(ok.status).toBe(200);
    expect(ok.html).toContain(reference);
    expect(ok.html).toContain('Delete my personal information');
    const session = /\/status\?session=([^&"]+)/u.exec(ok.html)![1]!;
    const again = await page(`/status?session=${session}`);
    expect(again.status).toBe(200);
    expect(again.html).toContain(reference);
    expect((await page('/status?session=bm90LWEtc2Vzc2lvbi1hdC1hbGwtcmVhbGx5')).status).toBe(401);
  });

  it('an authorized agent uploads the permission (multipart); it is stored encrypted and named on the case', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ type: 'access', lang: 'en', jurisdiction: 'CA', email: 'principal@example.com', agent: '1', 'agent.name': 'Agnes Agent', 'agent.email': 'agnes@agents.example' })) form.append(k, v);
    const pdf = Buffer.from('%PDF-1.4\nI, Pat Principal, authorize Agnes Agent. SIGNED-PERMISSION-MARKER\n%%EOF\n');
    form.append('agent.document', new Blob([pdf], { type: 'application/pdf' }), 'permission.pdf');
    const res = await fetch(`${c.base}/requests`, { method: 'POST', body: form });
    const html = await res.text();
    expect(res.status).toBe(200);
    const reference = /reference (PD-\d{8}-[A-Z0-9]+)/u.exec(html)![1]!;
    const kase = await c.app.call('cases.get', { id: reference }, { actor: 'staff' });
    expect(kase.agent).toMatchObject({ name: 'Agnes Agent', email: 'agnes@agents.example' });
    const docId = kase.agent!.permissionRef.replace(/^doc:/u, '');
    const sealed = readFileSync(join(c.dir, 'documents', `${docId}.bin`));
    expect(sealed.includes(Buffer.from('SIGNED-PERMISSION-MARKER'))).toBe(false);
    const { readDocument } = await import('../../../shared/app/documents');
    expect(Buffer.from((await readDocument(c.app.ctx, docId)).content).equals(pdf)).toBe(true);
    // Without the document: the field says so.
    const none = new FormData();
    for (const [k, v] of Object.entries({ type: 'access', lang: 'en', jurisdiction: 'CA', email: 'p2@example.com', agent: '1', 'agent.name': 'Agnes' })) none.append(k, v);
    const bad = await fetch(`${c.base}/requests`, { method: 'POST', body: none });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="agent.document"[^>]*aria-invalid="true"/u);
  });
});
