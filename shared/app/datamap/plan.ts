// plan: a case's plan from its discovery, the systems' live schemas (nullability, types and lengths
// for masking), the case's options (categories, corrections) and the staff review decisions.
// ./plan-rows.ts decides row by row; this file gathers what it needs. A dry run plans the same way.
import type { CaseType } from '../../domain/case';
import type { DiscoveryResult } from '../../domain/discovery';
import type { CaseOptions } from '../../store/datamap-repo';
import type { CollectionSchema, DataSource } from '../../adapters/port';
import { buildPlan, type Plan, type PlanSystem, type ReviewDecision } from './plan-rows';
import { safeError, type Registry } from './registry';
import { decisionsOf } from './review';

export type SystemErrors = Array<{ system: string; error: string }>;

/** Registered systems by name (Registry.byName), read once by a step that plans and then applies or checks. */
export type SystemsByName = Awaited<ReturnType<Registry['byName']>>;

/**
 * Live schemas of the systems a result covers (read again unless the walk just read them). `known`:
 * the registered systems the caller already read (the same snapshot for its plan and its changes).
 */
export async function planSystems(reg: Registry, result: DiscoveryResult, live?: Map<string, CollectionSchema[]>, known?: SystemsByName): Promise<{ systems: PlanSystem[]; errors: SystemErrors }> {
  const regs = known ?? await reg.byName();
  const out: PlanSystem[] = [];
  const errors: SystemErrors = [];
  for (const name of result.systems) {
    const sys = regs.get(name);
    if (!sys) { errors.push({ system: name, error: 'system is no longer registered' }); continue; }
    let schema = live?.get(name);
    if (!schema) {
      let src: DataSource | null = null;
      try { src = await reg.open(sys.connection, name); schema = await src.introspect(); }
      catch (e) { errors.push({ system: name, error: safeError(e) }); continue; }
      finally { await src?.close().catch(() => undefined); }
    }
    out.push({ name, map: sys.map, live: schema, engine: sys.connection.engine });
  }
  return { systems: out, errors };
}

export function planFrom(reg: Registry, result: DiscoveryResult, systems: PlanSystem[], type: CaseType, options: CaseOptions, decisions: Map<string, ReviewDecision>): Promise<Plan> {
  return buildPlan(result, systems, {
    type, categories: options.categories, corrections: options.corrections, decisions,
    itemId: (s, c, k) => reg.itemId(s, c, k),
    keyedHash: (v) => reg.ctx.crypto.keyedHash('mask', v),
  });
}

/** Everything the plan of a stored case stands on, and the plan. */
export async function planOfCase(reg: Registry, caseId: string, type: CaseType, result: DiscoveryResult, regs?: SystemsByName): Promise<{ systems: PlanSystem[]; errors: SystemErrors; options: CaseOptions; plan: Plan }> {
  const { systems, errors } = await planSystems(reg, result, undefined, regs);
  const options = await reg.repo.options(caseId);
  const plan = await planFrom(reg, result, systems, type, options, await decisionsOf(reg, caseId));
  return { systems, errors, options, plan };
}

/** The plan of a case (dry run): what execution would change and what it keeps. */
export async function planCase(reg: Registry, caseId: string): Promise<Plan | null> {
  const stored = await reg.ctx.cases.get(caseId);
  const result = await reg.repo.discovery(caseId);
  if (!stored || !result) return null;
  return (await planOfCase(reg, caseId, stored.type, result)).plan;
}
