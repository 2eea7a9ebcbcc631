// §7062 higher verification from the privacy center: an access request for specific pieces is
// confirmed with the emailed code, then the status page asks for more details and a signed
// declaration; the details are checked against what the data map finds for the case's identities
// (the demo shop), the declaration is stored encrypted with the case, and the case reaches `high`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datamapService } from '../../../shared/app/datamap/service';
import { readDocument } from '../../../shared/app/documents';
import { matchDataPoints } from '../../../shared/domain/data-points';
import { lastEmailCode, pow, postForm, postJson, startCenter, type Center } from './center-harness';

let c: Center;
beforeAll(async () => {
  c = await startCenter({});
  await datamapService(c.app.ctx).registerDemoShop(join(c.dir, 'shop'), 'demo');
});
afterAll(async () => { await c.close(); });

const staff = { actor: 'staff' };

async function verifiedSpecificAccess(email: string): Promise<{ reference: string; session: string; status: Record<string, unknown> }> {
  const r = await postJson(c.base, '/api/requests', { type: 'access', jurisdiction: 'CA', email, specificPieces: true, pow: await pow(c.base) });
  expect(r.status).toBe(202);
  const reference = r.json.reference as string;
  const v = await postJson(c.base, '/api/requests/verify', { reference, code: await lastEmailCode(c.dir, email, reference) });
  expect(v.status).toBe(200);
  return { reference, session: v.json.session as string, status: v.json.status as Record<string, unknown> };
}

describe('higher verification (§7062) on the privacy center', () => {
  it('matches the details against the data map, stores the signed declaration encrypted, reaches high', async () => {
    const { reference, session, status } = await verifiedSpecificAccess('ann.lee@example.com');
    expect(status).toMatchObject({ higherVerification: true, verified: false, pendingOnConsumer: ['verify'] });
    expect((await c.app.call('cases.get', { id: reference }, staff)).verification.level).toBe('reasonable');

    // Missing declaration and details: every error at once.
    const incomplete = await postJson(c.base, '/api/status/declaration', { session, declaration: { accepted: false, name: '' } });
    expect(incomplete.status).toBe(400);
    const paths = ((incomplete.json.error as { issues: Array<{ path: string }> }).issues).map((i) => i.path).sort();
    expect(paths).toEqual(['declaration.accepted', 'declaration.name', 'phone']);

    // A wrong date of birth: refused, counted.
    const wrong = await postJson(c.base, '/api/status/declaration', { session, birthDate: '1999-01-01', declaration: { accepted: true, name: 'Ann Lee' } });
    expect(wrong.status).toBe(422);
    expect(wrong.json).toMatchObject({ ok: false, reason: 'mismatch', attemptsLeft: 2 });

    const ok = await postJson(c.base, '/api/status/declaration', { session, phone: '+1 415 555 0101', birthDate: '1988-04-12', declaration: { accepted: true, name: 'Ann Lee' } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: true, status: { verified: true, higherVerification: false } });
    const kase = await c.app.call('cases.get', { id: reference }, staff);
    expect(kase.verification).toMatchObject({ level: 'high', method: 'knowledge' });

    const audit = await c.app.call('cases.audit', { id: reference }, staff);
    const decl = audit.find((a) => a.action === 'verification.declaration')!;
    expect(decl.detail.dataPointsMatched).toEqual(['phone', 'birthDate']);
    const docId = String(decl.detail.document).replace(/^doc:/u, '');
    const sealed = readFileSync(join(c.dir, 'documents', `${docId}.bin`));
    expect(sealed.includes(Buffer.from('Ann Lee'))).toBe(false);
    const opened = JSON.parse(Buffer.from((await readDocument(c.app.ctx, docId)).content).toString('utf8')) as { name: string; text: string };
    expect(opened.name).toBe('Ann Lee');
    expect(opened.text).toMatch(/penalty of perjury/u);
    expect(audit.filter((a) => a.action === 'verification.higher-failed')).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('1988-04-12');
    for (const f of readdirSync(join(c.dir, 'documents'))) expect(readFileSync(join(c.dir, 'documents', f)).includes(Buffer.from('1988-04-12'))).toBe(false);

    // Done: asking again changes nothing.
    const again = await postJson(c.base, '/api/status/declaration', { session, phone: '+14155550101', declaration: { accepted: true, name: 'Ann Lee' } });
    expect(again.json).toMatchObject({ ok: false, reason: 'not-needed' });
  });

  it('locks after three mismatches; a person the data map does not hold cannot pass', async () => {
    const { session } = await verifiedSpecificAccess('nobody.here@example.com');
    const send = () => postJson(c.base, '/api/status/declaration', { session, phone: '+14155550101', declaration: { accepted: true, name: 'No Body' } });
    expect((await send()).json).toMatchObject({ reason: 'mismatch', attemptsLeft: 2 });
    expect((await send()).json).toMatchObject({ reason: 'mismatch', attemptsLeft: 1 });
    expect((await send()).json).toMatchObject({ reason: 'locked', attemptsLeft: 0 });
    expect((await send()).json).toMatchObject({ reason: 'locked' });
  });

  it('the no-JS status page shows the details form and the declaration, errors tied to fields', async () => {
    const email = 'carol.diaz@example.net';
    const r = await postForm(c.base, '/requests', { type: 'access', lang: 'en', jurisdiction: 'CA', email, specificPieces: '1' });
    const reference = /reference (PD-\d{8}-[A-Z0-9]+)/u.exec(r.html)![1]!;
    const page = await postForm(c.base, '/requests/verify', { lang: 'en', reference, code: await lastEmailCode(c.dir, email, reference) });
    expect(page.html).toContain('action="/status/declaration"');
    expect(page.html).toContain('<label for="declaration">I declare under penalty of perjury');
    const session = /name="session" value="([^"]+)"/u.exec(page.html)![1]!;
    const bad = await postForm(c.base, '/status/declaration', { lang: 'en', session, postalCode: '94607', declarationName: 'Carol Diaz' });
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/id="declaration"[^>]*aria-describedby="declaration-error" aria-invalid="true"/u);
    const good = await postForm(c.base, '/status/declaration', { lang: 'en', session, postalCode: '94607', declaration: '1', declarationName: 'Carol Diaz' });
    expect(good.status).toBe(200);
    expect(good.html).not.toContain('action="/status/declaration"');
    expect((await c.app.call('cases.get', { id: reference }, staff)).verification.level).toBe('high');
  });
});

describe('matchDataPoints', () => {
  const row = (values: Record<string, unknown>, categories: Record<string, string>, shared: unknown = null) => ({ values, categories, shared });
  it('compares phone, postal code and birth date in their canonical forms, own rows only', () => {
    const rows = [
      row({ phone: '(415) 555-0101', dob: '1988-04-12' }, { phone: 'user.contact.phone_number', dob: 'user.demographic.date_of_birth' }),
      row({ zip: '94105-1234' }, { zip: 'user.contact.address.postal_code' }),
      row({ zip: '10001' }, { zip: 'user.contact.address.postal_code' }, { reason: 'another customer' }),
    ];
    expect(matchDataPoints({ phone: '+1 415 555 0101', postalCode: '94105', birthDate: '1988-04-12' }, rows)).toEqual({ matched: ['phone', 'postalCode', 'birthDate'], mismatched: [] });
    expect(matchDataPoints({ postalCode: '10001' }, rows)).toEqual({ matched: [], mismatched: ['postalCode'] });
    expect(matchDataPoints({ birthDate: '1988-04-13' }, [])).toEqual({ matched: [], mismatched: ['birthDate'] });
  });
});
