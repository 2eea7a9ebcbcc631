// Snapshots per system and `--system NAME --since SNAPSHOT` replay: restore an old copy of a lake
// (and of a Redshift table), and the erasures made after that snapshot are applied again, only those.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb } from '../../../shared/store/open-db';
import { migrate } from '../../../shared/store/migrate';
import type { Db } from '../../../shared/store/db';
import { DuplicateSnapshotError, SnapshotNotFoundError, SnapshotRepo } from '../../../shared/store/snapshot-repo';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import type { PiiCrypto } from '../../../shared/crypto/port';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { RedshiftSource } from '../../../shared/adapters/redshift/redshift-source';
import { replaySinceSnapshot } from '../../../shared/adapters/lake/snapshot-replay';
import type { LedgerEntry } from '../../../shared/adapters/lake/ledger-replay';
import { ordersConfig, writeOrders, PEOPLE } from './make-lake';
import { startPostgres, type PostgresServer } from '../../support/postgres';

let dir: string;
let db: Db;
let crypto: PiiCrypto;
let repo: SnapshotRepo;
let server: PostgresServer;

const T0 = '2026-06-01T02:00:00Z';
const clock = () => new Date('2026-06-03T09:00:00Z');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lake-replay-'));
  db = await openDb({ kind: 'sqlite', file: join(dir, 'case.sqlite') });
  await migrate(db);
  crypto = await createPiiCrypto({ dataDir: join(dir, 'data') });
  repo = new SnapshotRepo(db);
  server = await startPostgres();
});
afterAll(async () => {
  await db?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function ledgerOf(entries: LedgerEntry[]) {
  return { erasedSince: async (since: string) => entries.filter((e) => e.erasedAt > since) };
}

describe('snapshots', () => {
  it('registers snapshots per system, by label, and resolves "latest"', async () => {
    const a = await repo.add({ system: 'lake', label: 'nightly-1', takenAt: '2026-06-01T04:00:00+02:00' }, 'staff:ann', clock());
    expect(a.takenAt).toBe('2026-06-01T02:00:00.000Z');
    await repo.add({ system: 'lake', label: 'nightly-0', takenAt: '2026-05-31T02:00:00Z', kind: 'backup', note: 'AWS Backup job 7' }, 'staff:ann', clock());
    await repo.add({ system: 'warehouse', label: 'rs-auto-1', takenAt: T0 }, 'staff:ann', clock());
    expect((await repo.list('lake')).map((s) => s.label)).toEqual(['nightly-0', 'nightly-1']);
    expect((await repo.resolve('lake', 'latest')).label).toBe('nightly-1');
    expect((await repo.resolve('lake', a.id)).label).toBe('nightly-1');
    await expect(repo.resolve('lake', 'nope')).rejects.toBeInstanceOf(SnapshotNotFoundError);
    await expect(repo.add({ system: 'lake', label: 'nightly-1', takenAt: T0 }, 'x', clock())).rejects.toBeInstanceOf(DuplicateSnapshotError);
    await expect(repo.add({ system: 'lake', label: 'x', takenAt: 'yesterday' }, 'x', clock())).rejects.toThrow(/takenAt must be an ISO date-time/u);
    await expect(repo.add({ system: 'bad name', label: 'x', takenAt: T0 }, 'x', clock())).rejects.toThrow(/system: letters/u);
  });
});

describe('ledger replay --system --since SNAPSHOT', () => {
  it('re-erases on a restored Parquet lake only what was erased after the snapshot', async () => {
    const live = join(dir, 'lake-live');
    const backup = join(dir, 'lake-backup');
    await writeOrders(live);
    cpSync(live, backup, { recursive: true }); // the snapshot "nightly-1" at T0
    const h = (kind: string, v: string) => crypto.keyedHash(kind, v);
    const ledger: LedgerEntry[] = [
      { kind: 'email', hash: h('email', 'carol@example.com'), erasedAt: '2026-05-30T10:00:00.000Z' }, // before the snapshot
      { kind: 'email', hash: h('email', 'alice@example.com'), erasedAt: '2026-06-02T10:00:00.000Z' },
      { kind: 'phone', hash: h('phone', '+14155550102'), erasedAt: '2026-06-02T11:00:00.000Z' }, // bob, by phone
      { kind: 'email', hash: h('email', 'nobody@example.com'), erasedAt: '2026-06-02T12:00:00.000Z' },
    ];
    // the erasures after the snapshot, on the live lake
    let lake = ParquetLakeSource.open(ordersConfig(live));
    await lake.eraseBatch('orders', [{ id: 'a', matches: [{ field: 'email', values: ['alice@example.com'] }] }, { id: 'b', matches: [{ field: 'phone', values: ['+14155550102'] }] }]);
    expect((await lake.stats('orders')).rows).toBe(PEOPLE.length - 3);
    await lake.close();
    // restore the snapshot: the erased rows are back
    rmSync(live, { recursive: true, force: true });
    cpSync(backup, live, { recursive: true });
    lake = ParquetLakeSource.open(ordersConfig(live));
    expect((await lake.stats('orders')).rows).toBe(PEOPLE.length);

    const deps = { snapshots: repo, ledger: ledgerOf(ledger), source: lake, collections: ['orders'], keyedHash: h, clock, actor: 'cli' };
    const dry = await replaySinceSnapshot(deps, 'lake', 'nightly-1', { dryRun: true });
    expect(dry.report).toMatchObject({ dryRun: true, ledgerEntries: 3, identitiesFound: 2, rowsChanged: 3 });
    expect((await lake.stats('orders')).rows).toBe(PEOPLE.length);

    const res = await replaySinceSnapshot(deps, 'lake', 'nightly-1');
    expect(res.snapshot).toMatchObject({ label: 'nightly-1', takenAt: '2026-06-01T02:00:00.000Z' });
    expect(res.report).toMatchObject({ engine: 'parquet', ledgerEntries: 3, identitiesFound: 2, rowsChanged: 3 });
    expect(await lake.find('orders', [{ field: 'email', values: ['alice@example.com', 'bob@example.com'] }])).toEqual([]);
    expect((await lake.find('orders', [{ field: 'email', values: ['carol@example.com'] }])).length).toBe(1); // erased before the snapshot: not this replay's job
    const again = await replaySinceSnapshot(deps, 'lake', 'nightly-1');
    expect(again.report.rowsChanged).toBe(0);
    const history = await repo.replays('lake');
    expect(history.map((r) => [r.dryRun, r.ledgerEntries, r.rowsChanged])).toEqual([[true, 3, 3], [false, 3, 3], [false, 3, 0]]);
    expect(JSON.stringify(history)).not.toMatch(/example\.com|\+1415/u);
    await lake.close();
  });

  it('re-flags restored rows in a Redshift forget table (seed 001: restore, delete, re-back-up)', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    pool.on('error', () => {});
    try {
      await pool.query(`CREATE TABLE customer_pii (customer_id INTEGER PRIMARY KEY, email VARCHAR(256), phone VARCHAR(32), forgotten_flag VARCHAR(3) NOT NULL DEFAULT 'No');
        INSERT INTO customer_pii (customer_id, email, phone) VALUES (1, 'Ann@Example.com', '415-555-0101'), (2, 'ben@example.com', NULL), (3, 'cy@example.com', '(415) 555-0103')`);
      const rs = RedshiftSource.open({ tables: [{ name: 'customer_pii', primaryKey: ['customer_id'], erasure: { mode: 'forget' }, identities: [{ column: 'email', kind: 'email' }, { column: 'phone', kind: 'phone' }] }] }, { pool });
      const h = (kind: string, v: string) => crypto.keyedHash(kind, v);
      const ledger = [
        { kind: 'email', hash: h('email', 'ann@example.com'), erasedAt: '2026-06-02T00:00:00.000Z' },
        { kind: 'phone', hash: h('phone', '+14155550103'), erasedAt: '2026-06-02T00:00:00.000Z' },
      ];
      const res = await replaySinceSnapshot({ snapshots: repo, ledger: ledgerOf(ledger), source: rs, collections: ['customer_pii'], keyedHash: h, clock, actor: 'cli' }, 'warehouse', 'rs-auto-1');
      expect(res.report).toMatchObject({ engine: 'redshift', identitiesFound: 2, rowsChanged: 2 });
      expect((await pool.query(`SELECT customer_id FROM customer_pii WHERE forgotten_flag = 'Yes' ORDER BY 1`)).rows.map((r) => r.customer_id)).toEqual([1, 3]);
      expect(await rs.purgeForgotten()).toEqual({ customer_pii: 2 });
    } finally {
      await pool.end();
    }
  });
});
