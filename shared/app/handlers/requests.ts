// Handler of requests.import (shared/app/contract/requests.ts): the file parsed and checked line by
// line (shared/domain/unified-compliance.ts), the good lines imported in batches
// (shared/app/requests-import.ts), with run each new case worked now. Approving without review is
// an approver's decision: a signed-in analyst must import with review.
import type { Handlers } from '../api';
import { ApiForbiddenError, ApiInputError } from '../api';
import type { requestsContract } from '../contract/requests';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import { importInboundRequests, type ImportProgress } from '../requests-import';
import { datamapService } from '../datamap/service';
import { parseInboundRequests } from '../../domain/unified-compliance';
import { roleAtLeast } from '../../domain/roles';

/** At most one progress line a second, and the last one. */
function progressLines(say: (m: string) => void, now: () => number): (p: ImportProgress) => void {
  const t0 = now();
  let last = 0;
  return (p) => {
    const t = now();
    if (p.done < p.total && t - last < 1000) return;
    last = t;
    const rate = p.done / Math.max(0.001, (t - t0) / 1000);
    say(`importing: ${p.done}/${p.total} rows (${p.imported} new, ${p.alreadyImported} already imported), ${Math.round(rate)} rows/s`);
  };
}

export function requestsHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof requestsContract> {
  return {
    'requests.import': async (input, meta) => {
      if (!input.review && meta.role !== undefined && !roleAtLeast(meta.role, 'approver')) {
        throw new ApiForbiddenError(`review: importing without review approves each plan, which needs the approver role (${meta.user ?? 'the caller'} is ${meta.role}); import with review`);
      }
      const parsed = parseInboundRequests(input.csv, input.customKeyNames);
      if (parsed.fileErrors.length) {
        const e = parsed.fileErrors;
        throw new ApiInputError(`${input.datasource}: ${e.slice(0, 20).join('; ')}${e.length > 20 ? ` (and ${e.length - 20} more)` : ''}; nothing imported`, [{ path: 'csv', message: e[0]! }]);
      }
      const base = { file: input.datasource, rows: parsed.rows, allOrNothing: input.allOrNothing, refused: parsed.refused };
      // Every row was bad, or one was and the file is all or nothing: nothing is imported.
      if (parsed.refused.length && (input.allOrNothing || !parsed.requests.length)) return { ...base, imported: [], alreadyImported: [] };
      const result = await importInboundRequests({ ctx, engine }, parsed.requests, {
        datasource: input.datasource, jurisdiction: input.jurisdiction, autoApprove: !input.review, meta,
        ...(meta.progress ? { progress: progressLines(meta.progress, () => Date.now()) } : {}),
      });
      if (!input.run) return { ...base, ...result };
      const run: Array<{ requestId: string; caseId: string; status: string; errors: number }> = [];
      for (const r of result.imported) {
        await engine.wake(r.caseId);
        await engine.settle(r.caseId);
        const res = await datamapService(ctx).output(r.caseId);
        run.push({ requestId: r.requestId, caseId: r.caseId, status: res.status, errors: res.errors.length });
        meta.progress?.(`running: ${run.length}/${result.imported.length} ${r.caseId}: ${res.status}`);
      }
      return { ...base, ...result, run };
    },
  };
}
