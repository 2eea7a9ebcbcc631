// Appealing a refusal from the privacy center over real HTTP (issue 17 item 1): a denied Virginia
// request, a fresh status code, the status session, then the appeal: filed as received today
// (channel web, the consumer's actor), its answer due 60 days from receipt (Va. Code §59.1-577(C)),
// seen by staff through appeals.forCase; a second appeal refused; California (no appeal in the law)
// shows where else to turn instead of a form; without a session nothing is told or filed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../../shared/domain/deadlines';
import type { Jurisdiction } from '../../../shared/domain/case';
import { lastEmailCode, postForm, postJson, startCenter, type Center } from './center-harness';

let c: Center;
beforeAll(async () => { c = await startCenter({}); });
afterAll(async () => { await c.close(); });

const staff = { actor: 'staff:ann' };

async function deniedCase(jurisdiction: Jurisdiction, email: string): Promise<string> {
  const k = await c.app.call('cases.create', { type: 'delete', jurisdiction, identities: { email, name: 'Jane Appellant' } }, staff);
  await c.app.settle(k.id);
  await c.app.call('cases.deny', { id: k.id, reason: 'unverifiable', note: 'no account matched' }, staff);
  await c.app.settle(k.id);
  return k.id;
}

async function statusSession(reference: string, email: string): Promise<{ session: string; status: Record<string, unknown> }> {
  expect((await postJson(c.base, '/api/status/code', { reference })).status).toBe(202);
  const r = await postJson(c.base, '/api/status', { reference, code: await lastEmailCode(c.dir, email, reference) });
  expect(r.status).toBe(200);
  return { session: r.json.session as string, status: r.json.status as Record<string, unknown> };
}

/** `days` calendar days after a local date (the receipt day is day 0). */
function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('appealing a refusal on the privacy center', () => {
  it('Virginia: code, session, appeal filed (due 60 days from receipt), seen by staff; a second appeal refused', async () => {
    const email = 'va.appellant@example.com';
    const reference = await deniedCase('VA', email);
    const { session, status } = await statusSession(reference, email);
    expect(status).toMatchObject({ status: 'denied', jurisdiction: 'VA', appeal: { available: true, noAppealInLaw: false, filed: null } });

    // The no-JS status page offers the form, its textarea labelled.
    const page = await fetch(`${c.base}/status?session=${encodeURIComponent(session)}&lang=en`);
    const html = await page.text();
    expect(html).toContain('action="/status/appeal"');
    expect(html).toContain('<label for="reason">Why do you disagree?</label>');

    // An empty reason: 400, the error tied to the field, nothing filed.
    const empty = await postForm(c.base, '/status/appeal', { lang: 'en', session, reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toMatch(/id="reason"[^>]*aria-describedby="reason-hint reason-error" aria-invalid="true"/u);
    expect(await c.app.call('appeals.forCase', { id: reference }, staff)).toHaveLength(0);

    const today = localDate(new Date(), 'VA');
    const due = plusDays(today, 60);
    const filed = await postJson(c.base, '/api/status/appeal', { session, reason: 'I sent you my order number; please look again.' });
    expect(filed.status).toBe(200);
    expect(filed.json).toMatchObject({ ok: true, reason: null, respondBy: due, status: { appeal: { available: false, filed: { status: 'open', receivedOn: today, respondBy: due } } } });

    const staffView = await c.app.call('appeals.forCase', { id: reference }, staff);
    expect(staffView).toHaveLength(1);
    expect(staffView[0]).toMatchObject({ caseId: reference, jurisdiction: 'VA', status: 'open', receivedOn: today, deadlines: { respond: due }, createdBy: 'consumer:web', reason: 'I sent you my order number; please look again.' });
    const audit = await c.app.call('cases.audit', { id: reference }, staff);
    expect(audit.find((a) => a.action === 'appeal.filed')).toMatchObject({ actor: 'consumer:web', detail: { channel: 'web', receivedOn: today, respondBy: due } });

    // The status page now shows the appeal and its answer-by date instead of the form.
    const after = await (await fetch(`${c.base}/status?session=${encodeURIComponent(session)}&lang=es`)).text();
    expect(after).not.toContain('action="/status/appeal"');
    expect(after).toContain(`data-appeal-due="${due}"`);
    expect(after).toContain('Su apelación');

    // One appeal per refusal: refused (JSON 409, and the no-JS form), still one on file.
    const again = await postJson(c.base, '/api/status/appeal', { session, reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ ok: false, reason: 'already-appealed', respondBy: due });
    const againForm = await postForm(c.base, '/status/appeal', { lang: 'en', session, reason: 'again' });
    expect(againForm.status).toBe(409);
    expect(againForm.html).toContain('You have already appealed this decision');
    expect(await c.app.call('appeals.forCase', { id: reference }, staff)).toHaveLength(1);

    // Staff answer it; the status page follows.
    await c.app.call('appeals.decide', { id: reference, outcome: 'upheld', note: 'the records are still within the retention period' }, staff);
    const decided = await fetch(`${c.base}/api/status`, { headers: { authorization: `Bearer ${session}` } });
    expect(await decided.json()).toMatchObject({ appeal: { available: false, filed: { status: 'upheld', respondBy: due } } });
    const decidedPage = await (await fetch(`${c.base}/status?session=${encodeURIComponent(session)}&lang=en`)).text();
    expect(decidedPage).toContain('data-appeal-status="upheld"');
    expect(decidedPage).toContain('Decided: our decision stands');
  });

  it('a granted appeal: the status page names the case that redoes the request', async () => {
    const email = 'va.granted@example.com';
    const reference = await deniedCase('VA', email);
    const { session } = await statusSession(reference, email);
    expect((await postJson(c.base, '/api/status/appeal', { session, reason: 'my account exists' })).status).toBe(200);
    const decided = await c.app.call('appeals.decide', { id: reference, outcome: 'granted', note: 'found the account under another address' }, staff);
    expect(decided.reopenedCaseId).toMatch(/^PD-/u);
    const r = await fetch(`${c.base}/api/status`, { headers: { authorization: `Bearer ${session}` } });
    expect(await r.json()).toMatchObject({ appeal: { filed: { status: 'granted', reopenedReference: decided.reopenedCaseId } } });
    const html = await (await fetch(`${c.base}/status?session=${encodeURIComponent(session)}&lang=en`)).text();
    expect(html).toContain(`under reference ${decided.reopenedCaseId!}`);
  });

  it('the form in Spanish', async () => {
    const email = 'va.es@example.com';
    const reference = await deniedCase('VA', email);
    const { session } = await statusSession(reference, email);
    const html = await (await fetch(`${c.base}/status?session=${encodeURIComponent(session)}&lang=es`)).text();
    expect(html).toContain('<h2 id="appeal-title">Apelar esta decisión</h2>');
    expect(html).toContain('<label for="reason">¿Por qué no está de acuerdo?</label>');
    expect(html).toContain('en un plazo de 60 días');
    const empty = await postForm(c.base, '/status/appeal', { lang: 'es', session, reason: '' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Díganos por qué no está de acuerdo');
  });

  it('California: no form; the denial email\'s words on where else to turn; the op refuses', async () => {
    const email = 'ca.denied@example.com';
    const reference = await deniedCase('CA', email);
    const { session, status } = await statusSession(reference, email);
    expect(status).toMatchObject({ status: 'denied', appeal: { available: false, noAppealInLaw: true, filed: null } });
    const html = await (await fetch(`${c.base}/status?session=${encodeURIComponent(session)}&lang=en`)).text();
    expect(html).not.toContain('action="/status/appeal"');
    expect(html).toContain('California law gives no appeal to us');
    expect(html).toContain('https://cppa.ca.gov');
    const r = await postJson(c.base, '/api/status/appeal', { session, reason: 'please' });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ ok: false, reason: 'not-appealable', respondBy: null });
    expect(await c.app.call('appeals.forCase', { id: reference }, staff)).toHaveLength(0);
  });

  it('a case that was not refused shows neither the form nor the other route', async () => {
    const email = 'va.open@example.com';
    const k = await c.app.call('cases.create', { type: 'delete', jurisdiction: 'VA', identities: { email } }, staff);
    await c.app.settle(k.id);
    const { status } = await statusSession(k.id, email);
    expect(status).toMatchObject({ appeal: { available: false, noAppealInLaw: false, filed: null } });
  });

  it('without a valid session: refused the same way, nothing told, nothing filed', async () => {
    const reference = await deniedCase('VA', 'va.nosession@example.com');
    const forged = Buffer.from(`${reference}.${Date.now() + 600_000}.${'0'.repeat(64)}`).toString('base64url');
    for (const session of [forged, 'x'.repeat(40)]) {
      const r = await postJson(c.base, '/api/status/appeal', { session, reason: 'let me in' });
      expect(r.status).toBe(401);
      expect(JSON.stringify(r.json)).not.toContain(reference);
      expect(r.json).toEqual({ error: { type: 'auth', message: 'the status session has expired; ask for a new code' } });
      const f = await postForm(c.base, '/status/appeal', { lang: 'en', session, reason: 'let me in' });
      expect(f.status).toBe(401);
      expect(f.html).not.toContain(reference);
      expect(f.html).not.toContain('denied');
    }
    const missing = await postJson(c.base, '/api/status/appeal', { reason: 'no session' });
    expect(missing.status).toBe(400);
    expect(await c.app.call('appeals.forCase', { id: reference }, staff)).toHaveLength(0);
  });
});
