// Which of the walk's look-ups an index can serve in a SQL store, and the index to create where
// none can. The walk looks rows up by identity (email as lower(trim(col)), phone, custom keys, the
// postal code of an address group) and by reference (both ends of every link of the map). Whether
// an index serves a look-up is asked of the database itself (EXPLAIN, with sequential scans
// discouraged on PostgreSQL so a small table still shows the index it could use), so any index that
// serves the expression counts: a plain one, an expression one, a composite one led by the column.
//
// Phones: with an index on the punctuation-insensitive expression (phoneDigitsSql) the look-up
// compares digits through it (every way of writing the number matches, as without an index); with
// only a plain index on the column, the look-up asks for the usual written forms of the number
// (../domain/phone-forms.ts) through that index; with neither, it scans the column as before and
// `systems add` and the data map screen say which index to create.
import type { Db } from '../store/db';
import { linksOf, type DataMap } from '../domain/datamap';
import { fullAddressGroup } from '../domain/ownership';

export const quoteIdent = (name: string): string => `"${name.replace(/"/gu, '""')}"`;

/** The stored phone with spaces, dashes, brackets, dots and "+" removed (portable: nested replace). */
export function phoneDigitsSql(col: string): string {
  let e = col;
  for (const ch of [' ', '-', '(', ')', '.', '+']) e = `replace(${e}, '${ch}', '')`;
  return e;
}
export const emailSql = (col: string): string => `lower(trim(${col}))`;
export const postalSql = (col: string): string => `replace(upper(trim(${col})), ' ', '')`;

export type LookupKind = 'email' | 'phone' | 'postal' | 'value';

/** The SQL expression a look-up of this kind compares (col already quoted). */
export function lookupSql(kind: LookupKind, col: string): string {
  return kind === 'email' ? emailSql(col) : kind === 'phone' ? phoneDigitsSql(col) : kind === 'postal' ? postalSql(col) : col;
}

/**
 * True when the database would answer `expr IN (...)` on the table through an index, false when it
 * would scan, null when it cannot tell (the check itself failed: a type the probe value does not fit).
 */
export async function servedByIndex(db: Db, table: string, expr: string): Promise<boolean | null> {
  const sql = `SELECT 1 FROM ${quoteIdent(table)} WHERE ${expr} IN ('0')`;
  try {
    if (db.dialect === 'sqlite') {
      const plan = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
      const own = plan.map((p) => String(p.detail));
      // SEARCH = through an index; SCAN (even "USING INDEX") = every row.
      return own.some((d) => /^SEARCH /u.test(d)) && !own.some((d) => /^SCAN /u.test(d));
    }
    return await db.tx(async (t) => {
      await t.exec('SET LOCAL enable_seqscan = off');
      const plan = await t.all<Record<string, unknown>>(`EXPLAIN ${sql}`);
      const text = plan.map((r) => String(Object.values(r)[0])).join('\n');
      // An index scanned whole with the expression as a filter (cheaper than a disabled sequential
      // scan) does not count: the index must bound the scan (Index Cond / Recheck Cond).
      return !/Seq Scan/u.test(text) && /Index Cond|Recheck Cond/u.test(text);
    });
  } catch {
    return null;
  }
}

/** A look-up the walk makes and whether an index serves it. */
export interface LookupIndex {
  collection: string;
  field: string;
  lookup: LookupKind;
  /** Why the walk makes it: "identity:email", "reference:orders.customer_id"... */
  reason: string;
  /** index = an index serves the look-up; phone-forms = a plain index serves the written forms of a number; scan = none. */
  served: 'index' | 'phone-forms' | 'scan' | 'unknown';
  /** The statement that creates an index serving it exactly (null when one already does). */
  createIndex: string | null;
}

/** The look-ups of a map (identity fields, the postal code of address groups, both ends of every link). */
export function lookupsOf(map: DataMap): Array<Omit<LookupIndex, 'served' | 'createIndex'>> {
  const out = new Map<string, Omit<LookupIndex, 'served' | 'createIndex'>>();
  const add = (collection: string, field: string, lookup: LookupKind, reason: string) => {
    const k = `${collection}\u0000${field}\u0000${lookup}`;
    if (!out.has(k)) out.set(k, { collection, field, lookup, reason });
  };
  for (const c of map.collections) {
    if ((c as { skip?: boolean }).skip === true) continue;
    for (const f of c.fields) {
      if (!f.identity) continue;
      add(c.name, f.name, f.identity === 'email' ? 'email' : f.identity === 'phone' ? 'phone' : 'value', `identity:${f.identity}`);
    }
    const group = fullAddressGroup(c);
    if (group) add(c.name, group.get('postalCode')!, 'postal', 'identity:address');
  }
  for (const l of linksOf(map)) {
    add(l.child.collection, l.child.field, 'value', `reference:${l.parent.collection}.${l.parent.field}`);
    add(l.parent.collection, l.parent.field, 'value', `reference:${l.child.collection}.${l.child.field}`);
  }
  return [...out.values()];
}

const indexName = (table: string, field: string, lookup: LookupKind) =>
  `${table}_${field}${lookup === 'value' ? '' : `_${lookup === 'phone' ? 'digits' : lookup}`}_lookup`.replace(/[^A-Za-z0-9_]/gu, '_').slice(0, 63);

/** CREATE INDEX for a look-up (the expression exactly as the walk writes it, so the planner uses it). */
export function createIndexSql(table: string, field: string, lookup: LookupKind): string {
  return `CREATE INDEX ${quoteIdent(indexName(table, field, lookup))} ON ${quoteIdent(table)} (${lookupSql(lookup, quoteIdent(field))});`;
}
