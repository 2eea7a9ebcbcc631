// Handlers of the console-only operations (shared/app/contract/console.ts).
import type { Handlers } from '../api';
import type { consoleContract } from '../contract/console';
import { contract } from '../contract';
import type { AppContext } from '../context';
import { localDate } from '../../domain/deadlines';
import { dashboardFrom, type StatRow } from '../console-stats';

const PAGE = 5000;

/** Every case row, read page by page (only the columns the figures need are kept). */
async function statRows(ctx: AppContext): Promise<StatRow[]> {
  const rows: StatRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await ctx.cases.list({ sort: 'id', order: 'asc', offset, limit: PAGE });
    for (const c of items) rows.push({ type: c.type, status: c.status, receivedAt: c.receivedAt, closedAt: c.closedAt, respondBy: c.respondBy });
    if (items.length < PAGE) break;
  }
  return rows;
}

export function consoleHandlers(ctx: AppContext): Handlers<typeof consoleContract> {
  return {
    'console.ops': async () => ({ ops: Object.keys(contract).sort() }),
    'console.dashboard': async ({ year }) => {
      const now = ctx.clock();
      const today = localDate(now, 'CA');
      return dashboardFrom(await statRows(ctx), today, year ?? now.getUTCFullYear(), now);
    },
  };
}
