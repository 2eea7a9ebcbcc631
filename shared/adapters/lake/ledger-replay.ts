// Re-apply recorded erasures to a data store at scale after a restore (seeds 000/001: restore ->
// delete -> re-back-up). The deletion ledger keeps only keyed hashes of erased identities, so the
// store's distinct identity values are hashed with the same key and compared: whatever matches a
// ledger entry came back with the restore and is erased again, in one batch per collection.
// Reports counts only: no identity, no hash prefix that could be linked back, leaves this module.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { FieldMatch } from '../port';

export type IdentityColumnKind = 'email' | 'phone' | 'custom';

/** What an engine must offer for replay (the Parquet lake, DynamoDB, Redshift and Athena engines do). */
export interface ReplayableSource {
  readonly engine: string;
  distinctIdentities(collection: string): Promise<Array<{ column: string; kind: IdentityColumnKind; values: string[] }>>;
  eraseBatch(collection: string, requests: Array<{ id: string; matches: FieldMatch[] }>, options: { dryRun?: boolean }): Promise<unknown>;
}

export interface LedgerEntry {
  /** Keyed hash (PiiCrypto.keyedHash) of the normalised identity. */
  hash: string;
  /** Identity kind as hashed: "email", "phone", "custom:<name>". */
  kind: string;
  /** When the erasure was made (ISO instant). */
  erasedAt: string;
}

export interface CollectionReplay {
  collection: string;
  valuesChecked: number;
  identitiesFound: number;
  rowsChanged: number;
}

export interface ReplayReport {
  engine: string;
  dryRun: boolean;
  ledgerEntries: number;
  identitiesFound: number;
  rowsChanged: number;
  collections: CollectionReplay[];
}

/** The E.164 number behind a phone column's digits (stored with or without the country code). */
export function phoneFromDigits(digits: string, defaultCountry: string): string | null {
  const intl = parsePhoneNumberFromString(`+${digits}`);
  if (intl?.isValid()) return intl.number;
  const national = parsePhoneNumberFromString(digits, defaultCountry as CountryCode);
  return national?.isValid() ? national.number : null;
}

/** How a column's normalised value is hashed for the ledger: (kind, value) as identityPairs makes them. */
export function hashInput(kind: IdentityColumnKind, column: string, value: string, defaultCountry: string, customKeyOf?: (column: string) => string): { kind: string; value: string } | null {
  if (kind === 'email') return { kind: 'email', value };
  if (kind === 'phone') {
    const e164 = phoneFromDigits(value.replace(/[^0-9]/gu, ''), defaultCountry);
    return e164 ? { kind: 'phone', value: e164 } : null;
  }
  return { kind: `custom:${customKeyOf ? customKeyOf(column) : column}`, value: value.trim() };
}

/** Rows an engine's eraseBatch result says it changed (or would change, in a dry run). */
export function rowsChanged(result: unknown, dryRun: boolean): number {
  const r = (result ?? {}) as Record<string, unknown>;
  const n = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : 0);
  if (dryRun && typeof r.matched === 'number') return n('matched');
  return n('rowsDeleted') + n('rowsMasked') + n('deleted') + n('updated') + n('masked') + n('flagged');
}

export async function replayLedger(
  source: ReplayableSource, collections: string[], entries: LedgerEntry[],
  keyedHash: (kind: string, value: string) => string,
  options: { dryRun?: boolean; defaultCountry?: string; customKeyOf?: (collection: string, column: string) => string } = {},
): Promise<ReplayReport> {
  const dryRun = Boolean(options.dryRun);
  const country = options.defaultCountry ?? 'US';
  const wanted = new Set(entries.map((e) => `${e.kind}\u0000${e.hash}`));
  const report: ReplayReport = { engine: source.engine, dryRun, ledgerEntries: entries.length, identitiesFound: 0, rowsChanged: 0, collections: [] };
  if (entries.length === 0) return report;
  for (const collection of collections) {
    const found = new Map<string, FieldMatch[]>(); // ledger entry -> matches
    let checked = 0;
    for (const col of await source.distinctIdentities(collection)) {
      for (const v of col.values) {
        checked += 1;
        const h = hashInput(col.kind, col.column, v, country, options.customKeyOf ? (c) => options.customKeyOf!(collection, c) : undefined);
        if (!h) continue;
        const key = `${h.kind}\u0000${keyedHash(h.kind, h.value)}`;
        if (!wanted.has(key)) continue;
        const list = found.get(key) ?? [];
        list.push({ field: col.column, values: [col.kind === 'phone' ? h.value : v] });
        found.set(key, list);
      }
    }
    const requests = [...found.values()].map((matches, i) => ({ id: `entry-${i + 1}`, matches }));
    let changed = 0;
    if (requests.length > 0) changed = rowsChanged(await source.eraseBatch(collection, requests, { dryRun }), dryRun);
    report.collections.push({ collection, valuesChecked: checked, identitiesFound: requests.length, rowsChanged: changed });
    report.identitiesFound += requests.length;
    report.rowsChanged += changed;
  }
  return report;
}
