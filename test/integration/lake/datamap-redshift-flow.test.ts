// A Redshift warehouse (SQL run on a real PostgreSQL) registered as a data-map system with seed 001's
// forgotten-flag pattern: a delete request through the case engine flags the person's rows (verify
// passes: flagged rows count as erased), the monthly purge deletes them. Also: the snapshot
// repository on PostgreSQL.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';
import { RedshiftSource } from '../../../shared/adapters/redshift/redshift-source';
import { openDb } from '../../../shared/store/open-db';
import { migrate } from '../../../shared/store/migrate';
import { SnapshotRepo } from '../../../shared/store/snapshot-repo';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const meta = { actor: 'staff:test' };
let dir: string;
let server: PostgresServer;
let pool: pg.Pool;
let app: App;
let svc: DatamapService;

const rsConfig = () => ({
  url: server.url,
  tables: [{ name: 'customer_pii', primaryKey: ['customer_id'], erasure: { mode: 'forget' }, identities: [{ column: 'email', kind: 'email' }, { column: 'phone', kind: 'phone' }] }],
});
const map = {
  dataset: 'warehouse',
  collections: [{
    name: 'customer_pii', erasure: 'delete' as const,
    fields: [
      { name: 'customer_id', primaryKey: true },
      { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] },
      { name: 'full_name', categories: ['user.name'] },
      { name: 'forgotten_flag' },
    ],
  }],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-rs-flow-'));
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => {});
  await pool.query(`CREATE TABLE customer_pii (customer_id INTEGER PRIMARY KEY, email VARCHAR(256), phone VARCHAR(32), full_name VARCHAR(128), forgotten_flag VARCHAR(3) NOT NULL DEFAULT 'No');
    INSERT INTO customer_pii (customer_id, email, phone, full_name) VALUES (1, 'Ann@Example.com', '(415) 555-0101', 'Ann'), (2, 'ben@example.com', '415.555.0102', 'Ben')`);
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
  svc = datamapService(app.ctx);
  await svc.addSystem({ name: 'warehouse', connection: { engine: 'redshift', config: rsConfig() }, map: map as never }, 'staff:test');
});
afterAll(async () => {
  await app?.close();
  await pool?.end();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Redshift forgotten flag through the case engine', () => {
  it('flags at request time, verifies, and the periodic batch delete purges', async () => {
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { email: 'ann@example.com' }, strategy: 'exact', autoApprove: true } as never, meta);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
    await app.settle(c.id);
    const out = await svc.output(c.id);
    expect(out.errors).toEqual([]);
    expect(out.status).toBe('closed');
    expect(out.changes!['warehouse:customer_pii']).toMatchObject({ deleted: 1 });
    expect((await pool.query('SELECT customer_id, forgotten_flag FROM customer_pii ORDER BY 1')).rows).toEqual([{ customer_id: 1, forgotten_flag: 'Yes' }, { customer_id: 2, forgotten_flag: 'No' }]);
    const rs = RedshiftSource.open(rsConfig());
    try {
      expect(await rs.pendingPurge()).toEqual({ customer_pii: 1 });
    } finally {
      await rs.close();
    }
    // the monthly job (privacy-desk stores purge-forgotten --system warehouse)
    expect(await app.call('stores.purgeForgotten', { system: 'warehouse', dryRun: true }, meta)).toEqual({ system: 'warehouse', dryRun: true, tables: { customer_pii: 1 } });
    expect(await app.call('stores.purgeForgotten', { system: 'warehouse' }, meta)).toEqual({ system: 'warehouse', dryRun: false, tables: { customer_pii: 1 } });
    expect((await pool.query('SELECT customer_id FROM customer_pii')).rows).toEqual([{ customer_id: 2 }]);
    await expect(app.call('stores.purgeForgotten', { system: 'nope' }, meta)).rejects.toThrow(/no system named nope/u);
    const audit = await app.ctx.db.all<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action LIKE 'store.purge%' ORDER BY seq");
    expect(audit.map((a) => a.action)).toEqual(['store.purge.counted', 'store.purge.forgotten']);
  });

  it('keeps snapshots on a PostgreSQL case store too', async () => {
    await pool.query('CREATE DATABASE casestore');
    const db = await openDb({ kind: 'postgres', url: server.url.replace(/\/[^/]+$/u, '/casestore') });
    try {
      await migrate(db);
      const repo = new SnapshotRepo(db);
      await repo.add({ system: 'warehouse', label: 'rs-1', takenAt: '2026-11-01T02:00:00Z' }, 'staff:test', new Date('2026-11-02T00:00:00Z'));
      await repo.add({ system: 'warehouse', label: 'rs-2', takenAt: '2026-11-08T02:00:00Z', kind: 'backup' }, 'staff:test', new Date('2026-11-09T00:00:00Z'));
      expect((await repo.resolve('warehouse', 'latest')).label).toBe('rs-2');
      const snap = await repo.resolve('warehouse', 'rs-1');
      await repo.recordReplay({ system: 'warehouse', snapshotId: snap.id, ranAt: '2026-11-10T00:00:00.000Z', actor: 'cli', dryRun: false, ledgerEntries: 3, rowsChanged: 2, detail: { engine: 'redshift' } });
      expect(await repo.replays('warehouse')).toMatchObject([{ dryRun: false, ledgerEntries: 3, rowsChanged: 2, detail: { engine: 'redshift' } }]);
    } finally {
      await db.close();
    }
  });
});
