// Web mode in Chromium: find a case by identity (keyed-hash search), extend its deadline with a
// category for phone callers, see the new due date and the extension in the history and the audit
// timeline. The queue sorted by due date lists open cases before closed and denied ones, both ways.
// Also screenshots the queue, the new-request form and the dashboard (with the audit-chain check):
// the clock starts at 00:39 UTC on 24 November in a browser on UTC, while it is still 23 November
// in the US, so the dashboard's date is the browser's and its overdue counts name the US zones.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, useConsole } from './console-harness';

describe('console: extend a deadline (web mode, Chromium)', () => {
  const con = useConsole({ env: { PRIVACY_DESK_CLOCK: '2026-11-24T00:39:00Z' }, timezoneId: 'UTC' });
  let page: Page;
  beforeAll(() => { page = con.page; });

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

  it('sorted by due date, lists open cases before closed and denied ones in both directions', async () => {
    // Status and days left of the rows in order (the demo's dozen rows are all rendered).
    const rows = async () => (await page.locator('.qbody .qrow').evaluateAll((els) => els.map((e) => ({
      i: Number(e.getAttribute('data-index')),
      status: e.querySelectorAll('[role="cell"]')[4]?.textContent ?? '',
      due: e.querySelectorAll('[role="cell"]')[5]?.textContent ?? '',
    })))).sort((a, b) => a.i - b.i);
    const done = (r: { status: string }) => /^(Closed|Denied)$/u.test(r.status);
    const days = (due: string) => (/(\d+) d overdue/u.exec(due) ? -Number(/(\d+)/u.exec(due)![1]) : due === 'due today' ? 0 : Number(/(\d+) d left/u.exec(due)?.[1] ?? NaN));
    const openFirst = (rs: Awaited<ReturnType<typeof rows>>) => {
      const first = rs.findIndex(done);
      return first > 0 && rs.slice(first).every(done);
    };
    await page.locator('.qbody .qrow').nth(11).waitFor();
    const asc = await rows();
    expect(asc.length).toBeGreaterThanOrEqual(12);
    expect(openFirst(asc)).toBe(true);
    const openAsc = asc.filter((r) => !done(r)).map((r) => days(r.due)).filter((n) => !Number.isNaN(n));
    // Sorted by due date; "days left" is counted in each case's own jurisdiction zone, so two cases
    // due the same day can read one day apart (at 00:39 UTC California is still on the day before
    // Berlin): the days never go back by more than that.
    expect(openAsc.every((d, i) => i === 0 || d >= openAsc[i - 1]! - 1)).toBe(true);
    await page.getByRole('button', { name: 'Sort by Due' }).click();
    await expect.poll(async () => page.getByRole('button', { name: 'Sort by Due' }).textContent()).toContain('▼');
    await expect.poll(async () => {
      const rs = await rows();
      const open = rs.filter((r) => !done(r)).map((r) => days(r.due)).filter((n) => !Number.isNaN(n));
      return rs.length === asc.length && openFirst(rs) && open.length > 1 && open[0]! > open[open.length - 1]!;
    }).toBe(true);
    await screenshot(page, 'queue-due-desc');
    await page.getByRole('button', { name: 'Sort by Due' }).click();
    await expect.poll(async () => page.getByRole('button', { name: 'Sort by Due' }).textContent()).toContain('▲');
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
    // The category is what a caller without email hears; the hint says the exact words.
    const category = page.getByLabel('Category (told to phone callers)');
    expect(await category.inputValue()).toBe('');
    expect(await page.locator('#clock-category-hint').textContent()).toMatch(/because of the complexity of your request or the number of requests we have received\. The reason goes only into the email\./u);
    await category.selectOption('many_systems');
    expect(await category.getAttribute('aria-describedby')).toBe('clock-category-hint');
    expect(await page.locator('#clock-category-hint').textContent()).toContain('because your request covers many of our systems.');
    await screenshot(page, 'case-extend-form');
    await page.getByRole('button', { name: 'Extend deadline' }).click();
    await page.getByText('Extended: Records are spread over three archived systems').waitFor();
    await page.getByRole('list', { name: 'Pause and extension history' }).getByText(/case\.extend by .*: Records are spread over three archived systems \(phone: many systems to search\)/u).waitFor();
    const after = await page.locator('#deadline dd').first().textContent();
    expect(after).not.toEqual(before);
    await expect.poll(async () => page.getByTestId('audit-timeline').textContent()).toContain('category: many_systems');
    expect(await page.getByRole('button', { name: 'Extend…' }).count()).toBe(0);
    await screenshot(page, 'case-extended');
  });

  it('refuses an API call without the session cookie, from the page origin too', async () => {
    const call = (credentials: RequestCredentials) => page.evaluate(async (c) => (await fetch('/api/cases.list', { method: 'POST', credentials: c, headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, credentials);
    expect(await call('omit')).toBe(401);
    // The signed-in page's own call (the HttpOnly cookie goes with it; no script can read it).
    expect(await call('same-origin')).toBe(200);
    expect(await page.evaluate(() => document.cookie)).toBe('');
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
    await page.getByRole('heading', { name: /Yearly metrics \(CCPA regs §7102\), 2026/u }).waitFor();
    // The date is the browser's (UTC here, as the case times are shown), not California's.
    expect(await page.getByTestId('dash-as-of').textContent()).toMatch(/^as of Nov 24, 2026, 12:[34]\d AM$/u);
    // The overdue / due counts go by each jurisdiction's date: the note names the zones still on the 23rd.
    const zones = await page.getByTestId('count-zones').textContent();
    expect(zones).toContain('Today is Nov 24, 2026 in UTC, but Nov 23, 2026 in Los Angeles time (CA, OR), New York time (VA, CT, DE, NJ, NH, MD, KY, RI, FL), Denver time (CO, UT, MT)');
    expect(zones).not.toMatch(/Brussels|London/u);
    expect(await page.locator('a.tile', { hasText: 'overdue' }).getAttribute('aria-describedby')).toBe('count-zones');
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
