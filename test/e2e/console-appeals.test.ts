// The console's appeal card, open-appeals filter and §7102 table in Chromium (issue 14 items 2
// and 4): a Virginia deletion denied before start; staff record the consumer's appeal on the case
// screen (answer due 60 days from the receipt date), find it under the queue's "Open appeals",
// uphold it; the dashboard's §7102 table counts the denial for every jurisdiction and offers the CSV.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../shared/app/app';
import { screenshot, useConsole } from './console-harness';

const CLOCK = '2027-03-05T16:00:00Z';

describe('console: appeals and the §7102 figures (web mode, Chromium)', () => {
  let caseId = '';
  const con = useConsole({
    args: ['--no-demo'], env: { PRIVACY_DESK_CLOCK: CLOCK }, timezoneId: 'UTC',
    prepare: async (dataDir) => {
      const app = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') } }, { clock: () => new Date(CLOCK) });
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'VA', identities: { email: 'va.appeal@example.com' }, receivedAt: '2027-03-01T15:00:00Z' }, { actor: 'staff:e2e' });
      await app.settle(c.id);
      await app.call('cases.deny', { id: c.id, reason: 'unverifiable', note: 'no account matched' }, { actor: 'staff:e2e' });
      await app.settle(c.id);
      caseId = c.id;
      await app.close();
    },
  });
  let page: Page;
  beforeAll(() => { page = con.page; });

  it('records an appeal on the case screen with Virginia\'s 60-day answer date, lists it, upholds it', async () => {
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.evaluate((id) => { location.hash = `#/case/${id}`; }, caseId);
    await page.getByRole('heading', { name: 'Appeal' }).waitFor();
    await page.getByRole('button', { name: 'Record appeal…' }).click();
    await page.getByLabel('Received on (blank: today)').fill('2027-03-05');
    await page.getByLabel('The consumer\'s reason').fill('I sent my order number with the request');
    await page.getByRole('button', { name: 'Record appeal', exact: true }).click();
    await expect.poll(async () => page.getByTestId('appeal-due').textContent()).toBe('May 4, 2027');
    expect(await page.getByTestId('appeal-state').textContent()).toBe('Open: awaiting our answer');
    expect(await page.locator('#appeal').textContent()).toContain('Office of the Attorney General of Virginia');
    await screenshot(page, 'case-appeal');

    await page.evaluate(() => { location.hash = '#/queue'; });
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByLabel('Open appeals').check();
    const panel = page.getByTestId('open-appeals');
    await expect.poll(async () => panel.textContent()).toContain(caseId);
    expect(await panel.textContent()).toContain('May 4, 2027');
    await panel.getByRole('link', { name: caseId }).click();

    await page.getByRole('heading', { name: 'Appeal' }).waitFor();
    await page.getByRole('button', { name: 'Uphold…' }).click();
    await page.getByLabel('Reasons for the answer (sent to the consumer)').fill('The order number matches no account.');
    await page.getByRole('button', { name: 'Uphold the refusal' }).click();
    await expect.poll(async () => page.getByTestId('appeal-state').textContent()).toBe('Upheld: the refusal stands');
  });

  it('the dashboard counts the denial in the §7102 table and offers the CSV', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: /Yearly metrics \(CCPA regs §7102\), 2027/u }).waitFor();
    await page.getByLabel('Jurisdiction', { exact: true }).selectOption('');
    const row = page.getByTestId('metrics-7102').getByRole('row', { name: /Request to delete/u });
    await expect.poll(async () => (await row.locator('td').allTextContents()).slice(0, 4)).toEqual(['1', '0', '0', '1']);
    expect(await page.getByTestId('metrics-scope').textContent()).toContain('Withdrawn requests are neither complied with nor denied');
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(decodeURIComponent(href!.replace(/^data:text\/csv;charset=utf-8,/u, ''))).toContain('2027,all,delete,1,0,0,1,1,0,0,0,0,4,4');
    await screenshot(page, 'dashboard-7102');
  });
});
