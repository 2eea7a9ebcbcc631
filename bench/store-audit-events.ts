// Audited case events per second on SQLite (file, WAL, synchronous=FULL) and PostgreSQL 18
// (embedded, fsync on). One event = what the engine does on a transition: update the case row (status
// + machine snapshot), append a hash-chained audit entry, record the step in the journal - all in
// one transaction. Compared against the obvious alternatives:
//  - "no outer tx": the same three writes, each committing on its own (3 commits per event, and a
//    crash can leave a case updated without its audit entry);
//  - "unchained audit": one transaction, but a plain audit insert (no hash chain, no head lock):
//    the price of tamper evidence.
// Modes run interleaved in 3 rounds. Also: 8 events in flight at once.
// Both engines are opened as the app opens the case store (shared/store/open-db.ts: group commit
// on, so transactions queued while one is open share its COMMIT); "8 in flight, one COMMIT each"
// is the same on a second connection (SQLite) or pool (PostgreSQL: 8 pooled connections lining the
// audit appends up on the chain head lock) opened without group commit (what it was before).
// Where the time of one audited event goes: BEGIN (from tx() to the first line of its fn), each
// write, COMMIT (from the fn's end to tx() resolving), averaged over the sequential run.
// Goals (issue 18 item 6): >= 2,000 audited events/s on SQLite, >= 1,000/s on PostgreSQL, with
// concurrent cases; each figure is printed as a ratio to its goal, with the load average.
// Run: npx tsx bench/store-audit-events.ts   (BENCH_EVENTS=5000 to scale; default 1500;
// BENCH_PG=0 to skip PostgreSQL)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../shared/store/db';
import { SqliteDb } from '../shared/store/sqlite-db';
import { PostgresDb } from '../shared/store/postgres-db';
import { migrate } from '../shared/store/migrate';
import { createStore, type Store } from '../shared/store/create-store';
import { createPiiCrypto } from '../shared/crypto/envelope';
import type { StoredCase } from '../shared/store/ports';
import { startPostgres } from '../test/support/postgres';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1500);
const CASES = 100;
const CONCURRENCY = 8;
const ROUNDS = 3;
const GOAL: Record<string, number> = { sqlite: 2000, postgres: 1000 };
const load = () => `load ${loadavg()[0]!.toFixed(2)}`;

interface Figures { label: string; events: number; perSec: number; p50: number; p95: number }

function stats(label: string, lat: number[], totalMs: number): Figures {
  const s = [...lat].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { label, events: lat.length, perSec: lat.length / (totalMs / 1000), p50: q(0.5), p95: q(0.95) };
}

function snapshot(i: number): unknown {
  return { version: 1, input: { caseId: `PD-${i % CASES}` }, machine: { value: { open: 'executing' }, context: { runs: { execute: i }, lastError: null, pad: 'x'.repeat(600) } } };
}

function baseCase(id: string, now: string): StoredCase {
  return {
    id, type: 'delete', strategy: 'exact', jurisdiction: 'CA', channel: 'web', status: 'verifying', receivedAt: now,
    acknowledgeBy: '2026-12-08', respondBy: '2027-01-04', assignee: null, closedAt: null, updatedAt: now, createdAt: now,
    snapshot: snapshot(0), snapshotVersion: 1, purgedAt: null,
  };
}

type EventFn = (i: number) => Promise<void>;

function audited(db: Db, s: Store): EventFn {
  return (i) => db.tx(async () => {
    const at = new Date();
    const caseId = `PD-${i % CASES}`;
    await s.cases.update(caseId, { status: 'executing', snapshot: snapshot(i), updatedAt: at.toISOString() });
    await s.audit.append({ caseId, actor: 'engine', action: 'case.status', detail: { from: 'approved', to: 'executing', run: i } }, at);
    await s.steps.complete(caseId, `execute#${i}`, { deleted: 1, masked: 0, updated: 0, errors: 0 }, at);
  });
}

/** Milliseconds summed per part of an audited event (BEGIN, the three writes, COMMIT). */
const PARTS = ['begin', 'case update', 'audit append', 'step journal', 'commit'] as const;
function timedAudited(db: Db, s: Store, acc: number[]): EventFn {
  return async (i) => {
    const at = new Date();
    const caseId = `PD-${i % CASES}`;
    const t0 = performance.now();
    let t = t0;
    const mark = (k: number) => { const n = performance.now(); acc[k]! += n - t; t = n; };
    await db.tx(async () => {
      mark(0);
      await s.cases.update(caseId, { status: 'executing', snapshot: snapshot(i), updatedAt: at.toISOString() });
      mark(1);
      await s.audit.append({ caseId, actor: 'engine', action: 'case.status', detail: { from: 'approved', to: 'executing', run: i } }, at);
      mark(2);
      await s.steps.complete(caseId, `timed#${i}`, { deleted: 1, masked: 0, updated: 0, errors: 0 }, at);
      mark(3);
    });
    mark(4);
  };
}

function noOuterTx(s: Store): EventFn {
  return async (i) => {
    const at = new Date();
    const caseId = `PD-${i % CASES}`;
    await s.cases.update(caseId, { status: 'executing', snapshot: snapshot(i), updatedAt: at.toISOString() });
    await s.audit.append({ caseId, actor: 'engine', action: 'case.status', detail: { from: 'approved', to: 'executing', run: i } }, at);
    await s.steps.complete(caseId, `noouter#${i}`, { deleted: 1, masked: 0, updated: 0, errors: 0 }, at);
  };
}

function unchained(db: Db, s: Store): EventFn {
  return (i) => db.tx(async () => {
    const at = new Date();
    const caseId = `PD-${i % CASES}`;
    await s.cases.update(caseId, { status: 'executing', snapshot: snapshot(i), updatedAt: at.toISOString() });
    await db.run('INSERT INTO bench_plain_audit (case_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)',
      [caseId, at.toISOString(), 'engine', 'case.status', JSON.stringify({ from: 'approved', to: 'executing', run: i })]);
    await s.steps.complete(caseId, `plain#${i}`, { deleted: 1, masked: 0, updated: 0, errors: 0 }, at);
  });
}

interface Raw { lat: number[]; ms: number }

async function sequential(_label: string, n: number, fn: EventFn, offset: number): Promise<Raw> {
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(offset + i);
    lat.push(performance.now() - s);
  }
  return { lat, ms: performance.now() - t0 };
}

async function concurrent(_label: string, n: number, fn: EventFn, offset: number): Promise<Raw> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const s = performance.now();
      await fn(offset + i);
      lat.push(performance.now() - s);
    }
  }));
  return { lat, ms: performance.now() - t0 };
}

async function runOn(name: string, db: Db, dataDir: string, ungrouped?: Db): Promise<Figures[]> {
  await migrate(db);
  const id = db.dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  await db.exec(`CREATE TABLE bench_plain_audit (seq ${id}, case_id TEXT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL)`);
  const crypto = await createPiiCrypto({ dataDir, kmsKeyArn: '' });
  const s = createStore(db, crypto);
  const now = new Date().toISOString();
  for (let i = 0; i < CASES; i++) await s.cases.insert(baseCase(`PD-${i}`, now), { email: `bench${i}@example.org`, phone: `+1415555${String(1000 + i)}` }, null);
  // Warm up (statement caches, JIT), not counted.
  await sequential('warm', 50, audited(db, s), 10_000_000);

  // Modes run interleaved in rounds, so a busy moment on the machine (or the server warming up)
  // does not land on one mode only.
  const modes: Array<{ label: string; fn: EventFn; conc: boolean; offset: number }> = [
    { label: `${name} audited event, 1 tx (ours)`, fn: audited(db, s), conc: false, offset: 0 },
    { label: `${name} same writes, no outer tx`, fn: noOuterTx(s), conc: false, offset: 0 },
    { label: `${name} 1 tx, unchained audit`, fn: unchained(db, s), conc: false, offset: 0 },
    { label: `${name} audited event, ${CONCURRENCY} in flight (ours)`, fn: audited(db, s), conc: true, offset: 1_000_000 },
    ...(ungrouped ? [{ label: `${name} ${CONCURRENCY} in flight, one COMMIT each (before)`, fn: audited(ungrouped, createStore(ungrouped, crypto)), conc: true, offset: 2_000_000 }] : []),
  ];
  const acc = modes.map(() => ({ lat: [] as number[], ms: 0 }));
  const per = Math.ceil(EVENTS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, m] of modes.entries()) {
      const f = await (m.conc ? concurrent : sequential)(m.label, per, m.fn, m.offset + round * per);
      acc[k]!.lat.push(...f.lat);
      acc[k]!.ms += f.ms;
    }
  }
  const out = modes.map((m, k) => stats(m.label, acc[k]!.lat, acc[k]!.ms));
  console.log(`${name}: modes done (${load()})`);
  // Where the time of one sequential audited event goes.
  const parts = PARTS.map(() => 0);
  const n = Math.min(per, 500);
  const tb = await sequential('timed', n, timedAudited(db, s, parts), 3_000_000);
  const total = parts.reduce((a, b) => a + b, 0);
  console.log(`${name}: one audited event, ${n} sequential, mean ${(tb.ms / n).toFixed(3)} ms: ${PARTS.map((p, k) => `${p} ${(parts[k]! / n).toFixed(3)} ms (${(100 * parts[k]! / total).toFixed(0)}%)`).join(', ')} (${load()})`);
  const v0 = performance.now();
  const v = await s.audit.verify();
  const verifyMs = performance.now() - v0;
  console.log(`${name}: audit verify of ${v.entries} entries: ${v.ok ? 'ok' : 'BROKEN'} in ${verifyMs.toFixed(0)} ms (${Math.round(v.entries / (verifyMs / 1000))} entries/s)`);
  return out;
}

function print(rows: Figures[]): void {
  const w = Math.max(...rows.map((r) => r.label.length));
  const goal = GOAL[rows[0]!.label.split(' ')[0]!] ?? 1;
  console.log(`${'mode'.padEnd(w)}  events   events/s   p50 ms   p95 ms  x goal (${goal}/s)`);
  for (const r of rows) {
    console.log(`${r.label.padEnd(w)}  ${String(r.events).padStart(6)}  ${r.perSec.toFixed(0).padStart(9)}  ${r.p50.toFixed(2).padStart(7)}  ${r.p95.toFixed(2).padStart(7)}  ${(r.perSec / goal).toFixed(2).padStart(6)}x`);
  }
  console.log(`  (${load()} when printed)`);
  const [ours, noTx, plain, conc, before] = rows;
  console.log(`  ratio ours / no outer tx:        ${(ours!.perSec / noTx!.perSec).toFixed(2)}x events/s`);
  console.log(`  ratio ours / unchained audit:    ${(ours!.perSec / plain!.perSec).toFixed(2)}x events/s (cost of the hash chain)`);
  console.log(`  ratio ${CONCURRENCY} in flight / sequential: ${(conc!.perSec / ours!.perSec).toFixed(2)}x events/s`);
  if (before) console.log(`  ratio ${CONCURRENCY} in flight, group commit / one COMMIT each: ${(conc!.perSec / before.perSec).toFixed(2)}x events/s`);
}

async function main(): Promise<void> {
  console.log(`store-audit-events (${load()}): ${EVENTS} events per mode, ${CASES} cases, node ${process.version}`);
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-store-'));
  try {
    const sqlite = new SqliteDb(join(dir, 'bench.sqlite'), { groupCommit: true });
    const ungrouped = new SqliteDb(join(dir, 'bench.sqlite'));
    const rows = await runOn('sqlite', sqlite, dir, ungrouped);
    await sqlite.close();
    await ungrouped.close();
    print(rows);
    if (process.env.BENCH_PG !== '0') {
      const server = await startPostgres({ durable: true });
      try {
        // As the app opens the case store (open-db.ts: group commit on); "one COMMIT each" is a
        // second pool on the same database without the option (what it was before).
        const pg = new PostgresDb(server.url, { groupCommit: true });
        const pgUngrouped = new PostgresDb(server.url);
        const pgRows = await runOn('postgres', pg, dir, pgUngrouped);
        await pg.close();
        await pgUngrouped.close();
        print(pgRows);
      } finally {
        await server.stop();
      }
    }
    const m = process.memoryUsage();
    console.log(`memory: rss ${(m.rss / 2 ** 20).toFixed(0)} MB, heap used ${(m.heapUsed / 2 ** 20).toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
