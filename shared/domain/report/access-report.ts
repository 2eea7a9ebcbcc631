// The access ("right to know") report: built from the discovery result, pure. Lists the CCPA
// categories (A-L) collected, the sources, business purposes and third parties per system, and the
// specific pieces grouped by system and collection. Rows that also belong to someone else
// (shared) are withheld and counted, never disclosed; values that must never be disclosed (CCPA regs
// §7024(d): government ids, account numbers, passwords, biometrics) are replaced by a statement that
// the business holds them (./withheld-pieces). Renderers: ./report-html, ./report-csv,
// ./report-json.
// Each field carries its plain-language label (./field-display: the map's description, its declared
// label, else the fideslang category's name) and its CCPA letter by the explicit table
// (./ccpa-categories; `system.*` is not personal information). What the report cannot say truthfully
// is listed in `review` (a system with personal data and no declared sources / purposes / recipients,
// a `user.*` category the table does not map): the respond step refuses to send it until staff fix it.
import type { CollectionResult, DiscoveryResult, FoundRow } from '../discovery';
import type { DataMap } from '../datamap';
import { isPersonal } from '../categories';
import { CCPA_CATEGORIES, CCPA_LETTERS, ccpaCategoryOf, type CcpaCategory } from './ccpa-categories';
import { collectionLabel, fieldLabel, rawText, type FieldInfo } from './field-display';
import { CCPA_LABELS_ES, type ReportLocale } from './report-words';
import { withheldKindOf, withheldValueText, type WithheldKind } from './withheld-pieces';
import { disclosureBreakdown, type DisclosedCategory, type DisclosureTransfer } from './disclosure-breakdown';

/** What the business declares for a system (data map / record of processing). */
export interface SystemDisclosure {
  system: string;
  sources: string[];
  purposes: string[];
  thirdParties: string[];
  /**
   * Sold / shared / disclosed for a business purpose, with the categories of recipients
   * (§1798.115; ./disclosure-breakdown). Omitted or null: not itemised; [] : none of the three.
   */
  transfers?: DisclosureTransfer[] | null;
}

/** What the data map says about a system, for the report (see systemInfoFromMap). */
export interface SystemInfo {
  displayName?: string;
  collections?: Record<string, { description?: string; fields?: Record<string, FieldInfo> }>;
}

/** One field of a collection as the report shows it. */
export interface ReportField {
  field: string;
  /** Plain-language label (the consumer sees this, never the field name). */
  label: string;
  /** fideslang category, or null when the map gives none. */
  dataCategory: string | null;
  /** CCPA letter by the table; null for `system.*`, no category, or an unmapped category. */
  ccpa: CcpaCategory | null;
  /** Personal information (a user.* category): counted and listed under its category. */
  personal: boolean;
  info?: FieldInfo;
}

/** Something staff must settle before the report may be sent. */
export interface ReportReviewItem {
  system: string;
  displayName: string;
  kind: 'disclosures' | 'unmapped_category';
  /** disclosures: what is missing; unmapped_category: the categories. */
  missing: string[];
  message: string;
}

export interface ReportCategory {
  letter: CcpaCategory;
  label: string;
  /** Plain-language labels of the information found under this letter. */
  items: string[];
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
  /** Heading for the consumer: the collection's description in the map, else its name in words. */
  label: string;
  /** Per field, its label and category (same order as `fields`). */
  fieldDetails: ReportField[];
  /** Disclosed rows (empty in a categories-only report). */
  rows: FoundRow[];
  rowCount: number;
}

export interface ReportSystem {
  system: string;
  /** The data map's name for the system, else its registered name. */
  displayName: string;
  /** A disclosure record exists for the system (its recipients are declared, possibly none). */
  declared: boolean;
  sources: string[];
  purposes: string[];
  thirdParties: string[];
  /** The declared transfers (null: not itemised). */
  transfers: DisclosureTransfer[] | null;
  categories: CcpaCategory[];
  rowCount: number;
  collections: ReportCollection[];
}

export interface AccessReport {
  format: 'privacydesk.access-report/1';
  caseId: string;
  locale: ReportLocale;
  /** IANA zone the report's dates and times are written in. */
  timeZone: string;
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
  /** Per collected category: sold, shared, disclosed for a business purpose, to which categories of recipients (§1798.115). */
  disclosed: DisclosedCategory[];
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
  /** What stops the report at staff review (empty: it may be sent). */
  review: ReportReviewItem[];
}

export interface BuildReportOptions {
  businessName: string;
  generatedAt: string;
  receivedAt?: string | null;
  disclosures?: SystemDisclosure[];
  /** fideslang category -> CCPA letter; default: ccpaCategoryOf (the table). */
  categoryOf?: (fidesCategory: string) => CcpaCategory | null;
  /** Include the specific pieces (values). Default true; false for a categories-only report. */
  includePieces?: boolean;
  /** Report language (default en). */
  locale?: ReportLocale;
  /** The consumer's time zone (default UTC). */
  timeZone?: string;
  /** Per system: display name, collection descriptions, field labels and formats (from the data maps). */
  systemInfo?: Record<string, SystemInfo>;
}

/** What a data map says for the report: its name, collection descriptions, field descriptions, labels and display. */
export function systemInfoFromMap(map: DataMap): SystemInfo {
  const collections: NonNullable<SystemInfo['collections']> = {};
  for (const c of map.collections) {
    const fields: Record<string, FieldInfo> = {};
    for (const f of c.fields) {
      const info: FieldInfo = {
        ...(f.description ? { description: f.description } : {}),
        ...(f.label ? { label: f.label } : {}),
        ...(f.display ? { display: f.display } : {}),
        ...(f.dataType ? { dataType: f.dataType } : {}),
        ...(f.primaryKey || f.references.length ? { key: true } : {}),
      };
      if (Object.keys(info).length) fields[f.name] = info;
    }
    collections[c.name] = { ...(c.description ? { description: c.description } : {}), fields };
  }
  return { ...(map.name ? { displayName: map.name } : {}), collections };
}

export const ccpaLabel = (letter: CcpaCategory, locale: ReportLocale): string => (locale === 'es' ? CCPA_LABELS_ES[letter] : CCPA_CATEGORIES[letter]);
const DISCLOSURE_WORDS = { sources: 'sources', purposes: 'business purposes', recipients: 'recipients (third parties, or none)' } as const;

export function buildAccessReport(discovery: DiscoveryResult, opts: BuildReportOptions): AccessReport {
  const includePieces = opts.includePieces ?? true;
  const locale = opts.locale ?? 'en';
  const mapOne = opts.categoryOf ?? ccpaCategoryOf;
  const seenCats = new Map<string, CcpaCategory | null>();
  const categoryOf = (c: string): CcpaCategory | null => {
    if (!seenCats.has(c)) seenCats.set(c, mapOne(c));
    return seenCats.get(c)!;
  };
  const info = opts.systemInfo ?? {};
  const unmapped = new Map<string, Set<string>>();
  const disclosures = new Map((opts.disclosures ?? []).map((d) => [d.system, d]));
  const catAcc = new Map<CcpaCategory, { data: Set<string>; fields: Set<string>; items: Set<string>; systems: Set<string>; values: number }>();
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
        system: col.system, displayName: info[col.system]?.displayName ?? col.system, declared: !!d,
        sources: d?.sources ?? [], purposes: d?.purposes ?? [], thirdParties: d?.thirdParties ?? [], transfers: d?.transfers ?? null,
        categories: [], rowCount: 0, collections: [],
      };
      systems.set(col.system, sys);
    }
    const fields: string[] = [];
    const seen = new Set<string>();
    const fieldCategories: Record<string, string> = {};
    const sysCats = new Set(sys.categories);
    const colInfo = info[col.system]?.collections?.[col.collection];
    const details = new Map<string, ReportField>();
    const detailOf = (field: string, fides: string | undefined): ReportField => {
      let f = details.get(field);
      if (!f || (!f.dataCategory && fides)) {
        const fi = colInfo?.fields?.[field];
        const personal = !!fides && isPersonal(fides);
        f = { field, label: fieldLabel(field, fides, fi, locale), dataCategory: fides ?? null, ccpa: fides ? categoryOf(fides) : null, personal, ...(fi ? { info: fi } : {}) };
        details.set(field, f);
      }
      return f;
    };
    for (const r of rows) {
      for (const [field, value] of Object.entries(r.values)) {
        if (!seen.has(field)) { seen.add(field); fields.push(field); }
        const fides = r.categories[field];
        const detail = detailOf(field, fides);
        if (!fides || value === null || value === undefined || value === '') continue;
        fieldCategories[field] = fides;
        if (!detail.personal) continue; // system.* (ids, timestamps): shown with the record, not personal information
        const letter = detail.ccpa;
        if (!letter) {
          let u = unmapped.get(col.system);
          if (!u) { u = new Set(); unmapped.set(col.system, u); }
          u.add(fides);
          continue;
        }
        sysCats.add(letter);
        let acc = catAcc.get(letter);
        if (!acc) { acc = { data: new Set(), fields: new Set(), items: new Set(), systems: new Set(), values: 0 }; catAcc.set(letter, acc); }
        acc.data.add(fides);
        acc.fields.add(`${col.collection}.${field}`);
        acc.items.add(detail.label);
        acc.systems.add(col.system);
        acc.values += 1;
        values += 1;
      }
    }
    sys.categories = CCPA_LETTERS.filter((l) => sysCats.has(l));
    sys.rowCount += rows.length;
    rowsTotal += rows.length;
    sys.collections.push({
      dataset: col.dataset, collection: col.collection, fields, fieldCategories,
      label: collectionLabel(col.collection, colInfo?.description), fieldDetails: fields.map((f) => details.get(f)!),
      rows: includePieces ? rows : [], rowCount: rows.length,
    });
  }

  const categories: ReportCategory[] = CCPA_LETTERS.map((letter) => {
    const acc = catAcc.get(letter);
    return {
      letter, label: ccpaLabel(letter, locale), collected: !!acc,
      items: acc ? [...acc.items].sort((a, b) => a.localeCompare(b)) : [],
      dataCategories: acc ? [...acc.data].sort() : [],
      fields: acc ? [...acc.fields].sort() : [],
      systems: acc ? [...acc.systems].sort() : [],
      values: acc?.values ?? 0,
    };
  });
  const sysList = [...systems.values()].sort((a, b) => a.system.localeCompare(b.system));
  const review: ReportReviewItem[] = [];
  for (const s of sysList) {
    if (!s.categories.length && !unmapped.has(s.system)) continue; // no personal information found there
    const missing = [...(s.sources.length ? [] : ['sources']), ...(s.purposes.length ? [] : ['purposes']), ...(s.declared ? [] : ['recipients'])] as Array<keyof typeof DISCLOSURE_WORDS>;
    if (missing.length) {
      review.push({ system: s.system, displayName: s.displayName, kind: 'disclosures', missing,
        message: `declare them for system ${s.system}: ${missing.map((m) => DISCLOSURE_WORDS[m]).join(', ')} missing (it holds personal information, and the report may not say "none recorded")` });
    }
  }
  for (const [system, cats] of unmapped) {
    review.push({ system, displayName: systems.get(system)?.displayName ?? system, kind: 'unmapped_category', missing: [...cats].sort(),
      message: `map ${[...cats].sort().join(', ')} (system ${system}) to a CCPA category: the table in shared/domain/report/ccpa-categories.ts does not name ${cats.size > 1 ? 'them' : 'it'}` });
  }
  return {
    format: 'privacydesk.access-report/1',
    locale,
    timeZone: opts.timeZone ?? 'UTC',
    scope: includePieces ? 'specific-pieces' : 'categories',
    caseId: discovery.caseId,
    businessName: opts.businessName,
    receivedAt: opts.receivedAt ?? null,
    generatedAt: opts.generatedAt,
    strategy: discovery.strategy,
    categories,
    disclosed: disclosureBreakdown(sysList, (l) => ccpaLabel(l, locale)),
    systems: sysList,
    totals: { systems: sysList.length, collections: sysList.reduce((n, s) => n + s.collections.length, 0), rows: rowsTotal, values },
    withheldShared,
    withheldPieces: [...withheldPieces.values()],
    unavailableSystems: discovery.errors.map((e) => ({ system: e.system, at: e.at })),
    data: { ...discovery, collections: includePieces ? disclosedCollections : disclosedCollections.map((c) => ({ ...c, rows: [] })) },
    review,
  };
}

/** A value as raw report text (machine copies): strings as-is, dates ISO, objects JSON. */
export const displayValue = rawText;
