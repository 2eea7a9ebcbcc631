// Web mode in Chromium: find a case by identity (keyed-hash search), extend its deadline, see the
// new due date and the extension in the history and the audit timeline. Also screenshots the queue,
// the new-request form and the dashboard (with the audit-chain check).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openConsole, removeDir, screenshot, startWebMode, tempDataDir, type WebMode } from './console-harness';

describe('console: extend a deadline (web mode, Chromium)', () => {
  let dataDir: string;
  let web: WebMode;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = tempDataDir();
    web = await startWebMode(dataDir);
    browser = await launchBrowser();
    page = await openConsole(browser, web.url);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    removeDir(dataDir);
  });

  it('shows the demo queue on first start', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByTestId('queue-count').filter({ hasText: /\d+ cases/u }).waitFor();
    const count = await page.getByTestId('queue-count').textContent();
    expect(Number(count!.replace(/\D/gu, ''))).toBeGreaterThanOrEqual(12);
    // the token left the address bar once read
    expect(page.url()).not.toContain('token=');
    await screenshot(page, 'queue');
    // keyboard: arrows move between cases, Enter opens one
    const links = page.locator('.qbody .case-link');
    const second = await links.nth(1).textContent();
    await links.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => page.evaluate(() => document.activeElement?.textContent)).toBe(second);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: second! }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
  });

  it('finds a case by email through the keyed hash and extends its deadline', async () => {
    await page.getByLabel('Search case id, email or phone').fill('Maria.Lopez@example.com ');
    await page.getByTestId('queue-count').filter({ hasText: /^1 case$/u }).waitFor();
    await page.locator('.case-link').first().click();
    await page.getByRole('heading', { name: 'Deadline' }).waitFor();
    const before = await page.locator('#deadline dd').first().textContent();
    await screenshot(page, 'case-before-extension');
    await page.getByRole('button', { name: 'Extend…' }).click();
    await page.getByLabel(/Reason for the extension/u).fill('Records are spread over three archived systems');
    await page.getByRole('button', { name: 'Extend deadline' }).click();
    await page.getByText('Extended: Records are spread over three archived systems').waitFor();
    const after = await page.locator('#deadline dd').first().textContent();
    expect(after).not.toEqual(before);
    await expect.poll(async () => page.getByTestId('audit-timeline').textContent()).toContain('case.extend');
    expect(await page.getByRole('button', { name: 'Extend…' }).count()).toBe(0);
    await screenshot(page, 'case-extended');
  });

  it('refuses an API call without the session token, from the page origin too', async () => {
    const status = await page.evaluate(async () => (await fetch('/api/cases.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
    expect(status).toBe(401);
  });

  it('shows the new-request form and the dashboard with an intact audit chain', async () => {
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByRole('heading', { name: 'New request' }).waitFor();
    // validated by the same schema as every channel: the field error shows next to the field
    await page.getByLabel('Phone').fill('12');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.locator('#n-phone-err').filter({ hasText: /valid phone number/u }).waitFor();
    expect(await page.getByLabel('Phone').getAttribute('aria-invalid')).toBe('true');
    // an authorized agent with the written permission uploaded through the API
    await page.getByLabel('Phone').fill('+1 415 555 0199');
    await page.getByLabel('Email').fill('agent.client@example.com');
    await page.getByLabel('An authorized agent makes this request for the consumer').check();
    await page.getByLabel('Agent name').fill('Rights Helper LLC');
    await page.getByLabel(/Written permission/u).setInputFiles({ name: 'permission.txt', mimeType: 'text/plain', buffer: Buffer.from('I authorise Rights Helper LLC to act for me.') });
    await screenshot(page, 'new-request');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.getByRole('heading', { name: 'Verification' }).waitFor();
    await expect.poll(async () => page.locator('#identities').textContent(), { timeout: 15_000 }).toMatch(/Authorized agent: Rights Helper LLC.*doc:[0-9a-f-]{36}/u);
    await page.getByRole('navigation').getByRole('link', { name: 'New request' }).click();
    await page.getByRole('heading', { name: 'New request' }).waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: /Yearly metrics/u }).waitFor();
    await page.getByRole('button', { name: 'Check the audit chain' }).click();
    await expect.poll(async () => page.getByTestId('audit-check').textContent()).toMatch(/^Intact: \d+ entries/u);
    await screenshot(page, 'dashboard');
    await page.getByRole('link', { name: 'Data map' }).click();
    await page.getByRole('heading', { name: 'Data map', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'demo-shop' }).waitFor();
    await page.getByRole('button', { name: /^invoices/u }).click();
    await page.getByText(/Retention: tax/u).waitFor();
    await screenshot(page, 'data-map');
  });
});
