// Console queue at scale, in Chromium: first paint of the queue and filter/sort times with 100k
// cases (server-side paging + virtualised rows), against the obvious alternative: load every case
// into the page and filter/sort there. Run: npx tsx bench/console-queue.ts
// Env: PD_BENCH_CASES (default 100000), PD_BENCH_RUNS (default 5).
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { createApp } from '../shared/app/app';
import { loadDemoDataIfEmpty } from '../shared/app/demo-data';
import { startWebServer } from '../server/web-server';
import { generateCases } from '../test/support/bulk-cases';
import { ROOT, ensureRendererBuilt, launchBrowser, removeDir, tempDataDir } from '../test/e2e/console-harness';

const CASES = Number(process.env.PD_BENCH_CASES ?? 100_000);
const RUNS = Number(process.env.PD_BENCH_RUNS ?? 5);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  ensureRendererBuilt();
  const dataDir = tempDataDir('pd-bench-');
  const app = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') } });
  await loadDemoDataIfEmpty(app);
  const gen = await generateCases(app, CASES);
  console.log(`cases: ${(CASES + 14).toLocaleString('en-US')} (generated ${gen.inserted.toLocaleString('en-US')} in ${gen.ms} ms, ${Math.round(gen.inserted / (gen.ms / 1000)).toLocaleString('en-US')} rows/s)`);
  const web = await startWebServer({ backend: app, staticDir: join(ROOT, 'renderer', 'dist'), actor: `staff:${userInfo().username}`, port: 0 });
  const browser = await launchBrowser();
  try {
    // 1. First paint of the queue (fresh page each run): FCP and time until the first rows show.
    const fcp: number[] = []; const rowsShown: number[] = []; let heapPaged = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(web.url);
      await page.locator('.qbody .case-link').first().waitFor();
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        return { fcp: paint ? paint.startTime : NaN, now: performance.now() - (nav?.startTime ?? 0), heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0 };
      });
      fcp.push(t.fcp); rowsShown.push(t.now); heapPaged = t.heap;
      await page.close();
    }
    console.log(`first paint (server paging): FCP ${fmt(fcp)}; first rows ${fmt(rowsShown)}; JS heap ${mb(heapPaged)}`);

    // 2. Filter/sort in the UI: action -> count updated and first row shown.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(web.url);
    await page.locator('.qbody .case-link').first().waitFor();
    const ops: Array<[string, () => Promise<unknown>]> = [
      ['status=closed', () => page.locator('#q-status').selectOption('closed')],
      ['type=delete', () => page.locator('#q-type').selectOption('delete')],
      ['sort received', () => page.getByRole('button', { name: 'Sort by Received' }).click()],
      ['clear', () => page.getByRole('button', { name: 'Clear' }).click()],
      ['status=in_review', () => page.locator('#q-status').selectOption('in_review')],
      ['sort case id', () => page.getByRole('button', { name: 'Sort by Case' }).click()],
      ['clear', () => page.getByRole('button', { name: 'Clear' }).click()],
    ];
    const uiTimes: number[] = [];
    const pageTimes: number[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      for (const [, act] of ops) {
        const t0 = performance.now();
        await act();
        await page.waitForFunction(() => {
          const el = document.querySelector('[data-testid="queue-count"]');
          return !!el && !/Loading/u.test(el.textContent ?? '');
        });
        await page.locator('.qbody .case-link').first().waitFor();
        uiTimes.push(performance.now() - t0);
        const inPage = Number(await page.getByTestId('queue-count').getAttribute('data-filter-ms'));
        if (Number.isFinite(inPage) && inPage > 0) pageTimes.push(inPage);
      }
    }
    console.log(`filter/sort in the UI (server paging, ${RUNS * ops.length} actions): driven by Playwright ${fmt(uiTimes)}; in the page (query change -> rows fetched) ${fmt(pageTimes)}`);

    // 3. API alone: one page of a filtered, sorted query.
    const apiTimes: number[] = [];
    const queries = [{ status: 'closed' }, { type: 'delete', sort: 'receivedAt' }, { sort: 'id', order: 'desc' }, { overdue: true }, { search: 'PD-BULK-00123' }, {}, { offset: Math.floor(CASES / 2) }];
    for (let r = 0; r < RUNS; r += 1) {
      for (const q of queries) {
        const t0 = performance.now();
        await app.call('cases.list', { ...q, limit: 100 } as never, { actor: 'bench' });
        apiTimes.push(performance.now() - t0);
      }
    }
    console.log(`cases.list one page (server, ${apiTimes.length} queries): ${fmt(apiTimes)}`);

    // 4. The alternative: load every case into the page, then filter/sort there.
    const alt = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await alt.goto(web.url);
    await alt.locator('.qbody .case-link').first().waitFor();
    const all = await alt.evaluate(async (token) => {
      const t0 = performance.now();
      const rows: Array<{ id: string; status: string; type: string; receivedAt: string; deadlines: { respond: string } }> = [];
      for (let offset = 0; ; offset += 1000) {
        const r = await fetch('/api/cases.list', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ offset, limit: 1000, sort: 'id' }) });
        const { result } = await r.json() as { result: { items: typeof rows; total: number } };
        rows.push(...result.items);
        if (result.items.length < 1000) break;
      }
      const loadMs = performance.now() - t0;
      const times: number[] = [];
      const filters: Array<(x: (typeof rows)[number]) => boolean> = [(x) => x.status === 'closed', (x) => x.type === 'delete', () => true, (x) => x.status === 'in_review'];
      for (let r = 0; r < 5; r += 1) {
        for (const f of filters) {
          const s = performance.now();
          const out = rows.filter(f).sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
          if (out.length < 0) throw new Error('unreachable');
          times.push(performance.now() - s);
        }
      }
      const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
      return { loadMs, count: rows.length, times, heap };
    }, web.token);
    console.log(`alternative (all ${all.count.toLocaleString('en-US')} rows in the page): load ${all.loadMs.toFixed(0)} ms, JS heap ${mb(all.heap)}, filter+sort in JS ${fmt(all.times)}`);
    console.log(`ratio: time to a usable queue, all-rows / server paging = ${(all.loadMs / pct(rowsShown, 50)).toFixed(1)}x; page memory all-rows / paged = ${(all.heap / Math.max(1, heapPaged)).toFixed(1)}x; per-filter, server paging (UI, p50) / filtering all rows in the page (p50) = ${(pct(uiTimes, 50) / Math.max(0.1, pct(all.times, 50))).toFixed(1)}x (below 1: server paging is faster)`);
  } finally {
    await browser.close();
    await web.close();
    await app.close();
    removeDir(dataDir);
  }
}

await main();
