// Handlers of the console-only operations (shared/app/contract/console.ts).
import type { Handlers } from '../api';
import type { consoleContract } from '../contract/console';
import { contract } from '../contract';
import type { AppContext } from '../context';
import { localDate, todayByJurisdiction, todayByZone } from '../../domain/deadlines';
import { dashboardFrom, type StatRow } from '../console-stats';
import { storeDocument } from '../documents';
import { sendDueSoonDigest } from '../services/due-soon';
import { ApiNotFoundError } from '../api';
import { maskRow, maskValue } from '../../domain/display-mask';
import type { DiscoveryResult } from '../../domain/discovery';

/** The parts of the data-map service (ctx.services.datamap) the case screen's views read. */
interface DatamapViews {
  discoveryResult(id: string): Promise<DiscoveryResult | null>;
  reviewItems(id: string): Promise<Array<{ itemId: string; system: string; collection: string; kind: string; reason: string }>>;
  itemId(system: string, collection: string, key: Record<string, unknown>): string;
  plan(id: string): Promise<{ type: string; collections: Array<{ system: string; collection: string; updateKind: string; updates: Array<{ set: Record<string, unknown>; original?: Record<string, unknown> }> }> } | null>;
}

/** "also another person's: linked to X" -> "X" (the words ownership gave; never a value). */
function otherOf(reason: string): string | null {
  const m = /another person's:?\s*(.*)$/u.exec(reason);
  if (!m) return null;
  const who = m[1]!.replace(/^linked to\s+/u, '').replace(/^another person's\s+/u, 'their ').trim();
  return who || 'another person';
}

/**
 * Every case row with only the columns the figures need, in one query (no snapshots parsed: at
 * 100k cases this is the difference between seconds and a few hundred ms).
 */
async function statRows(ctx: AppContext): Promise<StatRow[]> {
  const rows = await ctx.db.all<{ type: string; status: string; jurisdiction: string; received_at: string; closed_at: string | null; updated_at: string; respond_by: string }>(
    'SELECT type, status, jurisdiction, received_at, closed_at, updated_at, respond_by FROM cases');
  return rows.map((r) => ({
    type: r.type as StatRow['type'], status: r.status as StatRow['status'], jurisdiction: r.jurisdiction as StatRow['jurisdiction'],
    receivedAt: r.received_at, closedAt: r.closed_at, updatedAt: r.updated_at, respondBy: r.respond_by,
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
    'digest.dueSoon': async ({ days, dryRun }, meta) => sendDueSoonDigest(ctx, meta.actor, days, dryRun),
    'console.reviewRows': async ({ id }) => {
      if (!(await ctx.cases.get(id))) throw new ApiNotFoundError(`no case ${id}`);
      const dm: DatamapViews | undefined = ctx.services.datamap;
      if (!dm) return { items: [] };
      const [items, result] = await Promise.all([dm.reviewItems(id), dm.discoveryResult(id)]);
      const rows = new Map<string, { values: Record<string, unknown>; categories: Record<string, string> }>();
      for (const c of result?.collections ?? []) for (const r of c.rows) rows.set(dm.itemId(c.system, c.collection, r.key), r);
      return {
        items: items.map((i) => {
          const r = rows.get(i.itemId);
          return { itemId: i.itemId, values: r ? maskRow(r.values, r.categories) : {}, otherPerson: i.kind === 'exempt' ? null : otherOf(i.reason) };
        }),
      };
    },
    'console.planWrites': async ({ id }) => {
      const stored = await ctx.cases.get(id);
      if (!stored) throw new ApiNotFoundError(`no case ${id}`);
      const dm: DatamapViews | undefined = ctx.services.datamap;
      const plan = dm ? await dm.plan(id) : null;
      if (!plan) return { type: null, writes: [] };
      const result = await dm!.discoveryResult(id);
      const categoryOf = new Map<string, string>();
      for (const c of result?.collections ?? []) for (const r of c.rows) for (const [f, cat] of Object.entries(r.categories)) categoryOf.set(`${c.system}/${c.collection}/${f}`, cat);
      const writes = plan.collections.filter((c) => c.updateKind === 'updated' && c.updates.length).map((c) => {
        const fields = new Map<string, { to: string; from: Set<string> }>();
        for (const u of c.updates) {
          for (const [f, v] of Object.entries(u.set)) {
            const cat = categoryOf.get(`${c.system}/${c.collection}/${f}`);
            // The new value is the staff's own input (correct) or a flag: shown; what it replaces is the consumer's data: masked.
            const e = fields.get(f) ?? { to: v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v), from: new Set<string>() };
            e.from.add(maskValue(cat, u.original?.[f] ?? null));
            fields.set(f, e);
          }
        }
        return { system: c.system, collection: c.collection, rows: c.updates.length, fields: [...fields].map(([field, e]) => ({ field, to: e.to, from: [...e.from].slice(0, 5) })) };
      });
      return { type: stored.type, writes };
    },
    'documents.upload': async (doc, meta) => {
      if (doc.caseId !== undefined && !(await ctx.cases.get(doc.caseId))) throw new ApiNotFoundError(`no case ${doc.caseId}`);
      const stored = await storeDocument(ctx, doc);
      await ctx.audit.append({ caseId: doc.caseId ?? null, actor: meta.actor, action: 'document.stored', detail: { id: stored.id, kind: doc.kind, mediaType: doc.mediaType, bytes: stored.bytes, sha256: stored.sha256 } }, ctx.clock());
      return stored;
    },
  };
}
