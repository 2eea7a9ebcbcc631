// The queue asks for its rows (cases.page) and their total (cases.count) apart, so the rows show
// before the count. While the count is outstanding the page must not pass the first page's length
// off as the total: it says "Counting…" and the table's row count is unknown (aria-rowcount -1);
// once counted it shows the true total. The count is held back by a Playwright route until the rows
// are on screen (an order, not a time), then released.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { createApp } from '../../shared/app/app';
import { loadDemoDataIfEmpty } from '../../shared/app/demo-data';
import { generateCases } from '../support/bulk-cases';
import { useConsole } from './console-harness';

const COUNT = 500;

describe('console: the queue while its total is being counted', () => {
  const counts: Record<string, number> = {};
  const con = useConsole({
    args: ['--no-demo'],
    prepare: async (dataDir) => {
      const app = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') }, runEngine: true });
      await loadDemoDataIfEmpty(app);
      await generateCases(app, COUNT);
      const q = async (sql: string) => Number((await app.ctx.db.get<{ n: number }>(sql))!.n);
      counts.all = await q('SELECT COUNT(*) AS n FROM cases');
      counts.closed = await q("SELECT COUNT(*) AS n FROM cases WHERE status = 'closed'");
      await app.close();
    },
  });
  let page: Page;
  beforeAll(() => { page = con.page; });

  const countEl = () => page.getByTestId('queue-count');
  const table = () => page.getByRole('table', { name: 'Cases' });
  const countText = (n: number) => `${n.toLocaleString('en-US')} case${n === 1 ? '' : 's'}`;

  /** Holds every cases.count request until released; counts the requests seen. */
  async function holdCounts(): Promise<{ held: Route[]; seen: () => number; release: () => Promise<void> }> {
    const held: Route[] = [];
    let seen = 0;
    await page.route('**/api/cases.count', (route) => { seen += 1; held.push(route); });
    return {
      held, seen: () => seen,
      release: async () => {
        await page.unroute('**/api/cases.count');
        // A request of a document the reload replaced can no longer be continued: nothing waits for it.
        for (const r of held.splice(0)) await r.continue().catch(() => undefined);
      },
    };
  }

  it('shows the first rows with "Counting…" and no row count, then the true total', async () => {
    expect(counts.all).toBeGreaterThan(100); // more than one page: the first page alone does not tell the total
    const hold = await holdCounts();
    await page.reload();
    await page.locator('.qbody .case-link').first().waitFor();
    await expect.poll(() => hold.seen()).toBeGreaterThan(0);
    await expect.poll(() => countEl().textContent()).toBe('Counting…');
    await expect.poll(() => table().getAttribute('aria-rowcount')).toBe('-1');
    expect(await page.locator('.qbody .case-link').count()).toBeGreaterThan(0);
    await hold.release();
    await countEl().filter({ hasText: new RegExp(`^${countText(counts.all)}$`, 'u') }).waitFor();
    await expect.poll(() => table().getAttribute('aria-rowcount')).toBe(String(counts.all + 1));
  });

  it('a filter change counts again: the old total is never shown for the new filter', async () => {
    const hold = await holdCounts();
    await page.locator('#q-status').selectOption('closed');
    await expect.poll(() => hold.seen()).toBeGreaterThan(0);
    await expect.poll(() => countEl().textContent()).toBe(counts.closed > 100 ? 'Counting…' : countText(counts.closed));
    await hold.release();
    await countEl().filter({ hasText: new RegExp(`^${countText(counts.closed)}$`, 'u') }).waitFor();
    expect(await page.locator('.qbody .case-link').count()).toBeGreaterThan(0);
  });
});
