// A Parquet lake registered as a system of the data map: a DSR through the case engine finds and
// erases the person's rows in the lake (plan -> execute -> verify, one rewrite per affected file),
// the deletion ledger records it, and after restoring the lake from a snapshot, replay limited to
// that system and to erasures after the snapshot erases the rows that came back.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';
import type { Identities } from '../../../shared/domain/identity';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { SnapshotRepo } from '../../../shared/store/snapshot-repo';
import { PEOPLE, ordersConfig, writeOrders } from './make-lake';

const meta = { actor: 'staff:test' };
let dir: string;
let lakeDir: string;
let app: App;
let svc: DatamapService;

const map = {
  dataset: 'lake',
  collections: [{
    name: 'orders', erasure: 'delete' as const,
    fields: [
      { name: 'id', primaryKey: true },
      { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] },
      { name: 'name', categories: ['user.name'] },
      { name: 'amount' }, { name: 'ordered_at' }, { name: 'region' },
    ],
  }],
};

async function runCase(type: 'access' | 'delete', identities: Identities) {
  const c = await app.call('cases.create', { type, jurisdiction: 'CA', channel: 'staff', identities, strategy: 'exact', autoApprove: true } as never, meta);
  await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
  await app.settle(c.id);
  return svc.output(c.id);
}

async function lakeIds(): Promise<number[]> {
  const lake = ParquetLakeSource.open(ordersConfig(lakeDir, { mode: 'delete' }, ['id']));
  try {
    const out: number[] = [];
    for await (const b of lake.scan('orders', ['id'])) out.push(...b.map((r) => Number(r.id)));
    return out.sort((a, b) => a - b);
  } finally {
    await lake.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-lake-flow-'));
  lakeDir = join(dir, 'lake');
  await writeOrders(lakeDir);
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
  svc = datamapService(app.ctx);
  await svc.addSystem({ name: 'lake', connection: { engine: 'parquet', config: ordersConfig(lakeDir, { mode: 'delete' }, ['id']) }, map: map as never }, 'staff:test');
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Parquet lake as a data-map system', () => {
  it('answers an access request from the lake', async () => {
    const out = await runCase('access', { email: ' ALICE@example.com' });
    expect(out.errors).toEqual([]);
    expect(out.results!['lake:orders']!.map((r) => r.id).sort()).toEqual([1, 6]);
  });

  it('erases through the case engine, records the ledger, and replays after a restore from a snapshot', async () => {
    const backup = join(dir, 'lake-backup');
    cpSync(lakeDir, backup, { recursive: true });
    await new SnapshotRepo(app.ctx.db).add({ system: 'lake', label: 'nightly', takenAt: '2026-11-23T17:00:00Z' }, 'staff:test', new Date('2026-11-23T17:30:00Z'));

    const out = await runCase('delete', { email: 'bob@example.com' });
    expect(out.errors).toEqual([]);
    expect(out.changes!['lake:orders']).toMatchObject({ deleted: 1 });
    expect(await lakeIds()).toEqual(PEOPLE.map((p) => p.id).filter((id) => id !== 2));
    expect((await svc.repo.ledger('lake')).length).toBeGreaterThan(0);

    // restore the snapshot: Bob's row is back
    rmSync(lakeDir, { recursive: true, force: true });
    cpSync(backup, lakeDir, { recursive: true });
    expect(await lakeIds()).toContain(2);

    const snap = await new SnapshotRepo(app.ctx.db).resolve('lake', 'nightly');
    const later = await svc.ledgerReplay('staff:test', { system: 'lake', since: '2026-11-23T18:00:00Z' });
    expect(later.systems).toEqual([]); // nothing erased after that instant
    const dry = await app.call('snapshots.replay', { system: 'lake', since: 'nightly', dryRun: true }, meta);
    expect(dry).toMatchObject({ dryRun: true, matched: 2, deleted: 0 });
    expect(await lakeIds()).toContain(2);
    // the API op behind `ledger replay --system lake --since nightly`
    const replay = await app.call('snapshots.replay', { system: 'lake', since: 'nightly' }, meta);
    // Bob's row matches two ledger entries (his email and the phone found in his erased row)
    expect(replay).toMatchObject({ system: 'lake', snapshot: { label: 'nightly', takenAt: snap.takenAt }, scanned: PEOPLE.length, matched: 2, deleted: 1, error: null });
    expect(await lakeIds()).toEqual(PEOPLE.map((p) => p.id).filter((id) => id !== 2));
    const history = await app.call('snapshots.replays', { system: 'lake' }, meta);
    expect(history.map((h) => [h.dryRun, h.rowsChanged])).toEqual([[true, 0], [false, 1]]);
    expect(history[1]!.ledgerEntries).toBeGreaterThan(0);
    await expect(app.call('snapshots.replay', { system: 'lake', since: 'weekly' }, meta)).rejects.toThrow(/no snapshot "weekly"/u);
  });
});
