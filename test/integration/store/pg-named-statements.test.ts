// Named prepared statements in PostgreSQL group transactions (shared/store/postgres-db.ts): each
// text is prepared once per connection, under a cap, never outside a group; and a statement made
// stale by another connection's schema change ("cached plan must not change result type", a
// parameter type that no longer fits) is recovered from without the caller seeing an error: the
// member's writes rolled back, run again with the same results, every effect once. When the member's
// earlier reads would now give other results, it fails with the original error, nothing of it kept.
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import pg from 'pg';
import { PostgresDb, isStalePlan } from '../../../shared/store/postgres-db';
import type { Db } from '../../../shared/store/db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from './postgres-harness';

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => { open = r; });
  return { wait, open };
}

async function otherConnection(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** A fresh database: a group-commit store on one connection, and another connection (another process). */
async function withGroupDb(fn: (db: PostgresDb, other: pg.Client) => Promise<void>): Promise<void> {
  const url = await createDatabase(server);
  const db = new PostgresDb(url, { groupCommit: true, max: 1 });
  const other = await otherConnection(url);
  try {
    await fn(db, other);
  } finally {
    await db.close();
    await other.end();
  }
}

/** The named statements of the connection the statement runs on. */
const PREPARED = "SELECT name FROM pg_prepared_statements WHERE name LIKE 'pd\\_%' ORDER BY name";

describe('PostgresDb named statements (group transactions)', () => {
  it('prepares each text once per connection inside groups, none outside, at most 100 a connection', async () => {
    const url = await createDatabase(server);
    const db = new PostgresDb(url, { groupCommit: true, max: 1 });
    const plain = new PostgresDb(url, { max: 1 });
    try {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      for (let i = 0; i < 3; i++) await db.tx(async (t) => { await t.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, `v${i}`]); });
      const names = await db.tx((t) => t.all<{ name: string }>(PREPARED));
      // The insert, prepared once for three transactions, and the listing itself.
      expect(names.length).toBe(2);
      // Outside a transaction, and on a pool without group commit: unnamed.
      await db.get('SELECT v FROM t WHERE id = ?', [1]);
      await plain.tx(async (t) => { await t.get('SELECT v FROM t WHERE id = ?', [2]); });
      expect((await plain.all(PREPARED)).length).toBe(0);
      expect((await db.tx((t) => t.all<{ name: string }>(PREPARED))).length).toBe(2);
      // More distinct texts than the cap: the rest run unnamed, and correctly.
      const sums = await db.tx(async (t) => {
        const out: number[] = [];
        for (let k = 0; k < 150; k++) out.push(Number((await t.get<{ n: number }>(`SELECT ?::int + ${k} AS n`, [1]))!.n));
        return out;
      });
      expect(sums).toEqual(Array.from({ length: 150 }, (_, k) => k + 1));
      expect((await db.tx((t) => t.all<{ name: string }>(PREPARED))).length).toBe(100);
    } finally {
      await db.close();
      await plain.close();
    }
  });

  it('a column type changed by another connection: the first member of a group and a later one go on without an error, every write once', async () => {
    await withGroupDb(async (db, other) => {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, note TEXT); CREATE TABLE w (id SERIAL PRIMARY KEY, who TEXT)');
      await db.exec("INSERT INTO t (id, v, note) VALUES (1, 10, '10'), (2, 20, '20')");
      const readV = (t: Db, id: number) => t.get<{ id: number; v: unknown }>('SELECT id, v FROM t WHERE id = ?', [id]);
      const setNote = (t: Db, note: string, id: number) => t.run('UPDATE t SET note = ? WHERE id = ?', [note, id]);
      // Prepared by name on the group's connection.
      await db.tx(async (t) => { await readV(t, 1); await setNote(t, '11', 1); });

      // 1. A SELECT whose result type changed ("cached plan must not change result type"), in a
      // group's first member, after a write of its own: the write is rolled back and made again once.
      await other.query('ALTER TABLE t ALTER COLUMN v TYPE TEXT');
      const out = await db.tx(async (t) => {
        await t.run('INSERT INTO w (who) VALUES (?)', ['first']);
        return readV(t, 1);
      });
      expect(out).toEqual({ id: 1, v: '10' });
      expect((await other.query("SELECT count(*)::int AS n FROM w WHERE who = 'first'")).rows[0].n).toBe(1);

      // 2. A parameter type fixed at the first parse that no longer fits (note TEXT -> INTEGER:
      // "column is of type integer but expression is of type text"), in a later member of a group.
      await db.tx(async (t) => { await setNote(t, '7', 2); });
      await other.query('ALTER TABLE t ALTER COLUMN note TYPE INTEGER USING note::integer');
      const hold = gate();
      const started = gate();
      const head = db.tx(async (t) => {
        await t.run('INSERT INTO w (who) VALUES (?)', ['head']);
        started.open();
        await hold.wait;
      });
      await started.wait;
      const member = db.tx(async (t) => {
        await t.run('INSERT INTO w (who) VALUES (?)', ['member']);
        const before = await readV(t, 2);
        await t.tx(async (u) => { await u.run('INSERT INTO w (who) VALUES (?)', ['nested']); });
        const r = await setNote(t, '8', 2);
        return { before, changes: r.changes };
      });
      hold.open();
      await head;
      expect(await member).toEqual({ before: { id: 2, v: '20' }, changes: 1 });
      const who = (await other.query('SELECT who FROM w ORDER BY id')).rows.map((r: { who: string }) => r.who);
      expect(who).toEqual(['first', 'head', 'member', 'nested']);
      expect((await other.query('SELECT note FROM t WHERE id = 2')).rows[0].note).toBe(8);
    });
  });

  it('later members of one group: failing on their first statement, running none, starting with a simple statement, or whose first statement went stale: each rolled back alone or kept whole', async () => {
    await withGroupDb(async (db, other) => {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)');
      const put = (t: Db, id: number) => t.run('INSERT INTO t (id, v) VALUES (?, ?)', [id, id]);
      const read = (t: Db, id: number) => t.get<{ id: number; v: unknown }>('SELECT id, v FROM t WHERE id = ?', [id]);
      // Prepared (and run once) on the group's connection.
      await db.tx(async (t) => { await put(t, 1); await read(t, 1); });
      await other.query('ALTER TABLE t ALTER COLUMN v TYPE TEXT');
      const hold = gate();
      const started = gate();
      const head = db.tx(async (t) => { await put(t, 2); started.open(); await hold.wait; });
      await started.wait;
      const members = [
        // Fails on its first statement (a duplicate key), the error thrown on.
        db.tx(async (t) => { await put(t, 1); }),
        db.tx(async (t) => { await put(t, 3); return 'kept'; }),
        // Fails on its first statement and catches it: refused alone.
        db.tx(async (t) => { await put(t, 2).catch(() => undefined); await put(t, 40); }),
        // Runs no statement at all.
        db.tx(async () => 'nothing'),
        // Its first statement is a simple one.
        db.tx(async (t) => { await t.exec('INSERT INTO t (id, v) VALUES (5, 5)'); await put(t, 6); return 'simple'; }),
        // Its first statement is the stale one (v changed type): recovered, the member goes on.
        db.tx(async (t) => { const r = await read(t, 3); await put(t, 7); return r; }),
        // Thrown after writing.
        db.tx(async (t) => { await put(t, 8); throw new Error('member fails'); }),
        db.tx(async (t) => { await put(t, 9); return 'last'; }),
      ];
      const outcomes = Promise.allSettled(members);
      hold.open();
      await head;
      const o = await outcomes;
      expect(o.map((x) => x.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(o.filter((x) => x.status === 'fulfilled').map((x) => (x as PromiseFulfilledResult<unknown>).value)).toEqual(['kept', 'nothing', 'simple', { id: 3, v: '3' }, 'last']);
      expect(((o[2] as PromiseRejectedResult).reason as Error).message).toMatch(/aborted/u);
      expect((await other.query('SELECT id FROM t ORDER BY id')).rows.map((r: { id: number }) => r.id)).toEqual([1, 2, 3, 5, 6, 7, 9]);
    });
  });

  it('the member read something that has changed since: it fails with the original error, nothing of it kept', async () => {
    await withGroupDb(async (db, other) => {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); CREATE TABLE c (id INTEGER PRIMARY KEY); CREATE TABLE w (who TEXT)');
      await db.exec('INSERT INTO t (id, v) VALUES (1, 10)');
      await db.tx(async (t) => { await t.get('SELECT id, v FROM t WHERE id = ?', [1]); });
      const err = await db.tx(async (t) => {
        await t.run('INSERT INTO w (who) VALUES (?)', ['doomed']);
        const n = await t.get<{ n: number }>('SELECT count(*) AS n FROM c WHERE id > ?', [0]);
        // Between the member's read and its next statement, another connection changes both.
        await other.query('INSERT INTO c (id) VALUES (1)');
        await other.query('ALTER TABLE t ALTER COLUMN v TYPE TEXT');
        const r = await t.get('SELECT id, v FROM t WHERE id = ?', [1]).then(() => null, (e: unknown) => e);
        return { n: n!.n, r };
      }).then(() => null, (e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect(isStalePlan(err)).toBe(true);
      expect((err as Error).message).toMatch(/cached plan must not change result type/u);
      expect((await other.query('SELECT count(*)::int AS n FROM w')).rows[0].n).toBe(0);
      // The connection goes on, with its statements prepared afresh.
      expect(await db.tx((t) => t.get('SELECT id, v FROM t WHERE id = ?', [1]))).toEqual({ id: 1, v: '10' });
    });
  });
});
