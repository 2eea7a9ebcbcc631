// Inbound request import (`privacy-desk requests import FILE.csv`) in rows per second, on SQLite
// (file, WAL, synchronous=FULL) and PostgreSQL 18 (embedded, fsync on). A row = checked (zod),
// a case created (identities envelope-encrypted, keyed hashes), its request id claimed under the
// UNIQUE (datasource, request_id) key in the same transaction, audit entries case.created +
// case.verify chained. Modes, measured in the same run (interleaved in rounds):
//  - "batched (ours)": shared/app/requests-import.ts as the CLI runs it, IMPORT_BATCH_SIZE (1,000) rows a transaction,
//    set-based statements, the next batch encrypted while one is written;
//  - "one transaction per row": the same code with batchSize 1 (one commit, one fsync per row);
//  - "before": what the import did until now, per row: cases.create, the request id in a second
//    transaction, then the row run through the case machine (acknowledgement, staff verification,
//    discovery, execution or report, response) before the next row (no system registered, so the
//    machine's own steps only).
// Then the whole CLI command end to end on a fresh database (parse + open + import), and an audit
// verify. Run: npm run bench -- requests-import   (or npx tsx bench/requests-import.ts)
// Scale: BENCH_ROWS (default 6000: batched rows per store), BENCH_SINGLE (300: per-row sample),
//        BENCH_BEFORE (60: previous-import sample), BENCH_FILE_ROWS (10000: lines of the file the CLI
//        imports end to end, then imports again: the re-import must create nothing), BENCH_PG=0 to skip
//        PostgreSQL. Every figure is printed with the load average; the goal (issue 18 item 5) is
//        1,000 lines/s, and each end-to-end figure is printed as a ratio to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp, type App } from '../shared/app/app';
import { datamapService } from '../shared/app/datamap/service';
import { importInboundRequests, IMPORT_BATCH_SIZE } from '../shared/app/requests-import';
import { parseInboundRequests, type InboundRequest } from '../shared/domain/unified-compliance';
import type { AppConfig } from '../shared/app/context';
import type { CliGlobals } from '../cli/command';
import { requests as requestsCli } from '../cli/commands/requests';
import { PostgresDb } from '../shared/store/postgres-db';
import { startPostgres } from '../test/support/postgres';

const ROWS = Number(process.env.BENCH_ROWS ?? 6000);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 300);
const BEFORE = Number(process.env.BENCH_BEFORE ?? 60);
const FILE_ROWS = Number(process.env.BENCH_FILE_ROWS ?? 10000);
const ROUNDS = 3;
/** Issue 18 item 5: lines a second. */
const GOAL_LINES_PER_S = 1000;
const load = () => { const l = loadavg(); return `load ${l[0]!.toFixed(2)}`; };
const meta = { actor: 'staff:bench' };

function csv(n: number, prefix: string): string {
  const lines = ['id,type,strategy,email,phone,address,city,state,postal,custom_key'];
  for (let i = 0; i < n; i++) {
    const type = ['dsar', 'delete', 'delete_pii'][i % 3];
    const phone = i % 3 === 0 ? `+1415${String(2000000 + i).slice(-7)}` : '';
    const addr = i % 5 === 0 ? `${i} Main St,Springfield,IL,62701` : ',,,';
    lines.push(`${prefix}-${i},${type},exact,person${i}.${prefix.toLowerCase()}@example.org,${phone},${addr},${i % 7 === 0 ? `L-${i}` : ''}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function rowsOf(n: number, prefix: string): InboundRequest[] {
  const p = parseInboundRequests(csv(n, prefix));
  if (p.fileErrors.length || p.refused.length) throw new Error('bench CSV does not parse');
  return p.requests;
}

/** The previous `requests import` loop, per row (cli/commands/requests.ts before batching). */
async function beforePath(app: App, list: readonly InboundRequest[], datasource: string): Promise<void> {
  const svc = datamapService(app.ctx);
  for (const r of list) {
    if (await svc.repo.requestExists(datasource, r.requestId)) continue;
    const c = await app.call('cases.create', { type: r.type, jurisdiction: 'CA', channel: 'staff', identities: r.identities, strategy: r.strategy, autoApprove: true }, meta);
    await svc.repo.putRequest(c.id, r.requestId, datasource, app.ctx.clock());
    await app.settle(c.id);
    const now = await app.call('cases.get', { id: c.id }, meta);
    if (now.status === 'verifying') await app.call('cases.verify', { id: c.id, method: 'staff', note: 'staff attestation (CSV import)', dataPoints: 2 }, meta);
    await app.settle(c.id);
    await svc.output(c.id);
  }
}

interface Mode { label: string; rows: number; run: (round: number) => Promise<number> }
interface Figure { label: string; rows: number; ms: number; perSec: number }

async function runOn(name: string, config: AppConfig, cliGlobals: () => Promise<CliGlobals>, dir: string): Promise<Figure[]> {
  const app = await createApp({ ...config, runEngine: false });
  const figures: Figure[] = [];
  try {
    const per = (n: number) => Math.max(1, Math.floor(n / ROUNDS));
    const batched = Array.from({ length: ROUNDS }, (_, k) => rowsOf(per(ROWS), `B${k}`));
    const single = Array.from({ length: ROUNDS }, (_, k) => rowsOf(per(SINGLE), `S${k}`));
    const before = Array.from({ length: ROUNDS }, (_, k) => rowsOf(per(BEFORE), `O${k}`));
    const opts = (k: string, batchSize?: number) => ({ datasource: `${k}.csv`, jurisdiction: 'CA' as const, autoApprove: true, meta, batchSize });
    // Warm up (JIT, statement caches), not counted.
    await importInboundRequests(app, rowsOf(300, 'W'), opts('warm'));
    await importInboundRequests(app, rowsOf(20, 'W1'), opts('warm1', 1));
    await beforePath(app, rowsOf(3, 'W2'), 'warm2.csv');
    const modes: Mode[] = [
      { label: `${name} batched, ${IMPORT_BATCH_SIZE} rows a transaction (ours)`, rows: 0, run: async (k) => (await importInboundRequests(app, batched[k]!, opts(`b${k}`))).imported.length },
      { label: `${name} one transaction per row`, rows: 0, run: async (k) => (await importInboundRequests(app, single[k]!, opts(`s${k}`, 1))).imported.length },
      { label: `${name} before: per row, created + run through the machine`, rows: 0, run: async (k) => { await beforePath(app, before[k]!, `o${k}.csv`); return before[k]!.length; } },
    ];
    const acc = modes.map(() => ({ rows: 0, ms: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, m] of modes.entries()) {
        const t0 = performance.now();
        const n = await m.run(round);
        acc[i]!.ms += performance.now() - t0;
        acc[i]!.rows += n;
      }
    }
    modes.forEach((m, i) => figures.push({ label: m.label, rows: acc[i]!.rows, ms: acc[i]!.ms, perSec: acc[i]!.rows / (acc[i]!.ms / 1000) }));
    const v0 = performance.now();
    const v = await app.ctx.audit.verify();
    console.log(`${name}: audit verify of ${v.entries} entries: ${v.ok ? 'ok' : `BROKEN at ${v.firstBad?.seq}: ${v.firstBad?.problem}`} in ${(performance.now() - v0).toFixed(0)} ms`);
    const cases = Number((await app.ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))?.n);
    const claimed = Number((await app.ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM datamap_requests'))?.n);
    console.log(`${name}: ${cases} cases, ${claimed} request ids recorded${cases === claimed ? '' : ' (MISMATCH)'}`);
  } finally {
    await app.close();
  }
  // The CLI command end to end on a fresh database: read + check the file, open the store, import;
  // then the same file again on the same store (idempotent: nothing new).
  const file = join(dir, `inbound-${name}.csv`);
  writeFileSync(file, csv(FILE_ROWS, 'E'));
  const out: string[] = [];
  const quiet = { stdout: (s: string) => { out.push(s); }, stderr: () => undefined, isTTY: false };
  const globals = await cliGlobals();
  const importFile = async (): Promise<{ ms: number; imported: number; already: number }> => {
    out.length = 0;
    const t0 = performance.now();
    const code = await requestsCli.import!([file, '--json'], globals, quiet);
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error(`requests import exited ${code}`);
    const r = JSON.parse(out.join('')) as { imported: unknown[]; alreadyImported: unknown[] };
    return { ms, imported: r.imported.length, already: r.alreadyImported.length };
  };
  const first = await importFile();
  const firstLoad = load();
  const again = await importFile();
  const againLoad = load();
  if (first.imported !== FILE_ROWS || again.imported !== 0 || again.already !== FILE_ROWS) {
    throw new Error(`not idempotent: first ${first.imported} new, again ${again.imported} new / ${again.already} already`);
  }
  figures.push({ label: `${name} CLI requests import, end to end (fresh store)`, rows: FILE_ROWS, ms: first.ms, perSec: FILE_ROWS / (first.ms / 1000) });
  figures.push({ label: `${name} CLI re-import of the same file (0 new)`, rows: FILE_ROWS, ms: again.ms, perSec: FILE_ROWS / (again.ms / 1000) });
  console.log(`${name}: CLI import of a ${FILE_ROWS}-line file: ${(first.ms / 1000).toFixed(2)} s, ${(FILE_ROWS / (first.ms / 1000)).toFixed(0)} lines/s = ${(FILE_ROWS / (first.ms / 1000) / GOAL_LINES_PER_S).toFixed(2)}x the goal of ${GOAL_LINES_PER_S}/s (${firstLoad})`);
  console.log(`${name}: re-import of the same file: ${(again.ms / 1000).toFixed(2)} s, ${again.imported} new cases, ${again.already} already imported, ${(FILE_ROWS / (again.ms / 1000)).toFixed(0)} lines/s = ${(FILE_ROWS / (again.ms / 1000) / GOAL_LINES_PER_S).toFixed(2)}x the goal (${againLoad})`);
  return figures;
}

function print(rows: Figure[]): void {
  const w = Math.max(...rows.map((r) => r.label.length));
  console.log(`${'mode'.padEnd(w)}    rows    rows/s   ms/row  x goal (${GOAL_LINES_PER_S}/s)`);
  for (const r of rows) console.log(`${r.label.padEnd(w)}  ${String(r.rows).padStart(6)}  ${r.perSec.toFixed(0).padStart(8)}  ${(r.ms / r.rows).toFixed(2).padStart(7)}  ${(r.perSec / GOAL_LINES_PER_S).toFixed(2).padStart(6)}x`);
  console.log(`  (${load()} when printed)`);
  const [ours, single, before] = rows;
  console.log(`  ratio batched / one transaction per row: ${(ours!.perSec / single!.perSec).toFixed(1)}x rows/s`);
  console.log(`  ratio batched / before (per row, run inline): ${(ours!.perSec / before!.perSec).toFixed(1)}x rows/s`);
}

async function main(): Promise<void> {
  console.log(`requests-import (${load()}): ${ROWS} batched rows, ${FILE_ROWS}-line file end to end and again, ${SINGLE} one-per-transaction, ${BEFORE} previous-path rows per store; ${ROUNDS} rounds interleaved; node ${process.version}`);
  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-import-'));
  try {
    let n = 0;
    const sqliteFile = () => join(dir, `cases-${++n}.sqlite`);
    print(await runOn('sqlite', { dataDir: dir, db: { kind: 'sqlite', file: sqliteFile() } }, async () => ({ db: sqliteFile(), dataDir: dir }), dir));
    if (process.env.BENCH_PG !== '0') {
      const server = await startPostgres({ durable: true });
      try {
        let k = 0;
        const fresh = async () => {
          const name = `bench_${++k}`;
          const admin = new PostgresDb(server.url);
          await admin.exec(`CREATE DATABASE ${name}`);
          await admin.close();
          return server.url.replace(/\/[^/]+$/u, `/${name}`);
        };
        print(await runOn('postgres', { dataDir: dir, db: { kind: 'postgres', url: await fresh() } }, async () => ({ databaseUrl: await fresh(), dataDir: dir }), dir));
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
