// Issue 16 items 3-5 in the console (web mode, Chromium at 1280x800): the confirmation before a
// deletion says what happens per system and shows a refusal where the click was; the messages
// screen shows the deletion email as sent (an inert frame) with the numbers the erasure applied;
// a correct request end to end (category and new value, the consumer's document, the writes
// planned, no deletion words); hold "waiting for the consumer" with the clock paused where the law
// pauses it; Deny needs a note and shows the denial email first; search by a case-id fragment
// with a hint when nothing matches; the audit timeline grouped by step with a filter.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, screenshot, useConsole } from './console-harness';
import { raiseVerification } from './raise-verification';

async function newRequest(page: Page, o: { type: string; email: string; jurisdiction?: string; channel?: string; receivedOn?: string }): Promise<string> {
  await page.getByRole('navigation').getByRole('link', { name: 'New request' }).click();
  await page.getByRole('heading', { name: 'New request' }).waitFor();
  await page.getByLabel('Request type').selectOption(o.type);
  if (o.jurisdiction) await page.getByLabel('Jurisdiction').selectOption(o.jurisdiction);
  await page.getByLabel('Received by').selectOption(o.channel ?? 'phone');
  if (o.receivedOn) await page.getByLabel('Received on').fill(o.receivedOn);
  await page.getByLabel('Email').fill(o.email);
  await page.getByRole('button', { name: 'Create request' }).click();
  await page.getByRole('heading', { name: 'Verification' }).waitFor();
  return (await page.locator('h1').textContent())!.trim();
}

const status = (page: Page) => async () => page.locator('.head-status').textContent();

async function verifyAndDiscover(page: Page): Promise<void> {
  await expect.poll(status(page), { timeout: 15_000 }).toBe('Verifying');
  await page.getByLabel('Note (what was checked)').fill('Matched email, phone and last order number on a call-back');
  await page.getByRole('button', { name: 'Mark verified' }).click();
  await expect.poll(status(page), { timeout: 15_000 }).toBe('Verified');
  await page.getByRole('button', { name: 'Run discovery' }).click();
  await expect.poll(status(page), { timeout: 60_000 }).toBe('In review');
  await expect.poll(async () => page.locator('#discovery').textContent(), { timeout: 15_000 }).toMatch(/demo-shop/u);
}

describe('console: the truth on screen, words per type, workflow (web mode, Chromium)', () => {
  const con = useConsole();
  let page: Page;
  beforeAll(() => { page = con.page; });

  it('confirms a deletion per system, shows a refusal in the dialog, then the deletion email as sent with its numbers', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    const id = await newRequest(page, { type: 'delete', email: 'ann.lee@example.com' });
    await verifyAndDiscover(page);
    // The demo shop holds sensitive data for Ann: the deletion needs the high level, recorded in review.
    await raiseVerification(page);
    const review = page.locator('#review');
    await expect.poll(async () => review.getByRole('button', { name: /^Set aside/u }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // Review rows say what they hold (masked) and whose else they are, not just a key.
    const shared = review.locator('tr', { hasText: 'addresses' }).first();
    // What the row holds comes with console.reviewRows, after the rows themselves.
    await expect.poll(async () => shared.textContent(), { timeout: 15_000 }).toMatch(/line1 1•+/u);
    expect(await shared.textContent()).toMatch(/Also another person’s: their customers row/u);
    expect(await shared.textContent()).not.toContain('1 Market St');

    // Approve before deciding the shared rows: the refusal is shown in the dialog, where the click was.
    await page.getByRole('button', { name: 'Approve deletion…' }).click();
    const dialog = page.getByRole('dialog');
    const summary = await dialog.getByTestId('confirm-summary').textContent();
    expect(summary).toMatch(/demo-shop: delete \d+ rows?, mask \d+ rows?/u);
    expect(summary).toMatch(/customers: delete 1 row/u);
    await screenshot(page, 'confirm-deletion');
    await dialog.getByRole('button', { name: /^Delete \d+ rows? and mask \d+ rows?$/u }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/still await review/u);
    expect(await dialog.isVisible()).toBe(true);
    await screenshot(page, 'confirm-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    for (let n = await review.getByRole('button', { name: /^Set aside/u }).count(); n > 0; n -= 1) {
      await review.getByRole('button', { name: /^Set aside/u }).first().click();
      await expect.poll(async () => review.getByRole('button', { name: /^Set aside/u }).count(), { timeout: 15_000 }).toBe(n - 1);
    }
    await page.getByRole('button', { name: 'Approve deletion…' }).click();
    const confirm = dialog.getByRole('button', { name: /^Delete \d+ rows? and mask \d+ rows?$/u });
    const [, planned, plannedMask] = /^Delete (\d+) rows? and mask (\d+)/u.exec((await confirm.textContent())!)!;
    await confirm.click();
    await expect.poll(status(page), { timeout: 120_000 }).toBe('Closed');
    await expect.poll(async () => page.locator('#plan').textContent(), { timeout: 15_000 }).toMatch(/Deleted rows\s*\d+/u);
    const plan = (await page.locator('#plan').textContent())!;
    const deleted = /Deleted rows\s*(\d+)/u.exec(plan)![1]!;
    const masked = /Masked rows\s*(\d+)/u.exec(plan)![1]!;
    console.log(`planned delete ${planned} mask ${plannedMask}; executed deleted ${deleted} masked ${masked}`);
    expect([deleted, masked]).toEqual([planned, plannedMask]);

    // The messages screen: the deletion email as the consumer got it.
    const messages = page.locator('#messages');
    await messages.getByRole('button', { name: 'deletion-result' }).click();
    const frame = page.frameLocator('iframe[title="Message deletion-result as sent"]');
    await expect.poll(async () => frame.locator('body').textContent(), { timeout: 15_000 }).toContain(id);
    const mail = (await frame.locator('body').textContent())!;
    console.log(`deletion email as shown: ${mail.replace(/\s+/gu, ' ').slice(0, 600)}`);
    expect(mail).toMatch(new RegExp(`\\b${deleted}\\b`, 'u'));
    expect(mail).toMatch(new RegExp(`\\b${masked}\\b`, 'u'));
    expect(await page.locator('iframe[title="Message deletion-result as sent"]').getAttribute('sandbox')).toBe('');
    expect(await messages.textContent()).toMatch(/Subject:\s*.*\S/u);
    await messages.scrollIntoViewIfNeeded();
    await screenshot(page, 'case-messages-deletion-email');
    await page.locator('#messages').screenshot({ path: `${SCREENSHOTS}/case-messages-deletion-email-frame.png` });

    // The audit timeline: grouped by step, filtered to the change.
    const audit = page.locator('#audit');
    expect(await audit.locator('details.tl-group > summary').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Intake/u), expect.stringMatching(/^Discovery/u), expect.stringMatching(/^Change/u)]));
    await page.getByLabel('Step', { exact: true }).selectOption('change');
    await expect.poll(async () => audit.locator('details.tl-group').count()).toBe(1);
    expect(await page.getByTestId('audit-timeline').textContent()).toContain('case.approve');
    expect(await page.getByTestId('audit-timeline').textContent()).not.toContain('case.created');
    await audit.scrollIntoViewIfNeeded();
    await screenshot(page, 'case-audit-grouped');
    await page.getByLabel('Step', { exact: true }).selectOption('all');
  });

  it('runs a correct request end to end: category and new value, the writes planned, no deletion words', async () => {
    // Bob (Ann's data went in the first test).
    await newRequest(page, { type: 'correct', email: 'bob.lee@example.com' });
    await verifyAndDiscover(page);
    const plan = page.locator('#plan');
    await plan.getByRole('heading', { name: 'Corrections planned' }).waitFor();
    await plan.getByTestId('writes-none').waitFor();
    await plan.getByLabel('Category').selectOption('user.contact.phone_number');
    await plan.getByLabel('New value').fill('+1 415 555 0199');
    await plan.getByRole('button', { name: 'Save corrections' }).click();
    await plan.getByTestId('corrections-saved').waitFor();
    await expect.poll(async () => plan.getByTestId('writes').textContent(), { timeout: 15_000 }).toMatch(/customers.*phone\s*→\s*\+1 415 555 0199/u);
    expect(await plan.getByTestId('writes').textContent()).toMatch(/•••0102/u); // what it was: masked
    await plan.getByLabel(/The consumer's documents/u).setInputFiles({ name: 'phone-bill.txt', mimeType: 'text/plain', buffer: Buffer.from('Phone bill: +1 415 555 0199, Ann Lee') });
    await plan.getByText(/phone-bill\.txt stored encrypted/u).waitFor();
    const review = page.locator('#review');
    for (let n = await review.getByRole('button', { name: /^Leave as is/u }).count(); n > 0; n -= 1) {
      await review.getByRole('button', { name: /^Leave as is/u }).first().click();
      await expect.poll(async () => review.getByRole('button', { name: /^Leave as is/u }).count(), { timeout: 15_000 }).toBe(n - 1);
    }
    // No deletion words anywhere on a correction.
    const words = (await page.locator('.case').textContent())!;
    expect(words).not.toMatch(/Delete|Deletion|erasure|nothing of this person/u);
    await screenshot(page, 'case-correct-planned');
    await plan.getByRole('button', { name: 'Approve corrections…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('confirm-summary').textContent()).toMatch(/nothing is deleted/u);
    await dialog.getByRole('button', { name: /^Write 1 row$/u }).click();
    await expect.poll(status(page), { timeout: 120_000 }).toBe('Closed');
    await expect.poll(async () => page.getByTestId('verify-result').textContent(), { timeout: 15_000 }).toMatch(/^Verified: every system holds the corrected values/u);
    expect(await plan.textContent()).toMatch(/Rows written\s*1/u);
    expect(await page.getByTestId('audit-timeline').textContent()).toMatch(/document\.stored/u);
    await screenshot(page, 'case-correct-closed');
  });

  it('holds a mailed EU request waiting for the consumer: the clock is shown paused, the consumer told why', async () => {
    const received = new Date(Date.now() - 5 * 86_400_000);
    const receivedOn = `${received.getFullYear()}-${String(received.getMonth() + 1).padStart(2, '0')}-${String(received.getDate()).padStart(2, '0')}`;
    await newRequest(page, { type: 'access', jurisdiction: 'EU', email: 'paula.hold@example.com', channel: 'mail', receivedOn });
    expect(await page.locator('.case-head').textContent()).toMatch(/via Mail · received/u);
    expect(await page.locator('.case-head').textContent()).toContain(received.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' }));
    await page.getByRole('button', { name: 'Hold…' }).click();
    await page.getByLabel('Hold reason').selectOption('awaiting_consumer');
    await page.getByLabel(/What are we waiting for/u).fill('A copy of the letter you mentioned, to match your customer number');
    await page.getByRole('button', { name: 'Put on hold' }).click();
    await expect.poll(status(page), { timeout: 15_000 }).toBe('On hold');
    await expect.poll(async () => page.getByTestId('clock-state').textContent()).toMatch(/^Paused since .*waiting for the consumer stops the clock in EU/u);
    expect(await page.locator('#deadline').textContent()).toMatch(/On hold\s*Waiting for the consumer since/u);
    // The hold notice says we wait for the consumer (not a legal hold).
    const messages = page.locator('#messages');
    await expect.poll(async () => messages.getByRole('button', { name: 'hold-notice' }).count(), { timeout: 30_000 }).toBe(1);
    await messages.getByRole('button', { name: 'hold-notice' }).click();
    const frame = page.frameLocator('iframe[title="Message hold-notice as sent"]');
    await expect.poll(async () => frame.locator('body').textContent(), { timeout: 15_000 }).toMatch(/waiting for information from you/u);
    expect(await frame.locator('body').textContent()).not.toMatch(/legal obligation/u);
    await screenshot(page, 'case-hold-awaiting-consumer');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => page.getByTestId('clock-state').textContent(), { timeout: 15_000 }).toBe('Running');
  });

  it('denies only with a note, after showing the denial email; the reason in words', async () => {
    const id = await newRequest(page, { type: 'delete', email: 'dan.deny@example.com' });
    await page.getByRole('button', { name: 'Deny…' }).click();
    await page.getByLabel('Reason').selectOption('unverifiable');
    expect(await page.getByRole('button', { name: 'Deny request…' }).isDisabled()).toBe(true);
    await page.getByLabel(/Note to the consumer/u).fill('We could not reach you on the number you gave. Send us a new request with a copy of a bill.');
    await page.getByRole('button', { name: 'Deny request…' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(async () => dialog.getByTestId('denial-preview').textContent(), { timeout: 15_000 }).toMatch(/we could not verify your identity/u);
    const preview = (await dialog.getByTestId('denial-preview').textContent())!;
    expect(preview).toContain('d***@example.com');
    expect(preview).toContain('Send us a new request with a copy of a bill');
    // California gives no appeal to the business: the email says so and where to complain instead.
    expect(preview).toMatch(/California law gives no appeal to us.*California Privacy Protection Agency/u);
    await screenshot(page, 'confirm-deny');
    await dialog.getByRole('button', { name: 'Deny and send the denial' }).click();
    await expect.poll(status(page), { timeout: 15_000 }).toBe('Denied');
    expect(await page.locator('.case').getByRole('status').first().textContent()).toMatch(/Denied: Identity could not be verified/u);

    // Search by a fragment of the id: the end of its code finds it; nothing found gives a hint.
    await page.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
    await page.getByLabel('Search case id, email or phone').fill(id.slice(-4));
    await expect.poll(async () => page.locator('.qbody .qrow').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining(id)]));
    await page.getByLabel('Search case id, email or phone').fill(id.slice(12, 16));
    await expect.poll(async () => page.locator('.qbody .qrow').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining(id)]));
    await page.getByLabel('Search case id, email or phone').fill('QQ9QQ9');
    await page.getByTestId('search-hint').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('search-hint').textContent()).toMatch(/start or end of its six-character code/u);
    await screenshot(page, 'queue-search-hint');
  });
});
