// The whole life of a deletion request in the console (web mode, Chromium): a staff member takes a
// request, verifies the person, runs discovery on the demo shop, reviews the rows that also belong
// to someone else, approves the deletion, sees it verified (nothing left) and reads the audit
// timeline. Screenshots of each screen go to test/e2e/screenshots/.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, useConsole } from './console-harness';
import { raiseVerification } from './raise-verification';

describe('console: a deletion request end to end (web mode, Chromium)', () => {
  const con = useConsole();
  let page: Page;
  beforeAll(() => { page = con.page; });

  it('creates, verifies, discovers, reviews, approves, executes, verifies and shows the audit trail', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    // New request, taken on the phone
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByLabel('Request type').selectOption('delete');
    await page.getByLabel('Received by').selectOption('phone');
    await page.getByLabel('Email').fill('ann.lee@example.com');
    await page.getByLabel('Name', { exact: true }).fill('Ann Lee');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.getByRole('heading', { name: 'Verification' }).waitFor();
    const caseId = (await page.locator('h1').textContent())!.trim();
    expect(caseId).toMatch(/^PD-\d{8}-[A-Z0-9]{6}$/u);
    await expect.poll(async () => page.locator('.head-status').textContent()).toBe('Verifying');
    await expect.poll(async () => page.locator('#identities').textContent()).toContain('a***@example.com');
    expect(await page.locator('#identities').textContent()).not.toContain('ann.lee');

    // Verify the identity (staff attestation, 2 data points)
    await page.getByLabel('Note (what was checked)').fill('Matched email, phone and last order number on a call-back');
    await page.getByRole('button', { name: 'Mark verified' }).click();
    await expect.poll(async () => page.locator('.head-status').textContent(), { timeout: 15_000 }).toBe('Verified');

    // Run discovery on the data map (the demo shop)
    await page.getByRole('button', { name: 'Run discovery' }).click();
    await expect.poll(async () => page.locator('.head-status').textContent(), { timeout: 60_000 }).toBe('In review');
    await expect.poll(async () => page.locator('#discovery').textContent(), { timeout: 15_000 }).toMatch(/demo-shop/u);
    await screenshot(page, 'case-in-review');

    // Review: the rows that also belong to someone else are set aside (kept)
    const review = page.locator('#review');
    await review.getByText(/shared/iu).first().waitFor();
    const pending = review.getByRole('button', { name: /^Set aside/u });
    const n = await pending.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i += 1) {
      await review.getByRole('button', { name: /^Set aside/u }).first().click();
      await expect.poll(async () => review.getByRole('button', { name: /^Set aside/u }).count(), { timeout: 15_000 }).toBe(n - i - 1);
    }
    await expect.poll(async () => review.textContent()).toMatch(/set aside/iu);
    await screenshot(page, 'case-reviewed');

    // Discovery found sensitive data: the deletion needs the high level (11 CCR §7062(d)), recorded in review.
    await raiseVerification(page);
    await screenshot(page, 'case-verification-raised');

    // Approve the deletion; the back end executes, re-queries and responds
    await page.getByRole('button', { name: 'Approve deletion' }).click();
    // The confirmation says what will happen per system before anything is erased.
    const dialog = page.getByRole('dialog');
    await expect.poll(async () => dialog.getByTestId('confirm-summary').textContent()).toMatch(/demo-shop: delete \d+ rows?, mask \d+ rows?/u);
    await dialog.getByRole('button', { name: /^Delete \d+ rows? and mask \d+ rows?$/u }).click();
    await expect.poll(async () => page.locator('.head-status').textContent(), { timeout: 120_000 }).toBe('Closed');
    await expect.poll(async () => page.getByTestId('verify-result').textContent(), { timeout: 15_000 }).toMatch(/^Verified: nothing left/u);
    expect(await page.locator('#plan').textContent()).toMatch(/(Deleted|Masked) rows\s*[1-9]/u);

    // The audit timeline tells the story
    const timeline = await page.getByTestId('audit-timeline').textContent();
    for (const action of ['case.created', 'case.verify', 'case.discover', 'step.completed', 'case.approve']) expect(timeline).toContain(action);
    expect(timeline).not.toContain('ann.lee@example.com');
    await screenshot(page, 'case-closed');

    // The queue shows it closed
    await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
    await page.getByLabel('Search case id, email or phone').fill(caseId);
    await page.getByTestId('queue-count').filter({ hasText: /^1 case$/u }).waitFor();
    expect(await page.locator('.qbody .qrow').first().textContent()).toContain('Closed');
  });
});
