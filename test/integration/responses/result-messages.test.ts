// The consumer is told the truth: every result message (deletion-result for delete and delete_pii,
// opt-out-confirmation, request-result for correct and limit) is built from what execution applied
// and what the independent check found (the data map's tables, seeded here with putChanges /
// putCheck on a real SQLite app), never from the plan or discovery. Each message goes through the
// outbox sender and is parsed back (mailparser): the exact numbers and sentences in the text and
// the HTML parts. A result that would claim an effect that was not applied, or not checked, is not
// sent: the respond step fails with the reason and the case waits for staff in `responding`.
// The data map's execute and check steps are stood in for (they only write the seeded rows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createApp, type App } from '../../../shared/app/app';
import { responsesService } from '../../../shared/app/services/responses-service';
import { datamapService } from '../../../shared/app/datamap/service';
import type { CaseType } from '../../../shared/domain/case';
import type { DataMapInput } from '../../../shared/domain/datamap';
import { parseDataMap } from '../../../shared/domain/datamap';
import type { ChangeCount, CheckReport, CollectionOutcome } from '../../../shared/store/datamap-repo';

const staff = { actor: 'staff:ann' };
const AT = '2026-03-02T15:00:00.000Z';

interface Scenario { changes: ChangeCount[]; check: CheckReport | null }

function cc(system: string, collection: string, applied: { deleted?: number; masked?: number; updated?: number }, outcome: Partial<CollectionOutcome> | null): ChangeCount {
  const a = { deleted: applied.deleted ?? 0, masked: applied.masked ?? 0, updated: applied.updated ?? 0 };
  return {
    system, dataset: `${system}_db`, collection, ...a, setAside: 0, exempt: 0, at: AT,
    outcome: outcome ? { planned: a, kept: [], categories: [], fields: [], ...outcome } : null,
  };
}

function okCheck(changes: ChangeCount[]): CheckReport {
  return {
    ok: true, at: AT, remaining: 0, missing: 0, errors: [],
    collections: changes.map((c) => ({ system: c.system, dataset: c.dataset, collection: c.collection, checked: c.deleted + c.masked + c.updated, remaining: 0, missing: 0, reasons: [] })),
  };
}

const field = (name: string, categories: string[] = [], extra: Record<string, unknown> = {}) => ({ name, categories, ...extra });

/** Two systems: the shop (display name "Acme Shop") maps the opt-out and the limit controls, the CRM neither. */
const SHOP: DataMapInput = {
  dataset: 'shop_db', name: 'Acme Shop',
  collections: [
    { name: 'customers', erasure: 'mask', optOut: { field: 'do_not_sell', value: true }, limit: { field: 'limit_sensitive', value: true },
      fields: [field('id', [], { primaryKey: true }), field('email', ['user.contact.email'], { identity: 'email' }), field('phone', ['user.contact.phone_number']), field('do_not_sell'), field('limit_sensitive')] },
    { name: 'orders', erasure: 'delete', fields: [field('id', [], { primaryKey: true }), field('customer_id', ['user.unique_id'], { references: [{ collection: 'customers', field: 'id', direction: 'from' }] }), field('total', ['user.commercial.purchase'])] },
  ],
};
const CRM: DataMapInput = {
  dataset: 'crm_db',
  collections: [{ name: 'contacts', erasure: 'delete', fields: [field('id', [], { primaryKey: true }), field('email', ['user.contact.email'], { identity: 'email' }), field('name', ['user.name'])] }],
};

let app: App;
let dir: string;
const scenarios = new Map<string, Scenario>();
const repo = () => datamapService(app.ctx).repo;

async function scenarioOf(caseId: string): Promise<Scenario> {
  const ids = await app.ctx.cases.identities(caseId);
  const s = scenarios.get(ids.email ?? '');
  if (!s) throw new Error(`no scenario for case ${caseId}`);
  return s;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-results-'));
  const now = Date.parse(AT);
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } }, {
    clock: () => new Date(now),
    effects: {
      discover: async () => ({ rows: 1, review: 0, exempt: 0, errors: 0 }),
      // Execution as the data map records it: applied counts and outcomes per collection.
      execute: async (id) => {
        const s = await scenarioOf(id);
        await repo().putChanges(id, s.changes);
        const sum = (f: (c: ChangeCount) => number) => s.changes.reduce((n, c) => n + f(c), 0);
        return { deleted: sum((c) => c.deleted), masked: sum((c) => c.masked), updated: sum((c) => c.updated), errors: 0 };
      },
      // The check step lets the case through; what the result may say is decided by the stored report.
      checkResult: async (id) => {
        const s = await scenarioOf(id);
        if (s.check) await repo().putCheck(id, s.check);
        return { ok: true, remaining: 0 };
      },
    },
  });
  responsesService(app.ctx, { env: { PRIVACY_DESK_BUSINESS_NAME: 'Acme Outdoor', PRIVACY_DESK_SES_FROM: 'privacy@acme.test' } });
  const at = new Date(now);
  await repo().putSystem({ name: 'shop', connection: { engine: 'sqlite', file: join(dir, 'shop.sqlite') }, map: parseDataMap(SHOP), legalHold: null }, at);
  await repo().putSystem({ name: 'crm', connection: { engine: 'sqlite', file: join(dir, 'crm.sqlite') }, map: parseDataMap(CRM), legalHold: null }, at);
  await app.call('processors.add', { name: 'Parcel Co', system: 'shop', channel: 'email', address: 'dpo@parcel.test' }, staff);
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function outbox(): Promise<ParsedMail[]> {
  const box = join(dir, 'outbox');
  if (!existsSync(box)) return [];
  return Promise.all(readdirSync(box).filter((f) => f.endsWith('.eml')).sort().map((f) => simpleParser(readFileSync(join(box, f)))));
}
const toText = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((t) => t.text).join(', ') : m.to?.text ?? '');
async function mailsTo(email: string): Promise<ParsedMail[]> {
  return (await outbox()).filter((m) => toText(m) === email);
}

/** Set PD_RESULT_MAIL_DUMP=<file> to append every result message's text part there (to read them). */
function dump(label: string, m: ParsedMail): void {
  const file = process.env.PD_RESULT_MAIL_DUMP;
  if (file) appendFileSync(file, `===== ${label}\nSubject: ${m.subject}\n\n${m.text}\n\n----- html\n${String(m.html)}\n\n`);
}

const needsVerification = (t: CaseType) => t === 'delete' || t === 'delete_pii' || t === 'correct';

async function runCase(type: CaseType, email: string, s: Scenario): Promise<string> {
  scenarios.set(email, s);
  const c = await app.call('cases.create', { type, jurisdiction: 'CA', identities: { email }, autoApprove: true }, staff);
  await app.settle(c.id);
  if (needsVerification(type)) {
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'two data points matched', dataPoints: 2 }, staff);
    await app.settle(c.id);
  }
  return c.id;
}

/** The one result message of a case: closed, sent once, parsed. */
async function resultOf(id: string, email: string, subject: string): Promise<ParsedMail> {
  expect((await app.call('cases.get', { id }, staff)).status).toBe('closed');
  const mails = (await mailsTo(email)).filter((m) => m.subject === subject);
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

/** A refused result: the case waits in `responding` with the reason on its timeline, and no result went out. */
async function expectRefused(id: string, email: string, reason: RegExp): Promise<void> {
  expect((await app.call('cases.get', { id }, staff)).status).toBe('responding');
  const errors = (await app.call('cases.audit', { id }, staff)).filter((a) => a.action === 'case.error');
  expect(errors.map((e) => e.detail.step)).toEqual(['respond']);
  expect(String(errors[0]!.detail.message)).toMatch(reason);
  const subjects = (await mailsTo(email)).map((m) => m.subject);
  expect(subjects.filter((s) => !s?.startsWith('We received your privacy request'))).toEqual([]);
  expect((await app.call('messages.list', { id }, staff)).filter((m) => m.template !== 'acknowledgement')).toEqual([]);
}

const html = (m: ParsedMail) => String(m.html);

describe('result messages say what was applied and checked', () => {
  it('deletion-result (delete): applied deletions and masks per collection, totals, kept with reasons, never other people\'s rows', async () => {
    const email = 'dee.lete@example.com';
    const changes = [
      // The plan said 2 masks; the database reported 1 (the other row was gone): 1 is said.
      cc('shop', 'customers', { masked: 1 }, { planned: { deleted: 0, masked: 2, updated: 0 }, categories: ['user.contact.email'], fields: ['email', 'phone'],
        kept: [{ kind: 'not_found', reason: 'row no longer there', rows: 1 }, { kind: 'key_field', reason: 'email is the key', rows: 1, fields: ['email'] }] }),
      cc('shop', 'orders', { deleted: 3 }, { planned: { deleted: 3, masked: 0, updated: 0 },
        kept: [{ kind: 'exempt', reason: 'tax and accounting records are kept for 7 years.', rows: 2 }] }),
      cc('crm', 'contacts', { deleted: 1 }, { planned: { deleted: 1, masked: 0, updated: 0 },
        kept: [{ kind: 'shared', reason: 'family account', rows: 1 }, { kind: 'other_person', reason: 'another person\'s contact', rows: 5 }, { kind: 'legal_hold', reason: 'litigation Doe v. Acme', rows: 2 }] }),
    ];
    const id = await runCase('delete', email, { changes, check: okCheck(changes) });
    const m = await resultOf(id, email, `The result of your deletion request ${id}`);
    dump('deletion-result delete', m);
    expect(m.text).toBe([
      'Hello,',
      '',
      `Here is the result of your request ${id} to delete your personal information.`,
      '',
      'This is what we did:',
      '- Acme Shop (customers): your personal details removed from 1 record.',
      '- Acme Shop (orders): 3 records deleted.',
      '- crm (contacts): 1 record deleted.',
      '',
      'In total: 4 records deleted and your personal details removed from 1 record.',
      '',
      'We checked our systems again afterwards: the information we removed is no longer there.',
      '',
      'What we kept, and why:',
      '- 2 records in Acme Shop (orders) are kept because the law allows it: tax and accounting records are kept for 7 years.',
      '- 2 records in crm (contacts) are kept because the law requires us to preserve them for a legal matter (a legal hold).',
      '- 1 record in crm (contacts) also belongs to another person: it is kept until our staff review it.',
      '- The email field of 1 record in Acme Shop (customers) could not be changed in place: our staff will remove it.',
      '',
      'We have also told our service providers and contractors to do the same.',
      '',
      'Acme Outdoor Privacy Team',
      '',
    ].join('\n'));
    const h = html(m);
    expect(h).toContain('<ul><li>Acme Shop (customers): your personal details removed from 1 record.</li><li>Acme Shop (orders): 3 records deleted.</li><li>crm (contacts): 1 record deleted.</li></ul>');
    expect(h).toContain('<p>In total: 4 records deleted and your personal details removed from 1 record.</p>');
    expect(h).toContain('<p>We checked our systems again afterwards: the information we removed is no longer there.</p>');
    expect(h).toContain('<li>2 records in Acme Shop (orders) are kept because the law allows it: tax and accounting records are kept for 7 years.</li>');
    expect(h).toContain('<li>1 record in crm (contacts) also belongs to another person: it is kept until our staff review it.</li>');
    expect(h).toContain('<li>The email field of 1 record in Acme Shop (customers) could not be changed in place: our staff will remove it.</li>');
    expect(h).toContain('<p>We have also told our service providers and contractors to do the same.</p>');
    // Someone else's rows, the hold's own words and rows already gone are never in the message.
    expect(m.text).not.toMatch(/\b5\b/u);
    for (const part of [m.text!, h]) expect(part).not.toMatch(/Doe|litigation|another person's|row no longer there/u);
    // The processor was told (the shop had something removed), before the consumer's message.
    expect((await app.call('processors.notices', { id }, staff)).map((n) => [n.processorName, n.status])).toEqual([['Parcel Co', 'sent']]);
    const sent = (await app.call('messages.list', { id }, staff)).find((x) => x.template === 'deletion-result')!;
    expect(sent.status).toBe('sent');
    const audit = (await app.call('cases.audit', { id }, staff)).find((a) => a.action === 'message.sent' && a.detail.template === 'deletion-result')!;
    expect(audit.detail).toMatchObject({ deleted: 4, masked: 1, updated: 0, kept: 6, collections: 3, verified: true });
  });

  it('deletion-result (delete_pii): personal details removed, applied counts only, no processor registered for the system', async () => {
    const email = 'pii.only@example.com';
    const changes = [
      cc('crm', 'contacts', { masked: 8 }, { planned: { deleted: 0, masked: 9, updated: 0 }, categories: ['user.contact.email', 'user.name'], fields: ['email', 'name'],
        kept: [{ kind: 'read_only', reason: 'read-only field', rows: 9, fields: ['name', 'email'] }] }),
    ];
    const id = await runCase('delete_pii', email, { changes, check: okCheck(changes) });
    const m = await resultOf(id, email, `The result of your deletion request ${id}`);
    dump('deletion-result delete_pii', m);
    expect(m.text).toBe([
      'Hello,',
      '',
      `Here is the result of your request ${id} to remove your personal details from our records.`,
      '',
      'This is what we did:',
      '- crm (contacts): your personal details removed from 8 records.',
      '',
      'We checked our systems again afterwards: the information we removed is no longer there.',
      '',
      'What we kept, and why:',
      '- The email and name fields of 9 records in crm (contacts) could not be changed in place: our staff will remove them.',
      '',
      'Acme Outdoor Privacy Team',
      '',
    ].join('\n'));
    expect(html(m)).toContain('<ul><li>crm (contacts): your personal details removed from 8 records.</li></ul>');
    expect(html(m)).toContain('<li>The email and name fields of 9 records in crm (contacts) could not be changed in place: our staff will remove them.</li>');
    expect(html(m)).not.toContain('service providers');
    expect(await app.call('processors.notices', { id }, staff)).toEqual([]);
  });

  it('opt-out-confirmation: the systems where the flag was set, and only those', async () => {
    const email = 'opt.out@example.com';
    const changes = [
      cc('shop', 'customers', { updated: 2 }, { categories: ['user.privacy_preferences'], fields: ['do_not_sell'] }),
      // The CRM has no opt-out setting: nothing was set there and nothing is claimed.
      cc('crm', 'contacts', {}, { kept: [{ kind: 'no_control', reason: 'no opt-out field', rows: 1 }] }),
    ];
    const id = await runCase('opt_out', email, { changes, check: okCheck(changes) });
    const m = await resultOf(id, email, `We have recorded your opt-out request ${id}`);
    dump('opt-out-confirmation applied', m);
    expect(m.text).toBe([
      'Hello,',
      '',
      `We have recorded your request ${id} to opt out of the sale or sharing of your personal information.`,
      '',
      'We have set your opt-out in these systems:',
      '- Acme Shop (customers): set on 2 records.',
      '',
      'We checked our systems again afterwards: your opt-out is in place.',
      '',
      'From now on we do not sell or share your personal information.',
      '',
      'We will not ask you to change this choice for at least 12 months.',
      '',
      'Acme Outdoor Privacy Team',
      '',
    ].join('\n'));
    expect(html(m)).toContain('<p>We have set your opt-out in these systems:</p><ul><li>Acme Shop (customers): set on 2 records.</li></ul>');
    expect(html(m)).toContain('<p>We checked our systems again afterwards: your opt-out is in place.</p>');
    expect(html(m)).not.toContain('crm');
  });

  it('opt-out-confirmation: nothing set anywhere because no system keeps the setting: the choice is recorded, no change claimed', async () => {
    const email = 'no.flag@example.com';
    // Only the CRM holds the person (no opt-out control there).
    const changes = [cc('crm', 'contacts', {}, { kept: [{ kind: 'no_control', reason: 'no opt-out field', rows: 1 }] })];
    const id = await runCase('opt_out', email, { changes, check: null });
    const m = await resultOf(id, email, `We have recorded your opt-out request ${id}`);
    dump('opt-out-confirmation nothing applied', m);
    // The shop maps an opt-out, but the person was not found there.
    const said = 'We did not find any records about you in the systems that keep this setting, so there was nothing to change in them. Your choice is recorded with your request, and we will not sell or share your personal information.';
    expect(m.text).toContain(`\n\n${said}\n\n`);
    expect(html(m)).toContain(`<p>${said}</p>`);
    expect(m.text).not.toMatch(/set your opt-out|checked/u);
  });

  it('request-result (correct): which information changed, where, and how many records, as applied', async () => {
    const email = 'cor.rect@example.com';
    const changes = [
      cc('shop', 'customers', { updated: 1 }, { planned: { deleted: 0, masked: 0, updated: 1 }, categories: ['user.contact.phone_number', 'user.contact.email'], fields: ['phone', 'email'] }),
      cc('crm', 'contacts', { updated: 2 }, { planned: { deleted: 0, masked: 0, updated: 3 }, categories: ['user.contact.email'], fields: ['email'],
        kept: [{ kind: 'not_found', reason: 'gone', rows: 1 }] }),
    ];
    const id = await runCase('correct', email, { changes, check: okCheck(changes) });
    const m = await resultOf(id, email, `The result of your request ${id}`);
    dump('request-result correct', m);
    expect(m.text).toBe([
      'Hello,',
      '',
      `Here is the result of your request ${id} to correct your personal information.`,
      '',
      'We corrected your email address and your phone number.',
      '',
      'Where we made the change:',
      '- Acme Shop (customers): 1 record updated.',
      '- crm (contacts): 2 records updated.',
      '',
      'In total we updated 3 records.',
      '',
      'We checked our systems again afterwards: the corrected information is in place.',
      '',
      'Acme Outdoor Privacy Team',
      '',
    ].join('\n'));
    expect(html(m)).toContain('<p>We corrected your email address and your phone number.</p>');
    expect(html(m)).toContain('<ul><li>Acme Shop (customers): 1 record updated.</li><li>crm (contacts): 2 records updated.</li></ul>');
    expect(html(m)).toContain('<p>In total we updated 3 records.</p>');
  });

  it('request-result (limit): the systems where the limit was set, from the applied updates of the limit field', async () => {
    const email = 'lim.it@example.com';
    const changes = [cc('shop', 'customers', { updated: 1 }, { planned: { deleted: 0, masked: 0, updated: 1 }, fields: ['limit_sensitive'] })];
    const id = await runCase('limit', email, { changes, check: okCheck(changes) });
    const m = await resultOf(id, email, `The result of your request ${id}`);
    dump('request-result limit', m);
    expect(m.text).toBe([
      'Hello,',
      '',
      `Here is the result of your request ${id} to limit the use of your sensitive personal information.`,
      '',
      'We have set the limit in these systems:',
      '- Acme Shop (customers): set on 1 record.',
      '',
      'In these systems we now use your sensitive personal information only for the purposes the law allows (CCPA §1798.121(a)), such as providing the goods or services you ask us for.',
      '',
      'We checked our systems again afterwards: the limit is in place.',
      '',
      'Acme Outdoor Privacy Team',
      '',
    ].join('\n'));
    expect(html(m)).toContain('<p>We have set the limit in these systems:</p><ul><li>Acme Shop (customers): set on 1 record.</li></ul>');
    expect(html(m)).toContain('<p>We checked our systems again afterwards: the limit is in place.</p>');
  });
});

describe('a result that would claim what was not applied or not checked is not sent', () => {
  it('deletion without a recorded check: refused, no processor told, nothing sent', async () => {
    const email = 'unchecked@example.com';
    const id = await runCase('delete', email, { changes: [cc('shop', 'orders', { deleted: 3 }, { planned: { deleted: 3, masked: 0, updated: 0 } })], check: null });
    await expectRefused(id, email, /^deletion-result not sent: the changes have not been checked \(no verification is recorded for the case\)$/u);
    expect(await app.call('processors.notices', { id }, staff)).toEqual([]);
  });

  it('deletion whose check did not pass: refused with what the check found', async () => {
    const email = 'leftover@example.com';
    const changes = [cc('shop', 'orders', { deleted: 3 }, { planned: { deleted: 3, masked: 0, updated: 0 } })];
    const check: CheckReport = { ...okCheck(changes), ok: false, remaining: 2, collections: [{ system: 'shop', dataset: 'shop_db', collection: 'orders', checked: 3, remaining: 2, missing: 0, reasons: ['row still there'] }] };
    const id = await runCase('delete', email, { changes, check });
    await expectRefused(id, email, /^deletion-result not sent: the independent check did not pass \(2 row\(s\) still hold what should be gone; in shop\/orders\)$/u);
  });

  it('correction with nothing applied: refused for staff', async () => {
    const email = 'nothing.fixed@example.com';
    const changes = [cc('crm', 'contacts', {}, { planned: { deleted: 0, masked: 0, updated: 1 }, kept: [{ kind: 'not_found', reason: 'gone', rows: 1 }] })];
    const id = await runCase('correct', email, { changes, check: okCheck(changes) });
    await expectRefused(id, email, /^request-result not sent: nothing was corrected: no record was updated in any system/u);
  });

  it('limit when no system maps a limit control: refused, "no system mapped for limiting"', async () => {
    const email = 'no.limit@example.com';
    await repo().putSystem({ name: 'shop', connection: { engine: 'sqlite', file: join(dir, 'shop.sqlite') }, map: parseDataMap({ ...SHOP, collections: SHOP.collections.map((c) => ({ ...c, limit: undefined })) }), legalHold: null }, new Date(AT));
    try {
      const id = await runCase('limit', email, { changes: [cc('shop', 'customers', {}, { kept: [{ kind: 'no_control', reason: 'no limit field', rows: 1 }] })], check: okCheck([]) });
      await expectRefused(id, email, /^request-result not sent: no system mapped for limiting/u);
    } finally {
      await repo().putSystem({ name: 'shop', connection: { engine: 'sqlite', file: join(dir, 'shop.sqlite') }, map: parseDataMap(SHOP), legalHold: null }, new Date(AT));
    }
  });

  it('limit mapped but set nowhere (an update that did not write the limit field counts for nothing): refused', async () => {
    const email = 'limit.missed@example.com';
    const changes = [cc('shop', 'customers', { updated: 1 }, { fields: ['phone'] })];
    const id = await runCase('limit', email, { changes, check: okCheck(changes) });
    await expectRefused(id, email, /^request-result not sent: the limit was not applied in any system/u);
  });
});

describe('Spanish', () => {
  it('the deletion result in Spanish carries the same numbers', async () => {
    const esDir = mkdtempSync(join(tmpdir(), 'pd-results-es-'));
    const now = Date.parse(AT);
    const esApp = await createApp({ dataDir: esDir, db: { kind: 'sqlite', file: join(esDir, 'pd.sqlite') } }, {
      clock: () => new Date(now),
      effects: {
        discover: async () => ({ rows: 1, review: 0, exempt: 0, errors: 0 }),
        execute: async (id) => {
          const changes = [
            cc('shop', 'orders', { deleted: 3 }, { kept: [{ kind: 'exempt', reason: 'registros fiscales (7 años)', rows: 2 }] }),
            cc('shop', 'customers', { masked: 1 }, { kept: [{ kind: 'shared', reason: 'x', rows: 1 }] }),
          ];
          await datamapService(esApp.ctx).repo.putChanges(id, changes);
          await datamapService(esApp.ctx).repo.putCheck(id, okCheck(changes));
          return { deleted: 3, masked: 1, updated: 0, errors: 0 };
        },
        checkResult: async () => ({ ok: true, remaining: 0 }),
      },
    });
    try {
      responsesService(esApp.ctx, { env: { PRIVACY_DESK_BUSINESS_NAME: 'Acme Outdoor', PRIVACY_DESK_LOCALE: 'es' } });
      await datamapService(esApp.ctx).repo.putSystem({ name: 'shop', connection: { engine: 'sqlite', file: join(esDir, 'shop.sqlite') }, map: parseDataMap(SHOP), legalHold: null }, new Date(now));
      const email = 'ana.es@example.com';
      const c = await esApp.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email }, autoApprove: true }, staff);
      await esApp.settle(c.id);
      await esApp.call('cases.verify', { id: c.id, method: 'staff', note: 'dos datos coinciden', dataPoints: 2 }, staff);
      await esApp.settle(c.id);
      const box = join(esDir, 'outbox');
      const mails = await Promise.all(readdirSync(box).filter((f) => f.endsWith('.eml')).sort().map((f) => simpleParser(readFileSync(join(box, f)))));
      const m = mails.find((x) => x.subject === `El resultado de su solicitud de eliminación ${c.id}`)!;
      dump('deletion-result delete (es)', m);
      expect(m.text).toBe([
        'Hola:',
        '',
        `Este es el resultado de su solicitud ${c.id} para eliminar su información personal.`,
        '',
        'Esto es lo que hicimos:',
        '- Acme Shop (customers): sus datos personales quitados de 1 registro.',
        '- Acme Shop (orders): 3 registros eliminados.',
        '',
        'En total: 3 registros eliminados y sus datos personales quitados de 1 registro.',
        '',
        'Después volvimos a comprobar nuestros sistemas: la información que eliminamos ya no está.',
        '',
        'Lo que conservamos, y por qué:',
        '- 2 registros en Acme Shop (orders) se conservan porque la ley lo permite: registros fiscales (7 años).',
        '- 1 registro en Acme Shop (customers) también pertenece a otra persona: se conserva hasta que nuestro personal lo revise.',
        '',
        'Equipo de Privacidad de Acme Outdoor',
        '',
      ].join('\n'));
      expect(String(m.html)).toContain('<li>Acme Shop (orders): 3 registros eliminados.</li>');
      expect(String(m.html)).toContain('lang="es"');
    } finally {
      await esApp.close();
      rmSync(esDir, { recursive: true, force: true });
    }
  });

  it('opt-outs, corrections and limits are passed to the processor registered for the system where they were applied, tracked to confirmation', async () => {
    const cases: Array<[CaseType, string, ChangeCount[], string]> = [
      ['opt_out', 'pass.optout@example.com', [cc('shop', 'customers', { updated: 1 }, { categories: ['user.privacy_preferences'], fields: ['do_not_sell'] })],
        'please stop selling and sharing the personal information of the consumer identified below'],
      ['correct', 'pass.correct@example.com', [cc('shop', 'customers', { updated: 1 }, { planned: { deleted: 0, masked: 0, updated: 1 }, categories: ['user.contact.phone_number'], fields: ['phone'] })],
        'please correct the personal information of the consumer identified below as we have corrected it (Phone number)'],
      ['limit', 'pass.limit@example.com', [cc('shop', 'customers', { updated: 1 }, { planned: { deleted: 0, masked: 0, updated: 1 }, fields: ['limit_sensitive'] })],
        'please limit your use and disclosure of the sensitive personal information of the consumer identified below'],
    ];
    for (const [type, email, changes, asks] of cases) {
      const id = await runCase(type, email, { changes, check: okCheck(changes) });
      expect((await app.call('cases.get', { id }, staff)).status).toBe('closed');
      const told = await app.call('processors.notices', { id }, staff);
      expect(told.map((n) => [n.processorName, n.request, n.status])).toEqual([['Parcel Co', type, 'sent']]);
      const notice = (await mailsTo('dpo@parcel.test')).filter((m) => m.subject === `Privacy request ${id} from Acme Outdoor: action needed`);
      expect(notice).toHaveLength(1);
      expect(notice[0]!.text).toContain(asks);
      expect(notice[0]!.text).toContain(`email: ${email}`);
      const token = /confirmation code (\S+)\)/u.exec(notice[0]!.text!)![1]!;
      expect(await app.call('processors.confirm', { token }, { actor: 'processor:parcel' })).toMatchObject({ status: 'confirmed', request: type });
    }
  });
});
