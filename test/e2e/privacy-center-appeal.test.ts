// Appealing a refusal on the privacy center in Chromium (issue 17 item 1): a Virginia deletion is
// submitted and verified in the browser, staff deny it, and the consumer follows it on the status
// page (reference, a fresh emailed code) with JavaScript off: the "Appeal this decision" form, an
// empty reason refused with the error tied to the field, the appeal sent, the page then showing it
// with its answer-by date (60 days from receipt), which staff see through appeals.forCase. The
// public server in front of a real app (SQLite) mailing through the real SES v2 client to
// aws-ses-v2-local; screenshots privacy-center-appeal-form.png (the empty reason refused) and
// privacy-center-appeal.png (the appeal filed) under test/e2e/screenshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp, type App } from '../../shared/app/app';
import { responsesService } from '../../shared/app/services/responses-service';
import { SesSender } from '../../shared/channels/email/ses-sender';
import { localDate } from '../../shared/domain/deadlines';
import { startPublicServer, type PublicServer } from '../../server/public-server';
import { publicBackend } from '../../server/public-backend';
import { startSesEmulator, type SesEmulator } from '../support/ses-emulator';
import { launchBrowser, SCREENSHOTS } from './console-harness';

let ses: SesEmulator;
let app: App;
let server: PublicServer;
let browser: Browser;
let dir: string;
const staff = { actor: 'staff:ann' };

beforeAll(async () => {
  ses = await startSesEmulator();
  dir = mkdtempSync(join(tmpdir(), 'pd-e2e-appeal-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
  server = await startPublicServer({ backend: publicBackend(app), config: { businessName: 'Demo Shop', powBits: 8 }, onError: (w, e) => { process.stderr.write(`public ${w}: ${String(e)}\n`); } });
  responsesService(app.ctx, {
    env: { PRIVACY_DESK_BUSINESS_NAME: 'Demo Shop', PRIVACY_DESK_SES_FROM: 'privacy@shop.test', PRIVACY_DESK_PUBLIC_URL: server.origin },
    sender: new SesSender({ region: 'us-east-1', from: 'privacy@shop.test', endpoint: ses.endpoint, credentials: ses.credentials }),
  });
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  await ses?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The newest emailed code for a reference (verification or status), counting the ones seen before. */
async function codeFor(to: string, reference: string, after: number): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    const all = (await ses.emails()).filter((e) => e.destination.to.includes(to) && e.subject.includes(reference) && /code/iu.test(e.subject));
    if (all.length > after) return /\b(\d{6})\b/u.exec(all.at(-1)!.body.text ?? '')![1]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new code email to ${to} for ${reference}`);
}

async function newPage(javaScriptEnabled: boolean): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled, locale: 'en-US' });
  return ctx.newPage();
}

describe('privacy center: appeal a refusal in Chromium', () => {
  it('a denied Virginia deletion: status page after a fresh code, the appeal form (no JavaScript), the appeal and its answer-by date', async () => {
    const email = 'va.appeal@example.com';
    const make = await newPage(true);
    await make.goto(`${server.origin}/?lang=en`);
    await make.getByLabel('Delete my personal information', { exact: true }).check();
    await make.getByRole('button', { name: 'Continue' }).click();
    await make.getByLabel('Where do you live?').selectOption('VA');
    await make.getByLabel('Email address').fill(email);
    await make.getByRole('button', { name: 'Send request' }).click();
    await make.getByRole('heading', { name: 'Check your messages' }).waitFor();
    const reference = /PD-\d{8}-[A-Z0-9]+/u.exec(await make.locator('main').innerText())![0];
    await make.getByLabel('One-time code').fill(await codeFor(email, reference, 0));
    await make.getByRole('button', { name: 'Confirm' }).click();
    await make.locator('#status').waitFor();
    await make.context().close();

    // Staff deny it (the retention exemption, say); the denial email tells the consumer how to appeal.
    await app.settle(reference);
    await app.call('cases.deny', { id: reference, reason: 'exempt', note: 'order records kept for tax law' }, staff);
    await app.settle(reference);

    const page = await newPage(false);
    await page.goto(`${server.origin}/status?lang=en`);
    await page.getByLabel('Request reference').fill(reference);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('One-time code').fill(await codeFor(email, reference, 1));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#status').waitFor();
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('denied');
    await page.getByRole('heading', { name: 'Appeal this decision' }).waitFor();
    expect(await page.locator('#appeal').innerText()).toContain('within 60 days');

    // Sent empty: the error summary and the error tied to the reason.
    await page.getByRole('button', { name: 'Send my appeal' }).click();
    const reason = page.getByLabel('Why do you disagree?');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.getAttribute('aria-describedby')).toBe('reason-hint reason-error');
    expect(await page.locator('#reason-error').innerText()).toContain('Tell us why you disagree');
    expect(await page.locator('.error-summary a[href="#reason"]').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'privacy-center-appeal-form.png'), fullPage: true });

    await reason.fill('The order records are more than seven years old; the tax law no longer needs them.');
    await page.getByRole('button', { name: 'Send my appeal' }).click();
    await page.getByRole('heading', { name: 'Your appeal' }).waitFor();
    const today = localDate(new Date(), 'VA');
    const due = new Date(Date.parse(`${today}T12:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
    expect(await page.locator('[data-appeal-due]').getAttribute('data-appeal-due')).toBe(due);
    expect(await page.locator('[data-appeal-status]').getAttribute('data-appeal-status')).toBe('open');
    const dueWords = new Date(`${due}T12:00:00Z`).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    expect(await page.locator('#appeal').innerText()).toContain(`answer you in writing by ${dueWords}`);
    expect(await page.getByRole('button', { name: 'Send my appeal' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'privacy-center-appeal.png'), fullPage: true });

    const appeals = await app.call('appeals.forCase', { id: reference }, staff);
    expect(appeals).toHaveLength(1);
    expect(appeals[0]).toMatchObject({ status: 'open', receivedOn: today, deadlines: { respond: due }, createdBy: 'consumer:web' });
    expect(appeals[0]!.reason).toContain('seven years old');
    await page.context().close();
  });
});
