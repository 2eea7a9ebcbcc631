// The access report as JSON: the summary (categories, systems with sources, purposes and third
// parties) plus `data`, the disclosed discovery result (shared rows withheld, §7024(d) values
// replaced by a statement; `withheldPieces` lists them). Portable and
// machine-readable (CCPA §1798.130(a)(2)(B)).
import type { AccessReport } from './access-report';

export function reportJson(report: AccessReport): string {
  const summary = {
    format: report.format,
    scope: report.scope,
    caseId: report.caseId,
    businessName: report.businessName,
    receivedAt: report.receivedAt,
    generatedAt: report.generatedAt,
    categories: report.categories.map((c) => ({
      letter: c.letter, label: c.label, collected: c.collected, dataCategories: c.dataCategories, fields: c.fields, systems: c.systems,
    })),
    systems: report.systems.map((s) => ({
      system: s.system, sources: s.sources, purposes: s.purposes, thirdParties: s.thirdParties, categories: s.categories,
      rowCount: s.rowCount, collections: s.collections.map((c) => ({ dataset: c.dataset, collection: c.collection, records: c.rowCount, fields: c.fields })),
    })),
    totals: report.totals,
    withheldShared: report.withheldShared,
    withheldPieces: report.withheldPieces,
    unavailableSystems: report.unavailableSystems,
    data: report.data,
  };
  return JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
