// The check's re-read of a keyless lake table's planned rows (shared/adapters/lake/row-address.ts)
// against a real local lake (DuckDB, Parquet files): before the change every planned row is where
// the plan saw it and still holds its values; after the rewrite (new file version, deleted rows
// gone, the others in order) each changed row is found where it moved and each deleted row is
// gone; a rewrite that kept a deleted row is caught and makes the file's changed rows unlocatable.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckSession, quoteLiteral } from '../../../shared/adapters/lake/duckdb-session';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { currentRowNumber, isRowAddress, readBackByAddress, type AddressedPlan } from '../../../shared/adapters/lake/row-address';
import type { Row } from '../../../shared/adapters/port';

const root = mkdtempSync(join(tmpdir(), 'pd-lake-address-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// one file, rows in this order: Bob's orders at 0, 2, 3, 4; Ann's at 1
const ROWS = [[100, 'bob@example.com', 'Bob Ray'], [101, 'ann@example.com', 'Ann Lee'], [102, 'bob@example.com', 'Bob Ray'], [103, 'bob@example.com', 'Bob R.'], [104, 'bob@example.com', 'B. Ray']] as const;
let dir = '';

async function writeLake(): Promise<void> {
  dir = mkdtempSync(join(root, 'lake-'));
  mkdirSync(join(dir, 'orders'), { recursive: true });
  const duck = await DuckSession.open(1);
  try {
    const values = ROWS.map(([ref, email, name]) => `(${ref}, ${quoteLiteral(email)}, ${quoteLiteral(name)})`).join(', ');
    await duck.run(`COPY (SELECT * FROM (VALUES ${values}) v(ref, email, ship_name)) TO ${quoteLiteral(join(dir, 'orders', 'part-0.parquet'))} (FORMAT parquet)`);
  } finally {
    duck.close();
  }
}

const open = (primaryKey: string[] = []) => ParquetLakeSource.open({ location: dir, tables: [{ name: 'orders', path: 'orders', primaryKey, identities: [{ column: 'email', kind: 'email' }], erasure: { mode: 'delete' } }] });

/** The plan of Bob's erasure: rows 0 and 3 deleted, rows 2 and 4 masked (ship_name). */
async function planOf(src: ParquetLakeSource): Promise<Omit<AddressedPlan, 'updates'> & { updates: Array<{ key: Row; set: Row }> }> {
  const bob = await src.find('orders', [{ field: 'email', values: ['bob@example.com'], normalize: 'email' }]);
  const at = (ref: number) => bob.find((r) => r.ref === ref)!;
  const key = (r: Row) => ({ _lake_file: r._lake_file, _lake_row: r._lake_row, _lake_version: r._lake_version });
  return {
    deletes: [key(at(100)), key(at(103))],
    deletedValues: [{ email: 'bob@example.com', ship_name: 'Bob Ray' }, { email: 'bob@example.com', ship_name: 'Bob R.' }],
    updates: [{ key: key(at(102)), set: { ship_name: null } }, { key: key(at(104)), set: { ship_name: null } }],
  };
}

describe('lake rows without a primary key, read back by address after a rewrite', () => {
  beforeEach(writeLake);

  it('find by _lake_file returns every row of the named files with its current address; a keyed table has no such column', async () => {
    const src = open();
    const [file] = (await src.find('orders', [{ field: 'email', values: ['ann@example.com'] }])).map((r) => r._lake_file);
    const rows = await src.find('orders', [{ field: '_lake_file', values: [file] }]);
    expect(rows.map((r) => [r.ref, r._lake_row])).toEqual([[100, 0], [101, 1], [102, 2], [103, 3], [104, 4]]);
    expect(isRowAddress(rows[0]!)).toBe(true);
    expect(await src.find('orders', [{ field: '_lake_file', values: ['orders/nope.parquet'] }])).toEqual([]);
    expect((await src.find('orders', [{ field: '_lake_row', values: [3] }])).map((r) => r.ref)).toEqual([103]);
    await src.close();
    const keyed = open(['ref']);
    await expect(keyed.find('orders', [{ field: '_lake_file', values: [file] }])).rejects.toThrow(/no column "_lake_file"/u);
    await keyed.close();
  });

  it('before the change: the deleted rows are there and the masked rows still hold their values', async () => {
    const src = open();
    const plan = await planOf(src);
    const rb = await readBackByAddress(src, 'orders', plan);
    expect(rb.deletedLeft).toEqual([true, true]);
    expect(rb.updated.map((r) => [r?.ref, r?.ship_name])).toEqual([[102, 'Bob Ray'], [104, 'B. Ray']]);
    await src.close();
  });

  it('after the rewrite: deleted rows gone, masked rows found where they moved (row 2 -> 1, row 4 -> 2), Ann untouched', async () => {
    const src = open();
    const plan = await planOf(src);
    const applied = await src.apply([
      ...plan.updates.map((u) => ({ collection: 'orders', key: u.key, action: 'update' as const, set: u.set })),
      ...plan.deletes.map((k) => ({ collection: 'orders', key: k, action: 'delete' as const })),
    ]);
    expect(applied).toMatchObject({ deleted: 2, updated: 2 });
    const rb = await readBackByAddress(src, 'orders', plan);
    expect(rb.deletedLeft).toEqual([false, false]);
    expect(rb.updated.map((r) => [r?.ref, r?.ship_name, r?._lake_row])).toEqual([[102, null, 1], [104, null, 2]]);
    expect(rb.updated[0]!._lake_version).not.toBe(plan.updates[0]!.key._lake_version);
    expect((await src.find('orders', [{ field: 'email', values: ['ann@example.com'] }])).map((r) => [r.ref, r.ship_name])).toEqual([[101, 'Ann Lee']]);
    await src.close();
  });

  it('a rewrite that kept a deleted row: the row is found still there, and the file\'s changed rows cannot be located (not ok, never "fine")', async () => {
    const src = open();
    const plan = await planOf(src);
    // only the masks are applied (another writer's rewrite, say): the file has a new version, rows not shifted
    await src.apply(plan.updates.map((u) => ({ collection: 'orders', key: u.key, action: 'update' as const, set: u.set })));
    const rb = await readBackByAddress(src, 'orders', plan);
    expect(rb.deletedLeft).toEqual([true, true]);
    expect(rb.updated).toEqual([null, null]);
    await src.close();
  });

  it('the shift: a row moves up by the rows the plan deleted before it in the same file version', () => {
    expect(currentRowNumber({ row: 4, version: 'v1' }, 'v2', [0, 3, 7])).toBe(2);
    expect(currentRowNumber({ row: 4, version: 'v1' }, 'v1', [0, 3])).toBe(4);
  });
});
