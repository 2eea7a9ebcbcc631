// The data map's effects for the case machine: discover (walk every registered system),
// execute (plan -> one transaction per system -> counts + deletion ledger), checkResult (re-read).
// Registers the 'datamap' service (discoveryResult, plan, review decisions) on the context.
import type { AppContext, CaseEffects } from '../context';
import { datamapService } from './datamap-service';

export function createDataMapEffects(ctx: AppContext): Pick<CaseEffects, 'discover' | 'execute' | 'checkResult'> {
  const svc = datamapService(ctx);
  return {
    discover: (caseId) => svc.discoverCase(caseId),
    execute: (caseId) => svc.executeCase(caseId),
    checkResult: (caseId) => svc.checkCase(caseId),
  };
}
