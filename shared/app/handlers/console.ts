// Handlers of the console-only operations (shared/app/contract/console.ts).
import type { Handlers } from '../api';
import type { consoleContract } from '../contract/console';
import { contract } from '../contract';
import type { AppContext } from '../context';
import { localDate } from '../../domain/deadlines';
import { dashboardFrom, type StatRow } from '../console-stats';
import { contextOf } from '../engine';
import { storeDocument } from '../documents';

const PAGE = 5000;

/** Every case row, read page by page (only the columns the figures need are kept). */
async function statRows(ctx: AppContext): Promise<StatRow[]> {
  const rows: StatRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await ctx.cases.list({ sort: 'id', order: 'asc', offset, limit: PAGE });
    for (const c of items) {
      let denialReason: StatRow['denialReason'] = null;
      if (c.status === 'denied') denialReason = contextOf(c).denial?.reason ?? null;
      rows.push({
        type: c.type, status: c.status, jurisdiction: c.jurisdiction, receivedAt: c.receivedAt, closedAt: c.closedAt,
        updatedAt: c.updatedAt, respondBy: c.respondBy, denialReason,
      });
    }
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
    'documents.upload': async (doc, meta) => {
      const stored = await storeDocument(ctx, doc);
      await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'document.stored', detail: { id: stored.id, kind: doc.kind, mediaType: doc.mediaType, bytes: stored.bytes, sha256: stored.sha256 } }, ctx.clock());
      return stored;
    },
  };
}
