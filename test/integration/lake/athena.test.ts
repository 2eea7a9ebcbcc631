// Athena through the real SDK client against a local endpoint that records calls and returns canned
// results; the erase step rewrites the objects Athena named on a local S3 (s3rver).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { AthenaSource } from '../../../shared/adapters/athena/athena-source';
import { literal } from '../../../shared/adapters/athena/query-runner';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { PEOPLE, ordersConfig, writeOrders } from './make-lake';
import { startS3, type LocalS3 } from './s3-local';
import { startAthena, type CannedResult, type LocalAthena } from './athena-local';

let athena: LocalAthena;
let s3: LocalS3;
let local: string;
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const noWait = async () => {};

const columns = [{ name: 'id', type: 'integer' }, { name: 'email', type: 'varchar' }, { name: 'phone', type: 'varchar' }, { name: 'name', type: 'varchar' }];

/** Canned answers computed from the fixture people: what Athena would return for the generated SQL. */
function answer(sql: string, params: string[]): CannedResult | { fail: string } {
  if (sql.includes('fail_me')) return { fail: 'SYNTAX_ERROR: line 1:8: Column fail_me cannot be resolved' };
  if (sql.includes(' LIMIT ')) return { columns: [{ name: 'v', type: 'varchar' }], rows: PEOPLE.filter((p) => p.email).map((p) => [p.email]) };
  if (sql.startsWith('SELECT DISTINCT lower(trim(')) return { columns: [{ name: 'v', type: 'varchar' }], rows: [...new Set(PEOPLE.filter((p) => p.email).map((p) => p.email!.trim().toLowerCase()))].map((e) => [e]) };
  if (sql.includes('$partitions')) return { columns: [{ name: 'region', type: 'varchar' }], rows: [['eu'], ['us']] };
  const unq = (p: string) => p.slice(1, -1).replace(/''/gu, "'");
  const region = unq(params[0]!);
  const wanted = new Set(params.slice(1).map(unq));
  const rows = PEOPLE.filter((p) => p.region === region && p.email !== null && wanted.has(p.email.trim().toLowerCase()));
  const path = (p: (typeof PEOPLE)[number]) => `s3://lake/warehouse/orders/region=${p.region}/part-${p.id % 2}.parquet`;
  if (sql.startsWith('SELECT DISTINCT')) {
    return { columns: [{ name: '_athena_path', type: 'varchar' }, { name: '__n0', type: 'varchar' }], rows: rows.map((p) => [path(p), p.email!.trim().toLowerCase()]) };
  }
  return {
    columns: [...columns, { name: 'region', type: 'varchar' }, { name: '_athena_path', type: 'varchar' }, { name: '__n0', type: 'varchar' }],
    rows: rows.map((p) => [String(p.id), p.email, p.phone, p.name, p.region, path(p), p.email!.trim().toLowerCase()]),
  };
}

function config(extra: Record<string, unknown> = {}) {
  return {
    endpoint: athena.endpoint, database: 'sales', outputLocation: 's3://athena-results/privacydesk/',
    tables: [{ name: 'orders', location: 's3://lake/warehouse/orders', identities: [{ column: 'email', kind: 'email' }] }],
    ...extra,
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  athena = await startAthena(answer, { columns, partitionKeys: [{ name: 'region', type: 'string' }] });
  s3 = await startS3(['lake']);
  local = mkdtempSync(join(tmpdir(), 'athena-lake-'));
  await writeOrders(local);
  for (const f of walk(local)) await s3.client.send(new PutObjectCommand({ Bucket: 'lake', Key: `warehouse/${relative(local, f)}`, Body: readFileSync(f) }));
});
afterAll(async () => {
  await athena?.stop();
  await s3?.stop();
  rmSync(local, { recursive: true, force: true });
});

describe('Athena engine', () => {
  it('introspects through GetTableMetadata', async () => {
    const src = AthenaSource.open(config(), { credentials: creds, sleep: noWait });
    const [t] = await src.introspect();
    expect(t!.fields.map((f) => f.name)).toEqual(['id', 'email', 'phone', 'name', 'region', '_athena_path']);
    await src.close();
  });

  it('runs one query per partition for a whole batch, values as execution parameters, polling until done', async () => {
    const src = AthenaSource.open(config(), { credentials: creds, sleep: noWait });
    athena.calls.length = 0;
    const res = await src.findBatch('orders', [
      { id: 'a', matches: [{ field: 'email', values: ['ALICE@example.com'] }] },
      { id: 'b', matches: [{ field: 'email', values: ["o'brien@example.com"] }] },
      { id: 'c', matches: [{ field: 'email', values: ["x' OR 1=1 --"] }] },
    ]);
    expect(res.get('a')!.map((r) => r.id).sort()).toEqual([1, 6]);
    expect(res.get('b')!.map((r) => [r.id, r.name])).toEqual([[4, "O'Brien"]]);
    expect(res.get('c')).toEqual([]);
    const starts = athena.calls.filter((c) => c.target === 'StartQueryExecution');
    expect(starts.length).toBe(3); // the partition list + one query per partition (eu, us)
    const q = starts[1]!.body;
    expect(q.QueryString).toBe('SELECT *, "$path" AS "_athena_path", lower(trim(CAST("email" AS VARCHAR))) AS "__n0" FROM "sales"."orders" WHERE "region" = ? AND (lower(trim(CAST("email" AS VARCHAR))) IN (?, ?, ?))');
    expect(q.ExecutionParameters).toEqual(["'eu'", "'alice@example.com'", "'o''brien@example.com'", "'x'' or 1=1 --'"]); // normalised (lower-cased) like every email
    expect(q).toMatchObject({ QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'sales' }, WorkGroup: 'primary', ResultConfiguration: { OutputLocation: 's3://athena-results/privacydesk/' } });
    expect(String(q.QueryString)).not.toContain('alice');
    // polled (RUNNING, then SUCCEEDED) and paged through GetQueryResults
    expect(athena.calls.filter((c) => c.target === 'GetQueryExecution').length).toBe(6);
    expect(athena.calls.filter((c) => c.target === 'GetQueryResults').length).toBeGreaterThan(3);
    expect(src.stats).toMatchObject({ queries: 3, partitions: 2, bytesScanned: 3072 });
    await src.close();
  });

  it('splits long value lists so no query exceeds valuesPerQuery', async () => {
    const src = AthenaSource.open(config({ valuesPerQuery: 2 }), { credentials: creds, sleep: noWait });
    athena.calls.length = 0;
    await src.findBatch('orders', ['a', 'b', 'c', 'd', 'e'].map((x) => ({ id: x, matches: [{ field: 'email', values: [`${x}@example.com`] }] })));
    expect(athena.calls.filter((c) => c.target === 'StartQueryExecution').length).toBe(1 + 2 * 3);
    await src.close();
  });

  it('reports a failed query with Athena\'s reason', async () => {
    const src = AthenaSource.open({ ...config(), tables: [{ name: 'orders', identities: [{ column: 'email', kind: 'email' }] }] }, { credentials: creds, sleep: noWait });
    await expect(src.sample('orders', 'email', 5)).resolves.toBeDefined();
    // a column Athena rejects
    (src as unknown as { meta: Map<string, { columns: Map<string, string> }> }).meta.get('orders')!.columns.set('fail_me', 'varchar');
    await expect(src.sample('orders', 'fail_me', 5)).rejects.toThrow(/failed: SYNTAX_ERROR/u);
    await expect(src.find('orders', [{ field: 'ssn', values: ['1'] }])).rejects.toThrow(/no column "ssn"/u);
    await src.close();
  });

  it('erases like S3 Find and Forget: Athena names the objects, only those are rewritten on S3', async () => {
    const src = AthenaSource.open(config(), { credentials: creds, sleep: noWait, s3: s3.client });
    const before = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
    const res = await src.eraseBatch('orders', [{ id: 'a', matches: [{ field: 'email', values: ['alice@example.com'] }] }]);
    expect(res).toMatchObject({ objectsFound: 2, filesScanned: 2, filesRewritten: 2, rowsDeleted: 2, errors: [] });
    const after = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
    const changed = after.Contents!.filter((o) => before.Contents!.find((b) => b.Key === o.Key)!.ETag !== o.ETag).map((o) => o.Key).sort();
    expect(changed).toEqual(['warehouse/orders/region=eu/part-0.parquet', 'warehouse/orders/region=us/part-1.parquet']);
    const lake = ParquetLakeSource.open(ordersConfig('s3://lake/warehouse'), { s3: s3.client });
    expect(await lake.find('orders', [{ field: 'email', values: ['alice@example.com'] }])).toEqual([]);
    expect((await lake.stats('orders')).rows).toBe(PEOPLE.length - 2);
    await lake.close();
    await src.close();
  });

  it('applies a plan by object path and identity values, one rewrite per object', async () => {
    const src = AthenaSource.open(config(), { credentials: creds, sleep: noWait, s3: s3.client });
    const rows = await src.find('orders', [{ field: 'email', values: ['bob@example.com', 'frank@example.com'] }]);
    expect(rows.map((r) => r.id).sort()).toEqual([2, 8]);
    const before = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
    const res = await src.apply(rows.map((r) => ({ collection: 'orders', key: { _athena_path: r._athena_path, email: r.email }, action: 'delete' as const })));
    expect(res).toEqual({ deleted: 2, updated: 0, byCollection: { orders: { deleted: 2, updated: 0 } }, perChange: [1, 1] });
    const after = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'warehouse/orders/' }));
    expect(after.Contents!.filter((o) => before.Contents!.find((b) => b.Key === o.Key)!.ETag !== o.ETag).map((o) => o.Key)).toEqual(['warehouse/orders/region=us/part-0.parquet']);
    await expect(src.apply([{ collection: 'orders', key: { email: 'x' }, action: 'delete' }])).rejects.toThrow(/_athena_path/u);
    await src.close();
  });

  it('counts per change what the rewritten objects lost: a gone row 0, two rows with the same identity 2', async () => {
    const src = AthenaSource.open(config(), { credentials: creds, sleep: noWait, s3: s3.client });
    const twinDir = mkdtempSync(join(tmpdir(), 'athena-twin-'));
    try {
      const twin = { id: 9, email: 'twin@example.com', phone: '4155550109', name: 'Twin', region: 'us', amount: 90 };
      await writeOrders(twinDir, [twin, twin]);
      await s3.client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'warehouse/orders/region=us/part-9.parquet', Body: readFileSync(join(twinDir, 'orders/region=us/part-1.parquet')) }));
    } finally {
      rmSync(twinDir, { recursive: true, force: true });
    }
    const twinPath = 's3://lake/warehouse/orders/region=us/part-9.parquet';
    const erinPath = 's3://lake/warehouse/orders/region=us/part-1.parquet';
    expect(await src.apply([
      { collection: 'orders', key: { _athena_path: twinPath, email: 'twin@example.com' }, action: 'delete' }, // two identical rows
      { collection: 'orders', key: { _athena_path: erinPath, email: 'erin@example.com' }, action: 'delete' },
      { collection: 'orders', key: { _athena_path: erinPath, email: ' ERIN@example.com' }, action: 'delete' }, // the same row: credited to the first
      { collection: 'orders', key: { _athena_path: erinPath, email: 'alice@example.com' }, action: 'delete' }, // erased by an earlier test
    ])).toEqual({ deleted: 3, updated: 0, byCollection: { orders: { deleted: 3, updated: 0 } }, perChange: [2, 1, 0, 0] });
    expect(await src.apply([{ collection: 'orders', key: { _athena_path: twinPath, email: 'twin@example.com' }, action: 'delete' }]))
      .toEqual({ deleted: 0, updated: 0, byCollection: { orders: { deleted: 0, updated: 0 } }, perChange: [0] });
    await src.close();
  });

  it('lists distinct normalised identity values for ledger replay, one query per column', async () => {
    const src = AthenaSource.open(config(), { credentials: creds, sleep: noWait });
    athena.calls.length = 0;
    const [email] = await src.distinctIdentities('orders');
    expect(email!.values).toContain('alice@example.com');
    expect(new Set(email!.values).size).toBe(email!.values.length);
    expect(athena.calls.filter((c) => c.target === 'StartQueryExecution').map((c) => c.body.QueryString)).toEqual(['SELECT DISTINCT lower(trim(CAST("email" AS VARCHAR))) AS v FROM "sales"."orders" WHERE "email" IS NOT NULL']);
    await src.close();
  });

  it('quotes literals for execution parameters', () => {
    expect([literal("it's"), literal(3), literal(null), literal(true)]).toEqual(["'it''s'", '3', 'NULL', 'TRUE']);
  });
});
