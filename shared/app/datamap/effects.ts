// The data map's effects for the case machine: discover (find across every registered system),
// execute (plan -> apply, one transaction per system -> counts + deletion ledger), checkResult
// (verify: read again).
import type { AppContext, CaseEffects } from '../context';
import { datamapService } from './service';

export function createDataMapEffects(ctx: AppContext): Pick<CaseEffects, 'discover' | 'execute' | 'checkResult'> {
  const svc = datamapService(ctx);
  return {
    // The step is recorded in the same transaction as the effect's own writes (crash safety).
    discover: (caseId, step) => svc.discoverCase(caseId, step),
    execute: (caseId, step) => svc.executeCase(caseId, step),
    checkResult: (caseId) => svc.checkCase(caseId),
  };
}
