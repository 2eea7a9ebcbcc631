// verify: the independent check of a case's change (the `checkResult` step): ./verify-rows.ts
// re-reads every planned row, walks again by the same identities and searches for the subject's
// values; the report is stored with the case and audited with counts only.
import type { CheckSummary } from '../context';
import type { Registry } from './registry';
import { subjectOf } from './subject';
import { findAcross } from './find';
import { planOfCase } from './plan';
import { checkErasure } from './verify-rows';

export async function checkCase(reg: Registry, caseId: string): Promise<CheckSummary> {
  const { ctx, repo } = reg;
  const stored = await ctx.cases.get(caseId);
  if (!stored) throw new Error(`no case ${caseId}`);
  const result = await repo.discovery(caseId);
  if (!result || stored.type === 'access') return { ok: true, remaining: 0 };
  const regs = await reg.byName(); // one read for the plan and the check (the same snapshot)
  const { systems, errors, options, plan } = await planOfCase(reg, caseId, stored.type, result, regs);
  const ids = await ctx.cases.identities(caseId);
  const at = ctx.clock();
  const report = await checkErasure({
    open: (name) => reg.open(regs.get(name)!.connection, name),
    walk: async (subject, only) => (await findAcross(reg, caseId, subject, stored.strategy, only)).result,
    hash: (v) => ctx.crypto.keyedHash('check', v),
    maps: new Map(systems.map((s) => [s.name, s.map])),
    live: new Map(systems.map((s) => [s.name, s.live])),
  }, { type: stored.type, plan, subject: subjectOf(ids), discovery: result, categories: options.categories, at, planErrors: errors });
  await ctx.db.tx(async () => {
    await repo.putCheck(caseId, report);
    await ctx.audit.append({ caseId, actor: 'datamap', action: 'datamap.verified', detail: { ok: report.ok, remaining: report.remaining, missing: report.missing, failedSystems: report.errors.map((e) => e.system) } }, at);
  });
  return { ok: report.ok, remaining: report.remaining + report.missing + report.errors.length };
}
