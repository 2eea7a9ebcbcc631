// The access ("right to know") report: built from the discovery result, pure. Lists the CCPA
// categories (A-L) collected, the sources, business purposes and third parties per system, and the
// specific pieces grouped by system and collection. Rows that also belong to someone else
// (shared) are withheld and counted, never disclosed; values that must never be disclosed (CCPA regs
// §7024(d): government ids, account numbers, passwords, biometrics) are replaced by a statement that
// the business holds them (./withheld-pieces). Renderers: ./report-html, ./report-csv,
// ./report-json.
import type { CollectionResult, DiscoveryResult, FoundRow } from '../discovery';
import { CCPA_CATEGORIES, CCPA_LETTERS, ccpaCategoryOf, type CcpaCategory } from './ccpa-categories';
import { withheldKindOf, withheldValueText, type WithheldKind } from './withheld-pieces';

/** What the business declares for a system (data map / record of processing). */
export interface SystemDisclosure {
  system: string;
  sources: string[];
  purposes: string[];
  thirdParties: string[];
}

export interface ReportCategory {
  letter: CcpaCategory;
  label: string;
  collected: boolean;
  /** fideslang categories found under this letter. */
  dataCategories: string[];
  /** Field names (collection.field) holding it. */
  fields: string[];
  systems: string[];
  values: number;
}

export interface ReportCollection {
  dataset: string;
  collection: string;
  /** Union of fields over the disclosed rows, in first-seen order. */
  fields: string[];
  /** field -> fideslang category */
  fieldCategories: Record<string, string>;
  /** Disclosed rows (empty in a categories-only report). */
  rows: FoundRow[];
  rowCount: number;
}

export interface ReportSystem {
  system: string;
  sources: string[];
  purposes: string[];
  thirdParties: string[];
  categories: CcpaCategory[];
  rowCount: number;
  collections: ReportCollection[];
}

export interface AccessReport {
  format: 'privacydesk.access-report/1';
  caseId: string;
  businessName: string;
  receivedAt: string | null;
  generatedAt: string;
  strategy: DiscoveryResult['strategy'];
  /**
   * 'specific-pieces' when the requester was verified to a reasonably high degree (CCPA regs
   * §7062: 3 data points + signed declaration); otherwise 'categories': the report names the
   * categories, sources, purposes, third parties, systems and record counts, but no values.
   */
  scope: 'categories' | 'specific-pieces';
  categories: ReportCategory[];
  systems: ReportSystem[];
  totals: { systems: number; collections: number; rows: number; values: number };
  /** Rows not disclosed because they also concern another person (count only). */
  withheldShared: number;
  /** Fields whose values are never disclosed (§7024(d)): where, what kind, in how many records. */
  withheldPieces: Array<{ system: string; collection: string; field: string; kind: WithheldKind['kind']; label: string; records: number }>;
  /** Systems that could not be searched: the report says so rather than pretending completeness. */
  unavailableSystems: Array<{ system: string; at: string }>;
  /** The disclosed data, machine-readable: the discovery result minus shared rows. */
  data: DiscoveryResult;
}

export interface BuildReportOptions {
  businessName: string;
  generatedAt: string;
  receivedAt?: string | null;
  disclosures?: SystemDisclosure[];
  /** fideslang category -> CCPA letter; default: ccpaCategoryOf. */
  categoryOf?: (fidesCategory: string) => CcpaCategory;
  /** Include the specific pieces (values). Default true; false for a categories-only report. */
  includePieces?: boolean;
}

export function buildAccessReport(discovery: DiscoveryResult, opts: BuildReportOptions): AccessReport {
  const includePieces = opts.includePieces ?? true;
  const mapOne = opts.categoryOf ?? ccpaCategoryOf;
  const seenCats = new Map<string, CcpaCategory>();
  const categoryOf = (c: string): CcpaCategory => {
    let v = seenCats.get(c);
    if (!v) { v = mapOne(c); seenCats.set(c, v); }
    return v;
  };
  const disclosures = new Map((opts.disclosures ?? []).map((d) => [d.system, d]));
  const catAcc = new Map<CcpaCategory, { data: Set<string>; fields: Set<string>; systems: Set<string>; values: number }>();
  const systems = new Map<string, ReportSystem>();
  let withheldShared = 0;
  let values = 0;
  let rowsTotal = 0;
  const disclosedCollections: CollectionResult[] = [];
  const withheldPieces = new Map<string, AccessReport['withheldPieces'][number]>();
  const kindCache = new Map<string, WithheldKind | null>();
  const kindOf = (fides: string): WithheldKind | null => {
    if (!kindCache.has(fides)) kindCache.set(fides, withheldKindOf(fides));
    return kindCache.get(fides) ?? null;
  };
  /** The row as it may be disclosed: values of §7024(d) fields replaced by a statement. */
  const disclosable = (col: CollectionResult, r: FoundRow): FoundRow => {
    let values: FoundRow['values'] | null = null;
    for (const [field, fides] of Object.entries(r.categories)) {
      const kind = kindOf(fides);
      const v = r.values[field];
      if (!kind || v === null || v === undefined || v === '') continue;
      values ??= { ...r.values };
      values[field] = withheldValueText(kind);
      const key = `${col.system}\u0000${col.collection}\u0000${field}`;
      const w = withheldPieces.get(key);
      if (w) w.records += 1;
      else withheldPieces.set(key, { system: col.system, collection: col.collection, field, kind: kind.kind, label: kind.label, records: 1 });
    }
    return values ? { ...r, values } : r;
  };

  for (const col of discovery.collections) {
    const rows: FoundRow[] = [];
    for (const r of col.rows) {
      if (r.other) continue; // another person's row (reached from this person's, e.g. a referral): not theirs
      if (r.shared) withheldShared += 1;
      else rows.push(disclosable(col, r));
    }
    disclosedCollections.push({ ...col, rows });
    if (!rows.length) continue;
    let sys = systems.get(col.system);
    if (!sys) {
      const d = disclosures.get(col.system);
      sys = {
        system: col.system, sources: d?.sources ?? [], purposes: d?.purposes ?? [], thirdParties: d?.thirdParties ?? [],
        categories: [], rowCount: 0, collections: [],
      };
      systems.set(col.system, sys);
    }
    const fields: string[] = [];
    const seen = new Set<string>();
    const fieldCategories: Record<string, string> = {};
    const sysCats = new Set(sys.categories);
    for (const r of rows) {
      for (const [field, value] of Object.entries(r.values)) {
        if (!seen.has(field)) { seen.add(field); fields.push(field); }
        const fides = r.categories[field];
        if (!fides || value === null || value === undefined || value === '') continue;
        fieldCategories[field] = fides;
        const letter = categoryOf(fides);
        sysCats.add(letter);
        let acc = catAcc.get(letter);
        if (!acc) { acc = { data: new Set(), fields: new Set(), systems: new Set(), values: 0 }; catAcc.set(letter, acc); }
        acc.data.add(fides);
        acc.fields.add(`${col.collection}.${field}`);
        acc.systems.add(col.system);
        acc.values += 1;
        values += 1;
      }
    }
    sys.categories = CCPA_LETTERS.filter((l) => sysCats.has(l));
    sys.rowCount += rows.length;
    rowsTotal += rows.length;
    sys.collections.push({ dataset: col.dataset, collection: col.collection, fields, fieldCategories, rows: includePieces ? rows : [], rowCount: rows.length });
  }

  const categories: ReportCategory[] = CCPA_LETTERS.map((letter) => {
    const acc = catAcc.get(letter);
    return {
      letter, label: CCPA_CATEGORIES[letter], collected: !!acc,
      dataCategories: acc ? [...acc.data].sort() : [],
      fields: acc ? [...acc.fields].sort() : [],
      systems: acc ? [...acc.systems].sort() : [],
      values: acc?.values ?? 0,
    };
  });
  const sysList = [...systems.values()].sort((a, b) => a.system.localeCompare(b.system));
  return {
    format: 'privacydesk.access-report/1',
    scope: includePieces ? 'specific-pieces' : 'categories',
    caseId: discovery.caseId,
    businessName: opts.businessName,
    receivedAt: opts.receivedAt ?? null,
    generatedAt: opts.generatedAt,
    strategy: discovery.strategy,
    categories,
    systems: sysList,
    totals: { systems: sysList.length, collections: sysList.reduce((n, s) => n + s.collections.length, 0), rows: rowsTotal, values },
    withheldShared,
    withheldPieces: [...withheldPieces.values()],
    unavailableSystems: discovery.errors.map((e) => ({ system: e.system, at: e.at })),
    data: { ...discovery, collections: includePieces ? disclosedCollections : disclosedCollections.map((c) => ({ ...c, rows: [] })) },
  };
}

/** A value as report text: strings as-is, dates ISO, objects JSON. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}
