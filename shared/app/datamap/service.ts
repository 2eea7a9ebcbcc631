// The data-map area's one object: the steps of the erasure path as a reader follows a case,
//   registry (./registry.ts) -> find (./find.ts, ./find-system.ts) -> own (./own.ts) ->
//   plan (./plan.ts, ./plan-rows.ts) -> apply (./apply.ts) -> verify (./verify.ts, ./verify-rows.ts)
// with the deletion ledger (./ledger.ts, ./ledger-replay.ts), review decisions (./review.ts) and
// the reports (./report.ts). Each method is one step; the work is in the step's file.
// Audit entries carry counts only.
import type { AppContext, CheckSummary, DiscoverySummary, ExecuteSummary, StepRef } from '../context';
import type { CaseType, Strategy } from '../../domain/case';
import type { DataMap } from '../../domain/datamap';
import type { DiscoveryResult } from '../../domain/discovery';
import type { Identities } from '../../domain/identity';
import type { UcOverviewRow, UcRow } from '../../domain/unified-compliance';
import type { DatamapRepo, CaseOptions, CheckReport, ReviewItem, SystemConnection, SystemRecord } from '../../store/datamap-repo';
import type { Row } from '../../adapters/port';
import { Registry, type SourceOpener } from './registry';
import type { Subject } from './subject';
import { discoverCase, findAcross, type Walked } from './find';
import { planCase } from './plan';
import type { Plan, ReviewDecision } from './plan-rows';
import { eraseBatch, executeCase, type BatchResult } from './apply';
import { checkCase } from './verify';
import { decide } from './review';
import { ledgerReplay, type ReplayOptions, type ReplaySystem } from './ledger-replay';
import { caseOutput, dryRun, unifiedCompliance, type ContractOutput } from './report';

export type { SourceOpener } from './registry';
export type { ContractOutput } from './report';

export class DatamapService {
  readonly registry: Registry;

  constructor(ctx: AppContext, opener?: SourceOpener) {
    this.registry = new Registry(ctx, opener);
  }

  get repo(): DatamapRepo { return this.registry.repo; }

  // registry
  addSystem(s: { name: string; connection: SystemConnection; map: DataMap; legalHold?: string | null }, actor: string): Promise<SystemRecord> { return this.registry.addSystem(s, actor); }
  systems(): Promise<SystemRecord[]> { return this.registry.systems(); }
  setLegalHold(name: string, reason: string | null, actor: string): Promise<boolean> { return this.registry.setLegalHold(name, reason, actor); }
  registerDemoShop(dir: string, actor: string): Promise<{ sqliteFile: string; datamapFile: string; system: string }> { return this.registry.registerDemoShop(dir, actor); }
  itemId(system: string, collection: string, key: Row): string { return this.registry.itemId(system, collection, key); }

  // find
  walk(caseId: string, subject: Subject, strategy: Strategy, only?: Set<string>): Promise<Walked> { return findAcross(this.registry, caseId, subject, strategy, only); }
  discoverCase(caseId: string, step?: StepRef): Promise<DiscoverySummary> { return discoverCase(this.registry, caseId, step); }
  discoveryResult(caseId: string): Promise<DiscoveryResult | null> { return this.repo.discovery(caseId); }

  // plan
  setOptions(caseId: string, options: CaseOptions): Promise<void> { return this.repo.setOptions(caseId, options); }
  plan(caseId: string): Promise<Plan | null> { return planCase(this.registry, caseId); }

  // apply
  executeCase(caseId: string, step?: StepRef): Promise<ExecuteSummary> { return executeCase(this.registry, caseId, step); }
  eraseBatch(subjects: Subject[], type: 'delete' | 'delete_pii', strategy: Strategy = 'exact', only?: Set<string>, categories?: string[]): Promise<BatchResult> {
    return eraseBatch(this.registry, subjects, type, strategy, only, categories);
  }

  // verify
  checkCase(caseId: string): Promise<CheckSummary> { return checkCase(this.registry, caseId); }
  checkReport(caseId: string): Promise<CheckReport | null> { return this.repo.check(caseId); }

  // review
  decide(caseId: string, itemId: string, decision: ReviewDecision, actor: string): Promise<number> { return decide(this.registry, caseId, itemId, decision, actor); }
  reviewItems(caseId: string): Promise<ReviewItem[]> { return this.repo.reviewItems(caseId); }

  // ledger
  ledgerReplay(actor: string, opts: ReplayOptions = {}): Promise<{ id: string; systems: ReplaySystem[] }> { return ledgerReplay(this.registry, actor, opts); }

  // report
  output(caseId: string): Promise<ContractOutput> { return caseOutput(this.registry, caseId); }
  dryRun(identities: Identities, type: CaseType, strategy: Strategy, options: CaseOptions): Promise<ContractOutput> { return dryRun(this.registry, identities, type, strategy, options); }
  unifiedCompliance(caseIds?: string[]): Promise<{ rows: UcRow[]; overview: UcOverviewRow[] }> { return unifiedCompliance(this.registry, caseIds); }

  close(): Promise<void> { return this.registry.close(); }
}


/** The service registered on the app (created once). */
export function datamapService(ctx: AppContext, opener?: SourceOpener): DatamapService {
  return (ctx.services.datamap ??= new DatamapService(ctx, opener));
}
