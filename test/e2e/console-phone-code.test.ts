// A deletion request taken on the phone from a consumer with no email (web mode, Chromium): the
// case screen's send-code buttons offer a text and a call (no email code), "Send text code" texts
// the code (embedded default: <dataDir>/sms/messages.jsonl), staff type the code the consumer reads
// back, and the case is verified by phone code. Screenshot in test/e2e/screenshots/.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot, useConsole } from './console-harness';

describe('console: a one-time code by text message (web mode, Chromium)', () => {
  const con = useConsole();
  let page: Page;
  beforeAll(() => { page = con.page; });
  const status = () => page.locator('.head-status').textContent();

  it('sends a text code from the case screen and verifies the case with the code read back', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.getByLabel('Request type').selectOption('delete');
    await page.getByLabel('Received by').selectOption('phone');
    await page.getByLabel('Phone').fill('+33 6 12 34 56 78');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.getByRole('heading', { name: 'Verification' }).waitFor();
    const caseId = (await page.locator('h1').textContent())!.trim();
    await expect.poll(status, { timeout: 15_000 }).toBe('Verifying');

    const card = page.locator('#verification');
    expect(await card.getByRole('button', { name: 'Send email code' }).count()).toBe(0);
    await card.getByRole('button', { name: 'Call with code' }).waitFor();
    await card.getByRole('button', { name: 'Send text code' }).click();
    await expect.poll(async () => page.getByTestId('code-sent').textContent(), { timeout: 15_000 }).toMatch(/^Code sent to \+3\*{6}5678 by text message, valid until /u);

    const texts = readFileSync(join(con.dataDir, 'sms', 'messages.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; body: string });
    expect(texts).toHaveLength(1);
    expect(texts[0]!.to).toBe('+33612345678');
    const code = new RegExp(`^PrivacyDesk: (\\d{6}) is your verification code for privacy request ${caseId}\\. It expires in 10 minutes\\. Do not share it\\. Reply STOP to opt out\\.$`, 'u').exec(texts[0]!.body)![1]!;
    expect(await page.content()).not.toContain(code);
    // The text is on the case's messages (masked) and its audit timeline, without the code.
    await expect.poll(async () => page.locator('#messages table').textContent(), { timeout: 15_000 }).toMatch(/verification-code\s*sms\s*\+3\*{6}5678\s*sent/u);

    // A wrong code counts against the case and says how many tries are left.
    await page.getByLabel('Code the consumer read back').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Check code' }).click();
    await expect.poll(async () => page.getByTestId('code-result').textContent(), { timeout: 15_000 }).toBe('Wrong code: 2 attempt(s) left.');
    await page.getByLabel('Code the consumer read back').fill(code);
    await screenshot(page, 'case-phone-code');
    await page.getByRole('button', { name: 'Check code' }).click();
    // Verified: the case leaves "verifying", so the code form gives way to the verification record.
    await expect.poll(status, { timeout: 15_000 }).toBe('Verified');
    await expect.poll(async () => card.textContent(), { timeout: 15_000 }).toMatch(/phone-code/u);
  }, 180_000);
});
