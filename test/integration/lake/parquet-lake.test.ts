import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { DuckSession, quoteLiteral } from '../../../shared/adapters/lake/duckdb-session';
import { PEOPLE, ordersConfig, writeOrders } from './make-lake';

let dir: string;
let lake: ParquetLakeSource;

async function allRows(root: string): Promise<Array<Record<string, unknown>>> {
  const duck = await DuckSession.open(1);
  try {
    return await duck.all(`SELECT id, email, name, region FROM read_parquet(${quoteLiteral(join(root, 'orders/*/*.parquet'))}, hive_partitioning = true) ORDER BY id`);
  } finally {
    duck.close();
  }
}

async function codecs(file: string): Promise<string[]> {
  const duck = await DuckSession.open(1);
  try {
    return (await duck.all(`SELECT DISTINCT compression FROM parquet_metadata(${quoteLiteral(file)})`)).map((r) => String(r.compression));
  } finally {
    duck.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lake-test-'));
  await writeOrders(dir);
  lake = ParquetLakeSource.open(ordersConfig(dir));
});
afterEach(async () => {
  await lake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Parquet lake on a local folder', () => {
  it('introspects the Parquet schema, the partition column and the row-address pseudo-key', async () => {
    const [t] = await lake.introspect();
    expect(t!.name).toBe('orders');
    const names = t!.fields.map((f) => f.name);
    expect(names).toEqual(['id', 'email', 'phone', 'name', 'amount', 'ordered_at', 'region', '_lake_file', '_lake_row', '_lake_version']);
    expect(t!.fields.filter((f) => f.primaryKey).map((f) => f.name)).toEqual(['_lake_file', '_lake_row', '_lake_version']);
  });

  it('finds rows by email ignoring case and spaces, across partitions, and by phone in any format', async () => {
    const rows = await lake.find('orders', [{ field: 'email', values: ['  ALICE@example.com'] }]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 6]);
    expect(rows.map((r) => r.region).sort()).toEqual(['eu', 'us']);
    expect(rows[0]!._lake_file).toMatch(/^orders\/region=(us|eu)\/part-\d\.parquet$/u);
    const byPhone = await lake.find('orders', [{ field: 'phone', values: ['+14155550104', '+14155550101'] }]);
    expect(byPhone.map((r) => r.id).sort()).toEqual([1, 4]);
  });

  it('treats quotes and SQL in identities as plain values', async () => {
    expect((await lake.find('orders', [{ field: 'email', values: ["o'brien@example.com"] }])).map((r) => r.id)).toEqual([4]);
    expect(await lake.find('orders', [{ field: 'email', values: ["' OR 1=1 --", 'x'.repeat(5000), 'ünï@cödé.example'] }])).toEqual([]);
    await expect(lake.find('orders', [{ field: 'nope', values: ['x'] }])).rejects.toThrow(/no column "nope"/u);
  });

  it('finds many requests in one batch and attributes each row to its requests', async () => {
    const res = await lake.findBatch('orders', [
      { id: 'r1', matches: [{ field: 'email', values: ['alice@example.com'] }] },
      { id: 'r2', matches: [{ field: 'email', values: ['bob@example.com'] }, { field: 'phone', values: ['+14155550101'] }] },
      { id: 'r3', matches: [{ field: 'email', values: ['nobody@example.com'] }] },
    ]);
    expect(res.get('r1')!.map((r) => r.id).sort()).toEqual([1, 6]);
    expect(res.get('r2')!.map((r) => r.id).sort()).toEqual([1, 2]);
    expect(res.get('r3')).toEqual([]);
  });

  it('erases a batch by rewriting only the affected files, keeping compression and every other row', async () => {
    const before = readdirSync(join(dir, 'orders/region=eu'));
    const dry = await lake.eraseBatch('orders', [
      { id: 'a', matches: [{ field: 'email', values: ['bob@example.com'] }] },
      { id: 'b', matches: [{ field: 'email', values: ['erin@example.com'] }] },
    ], { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, filesAffected: 2, filesRewritten: 0, rowsDeleted: 2, perRequest: { a: 1, b: 1 } });
    expect((await allRows(dir)).length).toBe(PEOPLE.length);

    const res = await lake.eraseBatch('orders', [
      { id: 'a', matches: [{ field: 'email', values: ['bob@example.com'] }] },
      { id: 'b', matches: [{ field: 'email', values: ['erin@example.com'] }] },
    ]);
    expect(res).toMatchObject({ partitions: 2, filesScanned: 4, rowsScanned: 8, filesAffected: 2, filesRewritten: 2, rowsDeleted: 2, errors: [] });
    expect(res.files[0]).toMatchObject({ key: 'orders/region=us/part-0.parquet', rowsBefore: 2, rowsAfter: 1, deleted: 1, compression: 'ZSTD' });
    expect((await allRows(dir)).map((r) => r.id)).toEqual([1, 3, 4, 5, 6, 8]);
    expect(await codecs(join(dir, 'orders/region=us/part-0.parquet'))).toEqual(['ZSTD']);
    expect(readdirSync(join(dir, 'orders/region=eu'))).toEqual(before);
    expect(readdirSync(join(dir, 'orders/region=us')).sort()).toEqual(['part-0.parquet', 'part-1.parquet']);
    // verify: nothing left
    expect(await lake.find('orders', [{ field: 'email', values: ['bob@example.com', 'erin@example.com'] }])).toEqual([]);
    // idempotent
    const again = await lake.eraseBatch('orders', [{ id: 'a', matches: [{ field: 'email', values: ['bob@example.com'] }] }]);
    expect(again).toMatchObject({ filesAffected: 0, filesRewritten: 0, rowsDeleted: 0 });
  });

  it('masks configured columns instead of deleting rows when the table says mask', async () => {
    await lake.close();
    lake = ParquetLakeSource.open(ordersConfig(dir, { mode: 'mask', columns: { email: 'null', name: 'redacted', phone: 'empty' } }));
    const res = await lake.eraseBatch('orders', [{ id: 'a', matches: [{ field: 'email', values: ['alice@example.com'] }] }]);
    expect(res).toMatchObject({ mode: 'mask', filesRewritten: 2, rowsMasked: 2, rowsDeleted: 0 });
    const rows = await allRows(dir);
    expect(rows.length).toBe(PEOPLE.length);
    expect(rows.filter((r) => r.id === 1 || r.id === 6).map((r) => [r.email, r.name])).toEqual([[null, '[redacted]'], [null, '[redacted]']]);
    expect(rows.find((r) => r.id === 2)).toMatchObject({ email: 'bob@example.com', name: 'Bob' });
  });

  it('applies a plan by row address and refuses a stale address after the file changed', async () => {
    const rows = await lake.find('orders', [{ field: 'email', values: ['carol@example.com'] }]);
    const key = { _lake_file: rows[0]!._lake_file, _lake_row: rows[0]!._lake_row, _lake_version: rows[0]!._lake_version };
    expect(await lake.apply([{ collection: 'orders', key, action: 'update', set: { name: 'masked-hash-1' } }]))
      .toEqual({ deleted: 0, updated: 1, byCollection: { orders: { deleted: 0, updated: 1 } }, perChange: [1] });
    expect((await allRows(dir)).find((r) => r.id === 3)).toMatchObject({ name: 'masked-hash-1', email: 'carol@example.com' });
    await expect(lake.apply([{ collection: 'orders', key, action: 'delete' }])).rejects.toThrow(/changed since it was read/u);
    expect((await allRows(dir)).length).toBe(PEOPLE.length);
  });

  it('applies a plan by primary key when the table has one', async () => {
    await lake.close();
    lake = ParquetLakeSource.open(ordersConfig(dir, { mode: 'delete' }, ['id']));
    expect(await lake.apply([{ collection: 'orders', key: { id: 7 }, action: 'delete' }, { collection: 'orders', key: { id: 3 }, action: 'delete' }]))
      .toEqual({ deleted: 2, updated: 0, byCollection: { orders: { deleted: 2, updated: 0 } }, perChange: [1, 1] });
    expect((await allRows(dir)).map((r) => r.id)).toEqual([1, 2, 4, 5, 6, 8]);
  });

  it('counts the rows the rewritten files lost or had masked: per change, a gone key 0, a key two rows share 2', async () => {
    await lake.close();
    rmSync(join(dir, 'orders'), { recursive: true, force: true });
    const twin = { id: 9, email: 'twin@example.com', phone: null, name: 'Twin', region: 'us', amount: 90 };
    await writeOrders(dir, [...PEOPLE, twin, twin]);
    lake = ParquetLakeSource.open(ordersConfig(dir, { mode: 'delete' }, ['id']));
    expect(await lake.apply([
      { collection: 'orders', key: { id: 9 }, action: 'delete' }, // two identical rows
      { collection: 'orders', key: { id: 9 }, action: 'delete' }, // the same key again: credited to the first
      { collection: 'orders', key: { id: 99 }, action: 'delete' }, // no such row
      { collection: 'orders', key: { id: 2 }, action: 'update', set: { name: 'masked' } },
      { collection: 'orders', key: { id: 4 }, action: 'update', set: { name: 'masked' } }, // deleted by the next change
      { collection: 'orders', key: { id: 4 }, action: 'delete' },
    ])).toEqual({ deleted: 3, updated: 1, byCollection: { orders: { deleted: 3, updated: 1 } }, perChange: [2, 0, 0, 1, 0, 1] });
    expect((await allRows(dir)).map((r) => r.id)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(await lake.apply([
      { collection: 'orders', key: { id: 9 }, action: 'delete' }, // gone now
      { collection: 'orders', key: { id: 2 }, action: 'update', set: { name: 'masked' } },
    ])).toEqual({ deleted: 0, updated: 1, byCollection: { orders: { deleted: 0, updated: 1 } }, perChange: [0, 1] });
  });

  it('scans every row in batches (the port\'s optional scan) and honours a match\'s normalize hint', async () => {
    const batches: number[] = [];
    const rows: Array<Record<string, unknown>> = [];
    for await (const b of lake.scan('orders', ['id', 'region', '_lake_file', '_lake_row'], 3)) { batches.push(b.length); rows.push(...b); }
    expect(batches).toEqual([3, 3, 2]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.every((r) => typeof r._lake_file === 'string' && typeof r._lake_row === 'number' && (r.region === 'us' || r.region === 'eu'))).toBe(true);
    await expect((async () => { for await (const b of lake.scan('orders', ['nope'])) void b; })()).rejects.toThrow(/no column "nope"/u);
    await lake.close();
    lake = ParquetLakeSource.open({ location: dir, tables: [{ name: 'orders', path: 'orders', identities: [{ column: 'email', kind: 'email' }] }] });
    expect((await lake.find('orders', [{ field: 'phone', values: ['4155550104'] }])).map((r) => r.id)).toEqual([4]); // exact text
    expect((await lake.find('orders', [{ field: 'phone', values: ['14155550101', '4155550104'], normalize: 'phone' }])).map((r) => r.id).sort()).toEqual([1, 4]);
  });

  it('samples a column, ignores scratch files, and rejects a bad config naming the field', async () => {
    writeFileSync(join(dir, 'orders/region=us/.privacydesk-tmp-1-x-part-0.parquet'), 'half a file');
    const sample = await lake.sample('orders', 'email', 3);
    expect(sample.length).toBe(3);
    expect(readdirSync(join(dir, 'orders/region=us')).some((f) => f.startsWith('.privacydesk-tmp-'))).toBe(false);
    expect(() => ParquetLakeSource.open({ location: dir, tables: [{ name: 'x', path: '../etc', identities: [] }] })).toThrow(/tables\.0\.path: path must not contain \.\.; tables\.0\.identities/u);
    const bad = ParquetLakeSource.open({ ...ordersConfig(dir), tables: [{ ...ordersConfig(dir).tables[0]!, identities: [{ column: 'mail', kind: 'email' }] }] });
    await expect(bad.introspect()).rejects.toThrow(/identity column "mail" is not in its Parquet schema/u);
    await bad.close();
  });
});
