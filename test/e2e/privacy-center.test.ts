// The consumer privacy center in Chromium (issue 17): the public server as `links serve` runs it,
// in front of a real app (SQLite, the demo shop registered in the data map) whose email goes through
// the real SES v2 client to aws-ses-v2-local; codes are read from the emulator's store as sent.
// A delete request submitted, verified and followed; an access request that ends with the report
// downloaded from the emailed link; an authorized agent with a document; the Spanish page; a
// 360 px phone; keyboard-only; the form with JavaScript off. Screenshots under test/e2e/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp, type App } from '../../shared/app/app';
import { datamapService } from '../../shared/app/datamap/service';
import { responsesService } from '../../shared/app/services/responses-service';
import { SesSender } from '../../shared/channels/email/ses-sender';
import { startPublicServer, type PublicServer } from '../../server/public-server';
import { publicBackend } from '../../server/public-backend';
import { startSesEmulator, type SesEmulator, type StoredEmail } from '../support/ses-emulator';
import { launchBrowser, SCREENSHOTS } from './console-harness';

let ses: SesEmulator;
let app: App;
let server: PublicServer;
let browser: Browser;
let dir: string;
const staff = { actor: 'staff:ann' };

beforeAll(async () => {
  ses = await startSesEmulator();
  dir = mkdtempSync(join(tmpdir(), 'pd-e2e-center-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
  server = await startPublicServer({ backend: publicBackend(app), config: { businessName: 'Demo Shop', powBits: 8 }, onError: (w, e) => { process.stderr.write(`public ${w}: ${String(e)}\n`); } });
  responsesService(app.ctx, {
    // A small message limit: the access report goes out as a download link of the public server.
    env: { PRIVACY_DESK_BUSINESS_NAME: 'Demo Shop', PRIVACY_DESK_SES_FROM: 'privacy@shop.test', PRIVACY_DESK_PUBLIC_URL: server.origin, PRIVACY_DESK_EMAIL_MAX_BYTES: '4096' },
    sender: new SesSender({ region: 'us-east-1', from: 'privacy@shop.test', endpoint: ses.endpoint, credentials: ses.credentials }),
  });
  await datamapService(app.ctx).registerDemoShop(join(dir, 'shop'), 'demo');
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  // The emails the tests sent, kept for reading their wording.
  if (ses) writeFileSync(join(SCREENSHOTS, 'privacy-center-emails.txt'), (await ses.emails()).map((m) => `To: ${m.destination.to.join(', ')}\nSubject: ${m.subject}\n\n${m.body.text ?? ''}\n`).join('\n-----\n'));
  await browser?.close();
  await server?.close();
  await app?.close();
  await ses?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `privacy-center-${name}.png`), fullPage: true });
const mailTo = async (to: string): Promise<StoredEmail[]> => (await ses.emails()).filter((e) => e.destination.to.includes(to));

async function codeFor(to: string, reference: string): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    const m = (await mailTo(to)).filter((e) => e.subject.includes(reference) && /code/iu.test(e.subject)).at(-1);
    if (m) return /\b(\d{6})\b/u.exec(m.body.text ?? '')![1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code email to ${to} for ${reference}`);
}

async function newPage(o: { width?: number; height?: number; javaScriptEnabled?: boolean; locale?: string } = {}): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: o.width ?? 1280, height: o.height ?? 800 }, javaScriptEnabled: o.javaScriptEnabled ?? true, locale: o.locale ?? 'en-US', acceptDownloads: true });
  return ctx.newPage();
}

const referenceOn = async (page: Page): Promise<string> => /PD-\d{8}-[A-Z0-9]+/u.exec(await page.locator('main').innerText())![0];

/** Home page → right → form filled → sent (center.js solves the proof-of-work) → the code page. */
async function submitRequest(page: Page, right: string, fields: { jurisdiction: string; email: string; name?: string }): Promise<string> {
  await page.goto(`${server.origin}/?lang=en`);
  await page.getByLabel(right, { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Where do you live?').selectOption(fields.jurisdiction);
  await page.getByLabel('Email address').fill(fields.email);
  if (fields.name) await page.getByLabel(/Full name/u).fill(fields.name);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByRole('heading', { name: 'Check your messages' }).waitFor();
  return referenceOn(page);
}

async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('One-time code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.locator('#status').waitFor();
}

describe('privacy center in Chromium', () => {
  it('a delete request: submitted, verified with the emailed code, its status shown', async () => {
    const page = await newPage();
    await page.goto(`${server.origin}/`);
    await shot(page, 'home');
    const reference = await submitRequest(page, 'Delete my personal information', { jurisdiction: 'CA', email: 'del.consumer@example.com' });
    await shot(page, 'code');
    const code = await codeFor('del.consumer@example.com', reference);
    // A wrong code first: the error is tied to the field.
    await page.getByLabel('One-time code').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByLabel('One-time code').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#code-error').innerText()).toContain('2 tries left');
    await shot(page, 'code-error');
    await enterCode(page, code);
    const text = await page.locator('#status').innerText();
    expect(text).toContain(reference);
    expect(text).toContain('Delete my personal information');
    await shot(page, 'status');
    const kase = await app.call('cases.get', { id: reference }, staff);
    expect(kase).toMatchObject({ channel: 'web', type: 'delete', verification: { method: 'email-code' } });
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe(kase.status);
    await page.context().close();
  });

  it('an access request ends with the report downloaded from the emailed link', async () => {
    const page = await newPage();
    const email = 'ann.lee@example.com'; // a customer of the demo shop
    const reference = await submitRequest(page, 'Know and get a copy of my personal information', { jurisdiction: 'CA', email, name: 'Ann Lee' });
    await enterCode(page, await codeFor(email, reference));
    // Staff start discovery and approve the report in the console; the app answers.
    await app.settle(reference);
    expect((await app.call('cases.get', { id: reference }, staff)).status).toBe('verified');
    await app.call('cases.discover', { id: reference }, staff);
    await app.settle(reference);
    // A row shared with another customer (Ann's card on Carol's order) is set aside, as staff would.
    for (const item of (await app.call('review.list', { id: reference }, staff)).items) {
      if (item.kind === 'shared' && item.decision === 'pending') await app.call('review.decide', { id: reference, itemId: item.itemId, decision: 'set_aside' }, staff);
    }
    await app.call('cases.approve', { id: reference }, staff);
    await app.settle(reference);
    const report = (await mailTo(email)).find((m) => m.subject.includes('report'));
    expect(report, (await mailTo(email)).map((m) => m.subject).join('; ')).toBeDefined();
    const url = /https?:\/\/\S+\/reports\/[A-Za-z0-9._-]+/u.exec(report!.body.text!)![0];
    expect(url.startsWith(`${server.origin}/reports/`)).toBe(true);
    await page.goto(url);
    await shot(page, 'report-link');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'personal-information.json' }).click();
    const file = await download;
    // The categories report (no specific pieces asked for): what the demo shop holds about Ann, by category.
    const json = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { caseId: string; scope: string; systems: Array<{ system: string; rowCount: number }> };
    expect(json).toMatchObject({ caseId: reference, scope: 'categories' });
    expect(json.systems[0]).toMatchObject({ system: 'demo-shop' });
    expect(json.systems[0]!.rowCount).toBeGreaterThan(0);
    const audit = await app.call('cases.audit', { id: reference }, staff);
    expect(audit.some((a) => a.action === 'report.downloaded')).toBe(true);
    // The status page by reference and a fresh code shows it closed.
    await page.goto(`${server.origin}/status?lang=en`);
    await page.getByLabel('Request reference').fill(reference);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('One-time code').waitFor();
    const fresh = await codeFor(email, reference);
    await enterCode(page, fresh);
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('closed');
    expect(await page.locator('#status').innerText()).toContain('Your personal information report'); // messages named in words
    await shot(page, 'status-closed');
    await page.context().close();
  });

  it('specific pieces: after the code, more details and the signed declaration (§7062) reach the high level', async () => {
    const page = await newPage();
    const email = 'carol.diaz@example.net'; // a customer of the demo shop
    await page.goto(`${server.origin}/?type=access&lang=en`);
    await page.getByLabel('Where do you live?').selectOption('CA');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel(/specific pieces/u).check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your messages' }).waitFor();
    const reference = await referenceOn(page);
    await enterCode(page, await codeFor(email, reference));
    await page.getByRole('heading', { name: 'Confirm your identity further' }).waitFor();
    // Nothing ticked: the errors are tied to their fields.
    await page.getByRole('button', { name: 'Sign and confirm' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('#declaration').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#phone').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Date of birth').fill('1990-09-30');
    await page.getByLabel(/penalty of perjury/u).check();
    await page.getByLabel('Your full name (your signature)').fill('Carol Diaz');
    await shot(page, 'declaration');
    await page.getByRole('button', { name: 'Sign and confirm' }).click();
    await page.locator('#status').waitFor();
    expect(await page.locator('#higher-title').count()).toBe(0);
    expect((await app.call('cases.get', { id: reference }, staff)).verification.level).toBe('high');
    await page.context().close();
  });

  it('an authorized agent request with the signed permission uploaded', async () => {
    const page = await newPage();
    await page.goto(`${server.origin}/?type=delete&lang=en`);
    await page.getByRole('link', { name: /authorized agent/u }).click();
    await page.getByLabel('Where do you live?').selectOption('FL');
    await page.getByLabel('Email address').fill('principal@example.com');
    await page.getByLabel('Your name (the agent)').fill('Agnes Agent');
    await page.getByLabel('Signed permission').setInputFiles({ name: 'permission.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nI authorize Agnes Agent.\n%%EOF\n') });
    await shot(page, 'agent');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your messages' }).waitFor();
    const reference = await referenceOn(page);
    const kase = await app.call('cases.get', { id: reference }, staff);
    expect(kase).toMatchObject({ type: 'delete', jurisdiction: 'FL', agent: { name: 'Agnes Agent' } });
    expect(kase.agent!.permissionRef).toMatch(/^doc:/u);
    await page.context().close();
  });

  it('the Spanish page', async () => {
    const page = await newPage({ locale: 'es-MX' });
    await page.goto(`${server.origin}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').innerText()).toBe('Sus opciones de privacidad');
    await shot(page, 'es-home');
    await page.getByLabel('Eliminar mi información personal', { exact: true }).check();
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByLabel('¿Dónde vive?').selectOption('TX');
    await page.getByLabel('Correo electrónico').fill('no-es-correo');
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('#email-error').innerText()).toContain('Escriba un correo electrónico válido');
    await shot(page, 'es-errors');
    await page.getByLabel('Correo electrónico').fill('ana.es@example.com');
    await page.getByRole('button', { name: 'Enviar solicitud' }).click();
    await page.getByRole('heading', { name: 'Revise sus mensajes' }).waitFor();
    const reference = await referenceOn(page);
    const mail = (await mailTo('ana.es@example.com')).find((m) => m.subject.includes(reference))!;
    expect(mail.body.text).toMatch(/código/u);
    await page.context().close();
  });

  it('reads on a 360 px phone without sideways scrolling', async () => {
    const page = await newPage({ width: 360, height: 780 });
    for (const [path, name] of [['/?lang=en', 'phone-home'], ['/?type=correct&lang=en', 'phone-form'], ['/status?lang=en', 'phone-status']] as const) {
      await page.goto(`${server.origin}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await shot(page, name);
    }
    await page.context().close();
  });

  it('keyboard only: Tab to each control, arrow keys in the rights, typing, Enter to send; focus always visible', async () => {
    const page = await newPage();
    await page.goto(`${server.origin}/?lang=en`);
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { id: el.id || el.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    // The home page: Tab into the rights, the arrow keys choose one (a radio group), Tab, Enter.
    for (let i = 0; i < 6 && (await focused()).id !== 'type-access'; i += 1) await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ id: 'type-access', outline: true });
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowDown');
    expect(await page.locator('#type-opt_out').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Continue');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Do not sell or share my personal information' }).waitFor();
    const seen: string[] = [];
    // Tab from the top of the page to the email field, each stop with a visible focus ring.
    for (let i = 0; i < 20 && (await focused()).id !== 'email'; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused();
      seen.push(f.id);
      expect(f.outline, `focus ring on ${f.id}`).toBe(true);
    }
    expect(seen[0]).toBe('A'); // the skip link first
    expect(seen).toContain('jurisdiction');
    await page.keyboard.type('kb.consumer@example.com');
    await page.keyboard.down('Shift'); await page.keyboard.press('Tab'); await page.keyboard.up('Shift');
    expect((await focused()).id).toBe('jurisdiction');
    await page.keyboard.type('Oregon'); // a closed select picks the typed option
    expect(await page.locator('#jurisdiction').inputValue()).toBe('OR');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // implicit submission from a text field
    await page.getByRole('heading', { name: 'We received your request' }).waitFor();
    const reference = await referenceOn(page);
    expect(await app.call('cases.get', { id: reference }, staff)).toMatchObject({ type: 'opt_out', jurisdiction: 'OR', channel: 'web' });
    await page.context().close();
  });

  it('offers a one-click opt-out when the browser sends Global Privacy Control', async () => {
    const plain = await newPage();
    await plain.goto(`${server.origin}/?lang=en`);
    expect(await plain.locator('#gpc-banner').isVisible()).toBe(false);
    await plain.context().close();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }); });
    const page = await ctx.newPage();
    await page.goto(`${server.origin}/?lang=en`);
    await page.locator('#gpc-banner').waitFor({ state: 'visible' });
    await page.locator('#gpc-email').fill('gpc.visitor@example.com');
    await shot(page, 'gpc');
    await page.getByRole('button', { name: 'Opt out now' }).click();
    await page.getByRole('heading', { name: 'Your opt-out is recorded' }).waitFor();
    const hashes = [app.ctx.crypto.keyedHash('email', 'gpc.visitor@example.com')];
    const found = await app.ctx.cases.list({ type: 'opt_out', identityHashes: hashes, sort: 'receivedAt', order: 'desc', offset: 0, limit: 5 });
    expect(found.items).toHaveLength(1);
    expect(found.items[0]).toMatchObject({ channel: 'gpc', type: 'opt_out' });
    // Again: the same answer, no second case.
    await page.goBack();
    await page.locator('#gpc-email').fill('gpc.visitor@example.com');
    await page.getByRole('button', { name: 'Opt out now' }).click();
    await page.getByRole('heading', { name: 'Your opt-out is recorded' }).waitFor();
    expect((await app.ctx.cases.list({ type: 'opt_out', identityHashes: hashes, sort: 'receivedAt', order: 'desc', offset: 0, limit: 5 })).items).toHaveLength(1);
    await ctx.close();
  });

  it('works with JavaScript off: the form, the code and the status', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${server.origin}/?lang=en`);
    await page.getByLabel('Correct my personal information', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Where do you live?').selectOption('VA');
    await page.getByLabel('Email address').fill('nojs@example.com');
    await page.getByLabel('What is wrong?').fill('My street');
    await page.getByLabel('The correct value').fill('12 Elm Street');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Check your messages' }).waitFor();
    const reference = await referenceOn(page);
    await enterCode(page, await codeFor('nojs@example.com', reference));
    expect(await page.locator('#status').innerText()).toContain('Correct my personal information');
    await shot(page, 'nojs-status');
    await page.context().close();
  });
});
