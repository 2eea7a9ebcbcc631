// What the no-JS form receives from real browsers: a multipart body built the way Chromium builds it
// (----WebKitFormBoundary… boundary in mixed case, CRLFs, a file part with filename and
// Content-Type); every field error at once (a failing field does not hide the cross-field ones);
// every jurisdiction of the law rules offered in the selector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, type Center } from './center-harness';
import { JURISDICTIONS } from '../../../shared/domain/case';
import { JURISDICTION_RULES } from '../../../shared/domain/jurisdiction-rules';
import { PublicRequestSchema } from '../../../shared/app/contract/public';
import { parseMultipart } from '../../../server/public-http';

let c: Center;
beforeAll(async () => { c = await startCenter({}); });
afterAll(async () => { await c.close(); });

const BOUNDARY = '----WebKitFormBoundaryq7MZ3xW9aLkP2tRb';

function chromiumBody(fields: Array<[string, string]>, file?: { name: string; filename: string; type: string; content: Buffer }): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of fields) parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

describe('form bodies as browsers send them', () => {
  it('parses a Chromium multipart body: the type field, the others and the file', () => {
    const pdf = Buffer.from('%PDF-1.4\r\n\r\n--not-a-boundary\r\n%%EOF');
    const body = chromiumBody([['type', 'access'], ['lang', 'es'], ['agent', '1']], { name: 'agent.document', filename: 'permiso.pdf', type: 'application/pdf', content: pdf });
    const r = parseMultipart(body, `multipart/form-data; boundary=${BOUNDARY}`);
    expect(r.fields).toEqual({ type: 'access', lang: 'es', agent: '1' });
    expect(r.files['agent.document']).toMatchObject({ filename: 'permiso.pdf', mediaType: 'application/pdf' });
    expect(r.files['agent.document']!.content.equals(pdf)).toBe(true);
  });

  it('an agent request posted as Chromium posts it opens a case with the document', async () => {
    const body = chromiumBody([
      ['type', 'delete'], ['lang', 'en'], ['pow_challenge', ''], ['pow_nonce', ''], ['jurisdiction', 'FL'], ['email', 'pat@example.com'],
      ['phone', ''], ['codeChannel', 'sms'], ['name', ''], ['agent', '1'], ['agent.name', 'Agnes Agent'], ['agent.email', ''], ['agent.organization', ''], ['website', ''],
    ], { name: 'agent.document', filename: 'permission.png', type: 'image/png', content: Buffer.from('\x89PNG\r\n\x1a\nfake') });
    const res = await fetch(`${c.base}/requests`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: new Uint8Array(body) });
    const html = await res.text();
    expect(res.status).toBe(200);
    const reference = /reference (PD-\d{8}-[A-Z0-9]+)/u.exec(html)![1]!;
    const kase = await c.app.call('cases.get', { id: reference }, { actor: 'staff' });
    expect(kase).toMatchObject({ type: 'delete', jurisdiction: 'FL', channel: 'web', agent: { name: 'Agnes Agent' } });
  });
});

describe('field errors are complete', () => {
  it('the cross-field rules report even when another field fails', () => {
    const r = PublicRequestSchema.safeParse({ type: 'delete_pii', jurisdiction: 'XX', email: 'not-an-email' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['categories', 'email', 'jurisdiction']);
    const none = PublicRequestSchema.safeParse({ type: 'correct', jurisdiction: 'XX' });
    expect(none.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['correction', 'email', 'jurisdiction']);
  });

  it('the form shows every error, each tied to its field', async () => {
    const p = new URLSearchParams({ type: 'delete_pii', lang: 'en', email: 'nope' });
    const res = await fetch(`${c.base}/requests`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: p.toString() });
    const html = await res.text();
    expect(res.status).toBe(400);
    for (const k of ['jurisdiction', 'email', 'categories']) {
      expect(html).toContain(`href="#${k}"`);
      expect(html).toContain(`id="${k}-error"`);
    }
  });
});

describe('jurisdictions', () => {
  it('the selector offers every jurisdiction of the law rules, Florida included, named in both languages', async () => {
    for (const lang of ['en', 'es']) {
      const html = await (await fetch(`${c.base}/?type=delete&lang=${lang}`)).text();
      for (const j of JURISDICTIONS) expect(html).toContain(`<option value="${j}"`);
      expect(html).toContain('>Florida</option>');
    }
    const en = await (await fetch(`${c.base}/?type=delete&lang=en`)).text();
    for (const j of JURISDICTIONS) expect(en).toContain(`>${JURISDICTION_RULES[j].name}</option>`);
    expect(await (await fetch(`${c.base}/?type=delete&lang=es`)).text()).toContain('>Nueva Jersey</option>');
  });
});
