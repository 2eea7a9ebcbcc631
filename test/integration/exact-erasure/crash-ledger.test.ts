// Part 8 of "Exact erasure": the deletion ledger after a crash. Two systems (two copies of the demo
// shop). The first attempt's change commits in system A and then the process loses it (the store
// committed, our record of it never happened: here the source throws after its commit). The ledger
// must already hold A's entries (written from the plan before the change), the retry must count
// the rows the first attempt deleted (read again, not "0 deleted"), and a later replay must find
// rows re-imported into A.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { DatamapService, datamapService, type SourceOpener } from '../../../shared/app/datamap/service';
import { demoShopDataMap } from '../../../shared/adapters/demo-shop';
import { openSqlSource } from '../../../shared/adapters/sql-source';
import type { DataSource } from '../../../shared/adapters/port';
import { SqliteDb } from '../../../shared/store/sqlite-db';

const meta = { actor: 'staff:test' };
let dir: string;
let app: App;
let fileA: string;
let fileB: string;

async function rows(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = new SqliteDb(file);
  try { return await db.all(sql); } finally { await db.close(); }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-crash-ledger-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false }, { clock: () => new Date('2026-11-23T18:00:00Z') });
  const shop = await datamapService(app.ctx).registerDemoShop(join(dir, 'shop'), 'staff:test');
  fileB = shop.sqliteFile;
  fileA = join(dir, 'shop-a.sqlite');
  copyFileSync(fileB, fileA);
});
afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deletion ledger after a crash', () => {
  it('has an entry for every system the case erased, however many attempts it took; the retry counts what the first attempt deleted; replay finds re-imported rows', async () => {
    let crash = true;
    const opener: SourceOpener = async (connection, system) => {
      const src = await openSqlSource(connection as never);
      if (system !== 'shop-a') return src;
      const wrapped: DataSource = Object.assign(Object.create(Object.getPrototypeOf(src) as object) as DataSource, src, {
        apply: async (changes: Parameters<DataSource['apply']>[0]) => {
          const r = await src.apply(changes);
          if (crash) { crash = false; throw new Error('connection lost after COMMIT'); }
          return r;
        },
      });
      return wrapped;
    };
    const svc = new DatamapService(app.ctx, opener);
    try {
      await svc.addSystem({ name: 'shop-a', connection: { engine: 'sqlite', file: fileA }, map: demoShopDataMap() }, 'staff:test');
      const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'staff', identities: { email: 'ann.lee@example.com' }, strategy: 'exact' }, meta);
      await svc.discoverCase(c.id);

      // First attempt: shop-a's change commits, then the attempt dies before recording it.
      await expect(svc.executeCase(c.id, { key: 'execute#1' })).rejects.toThrow(/shop-a/u);
      expect(await rows(fileA, 'SELECT id FROM customers WHERE id = 1')).toEqual([]); // the store did commit
      const ledger = await svc.repo.ledger();
      expect(new Set(ledger.map((e) => e.system))).toEqual(new Set(['demo-shop', 'shop-a']));
      expect(JSON.stringify(ledger).toLowerCase()).not.toContain('ann');

      // Retry: nothing is deleted twice, and the counts say what happened (not "0 deleted").
      await svc.executeCase(c.id, { key: 'execute#2' });
      const changes = await svc.repo.changes(c.id);
      const customersA = changes.find((x) => x.system === 'shop-a' && x.collection === 'customers')!;
      const customersB = changes.find((x) => x.system === 'demo-shop' && x.collection === 'customers')!;
      expect(customersA.deleted).toBe(1);
      expect(customersB.deleted).toBe(1);
      expect(changes.find((x) => x.system === 'shop-a' && x.collection === 'logins')!.deleted).toBe(2);
      const check = await svc.checkCase(c.id);
      expect(check.ok).toBe(true);

      // A nightly re-import brings Ann back into shop-a: the replay finds her there.
      const db = new SqliteDb(fileA);
      await db.run("INSERT INTO customers VALUES (1, 'ann.lee@example.com', '+14155550101', 'Ann', 'Lee', NULL, 'L-1001', '2024-01-05T10:00:00Z')");
      await db.close();
      const r = await svc.ledgerReplay('staff:test');
      const a = r.systems.find((s) => s.system === 'shop-a')!;
      expect(a.error).toBeNull();
      expect(a.matched).toBeGreaterThan(0);
      expect(await rows(fileA, 'SELECT id FROM customers WHERE id = 1')).toEqual([]);
    } finally {
      await svc.close();
    }
  });
});
