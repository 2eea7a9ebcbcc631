// One scan of a set of Parquet files for every identity of a batch at once: the requested values
// (already normalised) go into temp tables, and one query per partition semi-joins the files'
// normalised identity columns against them. Cost grows with the data scanned once, not with
// requests x files.
import { DuckSession, fileList, plainValue, quoteIdent } from './duckdb-session';
import type { Row } from '../port';

/** One way a row can match: a SQL expression over the table alias `t`, and the wanted values. */
export interface Matcher {
  expr: string;
  /** normalised value -> ids of the requests that asked for it */
  wanted: Map<string, Set<string>>;
}

export interface ScanFile { key: string; version: string; path: string }

export interface ScanHit {
  key: string;
  version: string;
  row: number;
  requestIds: string[];
  /** The row's columns (with partition columns) when values were asked for. */
  values?: Row;
}

export const RESERVED_COLUMNS = ['filename', 'file_row_number'];

export async function scanFiles(duck: DuckSession, files: ScanFile[], matchers: Matcher[], withValues: boolean): Promise<{ hits: ScanHit[]; rowsScanned: number }> {
  if (files.length === 0) return { hits: [], rowsScanned: 0 };
  const list = fileList(files.map((f) => f.path));
  const meta = await duck.all(`SELECT sum(num_rows) AS n FROM parquet_file_metadata(${list})`);
  const rowsScanned = Number(meta[0]?.n ?? 0);
  const active = matchers.filter((m) => m.wanted.size > 0);
  if (active.length === 0) return { hits: [], rowsScanned };
  for (let i = 0; i < active.length; i += 1) {
    await duck.loadTable(`__q${i}`, ['v'], [...active[i]!.wanted.keys()].map((v) => [v]));
  }
  const norms = active.map((m, i) => `${m.expr} AS ${quoteIdent(`__n${i}`)}`).join(', ');
  const where = active.map((m, i) => `${m.expr} IN (SELECT v FROM ${quoteIdent(`__q${i}`)})`).join(' OR ');
  const cols = withValues ? 't.*' : 't.filename, t.file_row_number';
  const sql = `SELECT ${cols}, ${norms} FROM read_parquet(${list}, filename = true, file_row_number = true, hive_partitioning = true) t WHERE ${where}`;
  const rows = await duck.all(sql);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const hits: ScanHit[] = [];
  for (const r of rows) {
    const file = byPath.get(String(r.filename));
    if (!file) throw new Error('lake scan returned a file it was not asked to read');
    const ids = new Set<string>();
    active.forEach((m, i) => {
      const n = r[`__n${i}`];
      if (n !== null && n !== undefined) for (const id of m.wanted.get(String(n)) ?? []) ids.add(id);
    });
    const hit: ScanHit = { key: file.key, version: file.version, row: Number(r.file_row_number), requestIds: [...ids] };
    if (withValues) {
      const values: Row = {};
      for (const [k, v] of Object.entries(r)) {
        if (k === 'filename' || k === 'file_row_number' || /^__n\d+$/u.test(k)) continue;
        values[k] = plainValue(v);
      }
      hit.values = values;
    }
    hits.push(hit);
  }
  hits.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row - b.row));
  return { hits, rowsScanned };
}
