// Rewrite one Parquet file without some rows, or with some columns of some rows replaced, keeping
// its columns and types, its compression codec and row-group size, and its place in the partition
// folders. The new file is written to a scratch path, checked (row count = before - deleted, same
// columns and types), and only then swapped in by the object store (atomic rename / single PUT).
import { rm, stat } from 'node:fs/promises';
import { DuckSession, quoteIdent, quoteLiteral } from './duckdb-session';
import type { FetchedObject, ObjectStore } from './object-store';
import type { Row } from '../port';

export interface RowEdit { row: number; action: 'delete' | 'update'; set?: Row }

export interface RewriteResult {
  key: string;
  rowsBefore: number;
  rowsAfter: number;
  deleted: number;
  updated: number;
  bytesBefore: number;
  bytesAfter: number;
  compression: string;
  version: string;
}

/** Called at the stages of a rewrite (tests use it to crash the process at a chosen moment). */
export type RewriteObserver = (stage: 'writing' | 'written' | 'swapped', key: string) => void | Promise<void>;

const CODECS = new Set(['SNAPPY', 'GZIP', 'ZSTD', 'LZ4', 'LZ4_RAW', 'BROTLI', 'UNCOMPRESSED']);

interface FileShape { rows: number; codec: string; rowGroup: number; columns: Array<{ name: string; type: string }> }

async function shapeOf(duck: DuckSession, path: string): Promise<FileShape> {
  const lit = quoteLiteral(path);
  const [meta] = await duck.all(`SELECT num_rows FROM parquet_file_metadata(${lit})`);
  const codecs = await duck.all(`SELECT compression, count(*) AS n FROM parquet_metadata(${lit}) GROUP BY compression ORDER BY n DESC, compression LIMIT 1`);
  const [rg] = await duck.all(`SELECT max(row_group_num_rows) AS m FROM parquet_metadata(${lit})`);
  const cols = await duck.all(`DESCRIBE SELECT * FROM read_parquet(${lit}, hive_partitioning = false)`);
  const codec = String(codecs[0]?.compression ?? 'SNAPPY').toUpperCase();
  return {
    rows: Number(meta?.num_rows ?? 0),
    codec: CODECS.has(codec) ? (codec === 'LZ4' ? 'LZ4_RAW' : codec) : 'SNAPPY',
    rowGroup: Math.max(1, Number(rg?.m ?? 0) || 122_880),
    columns: cols.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })),
  };
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/**
 * `applied`, when given, is told after the swap which edit took effect on each changed row (row
 * number -> the caller's own edit object): the first delete of the row, else its first update
 * (later updates of the same row are merged into it). Its deletes are exactly the rows the new file
 * lacks (checked), so callers can credit rows to the changes they came from.
 */
export async function rewriteFile(
  duck: DuckSession, store: ObjectStore, key: string, edits: RowEdit[],
  options: { fetched?: FetchedObject; observe?: RewriteObserver; applied?: (rows: ReadonlyMap<number, RowEdit>) => void } = {},
): Promise<RewriteResult> {
  const fetched = options.fetched ?? await store.fetch(key);
  try {
    const before = await shapeOf(duck, fetched.path);
    const names = new Set(before.columns.map((c) => c.name));
    if (names.has('file_row_number')) throw new Error(`lake file ${key}: a column named file_row_number cannot be rewritten`);
    const byRow = new Map<number, RowEdit>();
    const first = new Map<number, RowEdit>(); // row -> the caller's edit that took effect
    for (const e of edits) {
      if (!Number.isInteger(e.row) || e.row < 0 || e.row >= before.rows) throw new Error(`lake file ${key}: row ${e.row} does not exist`);
      const prev = byRow.get(e.row);
      if (prev?.action === 'delete') continue;
      if (e.action === 'update' && prev?.action === 'update') byRow.set(e.row, { ...e, set: { ...prev.set, ...e.set } });
      else { byRow.set(e.row, e); first.set(e.row, e); }
    }
    const setCols = [...new Set([...byRow.values()].flatMap((e) => (e.action === 'update' ? Object.keys(e.set ?? {}) : [])))];
    for (const c of setCols) if (!names.has(c)) throw new Error(`lake file ${key}: unknown column "${c}" (a partition column cannot be changed in place)`);
    const deleted = [...byRow.values()].filter((e) => e.action === 'delete').length;
    const updated = byRow.size - deleted;

    const header = ['r', 'del', ...setCols.flatMap((_, i) => [`v${i}`, `h${i}`])];
    const rows = [...byRow.values()].map((e) => [
      String(e.row), e.action === 'delete' ? '1' : null,
      ...setCols.flatMap((c) => (e.action === 'update' && e.set && Object.prototype.hasOwnProperty.call(e.set, c) ? [asText(e.set[c]), '1'] : [null, null])),
    ]);
    await duck.loadTable('__edits', header, rows);
    const setIndex = new Map(setCols.map((c, i) => [c, i]));
    const select = before.columns.map((c) => {
      const i = setIndex.get(c.name);
      const ref = `t.${quoteIdent(c.name)}`;
      return i === undefined ? ref : `CASE WHEN e.h${i} IS NOT NULL THEN CAST(e.v${i} AS ${c.type}) ELSE ${ref} END AS ${quoteIdent(c.name)}`;
    }).join(', ');
    const scratch = store.scratchPath(key);
    let bytesAfter: number;
    let rowsAfter: number;
    try {
      await options.observe?.('writing', key);
      await duck.run(`COPY (SELECT ${select} FROM read_parquet(${quoteLiteral(fetched.path)}, file_row_number = true, hive_partitioning = false) t `
        + `LEFT JOIN (SELECT CAST(r AS BIGINT) AS r, del, ${setCols.map((_, i) => `v${i}, h${i}`).concat(['1 AS one']).join(', ')} FROM __edits) e ON e.r = t.file_row_number `
        + `WHERE e.del IS NULL ORDER BY t.file_row_number) TO ${quoteLiteral(scratch)} `
        + `(FORMAT parquet, COMPRESSION ${before.codec}, ROW_GROUP_SIZE ${before.rowGroup})`);
      const after = await shapeOf(duck, scratch);
      const expected = before.rows - deleted;
      const sameColumns = after.columns.length === before.columns.length
        && after.columns.every((c, i) => c.name === before.columns[i]!.name && c.type === before.columns[i]!.type);
      if (after.rows !== expected || !sameColumns) {
        throw new Error(`lake file ${key}: rewritten file failed its check (rows ${after.rows}, expected ${expected}; columns ${sameColumns ? 'same' : 'differ'}); original kept`);
      }
      rowsAfter = after.rows;
      bytesAfter = (await stat(scratch)).size;
      await options.observe?.('written', key);
    } catch (e) {
      await rm(scratch, { force: true });
      throw e;
    }
    const bytesBefore = (await stat(fetched.path)).size;
    const stored = await store.replace(key, scratch, fetched.version);
    await options.observe?.('swapped', key);
    options.applied?.(first);
    // Rows removed as the files count them (equal to the deletes asked for: checked above).
    return { key, rowsBefore: before.rows, rowsAfter, deleted: before.rows - rowsAfter, updated, bytesBefore, bytesAfter, compression: before.codec, version: stored.version };
  } finally {
    if (!options.fetched) await fetched.release();
  }
}
