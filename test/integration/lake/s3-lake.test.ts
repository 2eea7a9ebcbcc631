import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { DuckSession, quoteLiteral } from '../../../shared/adapters/lake/duckdb-session';
import { PEOPLE, ordersConfig, writeOrders } from './make-lake';
import { startS3, type LocalS3 } from './s3-local';

let s3: LocalS3;
let local: string;
let scratch: string;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

async function idsInBucket(): Promise<number[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
  const dir = mkdtempSync(join(tmpdir(), 's3-read-'));
  const duck = await DuckSession.open(1);
  try {
    const files: string[] = [];
    for (const [i, o] of (listed.Contents ?? []).entries()) {
      const got = await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: o.Key! }));
      const f = join(dir, `${i}.parquet`);
      writeFileSync(f, await got.Body!.transformToByteArray());
      files.push(f);
    }
    const rows = await duck.all(`SELECT id FROM read_parquet([${files.map(quoteLiteral).join(', ')}]) ORDER BY id`);
    return rows.map((r) => Number(r.id));
  } finally {
    duck.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  s3 = await startS3(['lake']);
  local = mkdtempSync(join(tmpdir(), 'lake-src-'));
  scratch = mkdtempSync(join(tmpdir(), 'lake-scratch-'));
  await writeOrders(local);
  for (const f of walk(local)) {
    await s3.client.send(new PutObjectCommand({ Bucket: 'lake', Key: `warehouse/${relative(local, f)}`, Body: readFileSync(f) }));
  }
});
afterAll(async () => {
  await s3?.stop();
  rmSync(local, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('Parquet lake on an S3 prefix (real SDK client, local S3 server)', () => {
  it('finds, erases and verifies through the S3 client, rewriting only affected objects', async () => {
    const lake = ParquetLakeSource.open(ordersConfig('s3://lake/warehouse'), { s3: s3.client, scratchDir: scratch });
    try {
      const before = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
      const etags = new Map((before.Contents ?? []).map((o) => [o.Key!, o.ETag!]));
      const found = await lake.find('orders', [{ field: 'email', values: ['ALICE@example.com'] }]);
      expect(found.map((r) => r.id).sort()).toEqual([1, 6]);

      const res = await lake.eraseBatch('orders', [{ id: 'x', matches: [{ field: 'email', values: ['carol@example.com'] }] }]);
      expect(res).toMatchObject({ filesScanned: 4, rowsScanned: PEOPLE.length, filesRewritten: 1, rowsDeleted: 1, errors: [] });
      expect(res.files[0]!.key).toBe('orders/region=eu/part-1.parquet');

      const after = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
      const changed = (after.Contents ?? []).filter((o) => etags.get(o.Key!) !== o.ETag).map((o) => o.Key);
      expect(changed).toEqual(['warehouse/orders/region=eu/part-1.parquet']);
      expect(after.Contents!.length).toBe(before.Contents!.length);
      expect(await idsInBucket()).toEqual([1, 2, 4, 5, 6, 7, 8]);
      expect(await lake.find('orders', [{ field: 'email', values: ['carol@example.com'] }])).toEqual([]);
      expect((await lake.stats('orders')).rows).toBe(PEOPLE.length - 1);
    } finally {
      await lake.close();
    }
    // downloaded copies are removed
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('does not overwrite an object someone else rewrote meanwhile', async () => {
    const lake = ParquetLakeSource.open(ordersConfig('s3://lake/warehouse'), { s3: s3.client, scratchDir: scratch });
    try {
      const rows = await lake.find('orders', [{ field: 'email', values: ['dave@example.com', 'erin@example.com'] }]);
      expect(rows.map((r) => r.id)).toEqual([7]);
      const key = { _lake_file: rows[0]!._lake_file, _lake_row: rows[0]!._lake_row, _lake_version: rows[0]!._lake_version };
      // another writer replaces the object (here with another file's bytes) after our read
      const other = await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'warehouse/orders/region=us/part-0.parquet' }));
      const otherBytes = Buffer.from(await other.Body!.transformToByteArray());
      await s3.client.send(new PutObjectCommand({ Bucket: 'lake', Key: `warehouse/${String(key._lake_file)}`, Body: otherBytes }));
      await expect(lake.apply([{ collection: 'orders', key, action: 'delete' }])).rejects.toThrow(/changed since it was read/u);
      const now = await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: `warehouse/${String(key._lake_file)}` }));
      expect(Buffer.from(await now.Body!.transformToByteArray()).equals(otherBytes)).toBe(true);
    } finally {
      await lake.close();
    }
  });
});
