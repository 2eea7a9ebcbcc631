// apply: execute the plan of a case, one transaction per system, and the batch erasure of many
// subjects (ledger replay). Per system, in the case store: the deletion-ledger entries from the plan
// BEFORE the change (idempotent, so a crash after the store's commit still leaves them), then the
// counts the store reported it applied, the outcome (planned beside applied, kept with reasons) and
// the audit entry in one transaction after it. A re-run of the same step (after a crash) skips the
// systems it already recorded.
import type { ExecuteSummary, StepRef } from '../context';
import type { Strategy } from '../../domain/case';
import type { ChangeCount } from '../../store/datamap-repo';
import type { AppliedCounts, DataSource, RowChange } from '../../adapters/port';
import { yieldIfDue } from '../../adapters/event-loop';
import { safeError, type Registry, type SourceOpener } from './registry';
import { mergeSubjects, type Subject } from './subject';
import { discoverCase, findAcross } from './find';
import { planFrom, planOfCase, planSystems, type SystemErrors } from './plan';
import { changesOf } from './plan-rows';
import { identityHashes } from './ledger';
import { keyId, readByKeys } from './verify-rows';

/** Apply a system's changes through a lease on its source (closed whatever happens). */
async function applyTo(open: () => ReturnType<SourceOpener>, changes: RowChange[], after?: (src: DataSource, applied: AppliedCounts) => Promise<void>): Promise<AppliedCounts> {
  let src: DataSource | null = null;
  try {
    src = await open();
    const applied = await src.apply(changes);
    await after?.(src, applied);
    return applied;
  } finally {
    await src?.close().catch(() => undefined);
  }
}

/** Execute the plan of a case (the `execute` step). A failing system stops the case after the others ran. */
export async function executeCase(reg: Registry, caseId: string, step?: StepRef): Promise<ExecuteSummary> {
  const { ctx, repo } = reg;
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  if (stored.type === 'access') return { deleted: 0, masked: 0, updated: 0, errors: 0 };
  let result = await repo.discovery(caseId);
  if (!result) { await discoverCase(reg, caseId); result = (await repo.discovery(caseId))!; }
  // One read of the registered systems for the plan and the changes (the same snapshot).
  const regs = await reg.byName();
  const { systems, errors, options, plan } = await planOfCase(reg, caseId, stored.type, result, regs);
  if (stored.type === 'limit' && systems.length && plan.missingControls.length === systems.length) {
    throw new Error('no system mapped for limiting: no collection of any system declares a limit control (a field or flag that stops sensitive-use processing); staff must apply the limit and record it');
  }
  if (stored.type === 'correct' && !Object.keys(options.corrections ?? {}).length) {
    throw new Error('no correction recorded: say which category holds what new value (request correct … --set category=value) before the change is run');
  }
  const failed: string[] = errors.map((e) => e.system);
  const ids = await ctx.cases.identities(caseId);
  const stepKey = step?.key ?? 'execute';
  const previous = new Map((await repo.changes(caseId)).map((c) => [`${c.system}\u0000${c.collection}`, c]));
  const erasing = stored.type === 'delete' || stored.type === 'delete_pii';
  const erasure = stored.type === 'delete' ? 'delete' : `delete_pii:${plan.categories.join(',')}`;
  // Systems an earlier attempt started on and never recorded (a crash between a store's commit and
  // our record of it, or a failure after it): their deletions may already have happened.
  const started = new Set<string>();
  for (const e of await ctx.audit.forCase(caseId)) {
    if (e.action === 'datamap.system.applying') started.add(String(e.detail.system));
    else if (e.action === 'datamap.system.executed') started.delete(String(e.detail.system));
  }
  for (const sys of systems) {
    await yieldIfDue();
    const mine = plan.collections.filter((x) => x.system === sys.name);
    if (mine.length && mine.every((c) => (previous.get(`${sys.name}\u0000${c.collection}`)?.outcome as { step?: string } | null | undefined)?.step === stepKey)) continue; // done before a crash
    const changes = changesOf(plan, sys.name);
    const resumed = started.has(sys.name);
    if (changes.length) {
      // The ledger from the plan and the intent, before the change: a crash after the store's
      // commit still leaves both (the ledger is idempotent).
      const ledger = erasing ? identityHashes(ctx, stored.type === 'delete' ? ids : null, plan, result, sys.name, sys.map).map((h) => ({ ...h, system: sys.name, caseId, erasure })) : [];
      const at0 = ctx.clock();
      await ctx.db.tx(async () => {
        if (ledger.length) await repo.addLedger(ledger, at0);
        await ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.system.applying', detail: { system: sys.name, step: stepKey, changes: changes.length, resumed } }, at0);
      });
    }
    let applied: AppliedCounts = { deleted: 0, updated: 0, byCollection: {} };
    if (changes.length) {
      try {
        applied = await applyTo(() => reg.open(regs.get(sys.name)!.connection, sys.name), changes, async (src, a) => {
          if (!resumed) return;
          // An earlier attempt of this step may have deleted rows before it died: count the planned
          // deletions the store no longer holds (read again), not what this attempt deleted.
          for (const c of mine) {
            if (!c.deletes.length) continue;
            const still = await readByKeys(src, c.collection, c.deletes);
            const gone = c.deletes.filter((k) => !still.has(keyId(k))).length;
            const n = a.byCollection[c.collection] ?? { deleted: 0, updated: 0 };
            a.byCollection[c.collection] = { ...n, deleted: Math.max(n.deleted, gone) };
          }
        });
      } catch (e) {
        failed.push(sys.name);
        await ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.execute.failed', detail: { system: sys.name, error: safeError(e) } }, ctx.clock());
        continue;
      }
    }
    const at = ctx.clock();
    const counts: ChangeCount[] = mine.map((c) => {
      const a = applied.byCollection[c.collection] ?? { deleted: 0, updated: 0 };
      const prev = previous.get(`${sys.name}\u0000${c.collection}`);
      // Rows deleted by an earlier run stay deleted (a later run cannot delete them again).
      const deleted = a.deleted + (prev && (prev.outcome as { step?: string } | null)?.step !== stepKey ? prev.deleted : 0);
      return {
        system: sys.name, dataset: c.dataset, collection: c.collection, deleted,
        masked: c.updateKind === 'masked' ? a.updated : 0, updated: c.updateKind === 'updated' ? a.updated : 0,
        setAside: c.setAside.length, exempt: c.exempt.length, at: at.toISOString(),
        outcome: {
          planned: { deleted: c.deletes.length, masked: c.updateKind === 'masked' ? c.updates.length : 0, updated: c.updateKind === 'updated' ? c.updates.length : 0 },
          kept: [...c.kept, ...(plan.missingControls.includes(sys.name) && c === mine[0] ? [{ kind: 'no_control' as const, reason: 'no limit control mapped in this system', rows: 0 }] : [])],
          categories: c.categories, fields: c.fields, step: stepKey,
        } as ChangeCount['outcome'],
      };
    });
    await ctx.db.tx(async () => {
      await repo.putChanges(caseId, counts);
      await ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.system.executed', detail: {
        system: sys.name, deleted: applied.deleted, updated: applied.updated,
        planned: { deleted: mine.reduce((n, c) => n + c.deletes.length, 0), updated: mine.reduce((n, c) => n + c.updates.length, 0) },
        kept: mine.reduce((n, c) => n + c.kept.reduce((m, k) => m + k.rows, 0), 0),
      } }, at);
    });
  }
  const recorded = await repo.changes(caseId);
  const totals = {
    deleted: recorded.reduce((n, c) => n + c.deleted, 0), masked: recorded.reduce((n, c) => n + c.masked, 0),
    updated: recorded.reduce((n, c) => n + c.updated, 0), errors: failed.length,
  };
  const at = ctx.clock();
  await ctx.db.tx(async () => {
    if (!failed.length && step && !(await ctx.steps.get(caseId, step.key))) await ctx.steps.complete(caseId, step.key, totals, at);
    await ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.executed', detail: { ...totals, planned: plan.totals, setAside: plan.totals.setAside, exempt: plan.totals.exempt, failedSystems: failed } }, at);
  });
  // A system whose change failed stops the case here (staff retry it: the plan is applied again,
  // which changes nothing twice, and deletions an attempt made before it failed are counted by
  // reading the store again).
  if (failed.length) throw new Error(`the change failed in ${failed.join(', ')}: see the case's audit log; retry when the system is reachable`);
  return totals;
}

export interface BatchResult { deleted: number; masked: number; errors: SystemErrors; setAside: number; exempt: number }

/**
 * Batch erasure for many subjects: one walk per system for all of them (set-based queries per
 * collection), one plan, one transaction per system. Returns counts; used by ledger replay.
 */
export async function eraseBatch(reg: Registry, subjects: Subject[], type: 'delete' | 'delete_pii', strategy: Strategy = 'exact', only?: Set<string>, categories?: string[]): Promise<BatchResult> {
  const w = await findAcross(reg, 'batch', mergeSubjects(subjects), strategy, only);
  const { systems, errors } = await planSystems(reg, w.result, w.live);
  const plan = await planFrom(reg, w.result, systems, type, { categories }, new Map());
  const regs = await reg.byName();
  const errs = [...w.result.errors.map((e) => ({ system: e.system, error: e.error })), ...errors];
  let deleted = 0; let masked = 0;
  for (const sys of systems) {
    const changes = changesOf(plan, sys.name);
    if (!changes.length) continue;
    try {
      const r = await applyTo(() => reg.open(regs.get(sys.name)!.connection, sys.name), changes);
      deleted += r.deleted; masked += r.updated;
    } catch (e) {
      errs.push({ system: sys.name, error: safeError(e) });
    }
  }
  return { deleted, masked, errors: errs, setAside: plan.totals.setAside, exempt: plan.totals.exempt };
}
