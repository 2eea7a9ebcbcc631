// find: a subject across every registered system (./find-system.ts walks one system), and the
// discovery step of a case. Failing systems are recorded as errors, the others' results kept; a
// retry of a case's discovery re-queries only the failed ones.
import { ccpaCategoryOf } from '../../domain/report/ccpa-categories';
import { covers } from '../../domain/categories';
import type { DiscoverySummary, StepRef } from '../context';
import type { Strategy } from '../../domain/case';
import { crossDatasetReferences } from '../../domain/datamap';
import type { CollectionResult, DiscoveryResult } from '../../domain/discovery';
import type { SystemRecord } from '../../store/datamap-repo';
import type { CollectionSchema, DataSource } from '../../adapters/port';
import { yieldIfDue } from '../../adapters/event-loop';
import { safeError, type Registry } from './registry';
import { subjectOf, type Subject } from './subject';
import { walkSystem } from './find-system';
import type { ReviewDecision } from './plan-rows';
import { decisionsOf, reviewItemsOf } from './review';

export interface Walked { result: DiscoveryResult; live: Map<string, CollectionSchema[]>; queries: number }

/**
 * Walk the given systems for a subject. Failing systems are recorded as errors. References across
 * datasets (Fides `dataset:` references) make one graph: the values of the subject's own rows in
 * one system seed the fields that reference them in another, both ways, and a system is walked
 * again while new values arrive (a few passes at most; each pass only adds values).
 */
export async function findAcross(reg: Registry, caseId: string, subject: Subject, strategy: Strategy, only?: Set<string>): Promise<Walked> {
  const at = reg.ctx.clock().toISOString();
  const systems = (await reg.systems()).filter((s) => !only || only.has(s.name));
  const live = new Map<string, CollectionSchema[]>();
  const bySystem = new Map<string, CollectionResult[]>();
  const errors = new Map<string, string>();
  let queries = 0;
  const byDataset = new Map(systems.map((s) => [s.map.dataset, s]));
  // system -> "collection\0field" -> values (text key -> value) from other datasets
  const external = new Map<string, Map<string, Map<string, unknown>>>();
  const seedsFor = (sys: SystemRecord) => [...(external.get(sys.name) ?? new Map<string, Map<string, unknown>>())].map(([k, vals]) => {
    const [collection, field] = k.split('\u0000') as [string, string];
    return { collection, field, values: [...vals.values()], via: `reference:${k.replace('\u0000', '.')} (another dataset)` };
  });
  let dirty = new Set(systems.map((s) => s.name));
  for (let pass = 0; pass < 6 && dirty.size; pass += 1) {
    for (const sys of systems) {
      if (!dirty.has(sys.name)) continue;
      await yieldIfDue();
      let source: DataSource | null = null;
      try {
        source = await reg.open(sys.connection, sys.name);
        const w = await walkSystem(source, sys.map, subject, { strategy, legalHold: sys.legalHold, external: seedsFor(sys) });
        queries += w.queries;
        live.set(sys.name, w.live);
        bySystem.set(sys.name, w.collections.map((c) => ({ ...c, system: sys.name })));
        errors.delete(sys.name);
      } catch (e) {
        errors.set(sys.name, safeError(e));
        bySystem.delete(sys.name);
      } finally {
        await source?.close().catch(() => undefined);
      }
    }
    // Values crossing datasets, from the subject's own rows (never another person's or shared ones).
    const next = new Set<string>();
    const add = (target: SystemRecord, collection: string, field: string, v: unknown) => {
      if (v === null || v === undefined) return;
      const k = `${collection}\u0000${field}`;
      const m = external.get(target.name) ?? new Map<string, Map<string, unknown>>();
      external.set(target.name, m);
      const vals = m.get(k) ?? new Map<string, unknown>();
      m.set(k, vals);
      const key = String(v);
      if (!vals.has(key)) { vals.set(key, v); next.add(target.name); }
    };
    for (const sys of systems) {
      for (const ref of crossDatasetReferences(sys.map)) {
        const other = byDataset.get(ref.to.dataset);
        if (!other || other.name === sys.name) continue;
        for (const c of bySystem.get(other.name) ?? []) if (c.collection === ref.to.collection) {
          for (const r of c.rows) if (!r.other && !r.shared) add(sys, ref.from.collection, ref.from.field, r.values[ref.to.field]);
        }
        for (const c of bySystem.get(sys.name) ?? []) if (c.collection === ref.from.collection) {
          for (const r of c.rows) if (!r.other && !r.shared) add(other, ref.to.collection, ref.to.field, r.values[ref.from.field]);
        }
      }
    }
    dirty = next;
  }
  const result: DiscoveryResult = { caseId, strategy, at, collections: [], errors: [], systems: [] };
  for (const sys of systems) {
    const cols = bySystem.get(sys.name);
    if (cols) { result.collections.push(...cols); result.systems.push(sys.name); }
    const err = errors.get(sys.name);
    if (err) result.errors.push({ system: sys.name, error: err, at });
  }
  return { result, live, queries };
}

function countsOf(reg: Registry, result: DiscoveryResult, decisions: Map<string, ReviewDecision>): DiscoverySummary {
  let rows = 0; let review = 0; let exempt = 0;
  for (const c of result.collections) for (const r of c.rows) {
    if (r.other) continue; // another person's row: listed for staff, not this person's data
    rows += 1;
    if (r.exempt) exempt += 1;
    else if (r.shared && (decisions.get(reg.itemId(c.system, c.collection, r.key)) ?? 'pending') === 'pending') review += 1;
  }
  return { rows, review, exempt, errors: result.errors.length };
}

/** Discovery of a case: stored encrypted with its review list. A retry re-queries only failed systems. */
/**
 * The subject's rows a deletion would reach that hold a field of CCPA category L (sensitive
 * personal information). Another person's rows and exempt rows (kept by law) are not erased, so
 * they do not count; a delete_pii limited to some categories counts only fields of those.
 */
export function sensitiveRows(result: DiscoveryResult, categories?: readonly string[]): number {
  const only = categories && categories.length ? categories : null;
  const erased = (cat: string) => !only || only.some((t) => covers(t, cat));
  return result.collections.reduce((n, c) => n + c.rows.filter((r) => !r.other && !r.exempt
    && Object.values(r.categories).some((cat) => ccpaCategoryOf(cat) === 'L' && erased(cat))).length, 0);
}

/** On by default (11 CCR §7062(d)); PRIVACY_DESK_SENSITIVE_DELETION_LEVEL=reasonable turns it off. */
function sensitiveDeletionNeedsHigh(): boolean {
  return (process.env.PRIVACY_DESK_SENSITIVE_DELETION_LEVEL ?? 'high').trim().toLowerCase() !== 'reasonable';
}

export async function discoverCase(reg: Registry, caseId: string, step?: StepRef): Promise<DiscoverySummary> {
  const { ctx, repo } = reg;
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  const ids = await ctx.cases.identities(caseId);
  const previous = await repo.discovery(caseId);
  const retryOnly = previous && previous.errors.length ? new Set(previous.errors.map((e) => e.system)) : undefined;
  const w = await findAcross(reg, caseId, subjectOf(ids), stored.strategy, retryOnly);
  let result = w.result;
  if (previous && retryOnly) {
    const kept: CollectionResult[] = previous.collections.filter((c) => !retryOnly.has(c.system));
    result = { ...result, collections: [...kept, ...result.collections], systems: [...previous.systems, ...result.systems] };
  }
  const items = reviewItemsOf(reg, caseId, result);
  const counts = countsOf(reg, result, await decisionsOf(reg, caseId));
  // Rows holding sensitive personal information (category L): a deletion of them needs the high
  // level (11 CCR §7062(d); the case machine raises it). PRIVACY_DESK_SENSITIVE_DELETION_LEVEL=reasonable
  // opts out (a business that documents a reasonable level as enough for its data).
  const only = stored.type === 'delete_pii' ? (await repo.options(caseId)).categories : undefined;
  const sensitive = sensitiveDeletionNeedsHigh() ? sensitiveRows(result, only) : 0;
  const summary = sensitive ? { ...counts, sensitive } : counts;
  const at = ctx.clock();
  await ctx.db.tx(async () => {
    await repo.putDiscovery(result, summary, items);
    if (step && !(await ctx.steps.get(caseId, step.key))) await ctx.steps.complete(caseId, step.key, summary, at);
    await ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.discovered', detail: { ...summary, systems: result.systems.length, failedSystems: result.errors.map((e) => e.system), retry: !!retryOnly, queries: w.queries } }, at);
  });
  return summary;
}
