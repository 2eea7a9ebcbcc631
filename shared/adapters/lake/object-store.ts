// Where a lake's Parquet files live, behind one small interface: a local folder or an S3 prefix.
// Keys are relative to the lake root ("orders/year=2024/part-0.parquet"). Only *.parquet objects
// count; names starting with "." or "_" (Hive/Spark markers, our scratch files) are ignored.
export interface StoredObject {
  key: string;
  size: number;
  /** Changes whenever the content changes (S3 ETag; size + mtime for a local file). */
  version: string;
}

export interface FetchedObject {
  /** A local file with the object's bytes, readable by DuckDB. */
  path: string;
  version: string;
  /** Remove the local copy (no-op for a local folder). */
  release(): Promise<void>;
}

export interface ObjectStore {
  /** Human-readable location, for messages (never holds credentials). */
  readonly description: string;
  list(prefix: string): Promise<StoredObject[]>;
  fetch(key: string): Promise<FetchedObject>;
  /** A path for a new file that will replace `key` (same file system as the object for a local folder). */
  scratchPath(key: string): string;
  /**
   * Replace `key` with the finished local file `file`, atomically: readers see the old object or
   * the new one, never part of one. Fails when the object is no longer at `expectedVersion`
   * (someone else rewrote it since it was read); the scratch file is removed either way.
   */
  replace(key: string, file: string, expectedVersion: string): Promise<StoredObject>;
  /** Remove scratch files a crashed run left behind. Returns how many. */
  cleanupScratch(prefix: string): Promise<number>;
}

export function isDataObject(key: string): boolean {
  const base = key.slice(key.lastIndexOf('/') + 1);
  return base.endsWith('.parquet') && !base.startsWith('.') && !base.startsWith('_')
    && !key.split('/').some((seg) => seg.startsWith('.') || seg.startsWith('_'));
}

export class ObjectChangedError extends Error {
  constructor(key: string) {
    super(`lake object ${key} changed since it was read; run the erasure again`);
    this.name = 'ObjectChangedError';
  }
}

export const SCRATCH_PREFIX = '.privacydesk-tmp-';
