// Handlers of the console-only operations (shared/app/contract/console.ts).
import type { Handlers } from '../api';
import type { consoleContract } from '../contract/console';
import { contract } from '../contract';
import type { AppContext } from '../context';
import { localDate, todayByJurisdiction, todayByZone } from '../../domain/deadlines';
import { dashboardFrom, type StatRow } from '../console-stats';
import { contextOf } from '../engine';
import type { StoredCase } from '../../store/ports';
import { storeDocument } from '../documents';

/**
 * Every case row with only the columns the figures need, in one query (no snapshots parsed: at
 * 100k cases this is the difference between seconds and a few hundred ms); the denial reason is
 * read from the snapshot of denied cases only.
 */
async function statRows(ctx: AppContext): Promise<StatRow[]> {
  const rows = await ctx.db.all<{ id: string; type: string; status: string; jurisdiction: string; received_at: string; closed_at: string | null; updated_at: string; respond_by: string }>(
    'SELECT id, type, status, jurisdiction, received_at, closed_at, updated_at, respond_by FROM cases');
  const denied = new Map<string, StatRow['denialReason']>();
  if (rows.some((r) => r.status === 'denied')) {
    const snaps = await ctx.db.all<{ id: string; snapshot: string }>("SELECT id, snapshot FROM cases WHERE status = 'denied'");
    for (const { id, snapshot } of snaps) {
      const stored = { snapshot: typeof snapshot === 'string' ? JSON.parse(snapshot) as unknown : snapshot } as StoredCase;
      denied.set(id, contextOf(stored).denial?.reason ?? null);
    }
  }
  return rows.map((r) => ({
    type: r.type as StatRow['type'], status: r.status as StatRow['status'], jurisdiction: r.jurisdiction as StatRow['jurisdiction'],
    receivedAt: r.received_at, closedAt: r.closed_at, updatedAt: r.updated_at, respondBy: r.respond_by,
    denialReason: denied.get(r.id) ?? null,
  }));
}

export function consoleHandlers(ctx: AppContext): Handlers<typeof consoleContract> {
  return {
    'console.ops': async () => ({ ops: Object.keys(contract).sort() }),
    'console.dashboard': async ({ year }) => {
      const now = ctx.clock();
      const today = localDate(now, 'CA');
      const todayIn = Object.fromEntries(todayByJurisdiction(now).flatMap((g) => g.jurisdictions.map((j) => [j, g.date])));
      const figures = dashboardFrom(await statRows(ctx), today, year ?? Number(today.slice(0, 4)), now, todayIn);
      return { ...figures, at: now.toISOString(), todayByZone: todayByZone(now) };
    },
    'documents.upload': async (doc, meta) => {
      const stored = await storeDocument(ctx, doc);
      await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'document.stored', detail: { id: stored.id, kind: doc.kind, mediaType: doc.mediaType, bytes: stored.bytes, sha256: stored.sha256 } }, ctx.clock());
      return stored;
    },
  };
}
