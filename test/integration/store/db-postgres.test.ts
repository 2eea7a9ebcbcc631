// The Db port on a real PostgreSQL server, plus connection errors that never print the password,
// and group commit (shared transactions of concurrent callers, across two pools as two processes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { migrate } from '../../../shared/store/migrate';
import { createStore } from '../../../shared/store/create-store';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import { openDb } from '../../../shared/store/open-db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from './postgres-harness';
import { dbContract } from './db-contract';

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

dbContract('PostgreSQL', async () => {
  const db = new PostgresDb(await createDatabase(server));
  return { db, close: () => db.close() };
});

describe('openDb (PostgreSQL)', () => {
  it('connects to a URL', async () => {
    const db = await openDb({ kind: 'postgres', url: server.url });
    try {
      expect(db.dialect).toBe('postgres');
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });

  it('poolMax bounds the connections the store opens (the phone Lambdas: 2), whatever runs at once', async () => {
    const backends = async (db: Awaited<ReturnType<typeof openDb>>) => new Set((await Promise.all(Array.from({ length: 6 }, () =>
      db.get<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05) AS slept')))).map((r) => r!.pid)).size;
    const bounded = await openDb({ kind: 'postgres', url: server.url, poolMax: 2 });
    const unbounded = await openDb({ kind: 'postgres', url: server.url });
    try {
      expect(await backends(bounded)).toBeLessThanOrEqual(2);
      expect(await backends(unbounded)).toBeGreaterThan(2);
      // A transaction (group commit) and reads at once still complete on two connections.
      const [inTx, ...reads] = await Promise.all([
        bounded.tx(async (t) => (await t.get<{ n: number }>('SELECT 1 AS n, pg_sleep(0.05) AS slept'))!.n),
        ...Array.from({ length: 4 }, () => bounded.get<{ n: number }>('SELECT 2 AS n')),
      ]);
      expect([inTx, ...reads.map((r) => r!.n)]).toEqual([1, 2, 2, 2, 2]);
    } finally {
      await bounded.close();
      await unbounded.close();
    }
  });

  it('fails with a clear message that hides the password', async () => {
    const u = new URL(server.url);
    u.password = 'sup3r-s3cret-pw';
    const err = (await openDb({ kind: 'postgres', url: u.toString() }).then(() => new Error('connected'), (e: unknown) => e as Error));
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/u);
    expect(err.message).not.toContain('sup3r-s3cret-pw');
  });
});

dbContract('PostgreSQL, group commit', async () => {
  const db = new PostgresDb(await createDatabase(server), { groupCommit: true });
  return { db, close: () => db.close() };
});

/** Resolves when opened; the caller's fn waits on it. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => { open = r; });
  return { wait, open };
}

describe('PostgresDb group commit', () => {
  it('transactions that queue while one is open share its COMMIT, each settling only after it, each in its own async context; a failing one is rolled back alone', async () => {
    const url = await createDatabase(server);
    const db = new PostgresDb(url, { groupCommit: true });
    const other = new PostgresDb(url);
    const caller = new AsyncLocalStorage<string>();
    try {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT, txid TEXT)');
      const hold = gate();
      const started = gate();
      const settled: number[] = [];
      const me = "txid_current()::text";
      const first = caller.run('c0', () => db.tx(async (t) => {
        await t.run(`INSERT INTO t (id, who, txid) VALUES (0, ?, ${me})`, [caller.getStore() ?? null]);
        started.open();
        await hold.wait;
      })).then(() => settled.push(0));
      await started.wait;
      const rest = [1, 2, 3, 4, 5].map((i) => caller.run(`c${i}`, () => db.tx(async (t) => {
        await t.run(`INSERT INTO t (id, who, txid) VALUES (?, ?, ${me})`, [i, caller.getStore() ?? null]);
        if (i === 3) throw new Error('member 3 fails');
        // A failed statement the fn catches aborts the transaction: this member alone is refused.
        if (i === 4) await t.run('INSERT INTO t (id) VALUES (0)').catch(() => undefined);
        return i;
      })).then((v) => { settled.push(i); return v; }, (e: unknown) => { settled.push(i); throw e; }));
      const three = expect(rest[2]).rejects.toThrow('member 3 fails');
      const four = expect(rest[3]).rejects.toThrow(/aborted/u);
      // Nothing is visible to another connection before the COMMIT.
      expect(await other.all('SELECT id FROM t')).toEqual([]);
      hold.open();
      await first;
      // The first settles only with the group's COMMIT: by then the others' writes are committed too, in one transaction.
      const rows = await other.all<{ id: number; who: string; txid: string }>('SELECT id, who, txid FROM t ORDER BY id');
      expect(rows.map((r) => [r.id, r.who])).toEqual([[0, 'c0'], [1, 'c1'], [2, 'c2'], [5, 'c5']]);
      expect(new Set(rows.map((r) => r.txid)).size).toBe(1);
      expect(await rest[0]).toBe(1);
      expect(await rest[1]).toBe(2);
      await three;
      await four;
      expect(await rest[4]).toBe(5);
      expect(settled.sort()).toEqual([0, 1, 2, 3, 4, 5]);
      // A nested transaction inside a grouped one is still a savepoint of its own.
      const a = db.tx(async (t) => { await t.run('INSERT INTO t (id) VALUES (10)'); });
      const b = db.tx(async (t) => {
        await t.run('INSERT INTO t (id) VALUES (11)');
        await expect(t.tx(async (u) => { await u.run('INSERT INTO t (id) VALUES (12)'); throw new Error('inner'); })).rejects.toThrow('inner');
      });
      await Promise.all([a, b]);
      expect(await other.all('SELECT id FROM t WHERE id >= 10 ORDER BY id')).toEqual([{ id: 10 }, { id: 11 }]);
      // The first member catching a failed statement: it alone is refused, the queued ones commit in a new group.
      const held = gate();
      const inFirst = gate();
      const bad = db.tx(async (t) => {
        await t.run('INSERT INTO t (id) VALUES (0)').catch(() => undefined);
        inFirst.open();
        await held.wait;
      });
      await inFirst.wait;
      const after = [20, 21].map((i) => db.tx(async (t) => { await t.run('INSERT INTO t (id) VALUES (?)', [i]); return i; }));
      held.open();
      await expect(bad).rejects.toThrow(/aborted/u);
      expect(await Promise.all(after)).toEqual([20, 21]);
      expect(await other.all('SELECT id FROM t WHERE id >= 20 ORDER BY id')).toEqual([{ id: 20 }, { id: 21 }]);
    } finally {
      await db.close();
      await other.close();
    }
  });

  it('a failed COMMIT rejects every transaction of the group, none half-written', async () => {
    const db = new PostgresDb(await createDatabase(server), { groupCommit: true });
    try {
      await db.exec('CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE ch (p TEXT REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)');
      const hold = gate();
      const started = gate();
      const first = db.tx(async (t) => { await t.run('INSERT INTO p (id) VALUES (?)', ['ok']); started.open(); await hold.wait; });
      await started.wait;
      const bad = db.tx(async (t) => { await t.run('INSERT INTO ch (p) VALUES (?)', ['missing']); });
      const good = db.tx(async (t) => { await t.run('INSERT INTO ch (p) VALUES (?)', ['ok']); });
      hold.open();
      const r = await Promise.allSettled([first, bad, good]);
      expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await db.all('SELECT id FROM p')).toEqual([]);
      expect(await db.all('SELECT p FROM ch')).toEqual([]);
      await db.tx(async (t) => { await t.run('INSERT INTO p (id) VALUES (?)', ['after']); });
      expect(await db.all('SELECT id FROM p')).toEqual([{ id: 'after' }]);
    } finally {
      await db.close();
    }
  });

  it('two processes (two pools) with concurrent cases: no deadlock between groups, one valid audit chain', async () => {
    const url = await createDatabase(server);
    const dir = mkdtempSync(join(tmpdir(), 'pd-pg-group-'));
    const a = new PostgresDb(url, { groupCommit: true });
    const b = new PostgresDb(url, { groupCommit: true });
    try {
      await migrate(a);
      const crypto = await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
      const sa = createStore(a, crypto);
      const sb = createStore(b, crypto);
      await a.exec('CREATE TABLE x (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO x (id, n) VALUES (1, 0)');
      // B locks row x first and appends after; A's group appends first (member 1) and then wants
      // row x (member 2). Without one lock taken first by every group this is a deadlock
      // (B waits for the chain head held by A's group, A's member 2 for B's row).
      const hold = gate();
      const inB = gate();
      const tb = b.tx(async (t) => {
        await t.run('UPDATE x SET n = n + 1 WHERE id = 1');
        inB.open();
        await hold.wait;
        await sb.audit.append({ caseId: 'PD-B', actor: 'engine', action: 'case.event', detail: { who: 'b' } }, new Date());
      });
      await inB.wait;
      const a1 = a.tx(async () => {
        await sa.audit.append({ caseId: 'PD-A', actor: 'engine', action: 'case.event', detail: { who: 'a1' } }, new Date());
      });
      const a2 = a.tx(async (t) => {
        await t.run('UPDATE x SET n = n + 1 WHERE id = 1');
        await sa.audit.append({ caseId: 'PD-A', actor: 'engine', action: 'case.event', detail: { who: 'a2' } }, new Date());
      });
      setTimeout(hold.open, 100);
      expect((await Promise.allSettled([tb, a1, a2])).map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      // Many concurrent audited transactions from both pools: one chain, every entry once.
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).tx(async () => {
        const s = i % 2 ? sa : sb;
        await s.audit.append({ caseId: `PD-${i % 5}`, actor: 'engine', action: 'case.event', detail: { i } }, new Date());
        await s.audit.append({ caseId: `PD-${i % 5}`, actor: 'engine', action: 'case.event', detail: { i, second: true } }, new Date());
      })));
      expect(await sa.audit.verify()).toEqual({ ok: true, entries: 83, firstBad: null });
      expect(await a.get('SELECT n FROM x WHERE id = 1')).toEqual({ n: 2 });
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
