// A lake under an S3 prefix, read and written through the AWS SDK S3 client (no DuckDB httpfs
// extension: nothing is downloaded at run time). Objects are fetched into a private local scratch
// folder for DuckDB to read. Replacing an object is one PutObject of the finished file: S3 makes a
// PUT visible all at once (readers get the old object or the new one, never a part), and the
// object's ETag is checked first so a concurrent rewrite by someone else is not overwritten.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectChangedError, SCRATCH_PREFIX, isDataObject, type FetchedObject, type ObjectStore, type StoredObject } from './object-store';

/** A scratch folder untouched this long belongs to a run that died. */
const STALE_MS = 6 * 3600_000;

function clean(etag: string | undefined): string {
  return (etag ?? '').replace(/"/gu, '');
}

export class S3PrefixStore implements ObjectStore {
  readonly description: string;
  private scratchDir: string | undefined;

  constructor(private readonly s3: S3Client, private readonly bucket: string, private readonly prefix: string, private readonly scratchRoot = tmpdir()) {
    this.description = `s3://${bucket}/${prefix}`;
  }

  private fullKey(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private async scratch(): Promise<string> {
    if (!this.scratchDir) {
      await mkdir(this.scratchRoot, { recursive: true });
      this.scratchDir = await mkdtemp(join(this.scratchRoot, 'privacydesk-lake-'));
    }
    return this.scratchDir;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const base = this.prefix ? `${this.prefix}/` : '';
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({
        Bucket: this.bucket, Prefix: `${base}${prefix.replace(/\/*$/u, '/')}`, ContinuationToken: token,
      }));
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        const key = o.Key.slice(base.length);
        if (isDataObject(key)) out.push({ key, size: Number(o.Size ?? 0), version: clean(o.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async fetch(key: string): Promise<FetchedObject> {
    const dir = await this.scratch();
    const path = join(dir, `get-${randomBytes(6).toString('hex')}.parquet`);
    const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
    if (!res.Body) throw new Error(`lake object ${key}: empty response`);
    await pipeline(res.Body as Readable, createWriteStream(path));
    const st = await stat(path);
    if (res.ContentLength !== undefined && st.size !== Number(res.ContentLength)) {
      await rm(path, { force: true });
      throw new Error(`lake object ${key}: download incomplete (${st.size} of ${res.ContentLength} bytes)`);
    }
    return { path, version: clean(res.ETag), release: () => rm(path, { force: true }) };
  }

  scratchPath(): string {
    if (!this.scratchDir) throw new Error('S3PrefixStore: fetch an object before asking for a scratch path');
    return join(this.scratchDir, `${SCRATCH_PREFIX}${randomBytes(6).toString('hex')}.parquet`);
  }

  async replace(key: string, file: string, expectedVersion: string): Promise<StoredObject> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      if (clean(head.ETag) !== expectedVersion) throw new ObjectChangedError(key);
      const body = await readFile(file);
      const put = await this.s3.send(new PutObjectCommand({
        Bucket: this.bucket, Key: this.fullKey(key), Body: body, ContentLength: body.length,
        ContentType: 'application/vnd.apache.parquet',
      }));
      return { key, size: body.length, version: clean(put.ETag) };
    } finally {
      await rm(file, { force: true });
    }
  }

  async cleanupScratch(): Promise<number> {
    let n = 0;
    const entries = await readdir(this.scratchRoot).catch(() => [] as string[]);
    for (const e of entries) {
      if (!e.startsWith('privacydesk-lake-')) continue;
      const dir = join(this.scratchRoot, e);
      if (dir === this.scratchDir) continue;
      // Only folders no live run can still be using (another process may share the temp folder).
      const st = await stat(dir).catch(() => undefined);
      if (!st || Date.now() - st.mtimeMs < STALE_MS) continue;
      await rm(dir, { recursive: true, force: true });
      n += 1;
    }
    return n;
  }

  async close(): Promise<void> {
    if (this.scratchDir) await rm(this.scratchDir, { recursive: true, force: true });
    this.scratchDir = undefined;
  }
}
