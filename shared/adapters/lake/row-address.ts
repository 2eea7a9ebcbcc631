// Reading back, after an erasure, the planned rows of a lake table without a primary key. Such a
// row is addressed by its file, row number and file version (_lake_file, _lake_row, _lake_version:
// table-spec.ts), and a rewrite (rewrite.ts) gives the file a new version and drops deleted rows
// while keeping the order of the others. So the planned address of a row is no longer where it is:
// - the file still has the planned version: it was not rewritten, every row is where it was;
// - else the row once at r is now at r - (rows of that file version the plan deleted before r);
//   a deleted row is still there when a current row of the file (not one of the changed rows)
//   holds every personal value the deleted row held. Then the shift above does not hold for that
//   file, and its changed rows count as not found (a false alarm rather than a false "fine").
// The files are read as they are now (find by _lake_file); nothing execution recorded is trusted.
import type { DataSource, Row } from '../port';
import { FILE_COLUMN, ROW_COLUMN, VERSION_COLUMN } from './table-spec';

/** Whether a planned key is a lake row address (a table without a primary key). */
export function isRowAddress(key: Row): boolean {
  return FILE_COLUMN in key && ROW_COLUMN in key && VERSION_COLUMN in key;
}

export interface AddressedPlan {
  deletes: Row[];
  /** Per delete (same order): the personal values the deleted row held. */
  deletedValues: Row[];
  updates: Array<{ key: Row }>;
}

export interface AddressedReadBack {
  /** Per planned delete: whether the row is still there. */
  deletedLeft: boolean[];
  /** Per planned update: the row as it is now (null: it could not be found). */
  updated: Array<Row | null>;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Where a planned row is now, given the file's current version (null: the file holds no rows). */
export function currentRowNumber(planned: { row: number; version: string }, currentVersion: string | null, deletedBefore: readonly number[]): number {
  if (currentVersion === planned.version) return planned.row;
  let shift = 0;
  for (const d of deletedBefore) if (d < planned.row) shift += 1;
  return planned.row - shift;
}

export async function readBackByAddress(src: DataSource, collection: string, plan: AddressedPlan): Promise<AddressedReadBack> {
  const files = [...new Set([...plan.deletes, ...plan.updates.map((u) => u.key)].map((k) => String(k[FILE_COLUMN])))];
  const rows = files.length ? await src.find(collection, [{ field: FILE_COLUMN, values: files }]) : [];
  const byFile = new Map<string, { version: string | null; rows: Map<number, Row> }>();
  for (const f of files) byFile.set(f, { version: null, rows: new Map() });
  for (const r of rows) {
    const e = byFile.get(String(r[FILE_COLUMN]));
    if (!e) continue;
    e.version = String(r[VERSION_COLUMN]);
    e.rows.set(Number(r[ROW_COLUMN]), r);
  }
  // Rows the plan deleted, per file version (what a rewrite of that version removed).
  const deletedOf = new Map<string, number[]>();
  for (const k of plan.deletes) {
    const id = `${String(k[FILE_COLUMN])}\u0000${String(k[VERSION_COLUMN])}`;
    deletedOf.set(id, [...(deletedOf.get(id) ?? []), Number(k[ROW_COLUMN])]);
  }
  const locate = (k: Row): { file: string; now: number; rewritten: boolean } => {
    const file = String(k[FILE_COLUMN]);
    const version = String(k[VERSION_COLUMN]);
    const cur = byFile.get(file)!.version;
    return { file, now: currentRowNumber({ row: Number(k[ROW_COLUMN]), version }, cur, deletedOf.get(`${file}\u0000${version}`) ?? []), rewritten: cur !== null && cur !== version };
  };
  const located = plan.updates.map((u) => {
    const { file, now } = locate(u.key);
    return { file, now, row: byFile.get(file)!.rows.get(now) ?? null };
  });
  const targets = new Map<string, Set<number>>(); // file -> current rows that are changed rows
  for (const l of located) if (l.row) targets.set(l.file, new Set([...(targets.get(l.file) ?? []), l.now]));
  const broken = new Set<string>(); // rewritten files still holding a deleted row: the shift is not known
  const deletedLeft = plan.deletes.map((k, i) => {
    const { file, rewritten } = locate(k);
    const e = byFile.get(file)!;
    if (e.version === null) return false; // the file holds no rows now
    if (!rewritten) return e.rows.has(Number(k[ROW_COLUMN]));
    const held = Object.entries(plan.deletedValues[i] ?? {}).filter(([, v]) => text(v) !== null && text(v) !== '');
    if (!held.length) return false; // nothing personal to recognise it by; the file was rewritten without it
    const changed = targets.get(file) ?? new Set<number>();
    for (const [n, r] of e.rows) {
      if (!changed.has(n) && held.every(([f, v]) => text(r[f]) === text(v))) { broken.add(file); return true; }
    }
    return false;
  });
  const updated = located.map((l) => (broken.has(l.file) ? null : l.row));
  return { deletedLeft, updated };
}
