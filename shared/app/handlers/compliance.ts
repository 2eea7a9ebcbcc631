// Handlers of compliance.unified (the data map's export) and compliance.metrics: reads the cases received around the year (one query; the
// snapshot only of answered ones, for the denial reason and whether rows were kept as exempt) and
// leaves the counting to shared/domain/compliance-metrics.ts.
import type { Handlers } from '../api';
import type { complianceContract } from '../contract/compliance';
import type { AppContext } from '../context';
import { contextOf } from '../engine';
import type { StoredCase } from '../../store/ports';
import type { CaseStatus, CaseType, Jurisdiction } from '../../domain/case';
import { complianceMetrics, metricsCsv, type ComplianceCase } from '../../domain/compliance-metrics';
import { toCsv, UC_COLUMNS, UC_OVERVIEW_COLUMNS } from '../../domain/unified-compliance';
import { datamapService } from '../datamap/service';

interface Row { id: string; type: string; status: string; jurisdiction: string; received_at: string; closed_at: string | null; updated_at: string; snapshot: unknown }

async function casesAround(ctx: AppContext, year: number, jurisdiction?: Jurisdiction): Promise<ComplianceCase[]> {
  // The local date of receipt decides the year: take a few days either side of it in UTC.
  const params: string[] = [`${year - 1}-12-30`, `${year + 1}-01-03`];
  const rows = await ctx.db.all<Row>(
    `SELECT id, type, status, jurisdiction, received_at, closed_at, updated_at,
            CASE WHEN status IN ('closed', 'denied') THEN snapshot ELSE NULL END AS snapshot
       FROM cases WHERE received_at >= ? AND received_at < ?${jurisdiction ? ' AND jurisdiction = ?' : ''}`,
    jurisdiction ? [...params, jurisdiction] : params,
  );
  return rows.map((r) => {
    const answered = r.status === 'closed' || r.status === 'denied';
    const context = answered && r.snapshot ? contextOf({ snapshot: typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) as unknown : r.snapshot } as StoredCase) : null;
    return {
      type: r.type as CaseType, jurisdiction: r.jurisdiction as Jurisdiction, status: r.status as CaseStatus, receivedAt: r.received_at,
      closedAt: answered ? (r.closed_at ?? r.updated_at) : null,
      denialReason: context?.denial?.reason ?? null,
      refusedInPart: r.status === 'closed' && ((context?.discovery?.exempt ?? 0) > 0 || context?.categoriesOnly !== undefined),
    };
  });
}

export function complianceHandlers(ctx: AppContext): Handlers<typeof complianceContract> {
  return {
    'compliance.metrics': async ({ year, jurisdiction }) => {
      const m = complianceMetrics(await casesAround(ctx, year, jurisdiction), { year, ...(jurisdiction ? { jurisdiction } : {}) });
      return { ...m, csv: metricsCsv(m) };
    },
    'compliance.unified': async ({ caseIds }) => {
      const { rows, overview } = await datamapService(ctx).unifiedCompliance(caseIds);
      return { rows, overview, csv: { unifiedCompliance: toCsv(UC_COLUMNS, rows), overview: toCsv(UC_OVERVIEW_COLUMNS, overview) } };
    },
  };
}
