// The queue with 100k cases in Chromium: filter, sort, search and deep scrolling stay correct and
// quick (server-side paging + virtualised rows). Cases are generated fast: the demo cases are made
// through the app API, then cloned through the case store in one transaction
// (test/support/bulk-cases.ts). Times are printed, not asserted; correctness is asserted.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createApp } from '../../shared/app/app';
import { loadDemoDataIfEmpty } from '../../shared/app/demo-data';
import { generateCases } from '../support/bulk-cases';
import { screenshot, useConsole } from './console-harness';

const COUNT = Number(process.env.PD_E2E_CASES ?? 100_000);

describe(`console: queue with ${COUNT.toLocaleString('en-US')} cases`, () => {
  const counts: Record<string, number> = {};
  let closedType = 'access';
  const con = useConsole({
    args: ['--no-demo'],
    prepare: async (dataDir) => {
      const app = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') }, runEngine: true });
      await loadDemoDataIfEmpty(app);
      const gen = await generateCases(app, COUNT);
      console.log(`generated ${gen.inserted} cases in ${gen.ms} ms (one transaction)`);
      const q = async (sql: string) => Number((await app.ctx.db.get<{ n: number }>(sql))!.n);
      counts.all = await q('SELECT COUNT(*) AS n FROM cases');
      counts.closed = await q("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'");
      const top = await app.ctx.db.get<{ type: string; n: number }>("SELECT type, COUNT(*) AS n FROM cases WHERE status = 'closed' GROUP BY type ORDER BY n DESC, type LIMIT 1");
      closedType = top!.type;
      counts.closedOfType = Number(top!.n);
      counts.search = await q("SELECT COUNT(*) AS n FROM cases WHERE id LIKE 'PD-BULK-0042%'");
      await app.close();
    },
  });
  let page: Page;
  beforeAll(() => { page = con.page; });

  const countText = (n: number) => `${n.toLocaleString('en-US')} case${n === 1 ? '' : 's'}`;
  async function timed(label: string, act: () => Promise<void>, expected: number): Promise<number> {
    const t0 = Date.now();
    await act();
    await page.getByTestId('queue-count').filter({ hasText: new RegExp(`^${countText(expected)}$`, 'u') }).waitFor();
    if (expected > 0) await page.locator('.qbody .case-link').first().waitFor();
    const ms = Date.now() - t0;
    console.log(`queue ${label}: ${ms} ms (${expected} matching of ${counts.all})`);
    return ms;
  }

  it('lists every case and filters, sorts and searches on the server', async () => {
    await page.getByTestId('queue-count').filter({ hasText: new RegExp(`^${countText(counts.all)}$`, 'u') }).waitFor();
    const rendered = await page.locator('.qbody .qrow').count();
    expect(rendered).toBeLessThan(80);
    await screenshot(page, 'queue-100k');
    await timed('filter status=closed', async () => { await page.getByLabel('Status', { exact: true }).selectOption('closed'); }, counts.closed);
    await timed(`filter + type=${closedType}`, async () => { await page.getByLabel('Type', { exact: true }).selectOption(closedType); }, counts.closedOfType);
    await timed('sort by received', () => page.getByRole('button', { name: 'Sort by Received' }).click(), counts.closedOfType);
    await timed('clear filters', () => page.getByRole('button', { name: 'Clear' }).click(), counts.all);
    await timed('search case id', () => page.getByLabel('Search case id, email or phone').fill('PD-BULK-0042'), counts.search);
    await timed('clear search', () => page.getByLabel('Search case id, email or phone').fill(''), counts.all);
  });

  it('scrolls deep into the list and loads that page only', async () => {
    const scroller = page.getByTestId('queue-scroll');
    const t0 = Date.now();
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    // Wait for the rows of the middle page, not just any rows: the rows of the top page are still
    // on screen until the virtualiser re-renders, so "some rows" alone is true too early.
    const loadedIndexes = () => page.locator('.qbody .qrow:has(.case-link)').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    await expect.poll(async () => {
      const idx = await loadedIndexes();
      return idx.length > 5 ? Math.min(...idx) : -1;
    }, { timeout: 60_000 }).toBeGreaterThan(counts.all / 2 - 200);
    console.log(`queue deep scroll to the middle: ${Date.now() - t0} ms`);
    const rows = await page.locator('.qbody .qrow').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    expect(Math.min(...rows)).toBeGreaterThan(counts.all / 2 - 200);
    await screenshot(page, 'queue-100k-middle');
  });
});
