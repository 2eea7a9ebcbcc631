// The data-map service (ctx.services 'datamap'): registered systems, discovery of a case across
// every system (a failing system is recorded, the others' results kept; a retry re-queries only the
// failed ones), the plan, execution (one transaction per system), verification, review decisions,
// the deletion ledger and the CLI's JSON contract. Audit entries carry counts only.
import { randomUUID } from 'node:crypto';
import type { AppContext, CheckSummary, DiscoverySummary, ExecuteSummary, StepRef } from '../context';
import type { CaseType, Strategy } from '../../domain/case';
import { crossDatasetReferences, DataMapError, unsupportedFeatures, validateAgainstSchema, type DataMap } from '../../domain/datamap';
import type { CollectionResult, DiscoveryResult } from '../../domain/discovery';
import { normalizeEmail, normalizePhone, type Identities } from '../../domain/identity';
import { unifiedComplianceOverview, unifiedComplianceRows, type UcOverviewRow, type UcRow } from '../../domain/unified-compliance';
import { DatamapRepo, type CaseOptions, type ChangeCount, type CheckReport, type ReviewItem, type SystemConnection, type SystemRecord } from '../../store/datamap-repo';
import { checkErasure, keyId, readByKeys } from './erasure-check';
import { buildPlan, changesOf, type Plan, type PlanSystem, type ReviewDecision } from '../../adapters/plan';
import type { AppliedCounts, CollectionSchema, DataSource, Row } from '../../adapters/port';
import { openSqlSource, UnknownIdentifierError } from '../../adapters/sql-source';
import { SourcePool } from '../../adapters/source-pool';
import { openScaleEngine } from '../../adapters/lake/engines';
import { openMySqlSource } from '../../adapters/mysql/mysql-source';
import { mergeSubjects, subjectOf, walkSystem, type Subject } from '../../adapters/traversal';
import { takeTurn, turnDue, yieldIfDue } from '../../adapters/event-loop';

export const DATAMAP_SERVICE = 'datamap';

export type SourceOpener = (connection: SystemConnection, system: string) => Promise<DataSource>;

/** An error message safe to store and show: quoted values from drivers are masked, length bounded. */
export function safeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof DataMapError || e instanceof UnknownIdentifierError) return msg.slice(0, 500);
  return msg.replace(/'[^']*'/gu, "'…'").replace(/"[^"]{0,200}"/gu, (m) => (/^"[A-Za-z_][A-Za-z0-9_.]*"$/u.test(m) ? m : '"…"')).slice(0, 300);
}

export interface ContractOutput {
  caseId: string | null;
  status: string;
  dryRun?: boolean;
  results?: Record<string, Row[]>;
  changes?: Record<string, { deleted: number; masked: number; updated?: number }>;
  review: Array<{ collection: string; primaryKey: Row; reason: string; itemId?: string; decision?: string }>;
  exempt: Array<{ collection: string; primaryKey: Row; reason: string }>;
  errors: Array<{ system: string; error: string }>;
}

interface Walked { result: DiscoveryResult; live: Map<string, CollectionSchema[]> }

export class DatamapService {
  readonly repo: DatamapRepo;
  private readonly open: SourceOpener;
  private readonly pool: SourcePool<SystemConnection>;

  constructor(private readonly ctx: AppContext, opener?: SourceOpener) {
    this.repo = new DatamapRepo(ctx.db, ctx.crypto);
    const base: SourceOpener = opener ?? ((c) => (c.engine === 'sqlite' || c.engine === 'postgres' ? openSqlSource(c) : c.engine === 'mysql' ? openMySqlSource(c) : openScaleEngine(c.engine, c.config)));
    // Sources stay open between operations (closed by close()); a lease's close() is a no-op.
    this.pool = new SourcePool<SystemConnection>(base);
    this.open = (c, name) => this.pool.open(c, name);
  }

  /** Register (or replace) a system; the map is validated against the live schema first (read afresh). */
  async addSystem(s: { name: string; connection: SystemConnection; map: DataMap; legalHold?: string | null }, actor: string): Promise<SystemRecord> {
    // A kept source caches its schema: the database may have changed since (the reason to register again).
    this.pool.evict(s.name);
    const source = await this.open(s.connection, s.name);
    try {
      const live = await source.introspect();
      validateAgainstSchema(s.map, live);
      // A feature of the map this engine cannot honour is refused by name, never dropped.
      const refused = unsupportedFeatures(s.map, s.connection.engine, live);
      if (refused.length) throw new DataMapError(`data map ${s.map.dataset} cannot be honoured on ${s.connection.engine}: ${refused.join('; ')}`);
    } finally {
      await source.close();
    }
    const at = this.ctx.clock();
    await this.ctx.db.tx(async () => {
      await this.repo.putSystem({ name: s.name, connection: s.connection, map: s.map, legalHold: s.legalHold ?? s.map.legalHold ?? null }, at);
      await this.ctx.audit.append({ caseId: null, actor, action: 'datamap.system.registered', detail: { system: s.name, engine: s.connection.engine, dataset: s.map.dataset, collections: s.map.collections.length } }, at);
    });
    return (await this.repo.systems()).find((x) => x.name === s.name)!;
  }

  systems(): Promise<SystemRecord[]> { return this.repo.systems(); }

  itemId(system: string, collection: string, key: Row): string {
    return this.ctx.crypto.keyedHash('review-item', `${system}|${collection}|${JSON.stringify(key)}`).slice(0, 24);
  }

  /**
   * Walk the given systems for a subject. Failing systems are recorded as errors. References across
   * datasets (Fides `dataset:` references) make one graph: the values of the subject's own rows in
   * one system seed the fields that reference them in another, both ways, and a system is walked
   * again while new values arrive (a few passes at most; each pass only adds values).
   */
  async walk(caseId: string, subject: Subject, strategy: Strategy, only?: Set<string>): Promise<Walked & { queries: number }> {
    const at = this.ctx.clock().toISOString();
    const systems = (await this.repo.systems()).filter((s) => !only || only.has(s.name));
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
          source = await this.open(sys.connection, sys.name);
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

  private counts(result: DiscoveryResult, decisions: Map<string, ReviewDecision>): DiscoverySummary {
    let rows = 0; let review = 0; let exempt = 0;
    for (const c of result.collections) for (const r of c.rows) {
      if (r.other) continue; // another person's row: listed for staff, not this person's data
      rows += 1;
      if (r.exempt) exempt += 1;
      else if (r.shared && (decisions.get(this.itemId(c.system, c.collection, r.key)) ?? 'pending') === 'pending') review += 1;
    }
    return { rows, review, exempt, errors: result.errors.length };
  }

  /** Discovery of a case: stored encrypted with its review list. A retry re-queries only failed systems. */
  async discoverCase(caseId: string, step?: StepRef): Promise<DiscoverySummary> {
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new Error(`no case ${caseId}`);
    const ids = await this.ctx.cases.identities(caseId);
    const previous = await this.repo.discovery(caseId);
    const retryOnly = previous && previous.errors.length ? new Set(previous.errors.map((e) => e.system)) : undefined;
    const w = await this.walk(caseId, subjectOf(ids), stored.strategy, retryOnly);
    let result = w.result;
    if (previous && retryOnly) {
      const kept: CollectionResult[] = previous.collections.filter((c) => !retryOnly.has(c.system));
      result = { ...result, collections: [...kept, ...result.collections], systems: [...previous.systems, ...result.systems] };
    }
    const items: Omit<ReviewItem, 'decision' | 'decidedBy' | 'decidedAt'>[] = [];
    for (const c of result.collections) for (const r of c.rows) {
      if (r.exempt) items.push({ caseId, itemId: this.itemId(c.system, c.collection, r.key), system: c.system, dataset: c.dataset, collection: c.collection, kind: 'exempt', reason: r.exempt.reason });
      else if (r.shared) items.push({ caseId, itemId: this.itemId(c.system, c.collection, r.key), system: c.system, dataset: c.dataset, collection: c.collection, kind: 'shared', reason: r.shared.reason });
      else if (r.other) items.push({ caseId, itemId: this.itemId(c.system, c.collection, r.key), system: c.system, dataset: c.dataset, collection: c.collection, kind: 'other_person', reason: r.other.reason });
    }
    const decisions = await this.decisions(caseId);
    const summary = this.counts(result, decisions);
    const at = this.ctx.clock();
    await this.ctx.db.tx(async () => {
      await this.repo.putDiscovery(result, summary, items);
      if (step && !(await this.ctx.steps.get(caseId, step.key))) await this.ctx.steps.complete(caseId, step.key, summary, at);
      await this.ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.discovered', detail: { ...summary, systems: result.systems.length, failedSystems: result.errors.map((e) => e.system), retry: !!retryOnly, queries: w.queries } }, at);
    });
    return summary;
  }

  async discoveryResult(caseId: string): Promise<DiscoveryResult | null> {
    return this.repo.discovery(caseId);
  }

  private async decisions(caseId: string): Promise<Map<string, ReviewDecision>> {
    return new Map((await this.repo.reviewItems(caseId)).filter((i) => i.kind === 'shared').map((i) => [i.itemId, i.decision]));
  }

  async setOptions(caseId: string, options: CaseOptions): Promise<void> {
    await this.repo.setOptions(caseId, options);
  }

  /** Live schemas of the systems a result covers (for masking: nullability, types, lengths). */
  private async planSystems(result: DiscoveryResult, live?: Map<string, CollectionSchema[]>): Promise<{ systems: PlanSystem[]; errors: Array<{ system: string; error: string }> }> {
    const regs = new Map((await this.repo.systems()).map((s) => [s.name, s]));
    const out: PlanSystem[] = [];
    const errors: Array<{ system: string; error: string }> = [];
    for (const name of result.systems) {
      const sys = regs.get(name);
      if (!sys) { errors.push({ system: name, error: 'system is no longer registered' }); continue; }
      let schema = live?.get(name);
      if (!schema) {
        let src: DataSource | null = null;
        try { src = await this.open(sys.connection, name); schema = await src.introspect(); }
        catch (e) { errors.push({ system: name, error: safeError(e) }); continue; }
        finally { await src?.close().catch(() => undefined); }
      }
      out.push({ name, map: sys.map, live: schema, engine: sys.connection.engine });
    }
    return { systems: out, errors };
  }

  private planFrom(result: DiscoveryResult, systems: PlanSystem[], type: CaseType, options: CaseOptions, decisions: Map<string, ReviewDecision>): Promise<Plan> {
    return buildPlan(result, systems, {
      type, categories: options.categories, corrections: options.corrections, decisions,
      itemId: (s, c, k) => this.itemId(s, c, k),
      keyedHash: (v) => this.ctx.crypto.keyedHash('mask', v),
    });
  }

  /** The plan of a case (dry run): what execution would change and what it keeps. */
  async plan(caseId: string): Promise<Plan | null> {
    const stored = await this.ctx.cases.get(caseId);
    const result = await this.repo.discovery(caseId);
    if (!stored || !result) return null;
    const { systems } = await this.planSystems(result);
    return await this.planFrom(result, systems, stored.type, await this.repo.options(caseId), await this.decisions(caseId));
  }

  /**
   * Execute the plan of a case: one transaction per system. Per system, in the case store: the
   * deletion-ledger entries from the plan BEFORE the change (idempotent, so a crash after the
   * store's commit still leaves them), then the counts the store reported it applied, the outcome
   * (planned beside applied, kept with reasons) and the audit entry in one transaction after it.
   * A re-run of the same step (after a crash) skips the systems it already recorded.
   */
  async executeCase(caseId: string, step?: StepRef): Promise<ExecuteSummary> {
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new Error(`no case ${caseId}`);
    if (stored.type === 'access') return { deleted: 0, masked: 0, updated: 0, errors: 0 };
    let result = await this.repo.discovery(caseId);
    if (!result) { await this.discoverCase(caseId); result = (await this.repo.discovery(caseId))!; }
    const { systems, errors } = await this.planSystems(result);
    const options = await this.repo.options(caseId);
    const plan = await this.planFrom(result, systems, stored.type, options, await this.decisions(caseId));
    if (stored.type === 'limit' && systems.length && plan.missingControls.length === systems.length) {
      throw new Error('no system mapped for limiting: no collection of any system declares a limit control (a field or flag that stops sensitive-use processing); staff must apply the limit and record it');
    }
    if (stored.type === 'correct' && !Object.keys(options.corrections ?? {}).length) {
      throw new Error('no correction recorded: say which category holds what new value (request correct … --set category=value) before the change is run');
    }
    const regs = new Map((await this.repo.systems()).map((s) => [s.name, s]));
    const failed: string[] = errors.map((e) => e.system);
    const ids = await this.ctx.cases.identities(caseId);
    const stepKey = step?.key ?? 'execute';
    const previous = new Map((await this.repo.changes(caseId)).map((c) => [`${c.system}\u0000${c.collection}`, c]));
    const erasing = stored.type === 'delete' || stored.type === 'delete_pii';
    const erasure = stored.type === 'delete' ? 'delete' : `delete_pii:${plan.categories.join(',')}`;
    // Systems an earlier attempt started on and never recorded (a crash between a store's commit and
    // our record of it, or a failure after it): their deletions may already have happened.
    const started = new Set<string>();
    for (const e of await this.ctx.audit.forCase(caseId)) {
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
        const ledger = erasing ? identityHashes(this.ctx, stored.type === 'delete' ? ids : null, plan, result, sys.name, sys.map).map((h) => ({ ...h, system: sys.name, caseId, erasure })) : [];
        const at0 = this.ctx.clock();
        await this.ctx.db.tx(async () => {
          if (ledger.length) await this.repo.addLedger(ledger, at0);
          await this.ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.system.applying', detail: { system: sys.name, step: stepKey, changes: changes.length, resumed } }, at0);
        });
      }
      let applied: AppliedCounts = { deleted: 0, updated: 0, byCollection: {} };
      if (changes.length) {
        let src: DataSource | null = null;
        try {
          src = await this.open(regs.get(sys.name)!.connection, sys.name);
          applied = await src.apply(changes);
          if (resumed) {
            // An earlier attempt of this step may have deleted rows before it died: count the planned
            // deletions the store no longer holds (read again), not what this attempt deleted.
            for (const c of mine) {
              if (!c.deletes.length) continue;
              const still = await readByKeys(src, c.collection, c.deletes);
              const gone = c.deletes.filter((k) => !still.has(keyId(k))).length;
              const a = applied.byCollection[c.collection] ?? { deleted: 0, updated: 0 };
              applied.byCollection[c.collection] = { ...a, deleted: Math.max(a.deleted, gone) };
            }
          }
        } catch (e) {
          failed.push(sys.name);
          await this.ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.execute.failed', detail: { system: sys.name, error: safeError(e) } }, this.ctx.clock());
          continue;
        } finally {
          await src?.close().catch(() => undefined);
        }
      }
      const at = this.ctx.clock();
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
      await this.ctx.db.tx(async () => {
        await this.repo.putChanges(caseId, counts);
        await this.ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.system.executed', detail: {
          system: sys.name, deleted: applied.deleted, updated: applied.updated,
          planned: { deleted: mine.reduce((n, c) => n + c.deletes.length, 0), updated: mine.reduce((n, c) => n + c.updates.length, 0) },
          kept: mine.reduce((n, c) => n + c.kept.reduce((m, k) => m + k.rows, 0), 0),
        } }, at);
      });
    }
    const recorded = await this.repo.changes(caseId);
    const totals = {
      deleted: recorded.reduce((n, c) => n + c.deleted, 0), masked: recorded.reduce((n, c) => n + c.masked, 0),
      updated: recorded.reduce((n, c) => n + c.updated, 0), errors: failed.length,
    };
    const at = this.ctx.clock();
    await this.ctx.db.tx(async () => {
      if (!failed.length && step && !(await this.ctx.steps.get(caseId, step.key))) await this.ctx.steps.complete(caseId, step.key, totals, at);
      await this.ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.executed', detail: { ...totals, planned: plan.totals, setAside: plan.totals.setAside, exempt: plan.totals.exempt, failedSystems: failed } }, at);
    });
    // A system whose change failed stops the case here (staff retry it: the plan is applied again,
    // which changes nothing twice, and deletions an attempt made before it failed are counted by
    // reading the store again).
    if (failed.length) throw new Error(`the change failed in ${failed.join(', ')}: see the case's audit log; retry when the system is reachable`);
    return totals;
  }

  /** The independent check (./erasure-check.ts); the report is stored with the case. */
  async checkCase(caseId: string): Promise<CheckSummary> {
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new Error(`no case ${caseId}`);
    const result = await this.repo.discovery(caseId);
    if (!result || stored.type === 'access') return { ok: true, remaining: 0 };
    const { systems, errors } = await this.planSystems(result);
    const options = await this.repo.options(caseId);
    const plan = await this.planFrom(result, systems, stored.type, options, await this.decisions(caseId));
    const regs = new Map((await this.repo.systems()).map((s) => [s.name, s]));
    const ids = await this.ctx.cases.identities(caseId);
    const at = this.ctx.clock();
    const report = await checkErasure({
      open: (name) => this.open(regs.get(name)!.connection, name),
      walk: async (subject, only) => (await this.walk(caseId, subject, stored.strategy, only)).result,
      hash: (v) => this.ctx.crypto.keyedHash('check', v),
      maps: new Map(systems.map((s) => [s.name, s.map])),
      live: new Map(systems.map((s) => [s.name, s.live])),
    }, { type: stored.type, plan, subject: subjectOf(ids), discovery: result, categories: options.categories, at, planErrors: errors });
    await this.ctx.db.tx(async () => {
      await this.repo.putCheck(caseId, report);
      await this.ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.verified', detail: { ok: report.ok, remaining: report.remaining, missing: report.missing, failedSystems: report.errors.map((e) => e.system) } }, at);
    });
    return { ok: report.ok, remaining: report.remaining + report.missing + report.errors.length };
  }

  async checkReport(caseId: string): Promise<CheckReport | null> { return this.repo.check(caseId); }

  /** Staff decision on a shared row; returns the number still pending. */
  async decide(caseId: string, itemId: string, decision: ReviewDecision, actor: string): Promise<number> {
    const at = this.ctx.clock();
    const ok = await this.repo.decide(caseId, itemId, decision, actor, at);
    if (!ok) throw new DataMapError(`case ${caseId} has no shared review item ${itemId}`);
    const pending = await this.repo.pendingReview(caseId);
    await this.ctx.audit.append({ caseId, actor, action: 'datamap.review.decided', detail: { itemId, decision, pending } }, at);
    return pending;
  }

  async reviewItems(caseId: string): Promise<ReviewItem[]> { return this.repo.reviewItems(caseId); }

  /** The CLI/JSON contract for a case. */
  async output(caseId: string): Promise<ContractOutput> {
    const stored = await this.ctx.cases.get(caseId);
    if (!stored) throw new Error(`no case ${caseId}`);
    const result = await this.repo.discovery(caseId);
    const decisions = new Map((await this.repo.reviewItems(caseId)).map((i) => [i.itemId, i.decision]));
    const out = contractFrom(result, stored.type, (s, c, k) => this.itemId(s, c, k), decisions);
    if (stored.type !== 'access') {
      // A system whose change failed (after its last successful execution) and what the check could not read are errors too.
      const entries = await this.ctx.audit.forCase(caseId);
      const failedAt = new Map<string, string>();
      entries.forEach((e) => {
        if (e.action === 'datamap.execute.failed' && typeof e.detail.system === 'string') failedAt.set(e.detail.system, String(e.detail.error ?? 'the change failed'));
        if (e.action === 'datamap.system.executed' && typeof e.detail.system === 'string') failedAt.delete(e.detail.system);
      });
      for (const [system, error] of failedAt) if (!out.errors.some((x) => x.system === system)) out.errors.push({ system, error: `the change failed: ${error}` });
      const check = await this.repo.check(caseId);
      for (const e of check?.errors ?? []) if (!out.errors.some((x) => x.system === e.system)) out.errors.push({ system: e.system, error: `the check could not read the system: ${e.error}` });
      // Rows of the subject's whose personal fields could not be changed in place: named for staff.
      const plan = result ? await this.plan(caseId).catch(() => null) : null;
      for (const c of plan?.collections ?? []) for (const k of c.keptRows) {
        out.review.push({ collection: `${c.dataset}:${c.collection}`, primaryKey: k.key, reason: `${k.reason} (${k.fields.join(', ')})`, itemId: this.itemId(c.system, c.collection, k.key), decision: k.kind === 'read_only' ? 'kept_read_only' : 'kept_key_field' });
      }
    }
    if (stored.type !== 'access') {
      out.changes = {};
      for (const c of await this.repo.changes(caseId)) {
        out.changes[`${c.dataset}:${c.collection}`] = { deleted: c.deleted, masked: c.masked, ...(c.updated ? { updated: c.updated } : {}) };
      }
    }
    return ordered({ caseId, status: stored.status, ...out });
  }

  /** Dry run for identities: discovery and plan in memory; nothing is written anywhere. */
  async dryRun(identities: Identities, type: CaseType, strategy: Strategy, options: CaseOptions): Promise<ContractOutput> {
    const w = await this.walk('dry-run', subjectOf(identities), strategy);
    const { systems, errors } = await this.planSystems(w.result, w.live);
    const plan = await this.planFrom(w.result, systems, type, options, new Map());
    const out = contractFrom(w.result, type, (s, c, k) => this.itemId(s, c, k), new Map());
    if (type !== 'access') {
      out.changes = {};
      for (const c of plan.collections) out.changes[`${c.dataset}:${c.collection}`] = { deleted: c.deletes.length, masked: c.updateKind === 'masked' ? c.updates.length : 0, ...(c.updateKind === 'updated' ? { updated: c.updates.length } : {}) };
    }
    out.errors.push(...errors);
    return ordered({ caseId: null, status: 'dry_run', dryRun: true, ...out });
  }

  /**
   * Batch erasure for many subjects: one walk per system for all of them (set-based queries per
   * collection), one plan, one transaction per system. Returns counts; used by ledger replay.
   */
  async eraseBatch(subjects: Subject[], type: 'delete' | 'delete_pii', strategy: Strategy = 'exact', only?: Set<string>, categories?: string[]): Promise<{ deleted: number; masked: number; errors: Array<{ system: string; error: string }>; setAside: number; exempt: number }> {
    const w = await this.walk('batch', mergeSubjects(subjects), strategy, only);
    const { systems, errors } = await this.planSystems(w.result, w.live);
    const plan = await this.planFrom(w.result, systems, type, { categories }, new Map());
    const regs = new Map((await this.repo.systems()).map((s) => [s.name, s]));
    const errs = [...w.result.errors.map((e) => ({ system: e.system, error: e.error })), ...errors];
    let deleted = 0; let masked = 0;
    for (const sys of systems) {
      const changes = changesOf(plan, sys.name);
      if (!changes.length) continue;
      let src: DataSource | null = null;
      try {
        src = await this.open(regs.get(sys.name)!.connection, sys.name);
        const r = await src.apply(changes);
        deleted += r.deleted; masked += r.updated;
      } catch (e) {
        errs.push({ system: sys.name, error: safeError(e) });
      } finally {
        await src?.close().catch(() => undefined);
      }
    }
    return { deleted, masked, errors: errs, setAside: plan.totals.setAside, exempt: plan.totals.exempt };
  }

  /**
   * Ledger replay: scan the identity fields of every system, find values whose keyed hash is in the
   * ledger (rows that came back: a re-import, a restored backup) and erase them again.
   */
  async ledgerReplay(actor: string, opts: { dryRun?: boolean; progress?: (msg: string) => void; system?: string; since?: string } = {}): Promise<{ id: string; systems: Array<{ system: string; scanned: number; matched: number; deleted: number; masked: number; error: string | null }> }> {
    // --system NAME --since SNAPSHOT (after a restore): only that system, only erasures after the snapshot.
    const entries = (await this.repo.ledger(opts.system)).filter((e) => (!opts.system || e.system === opts.system) && (!opts.since || e.erasedAt > opts.since));
    // system -> identity hash -> erasures to re-apply ("delete" or "delete_pii:<categories>")
    const bySystem = new Map<string, Map<string, Set<string>>>();
    for (const e of entries) {
      const m = bySystem.get(e.system) ?? new Map<string, Set<string>>();
      const kinds = m.get(e.hash) ?? new Set<string>();
      kinds.add(e.erasure);
      m.set(e.hash, kinds);
      bySystem.set(e.system, m);
    }
    const out: Array<{ system: string; scanned: number; matched: number; deleted: number; masked: number; error: string | null }> = [];
    for (const sys of await this.repo.systems()) {
      const hashes = bySystem.get(sys.name);
      if (!hashes?.size) continue;
      const rec = { system: sys.name, scanned: 0, matched: 0, deleted: 0, masked: 0, error: null as string | null };
      out.push(rec);
      const subjects = new Map<string, Subject[]>();
      let src: DataSource | null = null;
      try {
        src = await this.open(sys.connection, sys.name);
        const live = await src.introspect();
        validateAgainstSchema(sys.map, live);
        for (const c of sys.map.collections) {
          const idFields = c.fields.filter((f) => f.identity);
          if (!idFields.length) continue;
          const liveC = live.find((x) => x.name === c.name);
          const key = c.fields.find((f) => f.primaryKey)?.name ?? liveC?.fields.find((f) => f.primaryKey)?.name;
          const fields = [...new Set([...(key ? [key] : []), ...idFields.map((f) => f.name)])];
          const batches = src.scan && key ? src.scan(c.name, fields, 10_000) : (async function* () { yield await src!.find(c.name, []); })();
          for await (const rows of batches) {
            rec.scanned += rows.length;
            for (const row of rows) {
              // Hashing a page of 10,000 rows takes a while: the server keeps answering meanwhile.
              if (turnDue()) await takeTurn();
              for (const f of idFields) {
                const v = row[f.name];
                if (v === null || v === undefined) continue;
                const kind = f.identity === 'email' ? 'email' : f.identity === 'phone' ? 'phone' : `custom:${f.identity}`;
                const norm = kind === 'email' ? normalizeEmail(String(v)) : kind === 'phone' ? normalizePhone(String(v)) : String(v).trim();
                const erasures = norm ? hashes.get(this.ctx.crypto.keyedHash(kind, norm)) : undefined;
                if (!norm || !erasures) continue;
                rec.matched += 1;
                const s: Subject = { emails: new Set(), phones: new Set(), addresses: [], custom: new Map() };
                if (kind === 'email') s.emails.add(norm); else if (kind === 'phone') s.phones.add(norm); else s.custom.set(f.identity!, new Set([norm]));
                for (const er of erasures) { const l = subjects.get(er) ?? []; l.push(s); subjects.set(er, l); }
              }
            }
            opts.progress?.(`${sys.name}.${c.name}: ${rec.scanned} rows scanned, ${rec.matched} matched`);
          }
        }
      } catch (e) {
        rec.error = safeError(e);
      } finally {
        await src?.close().catch(() => undefined);
      }
      if (!rec.error && subjects.size && !opts.dryRun) {
        // Full erasures first, then the narrower delete_pii ones, each as one batch.
        for (const er of [...subjects.keys()].sort((a, b) => (a === 'delete' ? -1 : b === 'delete' ? 1 : a.localeCompare(b)))) {
          const cats = er.startsWith('delete_pii:') ? er.slice('delete_pii:'.length).split(',').filter(Boolean) : undefined;
          const r = await this.eraseBatch(subjects.get(er)!, er === 'delete' ? 'delete' : 'delete_pii', 'exact', new Set([sys.name]), cats);
          rec.deleted += r.deleted; rec.masked += r.masked;
          if (r.errors.length) rec.error = r.errors.map((e) => e.error).join('; ');
        }
      }
    }
    const id = randomUUID();
    const at = this.ctx.clock();
    await this.ctx.db.tx(async () => {
      await this.repo.addReplay(id, at, actor, { systems: out, dryRun: !!opts.dryRun });
      await this.ctx.audit.append({ caseId: null, actor, action: 'datamap.ledger.replayed', detail: { id, dryRun: !!opts.dryRun, systems: out } }, at);
    });
    return { id, systems: out };
  }

  /** Unified Compliance and its Overview (seed 002) for the given cases (default: every case with a discovery). */
  async unifiedCompliance(caseIds?: string[]): Promise<{ rows: UcRow[]; overview: UcOverviewRow[] }> {
    const ids = caseIds ?? await this.repo.casesWithDiscovery();
    const rows: UcRow[] = [];
    const overview: UcOverviewRow[] = [];
    for (const id of ids) {
      const stored = await this.ctx.cases.get(id);
      if (!stored || stored.purgedAt) continue;
      const req = await this.repo.requestFor(id);
      const identities = await this.ctx.cases.identities(id);
      const uc = {
        requestId: req?.requestId ?? id, datasource: req?.datasource ?? `privacy-desk.${stored.channel}`, type: stored.type, strategy: stored.strategy,
        identities, completedAt: stored.closedAt, result: await this.repo.discovery(id), executed: (await this.repo.changes(id)).length > 0,
      };
      rows.push(...unifiedComplianceRows(uc));
      overview.push(unifiedComplianceOverview(uc));
    }
    return { rows, overview };
  }

  async close(): Promise<void> { await this.pool.closeAll(); }
}

/**
 * Keyed hashes of the identities one system's erasure removed: for delete, the case's identities and
 * every identity value in the erased rows; for delete_pii, only identity values in fields it masked.
 */
function identityHashes(ctx: AppContext, ids: Identities | null, plan: Plan, result: DiscoveryResult, system: string, map: DataMap): Array<{ hash: string; kind: string }> {
  const pairs = new Map<string, string>();
  const add = (kind: string, value: string | null) => { if (value) pairs.set(ctx.crypto.keyedHash(kind, value), kind); };
  const addField = (identity: string, v: unknown) => {
    if (v === null || v === undefined) return;
    if (identity === 'email') add('email', normalizeEmail(String(v)));
    else if (identity === 'phone') add('phone', normalizePhone(String(v)));
    else add(`custom:${identity}`, String(v).trim());
  };
  if (ids) {
    if (ids.email) add('email', normalizeEmail(ids.email));
    if (ids.phone) add('phone', normalizePhone(ids.phone));
    for (const k of ids.customKeys ?? []) add(`custom:${k.name}`, k.value.trim());
  }
  for (const c of plan.collections.filter((x) => x.system === system)) {
    const coll = map.collections.find((x) => x.name === c.collection);
    if (!coll) continue;
    const idFields = coll.fields.filter((f) => f.identity);
    for (const u of c.updates) for (const f of idFields) if (f.name in u.set) addField(f.identity!, u.original[f.name]);
  }
  if (ids) {
    // delete: every identity value held by a row this erasure removed or masked
    for (const c of result.collections.filter((x) => x.system === system)) {
      const coll = map.collections.find((x) => x.name === c.collection);
      for (const r of c.rows) {
        if (r.shared || r.exempt || !coll) continue;
        for (const f of coll.fields) if (f.identity) addField(f.identity, r.values[f.name]);
      }
    }
  }
  return [...pairs].map(([hash, kind]) => ({ hash, kind }));
}

function contractFrom(result: DiscoveryResult | null, type: CaseType, itemId: (s: string, c: string, k: Row) => string, decisions: Map<string, string>): Omit<ContractOutput, 'caseId' | 'status'> {
  const out: Omit<ContractOutput, 'caseId' | 'status'> = { review: [], exempt: [], errors: [] };
  if (!result) return out;
  if (type === 'access') out.results = {};
  for (const c of result.collections) {
    const name = `${c.dataset}:${c.collection}`;
    if (out.results) out.results[name] = c.rows.filter((r) => !r.other).map((r) => r.values);
    for (const r of c.rows) {
      if (r.other) {
        const id = itemId(c.system, c.collection, r.key);
        out.review.push({ collection: name, primaryKey: r.key, reason: r.other.reason, itemId: id, decision: 'not_subject' });
      } else if (r.exempt) out.exempt.push({ collection: name, primaryKey: r.key, reason: r.exempt.reason });
      else if (r.shared) {
        const id = itemId(c.system, c.collection, r.key);
        out.review.push({ collection: name, primaryKey: r.key, reason: r.shared.reason, itemId: id, decision: decisions.get(id) ?? 'pending' });
      }
    }
  }
  out.errors = result.errors.map((e) => ({ system: e.system, error: e.error }));
  return out;
}

/** The contract's key order: caseId, status, results, changes, review, exempt, errors. */
function ordered(o: ContractOutput): ContractOutput {
  return {
    caseId: o.caseId, status: o.status, ...(o.dryRun ? { dryRun: true } : {}),
    ...(o.results ? { results: o.results } : {}), ...(o.changes ? { changes: o.changes } : {}),
    review: o.review, exempt: o.exempt, errors: o.errors,
  };
}

/** The service registered on the app (created once). */
export function datamapService(ctx: AppContext, opener?: SourceOpener): DatamapService {
  const existing = ctx.services.get(DATAMAP_SERVICE) as DatamapService | undefined;
  if (existing) return existing;
  const s = new DatamapService(ctx, opener);
  ctx.services.set(DATAMAP_SERVICE, s);
  return s;
}
