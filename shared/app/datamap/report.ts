// report: what a case found and changed in the CLI/JSON contract (`privacy-desk dsr …`, the
// datamap.changes operation): results (access), changes, review, exempt, errors; the dry run of a
// request (discovery and plan in memory, nothing written); the Unified Compliance rows and their
// Overview (seed 002).
import type { CaseType, Strategy } from '../../domain/case';
import type { DiscoveryResult } from '../../domain/discovery';
import type { Identities } from '../../domain/identity';
import { unifiedComplianceOverview, unifiedComplianceRows, type UcOverviewRow, type UcRow } from '../../domain/unified-compliance';
import type { CaseOptions } from '../../store/datamap-repo';
import type { Row } from '../../adapters/port';
import type { Registry } from './registry';
import { subjectOf } from './subject';
import { findAcross } from './find';
import { planCase, planFrom, planSystems } from './plan';

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

/** The CLI/JSON contract for a case. */
export async function caseOutput(reg: Registry, caseId: string): Promise<ContractOutput> {
  const { ctx, repo } = reg;
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  const result = await repo.discovery(caseId);
  const decisions = new Map((await repo.reviewItems(caseId)).map((i) => [i.itemId, i.decision]));
  const out = contractFrom(result, stored.type, (s, c, k) => reg.itemId(s, c, k), decisions);
  if (stored.type !== 'access') {
    // A system whose change failed (after its last successful execution) and what the check could not read are errors too.
    const entries = await ctx.audit.forCase(caseId);
    const failedAt = new Map<string, string>();
    entries.forEach((e) => {
      if (e.action === 'datamap.execute.failed' && typeof e.detail.system === 'string') failedAt.set(e.detail.system, String(e.detail.error ?? 'the change failed'));
      if (e.action === 'datamap.system.executed' && typeof e.detail.system === 'string') failedAt.delete(e.detail.system);
    });
    for (const [system, error] of failedAt) if (!out.errors.some((x) => x.system === system)) out.errors.push({ system, error: `the change failed: ${error}` });
    const check = await repo.check(caseId);
    for (const e of check?.errors ?? []) if (!out.errors.some((x) => x.system === e.system)) out.errors.push({ system: e.system, error: `the check could not read the system: ${e.error}` });
    // Rows of the subject's whose personal fields could not be changed in place: named for staff.
    const plan = result ? await planCase(reg, caseId).catch(() => null) : null;
    for (const c of plan?.collections ?? []) for (const k of c.keptRows) {
      out.review.push({ collection: `${c.dataset}:${c.collection}`, primaryKey: k.key, reason: `${k.reason} (${k.fields.join(', ')})`, itemId: reg.itemId(c.system, c.collection, k.key), decision: k.kind === 'read_only' ? 'kept_read_only' : 'kept_key_field' });
    }
    out.changes = {};
    for (const c of await repo.changes(caseId)) {
      out.changes[`${c.dataset}:${c.collection}`] = { deleted: c.deleted, masked: c.masked, ...(c.updated ? { updated: c.updated } : {}) };
    }
  }
  return ordered({ caseId, status: stored.status, ...out });
}

/** Dry run for identities: discovery and plan in memory; nothing is written anywhere. */
export async function dryRun(reg: Registry, identities: Identities, type: CaseType, strategy: Strategy, options: CaseOptions): Promise<ContractOutput> {
  const w = await findAcross(reg, 'dry-run', subjectOf(identities), strategy);
  const { systems, errors } = await planSystems(reg, w.result, w.live);
  const plan = await planFrom(reg, w.result, systems, type, options, new Map());
  const out = contractFrom(w.result, type, (s, c, k) => reg.itemId(s, c, k), new Map());
  if (type !== 'access') {
    out.changes = {};
    for (const c of plan.collections) out.changes[`${c.dataset}:${c.collection}`] = { deleted: c.deletes.length, masked: c.updateKind === 'masked' ? c.updates.length : 0, ...(c.updateKind === 'updated' ? { updated: c.updates.length } : {}) };
  }
  out.errors.push(...errors);
  return ordered({ caseId: null, status: 'dry_run', dryRun: true, ...out });
}

/** Unified Compliance and its Overview (seed 002) for the given cases (default: every case with a discovery). */
export async function unifiedCompliance(reg: Registry, caseIds?: string[]): Promise<{ rows: UcRow[]; overview: UcOverviewRow[] }> {
  const { ctx, repo } = reg;
  const ids = caseIds ?? await repo.casesWithDiscovery();
  const rows: UcRow[] = [];
  const overview: UcOverviewRow[] = [];
  for (const id of ids) {
    const stored = await ctx.cases.get(id);
    if (!stored || stored.purgedAt) continue;
    const req = await repo.requestFor(id);
    const identities = await ctx.cases.identities(id);
    const uc = {
      requestId: req?.requestId ?? id, datasource: req?.datasource ?? `privacy-desk.${stored.channel}`, type: stored.type, strategy: stored.strategy,
      identities, completedAt: stored.closedAt, result: await repo.discovery(id), executed: (await repo.changes(id)).length > 0,
    };
    rows.push(...unifiedComplianceRows(uc));
    overview.push(unifiedComplianceOverview(uc));
  }
  return { rows, overview };
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
