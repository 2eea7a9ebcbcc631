// An access request taken on the phone with no email address (web mode, Chromium): after discovery
// and approval the report cannot be emailed, so the case waits in "responding" with its report
// pending. The case screen says what to do instead of offering a Retry that does nothing, staff
// preview and print the report, record how they delivered it, the case closes and the audit
// timeline shows the delivery; the dashboard lists the report while it waits.
// Screenshots go to test/e2e/screenshots/.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { SCREENSHOTS, screenshot, useConsole } from './console-harness';

describe('console: an access report delivered by staff (web mode, Chromium)', () => {
  const con = useConsole();
  let page: Page;
  beforeAll(() => { page = con.page; });

  const status = () => page.locator('.head-status').textContent();

  it('takes a phone-only access case to pending delivery, previews and prints the report, records the delivery and closes', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByLabel('Request type').selectOption('access');
    await page.getByLabel('Received by').selectOption('phone');
    await page.getByLabel('Phone').fill('(415) 555-0101');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.getByRole('heading', { name: 'Verification' }).waitFor();
    const caseId = (await page.locator('h1').textContent())!.trim();
    expect(caseId).toMatch(/^PD-\d{8}-[A-Z0-9]{6}$/u);
    await expect.poll(status, { timeout: 15_000 }).toBe('Verifying');

    await page.getByLabel('Note (what was checked)').fill('Caller confirmed phone, last order total and postal code');
    await page.getByRole('button', { name: 'Mark verified' }).click();
    await expect.poll(status, { timeout: 15_000 }).toBe('Verified');
    await page.getByRole('button', { name: 'Run discovery' }).click();
    await expect.poll(status, { timeout: 60_000 }).toBe('In review');
    await expect.poll(async () => page.locator('#discovery').textContent(), { timeout: 15_000 }).toMatch(/demo-shop · customers\s*1/u);
    // Rows that also concern someone else (Ann's home is Bob's too) are kept out of the report.
    const review = page.locator('#review');
    // The review list renders after the discovery table: wait for its rows before counting them.
    await expect.poll(async () => review.getByRole('button', { name: /^Withhold/u }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    for (let n = await review.getByRole('button', { name: /^Withhold/u }).count(); n > 0; n -= 1) {
      await review.getByRole('button', { name: /^Withhold/u }).first().click();
      await expect.poll(async () => review.getByRole('button', { name: /^Withhold/u }).count(), { timeout: 15_000 }).toBe(n - 1);
    }
    await page.locator('#plan').getByRole('button', { name: 'Approve and send report…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send the report' }).click();

    // No email address: the report waits for staff, and the screen says so (no Retry, no progress bar).
    await expect.poll(status, { timeout: 60_000 }).toBe('Responding');
    const banner = page.getByTestId('awaiting-delivery');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/waits for staff delivery.*no email address/u);
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    const delivery = page.getByTestId('report-delivery');
    await delivery.waitFor();
    expect(await page.locator('#messages table').textContent()).toContain('pending: staff delivery');
    // The banner's link takes staff to the delivery form.
    await banner.getByRole('link', { name: 'record the delivery' }).click();
    await expect.poll(async () => page.evaluate(() => document.activeElement?.id)).toBe('d-note');
    await screenshot(page, 'case-report-pending');

    // The dashboard lists the report among what needs staff, linked to the case.
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
    const needs = page.locator('#needs-staff');
    await needs.getByRole('link', { name: caseId }).waitFor({ timeout: 15_000 });
    expect(await needs.locator('tr', { has: page.getByRole('link', { name: caseId }) }).textContent()).toMatch(/Deliver report.*waiting for staff delivery/u);
    await screenshot(page, 'dashboard-needs-staff');
    await needs.getByRole('link', { name: caseId }).click();
    await delivery.waitFor({ timeout: 15_000 });

    // Preview the report on the page, then print it (window.print stubbed: headless Chromium has no dialog).
    await delivery.getByRole('button', { name: 'Preview report' }).click();
    const preview = page.getByTestId('report-preview');
    await preview.waitFor();
    await expect.poll(async () => preview.evaluate((el) => el.shadowRoot?.textContent ?? '')).toMatch(/Your personal information/u);
    expect(await preview.evaluate((el) => el.shadowRoot?.querySelectorAll('script').length)).toBe(0);
    expect(await delivery.getByRole('button', { name: 'Hide report' }).getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'case-report-preview');
    await page.evaluate(() => { (window as unknown as { printed: number }).printed = 0; window.print = () => { (window as unknown as { printed: number }).printed += 1; }; });
    await delivery.getByRole('button', { name: 'Print report…' }).click();
    await expect.poll(async () => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    // Printed, the page is the report alone (the console is hidden).
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.shell').isVisible()).toBe(false);
    expect(await page.locator('body > .print-only').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'case-report-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('body > .print-only').isVisible()).toBe(false);

    // Record the delivery: the case closes.
    await delivery.getByLabel('Delivered by').selectOption('post');
    await delivery.getByLabel('Note (how and when, not the address)').fill('Sent by first-class mail on 3 March');
    await delivery.getByRole('button', { name: 'Record delivery' }).click();
    await expect.poll(status, { timeout: 60_000 }).toBe('Closed');
    expect(await page.getByTestId('report-delivery').count()).toBe(0);
    expect(await page.getByTestId('awaiting-delivery').count()).toBe(0);
    await expect.poll(async () => page.locator('#messages table').textContent(), { timeout: 15_000 }).toContain('delivered by post');

    // The audit timeline tells the story, without the phone number.
    await expect.poll(async () => page.getByTestId('audit-timeline').textContent(), { timeout: 15_000 }).toMatch(/delivery: post · note: Sent by first-class mail on 3 March/u);
    const timeline = (await page.getByTestId('audit-timeline').textContent())!;
    for (const action of ['message.pending', 'step.failed', 'report.previewed', 'message.sent', 'case.retry', 'case.status']) expect(timeline).toContain(action);
    expect(timeline).toMatch(/from: responding · to: closed/u);
    expect(timeline).not.toMatch(/555.?0101/u);
    await screenshot(page, 'case-report-delivered');

    // Nothing waits for staff on this case any more.
    await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('#needs-staff').getByTestId('needs-staff-count').waitFor({ timeout: 15_000 });
    expect(await page.locator('#needs-staff').getByRole('link', { name: caseId }).count()).toBe(0);
  });
});
