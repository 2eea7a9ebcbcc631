// Hive-style partitions: a table folder holds `key=value/` folders (any depth) and Parquet files.
// A partition is the folder a file sits in, relative to the table; its values come from the path.
import type { StoredObject } from './object-store';

export interface Partition {
  /** Folder relative to the table ("year=2024/month=01"; "" for files at the table root). */
  path: string;
  values: Record<string, string>;
  files: StoredObject[];
}

export function partitionValues(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const seg of path.split('/')) {
    const eq = seg.indexOf('=');
    if (eq > 0) out[seg.slice(0, eq)] = decodeURIComponent(seg.slice(eq + 1));
  }
  return out;
}

/** Group a table's files by partition folder, in path order. `tablePath` is the table's key prefix. */
export function groupByPartition(tablePath: string, files: StoredObject[]): Partition[] {
  const base = tablePath.replace(/\/+$/u, '');
  const byPath = new Map<string, StoredObject[]>();
  for (const f of files) {
    const rel = base ? f.key.slice(base.length + 1) : f.key;
    const slash = rel.lastIndexOf('/');
    const dir = slash < 0 ? '' : rel.slice(0, slash);
    const list = byPath.get(dir) ?? [];
    list.push(f);
    byPath.set(dir, list);
  }
  return [...byPath.keys()].sort().map((path) => ({ path, values: partitionValues(path), files: byPath.get(path)! }));
}
