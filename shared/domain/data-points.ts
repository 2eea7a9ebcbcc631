// §7062 data points a consumer gives on the privacy center, compared with what the data map found
// for them (their own rows only: never a shared row or another person's). Pure: the rows come in.
import { normalizePhone } from './identity';

export type DataPointKind = 'phone' | 'postalCode' | 'birthDate';
export type DataPoints = Partial<Record<DataPointKind, string>>;

/** The fideslang category each data point is read from. */
export const DATA_POINT_CATEGORIES: Record<DataPointKind, string> = {
  phone: 'user.contact.phone_number',
  postalCode: 'user.contact.address.postal_code',
  birthDate: 'user.demographic.date_of_birth',
};

export interface PointRow { values: Record<string, unknown>; categories: Record<string, string>; shared: unknown; other?: unknown }

function canonical(kind: DataPointKind, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = v instanceof Date ? v.toISOString() : String(v).trim();
  if (!s) return null;
  if (kind === 'phone') return normalizePhone(s) ?? s.replace(/\D/gu, '');
  if (kind === 'postalCode') { const c = s.toUpperCase().replace(/[\s-]/gu, ''); return /^\d{9}$/u.test(c) ? c.slice(0, 5) : c; }
  return /^\d{4}-\d{2}-\d{2}/u.test(s) ? s.slice(0, 10) : s;
}

/**
 * Which given points match a value held in the subject's own rows: { matched, mismatched } by
 * kind. A point the map holds no value for counts as mismatched (it proves nothing).
 */
export function matchDataPoints(given: DataPoints, rows: readonly PointRow[]): { matched: DataPointKind[]; mismatched: DataPointKind[] } {
  const held = new Map<DataPointKind, Set<string>>();
  const kinds = Object.keys(DATA_POINT_CATEGORIES) as DataPointKind[];
  for (const r of rows) {
    if (r.shared || r.other) continue;
    for (const [field, cat] of Object.entries(r.categories)) {
      for (const k of kinds) {
        if (cat !== DATA_POINT_CATEGORIES[k] && !cat.startsWith(`${DATA_POINT_CATEGORIES[k]}.`)) continue;
        const c = canonical(k, r.values[field]);
        if (c) { const set = held.get(k) ?? new Set<string>(); set.add(c); held.set(k, set); }
      }
    }
  }
  const matched: DataPointKind[] = [];
  const mismatched: DataPointKind[] = [];
  for (const k of kinds) {
    const g = given[k];
    if (g === undefined || g.trim() === '') continue;
    const c = canonical(k, g);
    (c && held.get(k)?.has(c) ? matched : mismatched).push(k);
  }
  return { matched, mismatched };
}
