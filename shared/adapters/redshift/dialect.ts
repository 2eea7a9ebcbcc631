// SQL in the dialect Redshift accepts (which PostgreSQL also runs, so tests use a real PostgreSQL):
// no arrays (= ANY), no RETURNING, no ON CONFLICT, no :: casts; value lists expanded to
// IN ($1, $2, ...) in bounded chunks; phone digits via TRANSLATE (Redshift's REGEXP_REPLACE replaces
// every match, PostgreSQL's only the first without the 'g' flag, TRANSLATE means the same in both).
export const IN_CHUNK = 500;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/gu, '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export function normalizedColumn(column: string, kind: 'email' | 'phone' | 'postal' | 'custom'): string {
  const ref = `CAST(${quoteIdent(column)} AS VARCHAR(65535))`;
  if (kind === 'email') return `LOWER(TRIM(${ref}))`;
  if (kind === 'phone') return `TRANSLATE(${ref}, ' ()-.+/', '')`;
  if (kind === 'postal') return `UPPER(REPLACE(${ref}, ' ', ''))`;
  return ref;
}

/** "$n, $n+1, ..." for `count` values starting at parameter `from` (1-based). */
export function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
}

export function chunks<T>(list: T[], n = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}
