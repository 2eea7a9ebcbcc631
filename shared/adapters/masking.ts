// Masking values: null, a fixed value, a keyed hash or a random token (of the mask's length). A
// column that cannot hold the chosen value (NOT NULL, a number column, a short text column) gets a
// valid masked value of its type instead of an error.
import { randomBytes } from 'node:crypto';
import type { Mask } from '../domain/datamap';
import type { FieldSchema } from './port';

type Kind = 'text' | 'number' | 'boolean' | 'date' | 'timestamp';

export function columnKind(dataType: string): Kind {
  const t = dataType.toLowerCase();
  if (/bool/u.test(t)) return 'boolean';
  if (/timestamp|datetime/u.test(t)) return 'timestamp';
  if (/^date$/u.test(t)) return 'date';
  if (/int|numeric|decimal|real|double|float|number|money|serial/u.test(t)) return 'number';
  return 'text';
}

function fit(s: string, live: FieldSchema | undefined): string {
  const max = live?.maxLength ?? null;
  return max && max > 0 && s.length > max ? s.slice(0, max) : s;
}

function fallback(kind: Kind, live: FieldSchema | undefined): unknown {
  switch (kind) {
    case 'number': return 0;
    case 'boolean': return false;
    case 'date': return '1970-01-01';
    case 'timestamp': return '1970-01-01T00:00:00.000Z';
    default: return fit(`redacted-${randomBytes(6).toString('hex')}`, live);
  }
}

/** The value a masked field gets. `hash` is keyed by the installation's hash key (never reversible without it). */
export function maskedValue(mask: Mask | undefined, original: unknown, live: FieldSchema | undefined, keyedHash: (v: string) => string): unknown {
  const kind = columnKind(live?.dataType ?? 'text');
  const nullable = live ? live.nullable : true;
  const strategy = mask?.strategy ?? 'null';
  if (strategy === 'null') return nullable ? null : fallback(kind, live);
  if (strategy === 'fixed') {
    const v = mask?.value;
    if (v === undefined) return nullable ? null : fallback(kind, live);
    if (kind === 'number') return typeof v === 'number' ? v : fallback(kind, live);
    if (kind === 'boolean') return typeof v === 'boolean' ? v : fallback(kind, live);
    if (kind === 'text') return fit(String(v), live);
    return fallback(kind, live);
  }
  if (strategy === 'hash') {
    if (kind !== 'text') return nullable ? null : fallback(kind, live);
    return fit(keyedHash(original === null || original === undefined ? '' : String(original)), live);
  }
  // random: mask.length characters when the map gives it (Fides random_string_rewrite), else 24
  if (kind === 'number') return nullable ? null : 0;
  if (kind !== 'text') return nullable ? null : fallback(kind, live);
  const n = mask?.length ?? 24;
  return fit(randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n), live);
}
