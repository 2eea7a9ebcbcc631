// PII discovery for a store no one has mapped (seeds 001/004): introspect the schema, propose a
// category per column from its name and from a bounded sample of its values (emails, phones checked
// with libphonenumber, card numbers with a Luhn check), mark identities and primary keys, guess
// references from "<table>_id" names, and produce a draft data map for staff review.
// Sampled values are only tested in memory: never stored, returned or logged.
import { categoryFromColumnName } from '../domain/categories';
import { isEmail, normalizePhone } from '../domain/identity';
import type { DataMap, DataMapCollection, DataMapField } from '../domain/datamap';
import type { CollectionSchema, DataSource } from './port';

export interface ColumnFinding {
  collection: string;
  field: string;
  /** Proposed category, or null. */
  category: string | null;
  /** Where the proposal came from. */
  basis: 'name' | 'values' | 'name+values' | 'none';
  /** Share of sampled non-null values that passed the value check (0..1), null when not sampled. */
  valueShare: number | null;
  sampled: number;
  /** The category the column-name rule proposes (null: no rule matched). */
  nameCategory: string | null;
  /** The value check most sampled values passed (null: none reached the threshold, or not sampled). */
  valueKind: ValueKind | null;
}

/** Columns looked at so far, of how many, and the table being sampled (for progress bars). */
export interface DiscoveryProgress { done: number; total: number; collection: string | null }

export interface DiscoverOptions {
  sampleSize?: number;
  dataset?: string;
  /**
   * Called after each column (never with values). When it returns a promise, discovery waits for
   * it: a server yields to its event loop there, so it keeps answering while a long run goes on
   * (synchronous drivers such as better-sqlite3 never yield on their own).
   */
  onProgress?: (p: DiscoveryProgress) => void | Promise<void>;
  /** Stops between columns (the run fails with the signal's reason). */
  signal?: AbortSignal;
}

export interface DiscoveryDraft { map: DataMap; findings: ColumnFinding[] }

/** Luhn check for 12-19 digit card numbers (spaces and dashes allowed). */
export function luhnValid(value: string): boolean {
  const digits = value.replace(/[\s-]/gu, '');
  if (!/^\d{12,19}$/u.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

const looksLikePhone = (v: string) => /^[\d\s()+.-]{7,20}$/u.test(v) && /\d{3}/u.test(v) && normalizePhone(v) !== null;

export type ValueKind = 'email' | 'phone' | 'card';
const VALUE_CATEGORY: Record<ValueKind, string> = { email: 'user.contact.email', phone: 'user.contact.phone_number', card: 'user.financial.credit_card' };

/** Which value check most sampled values pass (at least `threshold` of them), with the share. */
export function classifyValues(values: unknown[], threshold = 0.6): { kind: ValueKind | null; share: number } {
  const texts = values.filter((v) => v !== null && v !== undefined && (typeof v === 'string' || typeof v === 'number')).map(String);
  if (!texts.length) return { kind: null, share: 0 };
  const counts: Record<ValueKind, number> = { email: 0, phone: 0, card: 0 };
  for (const t of texts) {
    if (isEmail(t)) counts.email += 1;
    else if (luhnValid(t)) counts.card += 1;
    else if (looksLikePhone(t)) counts.phone += 1;
  }
  let best: ValueKind | null = null;
  for (const k of ['email', 'card', 'phone'] as const) if (!best || counts[k] > counts[best]) best = k;
  const share = best ? counts[best] / texts.length : 0;
  return share >= threshold ? { kind: best, share } : { kind: null, share };
}

const TEXTISH = /char|text|string|clob|varchar|bpchar|^$/u;

/** Columns whose values are sampled: text-like and integer/numeric ones (card numbers, phones stored as numbers). */
export function isSampledType(dataType: string): boolean {
  const t = dataType.toLowerCase();
  return TEXTISH.test(t) || /int|numeric|bigint/u.test(t);
}

export async function discoverPii(source: DataSource, opts: DiscoverOptions = {}): Promise<DiscoveryDraft> {
  const sampleSize = Math.max(1, Math.min(1000, opts.sampleSize ?? 200));
  opts.signal?.throwIfAborted();
  const live = await source.introspect();
  const total = live.reduce((n, c) => n + c.fields.length, 0);
  let done = 0;
  await opts.onProgress?.({ done, total, collection: live[0]?.name ?? null });
  const findings: ColumnFinding[] = [];
  const collections: DataMapCollection[] = [];
  const tableNames = new Set(live.map((c) => c.name));
  for (const c of live) {
    const fields: DataMapField[] = [];
    for (const f of c.fields) {
      opts.signal?.throwIfAborted();
      const byName = categoryFromColumnName(f.name);
      let kind: ValueKind | null = null;
      let share: number | null = null;
      let sampled = 0;
      if (isSampledType(f.dataType)) {
        const sample = await source.sample(c.name, f.name, sampleSize);
        sampled = sample.length;
        const r = classifyValues(sample);
        kind = r.kind; share = sample.length ? r.share : null;
        sample.length = 0; // values are dropped here
      }
      const byValues = kind ? VALUE_CATEGORY[kind] : null;
      const category = byValues ?? byName;
      const basis: ColumnFinding['basis'] = byValues && byName ? 'name+values' : byValues ? 'values' : byName ? 'name' : 'none';
      findings.push({ collection: c.name, field: f.name, category, basis, valueShare: share, sampled, nameCategory: byName, valueKind: kind });
      const identity = category === 'user.contact.email' ? 'email' : category === 'user.contact.phone_number' ? 'phone' : undefined;
      fields.push({
        name: f.name,
        categories: [f.primaryKey && !category ? 'system.operations' : category ?? 'system.operations'],
        ...(identity ? { identity } : {}),
        primaryKey: f.primaryKey,
        dataType: f.dataType,
        references: guessReference(f.name, c, tableNames, live),
      });
      done += 1;
      await opts.onProgress?.({ done, total, collection: c.name });
    }
    collections.push({ name: c.name, erasure: 'mask', fields });
  }
  return { map: { dataset: opts.dataset ?? 'discovered', description: 'Draft from PII discovery: review every category, identity and reference before use.', collections }, findings };
}

/** "customer_id" in orders -> customers.id (or customer.id), values flowing from the parent. */
function guessReference(field: string, c: CollectionSchema, tables: Set<string>, live: CollectionSchema[]): DataMapField['references'] {
  const m = /^(.+)_id$/u.exec(field);
  if (!m) return [];
  const base = m[1]!;
  for (const t of [base, `${base}s`, `${base}es`, base.replace(/y$/u, 'ies')]) {
    if (t === c.name || !tables.has(t)) continue;
    const target = live.find((x) => x.name === t)!;
    const pk = target.fields.find((x) => x.primaryKey)?.name ?? (target.fields.some((x) => x.name === 'id') ? 'id' : null);
    if (pk) return [{ collection: t, field: pk, direction: 'from' }];
  }
  return [];
}
