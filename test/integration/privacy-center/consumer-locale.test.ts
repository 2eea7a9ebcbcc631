// A consumer who asks in Spanish is answered in Spanish, every time: the privacy center's page
// language is kept with the case (CaseContext.locale) and the acknowledgement, the code, the denial
// (and its preview for staff) use it; a request in English on the same server gets English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, emails, postJson, pow, type Center } from './center-harness';

let c: Center;
beforeAll(async () => { c = await startCenter({ limits: { requestsPerIpPerHour: 1000, requestsPerIdentityPerDay: 50, codesPerIpPerHour: 1000, gpcPerIpPerHour: 1000 } }); });
afterAll(async () => { await c.close(); });
const staff = { actor: 'staff' };

async function submit(email: string, locale: 'en' | 'es'): Promise<string> {
  const r = await postJson(c.base, '/api/requests', { type: 'delete', jurisdiction: 'VA', email, locale, pow: await pow(c.base) });
  expect(r.status).toBe(202);
  const reference = r.json.reference as string;
  await c.app.settle(reference);
  return reference;
}

describe('the consumer\'s language stays with the case', () => {
  it('a Spanish request gets every email in Spanish; an English one in English', async () => {
    const es = await submit('lucia@example.com', 'es');
    const en = await submit('lucy@example.com', 'en');
    const to = async (addr: string, ref: string) => (await emails(c.dir)).filter((m) => m.to === addr && m.subject.includes(ref));

    const esMail = await to('lucia@example.com', es);
    expect(esMail.map((m) => m.subject)).toEqual(expect.arrayContaining([`Recibimos su solicitud de privacidad ${es}`]));
    expect(esMail.length).toBeGreaterThanOrEqual(2); // the acknowledgement and the code
    for (const m of esMail) expect(m.text, m.subject).toMatch(/\bsu (solicitud|código)\b/iu);
    const enMail = await to('lucy@example.com', en);
    expect(enMail.some((m) => /acknowledge|received/iu.test(m.subject) || /We received/u.test(m.text))).toBe(true);
    for (const m of enMail) expect(m.text, m.subject).not.toMatch(/\bsu (solicitud|código)\b/iu);

    // Verified by the emailed code, then denied by staff: the preview and the email are in Spanish.
    const codeMail = (await to('lucia@example.com', es)).filter((m) => /código/u.test(m.subject)).at(-1)!;
    const code = /\b(\d{6})\b/u.exec(codeMail.text)![1]!;
    expect((await postJson(c.base, '/api/requests/verify', { reference: es, code })).status).toBe(200);
    const preview = await c.app.call('responses.denialPreview', { id: es, reason: 'unverifiable', note: 'Necesitamos otra prueba.' }, staff);
    expect(preview.text).toMatch(/Hola/u);
    await c.app.call('cases.deny', { id: es, reason: 'unverifiable', note: 'Necesitamos otra prueba.' }, staff);
    await c.app.settle(es);
    const denial = (await to('lucia@example.com', es)).at(-1)!;
    expect(denial.text).toContain('Necesitamos otra prueba.');
    expect(denial.text).toMatch(/Hola/u);
    expect(denial.text).toBe(preview.text);
  });
});
