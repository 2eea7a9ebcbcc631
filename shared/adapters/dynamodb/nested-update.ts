// Nested changes of a DynamoDB map attribute as document-path operations (pure). Masking a nested
// field (profile.name) must not rewrite the whole map: the map's plain form (attribute-value.ts
// fromAttr) loses what JSON cannot hold (a string set SS reads as a list, a number beyond 2^53 as
// text, binary as base64), so writing it back would change those siblings' DynamoDB types. Instead
// the plain value the plan read and the masked value it wants are compared, and only the leaves that
// differ become `SET #p.#n = :v` / `REMOVE #p.#n` on their document paths; every other key of the
// map is never written and keeps its type and value exactly.

export interface NestedOps {
  /** Document paths (attribute first, then map keys) to set, with the plain value to write there. */
  sets: Array<{ path: string[]; value: unknown }>;
  /** Document paths to remove (a masked value of null, a key the masked map no longer has). */
  removes: string[][];
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Deep equality of plain values (JSON-like: maps, lists, strings, numbers, booleans, null). */
export function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => samePlain(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && samePlain(a[k], b[k]));
  }
  return false;
}

/** Whether a change of `attribute` from `before` to `after` can be written as nested paths (both maps). */
export function isNestedChange(before: unknown, after: unknown): boolean {
  return isMap(before) && isMap(after);
}

/**
 * The leaf operations turning map `before` into map `after` under `attribute`. A key present in both
 * whose values are maps is compared key by key; any other differing value (a list included) is set
 * as a whole at its path; null / missing in `after` removes the path.
 */
export function nestedOps(attribute: string, before: Record<string, unknown>, after: Record<string, unknown>): NestedOps {
  const ops: NestedOps = { sets: [], removes: [] };
  const walk = (b: Record<string, unknown>, a: Record<string, unknown>, path: string[]): void => {
    for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const bv = b[k];
      const av = a[k];
      const p = [...path, k];
      if (av === null || av === undefined) {
        if (bv !== null && bv !== undefined) ops.removes.push(p);
        continue;
      }
      if (isMap(bv) && isMap(av)) { walk(bv, av, p); continue; }
      if (!samePlain(bv, av)) ops.sets.push({ path: p, value: av });
    }
  };
  walk(before, after, [attribute]);
  return ops;
}

/**
 * Placeholders for document paths: `#n0.#n1` with one expression attribute name per distinct
 * segment (names with spaces, dots or reserved words included), shared across the paths of one
 * UpdateItem. Returns the expression text of a path.
 */
export class PathNames {
  readonly names: Record<string, string> = {};
  private readonly bySegment = new Map<string, string>();

  constructor(private readonly prefix = '#n') {}

  path(segments: readonly string[]): string {
    return segments.map((s) => {
      let ph = this.bySegment.get(s);
      if (!ph) {
        ph = `${this.prefix}${this.bySegment.size}`;
        this.bySegment.set(s, ph);
        this.names[ph] = s;
      }
      return ph;
    }).join('.');
  }
}
