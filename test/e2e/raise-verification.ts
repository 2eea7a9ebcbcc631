// A deletion whose discovery found sensitive personal information needs the high level of
// verification (11 CCR §7062(d)) before it is approved: the console says so in the Verification card
// while the case is in review, holds the Approve button back, and records the higher verification
// (3 data points and a signed declaration, stored with the case) there.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export async function raiseVerification(page: Page, signedName = 'Ann Lee'): Promise<void> {
  const raised = page.getByTestId('verification-raised');
  await raised.waitFor({ timeout: 15_000 });
  expect(await raised.textContent()).toMatch(/sensitive personal information.*high level/u);
  expect(await page.locator('#plan').getByRole('button', { name: /^Approve/u }).isDisabled()).toBe(true);
  expect(await page.getByTestId('approve-blocked').textContent()).toMatch(/waits for the high level of verification \(it is reasonable\)/u);
  const form = page.getByRole('form', { name: 'Record verification' });
  expect(await form.getByLabel('Data points matched').inputValue()).toBe('3');
  expect(await form.getByLabel('Signed declaration received').isChecked()).toBe(true);
  await form.getByLabel('Name signed').fill(signedName);
  await form.getByLabel('Note (what was checked)').fill('Signed declaration under penalty of perjury received; matched email, phone and last order');
  await form.getByRole('button', { name: 'Mark verified' }).click();
  await raised.waitFor({ state: 'detached', timeout: 15_000 });
  await expect.poll(async () => page.locator('#verification').textContent(), { timeout: 15_000 }).toMatch(/StatusHigh \(3 data points \+ signed declaration\)/u);
  expect(await page.locator('#plan').getByRole('button', { name: /^Approve/u }).isDisabled()).toBe(false);
}
