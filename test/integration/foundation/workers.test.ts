// Exactly one worker per busy case, across processes (issue 13 part 1). Real child processes on one
// SQLite file and on one PostgreSQL: a worker is killed with -9 in the middle of an erasure (inside
// its transaction), read-only CLI commands run while its case is orphaned (they change nothing),
// two workers restart and share the rest, one of them is killed -9 right after a step committed, a
// third takes over. Then: every source row was changed exactly once (counted by a trigger), every
// step's effect ran and was audited exactly once, each case closed once, the audit chain holds.
// Plus the lease rules themselves (expiry, takeover, renewal, fencing, SKIP LOCKED claims) and
// `privacy-desk worker --once`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import { SqlCaseLeases } from '../../../shared/store/case-leases';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

const childScript = join(process.cwd(), 'test/support/worker-child.ts');
const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
const CASES = 6;
const ROWS = 150;
const STEPS = ['acknowledge#1', 'discover#1', 'execute#1', 'checkResult#1', 'respond#1'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Worker { proc: ChildProcess; pid: number; lines: string[]; exited: Promise<void>; stderr(): string; wait(re: RegExp, ms?: number): Promise<string> }

function startWorker(dataDir: string, db: AppConfig['db'], env: Record<string, string>): Promise<Worker> {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, JSON.stringify(db)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PRIVACY_DESK_LEASE_TTL_MS: '5000', PRIVACY_DESK_WORKER_POLL_MS: '150', ...env },
  });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  let buf = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i); buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) if (w.re.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<void>((r) => proc.on('close', () => r()));
  const w: Worker = {
    proc, pid: proc.pid!, lines, exited, stderr: () => err,
    wait: (re, ms = 60_000) => {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`worker ${proc.pid}: no line ${re} in ${ms} ms; stderr: ${err.slice(-2000)}`)), ms);
        waiters.push({ re, resolve: (l) => { clearTimeout(t); resolve(l); } });
      });
    },
  };
  return w.wait(/^READY /u).then(() => w);
}

function cli(dbArgs: string[], dataDir: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...dbArgs, '--data-dir', dataDir, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function sourceTables(app: App): Promise<void> {
  const db = app.ctx.db;
  await db.exec(`
    CREATE TABLE effect_log (case_id TEXT NOT NULL, step TEXT NOT NULL, pid INTEGER NOT NULL);
    CREATE TABLE source_rows (id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, v TEXT NOT NULL);
    CREATE TABLE source_changes (row_id INTEGER NOT NULL);
  `);
  if (db.dialect === 'postgres') {
    await db.exec(`
      CREATE FUNCTION count_source_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN INSERT INTO source_changes (row_id) VALUES (NEW.id); RETURN NEW; END $fn$;
      CREATE TRIGGER source_rows_changed AFTER UPDATE ON source_rows FOR EACH ROW EXECUTE FUNCTION count_source_change();
    `);
  } else {
    await db.exec(`CREATE TRIGGER source_rows_changed AFTER UPDATE ON source_rows BEGIN INSERT INTO source_changes (row_id) VALUES (NEW.id); END;`);
  }
}

async function waitUntil(what: string, ms: number, ok: () => Promise<boolean>, explain?: () => Promise<string>): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${explain ? `: ${await explain()}` : ''}`);
    await sleep(150);
  }
}

const count = async (app: App, sql: string, params: Array<string | number> = []) => Number((await app.ctx.db.get<{ n: number }>(sql, params))!.n);

function scenario(name: string, setup: () => Promise<{ config: AppConfig; dbArgs: string[] }>) {
  describe(`workers on ${name}`, () => {
    it('one worker per case: kill -9 mid-step, read-only CLI changes nothing, restarts share the rest, each row changed once', async () => {
      const { config, dbArgs } = await setup();
      const workers: Worker[] = [];
      // The test's own app never runs a step (work: none): it only creates and reads.
      const app = await createApp({ ...config, work: 'none', runEngine: false });
      try {
        await sourceTables(app);
        const ids: string[] = [];
        for (let k = 0; k < CASES; k += 1) {
          const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: `worker.${k}@example.com` }, autoApprove: true }, { actor: 'test' });
          await app.call('cases.verify', { id: c.id, method: 'staff', note: 'attested', dataPoints: 2 }, { actor: 'test' });
          ids.push(c.id);
          for (let r = 0; r < ROWS; r += 1) await app.ctx.db.run('INSERT INTO source_rows (id, case_id, v) VALUES (?, ?, ?)', [k * ROWS + r, c.id, `value ${r}`]);
        }
        // Nothing ran here: every case waits in `received` for a worker.
        expect(await count(app, 'SELECT COUNT(*) AS n FROM effect_log')).toBe(0);
        expect(await count(app, "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'step.%'")).toBe(0);

        // 1. One worker takes everything; killed -9 inside an erasure's transaction.
        const a = await startWorker(config.dataDir, config.db, { KILL_POINT: 'in-tx', SLOW_MS: '400', PRIVACY_DESK_WORKER_CASES: String(CASES) });
        workers.push(a);
        const mid = (await a.wait(/^MIDSTEP /u)).slice(8);
        a.proc.kill('SIGKILL');
        await a.exited;
        // Its last persisted status is a busy one (the `executing` snapshot may still be queued when it died).
        expect(['discovering', 'executing']).toContain((await app.call('cases.get', { id: mid }, { actor: 'test' })).status);

        // 2. Read-only commands while the case is orphaned (its owner's lease still there): no step, no write.
        const before = await count(app, 'SELECT COUNT(*) AS n FROM audit_log');
        const snapshotBefore = (await app.ctx.db.get<{ snapshot: string }>('SELECT snapshot FROM cases WHERE id = ?', [mid]))!.snapshot;
        const reads = [
          cli(dbArgs, config.dataDir, ['request', 'list', '--json']),
          cli(dbArgs, config.dataDir, ['request', 'show', mid]),
          cli(dbArgs, config.dataDir, ['api', 'call', 'cases.get', '--input', JSON.stringify({ id: mid })]),
        ];
        for (const r of reads) expect(r.code, r.stderr).toBe(0);
        expect(reads[1]!.stdout).toMatch(/discovering|executing/u);
        expect(await count(app, 'SELECT COUNT(*) AS n FROM audit_log')).toBe(before);
        expect((await app.ctx.db.get<{ snapshot: string }>('SELECT snapshot FROM cases WHERE id = ?', [mid]))!.snapshot).toBe(snapshotBefore);
        expect((await app.ctx.db.all<{ pid: number }>('SELECT DISTINCT pid FROM effect_log')).map((r) => Number(r.pid))).toEqual([a.pid]);

        // 3. Two workers restart and share the rest; the first one to commit an erasure is killed -9 right after.
        const b = await startWorker(config.dataDir, config.db, { KILL_POINT: 'after-commit', SLOW_MS: '1500', PRIVACY_DESK_WORKER_CASES: '2' });
        const c = await startWorker(config.dataDir, config.db, { SLOW_MS: '150', PRIVACY_DESK_WORKER_CASES: '2' });
        workers.push(b, c);
        await b.wait(/^COMMITTED /u);
        b.proc.kill('SIGKILL');
        await b.exited;
        const d = await startWorker(config.dataDir, config.db, { SLOW_MS: '150', PRIVACY_DESK_WORKER_CASES: '2' });
        workers.push(d);
        await waitUntil('every case closed', 150_000, async () => {
          const rows = await app.ctx.db.all<{ status: string }>('SELECT status FROM cases');
          return rows.every((r) => r.status === 'closed');
        }, async () => JSON.stringify({
          cases: await app.ctx.db.all('SELECT id, status FROM cases'), leases: await app.ctx.db.all('SELECT * FROM case_leases'),
          workers: workers.map((w) => ({ pid: w.pid, exit: w.proc.exitCode, signal: w.proc.signalCode, lines: w.lines.slice(-20), stderr: w.stderr().slice(-1500) })),
        }));

        // Every source row changed exactly once (the trigger's count), every step's effect once.
        const counts = await app.ctx.db.all<{ row_id: number; n: number }>('SELECT row_id, COUNT(*) AS n FROM source_changes GROUP BY row_id');
        expect(counts.length).toBe(CASES * ROWS);
        expect(counts.filter((r) => Number(r.n) !== 1)).toEqual([]);
        const effects = await app.ctx.db.all<{ case_id: string; step: string; n: number }>('SELECT case_id, step, COUNT(*) AS n FROM effect_log GROUP BY case_id, step');
        expect(effects.length).toBe(CASES * STEPS.length);
        expect(effects.filter((r) => Number(r.n) !== 1)).toEqual([]);
        const pids = new Set((await app.ctx.db.all<{ pid: number }>('SELECT DISTINCT pid FROM effect_log')).map((r) => Number(r.pid)));
        expect([...pids].every((p) => [a.pid, b.pid, c.pid, d.pid].includes(p))).toBe(true);
        expect(pids.has(c.pid) || pids.has(d.pid)).toBe(true);
        for (const id of ids) {
          const audit = await app.call('cases.audit', { id }, { actor: 'test' });
          for (const step of STEPS) {
            expect(audit.filter((e) => e.action === 'test.effect' && (e.detail as { step: string }).step === step).length, `${id} ${step}`).toBe(1);
            expect(audit.filter((e) => e.action === 'step.completed' && (e.detail as { step: string }).step === step).length).toBeLessThanOrEqual(1);
            expect(await app.ctx.steps.count(id, step)).toBe(1);
          }
          expect(audit.filter((e) => e.action === 'case.status' && (e.detail as { to: string }).to === 'closed').length, id).toBe(1);
          expect(audit.filter((e) => e.action === 'case.status' && (e.detail as { to: string }).to === 'responding').length, id).toBe(1);
        }
        expect(await app.call('audit.verify', {}, { actor: 'test' })).toMatchObject({ ok: true, firstBad: null });
        // Closed cases hold no lease.
        await waitUntil('leases released', 10_000, async () => (await count(app, "SELECT COUNT(*) AS n FROM case_leases WHERE owner <> ''")) === 0);
      } finally {
        for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
        await Promise.all(workers.map((w) => w.exited));
        await app.close();
      }
    }, 300_000);

    it('leases: one holder, renewal, expiry and takeover, fencing; concurrent claims take disjoint cases', async () => {
      const { config } = await setup();
      const app = await createApp({ ...config, work: 'none', runEngine: false });
      try {
        const ids: string[] = [];
        for (let k = 0; k < 8; k += 1) ids.push((await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: `lease.${k}@example.com` } }, { actor: 'test' })).id);
        const A = new SqlCaseLeases(app.ctx.db, 'host-a/1/100/aaaa', 400);
        const B = new SqlCaseLeases(app.ctx.db, 'host-b/1/100/bbbb', 400);
        expect(await A.acquire(ids[0]!)).toBe(true);
        expect(await B.acquire(ids[0]!)).toBe(false);
        expect(await A.acquire(ids[0]!)).toBe(true); // re-entrant for its owner
        expect([...await A.renew([ids[0]!])]).toEqual([ids[0]]);
        expect(await A.holds(ids[0]!)).toBe(true);
        await sleep(500); // A stalled past its expiry
        expect(await B.acquire(ids[0]!)).toBe(true);
        expect(await A.holds(ids[0]!)).toBe(false); // fencing: A's next persist is refused
        expect([...await A.renew([ids[0]!])]).toEqual([]); // and its renewal tells it so
        await A.release(ids[0]!); // not its lease any more: nothing happens
        expect((await B.holder(ids[0]!))?.owner).toBe('host-b/1/100/bbbb');
        await B.release(ids[0]!);
        expect(await B.holder(ids[0]!)).toBeUndefined();
        // Claims from two owners at once: disjoint, together everything.
        const [x, y] = await Promise.all([A.claim(['received'], 4), B.claim(['received'], 4)]);
        expect(x.filter((id) => y.includes(id))).toEqual([]);
        expect(new Set([...x, ...y])).toEqual(new Set(ids));
        // An idle case (waiting for a person though its status reads busy) is not claimed.
        await A.release(x[0]!, true);
        await sleep(450);
        const again = await B.claim(['received'], 10);
        expect(again).not.toContain(x[0]);
        expect(again.length).toBe(ids.length - 1); // every other lease has expired meanwhile
        expect(await A.acquire(x[0]!)).toBe(true); // an event takes it as usual
      } finally {
        await app.close();
      }
    });
  });
}

const dirs: string[] = [];
const tmp = (p: string) => { const d = mkdtempSync(join(tmpdir(), p)); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

scenario('one SQLite file', async () => {
  const dir = tmp('pd-workers-');
  const file = join(dir, 'cases.sqlite');
  return { config: { dataDir: dir, db: { kind: 'sqlite', file } }, dbArgs: ['--db', file] };
});

describe('privacy-desk worker', () => {
  it('--once claims the waiting cases, finishes them and exits; a read-only command had left them alone', async () => {
    const dir = tmp('pd-worker-cli-');
    const file = join(dir, 'cases.sqlite');
    const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file }, work: 'none', runEngine: false });
    let id: string;
    try {
      id = (await app.call('cases.create', { type: 'opt_out', jurisdiction: 'CA', identities: { email: 'worker.cli@example.com' } }, { actor: 'test' })).id;
    } finally {
      await app.close();
    }
    const shown = cli(['--db', file], dir, ['request', 'show', id, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'received' });
    const r = cli(['--db', file], dir, ['worker', '--once']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^privacy-desk worker \S+ started \(sqlite; 1 case\(s\) claimed\)$/mu);
    expect(r.stdout).toContain(`${id} responding -> closed`);
    const after = cli(['--db', file], dir, ['request', 'show', id, '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ id, status: 'closed' });
  }, 120_000);
});

let pg: PostgresServer;
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => { await pg?.stop(); });
scenario('one PostgreSQL', async () => {
  const dir = tmp('pd-workers-pg-');
  const url = await createDatabase(pg);
  return { config: { dataDir: dir, db: { kind: 'postgres', url } }, dbArgs: ['--database-url', url] };
});
