// Masking values: null, a fixed value, a keyed hash or a random token (of the mask's length). A
// column that cannot hold the chosen value (NOT NULL, a number column, a short text column) gets a
// valid masked value of its type instead of an error.
// Every value is a function of the original and the installation's keyed hash, never of a random
// source: the check step rebuilds the plan and must find each row under the same new values (a
// keyless row is looked up by them), and a re-run after a crash writes the same values. Without the
// key a "random" token cannot be told from random nor traced back to the original.
import type { Mask } from '../../domain/datamap';
import type { FieldSchema } from '../../adapters/port';

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

const orig = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** n hex characters derived from the original by the keyed hash (stable, unlinkable without the key). */
function token(keyedHash: (v: string) => string, purpose: string, original: unknown, n: number): string {
  let out = '';
  for (let i = 0; out.length < n && i < 256; i += 1) out += keyedHash(`${purpose}|${i}|${orig(original)}`).toLowerCase().replace(/[^0-9a-f]/gu, '');
  return out.padEnd(n, '0').slice(0, n);
}

function fallback(kind: Kind, live: FieldSchema | undefined, keyedHash: (v: string) => string, original: unknown): unknown {
  switch (kind) {
    case 'number': return 0;
    case 'boolean': return false;
    case 'date': return '1970-01-01';
    case 'timestamp': return '1970-01-01T00:00:00.000Z';
    default: return fit(`redacted-${token(keyedHash, 'redacted', original, 12)}`, live);
  }
}

/** The value a masked field gets. `hash` is keyed by the installation's hash key (never reversible without it). */
export function maskedValue(mask: Mask | undefined, original: unknown, live: FieldSchema | undefined, keyedHash: (v: string) => string): unknown {
  const kind = columnKind(live?.dataType ?? 'text');
  const nullable = live ? live.nullable : true;
  const strategy = mask?.strategy ?? 'null';
  if (strategy === 'null') return nullable ? null : fallback(kind, live, keyedHash, original);
  if (strategy === 'fixed') {
    const v = mask?.value;
    if (v === undefined) return nullable ? null : fallback(kind, live, keyedHash, original);
    if (kind === 'number') return typeof v === 'number' ? v : fallback(kind, live, keyedHash, original);
    if (kind === 'boolean') return typeof v === 'boolean' ? v : fallback(kind, live, keyedHash, original);
    if (kind === 'text') return fit(String(v), live);
    return fallback(kind, live, keyedHash, original);
  }
  if (strategy === 'hash') {
    if (kind !== 'text') return nullable ? null : fallback(kind, live, keyedHash, original);
    return fit(keyedHash(original === null || original === undefined ? '' : String(original)), live);
  }
  // random: mask.length characters when the map gives it (Fides random_string_rewrite), else 24
  if (kind === 'number') return nullable ? null : 0;
  if (kind !== 'text') return nullable ? null : fallback(kind, live, keyedHash, original);
  const n = mask?.length ?? 24;
  return fit(token(keyedHash, 'random', original, n), live);
}
