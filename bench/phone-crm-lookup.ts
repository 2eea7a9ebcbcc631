// Phone channel benchmark: the crm-lookup Lambda against a 1M-row CRM table (SQLite), cold start
// (a fresh process, as a new Lambda container) and warm latency p50/p99 over 10k invocations;
// the same look-up without an index on the phone column, for the ratio; and the time to decrypt
// one Connect-encrypted input.
// Scale: PHONE_BENCH_ROWS (1000000), PHONE_BENCH_CALLS (10000), PHONE_BENCH_UNINDEXED (30),
// PHONE_BENCH_DECRYPTS (200), PHONE_BENCH_COLD (3), PHONE_BENCH_PG (1: cold start of each bundle on PostgreSQL).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DEMO_CRM_COLUMNS, writeDemoCrm, type DemoCustomer } from '../connect-flows/simulator/sandbox';
import { encryptLikeConnect, generateConnectKeyPair } from '../connect-flows/simulator/connect-encryptor';
import { ConnectInputDecryptor } from '../shared/crypto/connect-input';
import { CrmDirectory } from '../shared/adapters/crm-directory';
import { openCrmConnection } from '../shared/adapters/crm-connection';
import { installRuntime } from '../lambdas/common/runtime';
import { handler } from '../lambdas/crm-lookup/handler';
import { bundleLambdas } from '../connect-flows/deploy/bundle-lambdas';
import { pathToFileURL } from 'node:url';
import { COLD_START_GOAL_MS, coldStartOnPostgres } from './_phone-bundle-cold-pg';

const ROWS = Number(process.env.PHONE_BENCH_ROWS ?? 1_000_000);
const CALLS = Number(process.env.PHONE_BENCH_CALLS ?? 10_000);
const UNINDEXED = Number(process.env.PHONE_BENCH_UNINDEXED ?? 30);
const DECRYPTS = Number(process.env.PHONE_BENCH_DECRYPTS ?? 200);
const COLD = Number(process.env.PHONE_BENCH_COLD ?? 3);

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const f = (n: number) => n.toFixed(3);
const AREAS = ['415', '628', '212', '646', '310'];
/** Unique, valid NANP numbers: five area codes, exchanges from 200 up. */
const phoneOf = (i: number) => `+1${AREAS[i % AREAS.length]}${2_000_000 + Math.floor(i / AREAS.length)}`;

function* customers(n: number): Generator<DemoCustomer> {
  for (let i = 0; i < n; i += 1) {
    yield { customerId: `C-${i}`, firstName: `Name${i % 997}`, email: `user${i}@example.com`, phone: phoneOf(i), accountNumber: String(10_000_000 + i), dateOfBirth: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}` };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'phone-bench-'));
const file = join(dir, 'crm.sqlite');
try {
  let t = performance.now();
  writeDemoCrm(file, customers(ROWS));
  const genS = (performance.now() - t) / 1000;
  console.log(`CRM table: ${ROWS} rows written in ${genS.toFixed(2)} s (${Math.round(ROWS / genS)} rows/s, one transaction, prepared insert, phone index)`);
  t = performance.now();
  const raw = new Database(file);
  raw.exec('CREATE TABLE customers_noidx AS SELECT * FROM customers');
  raw.close();
  console.log(`unindexed copy made in ${((performance.now() - t) / 1000).toFixed(2)} s`);

  // Cold start: fresh processes configured by environment, as in Lambda.
  const colds: Array<{ importMs: number; firstCallMs: number; secondCallMs: number; found: string }> = [];
  for (let i = 0; i < COLD; i += 1) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/_phone-cold-start-child.ts'], {
      env: { ...process.env, PRIVACY_DESK_CRM_DB: file, PRIVACY_DESK_CRM_TABLE: 'customers', PRIVACY_DESK_CRM_COLUMNS: JSON.stringify(DEMO_CRM_COLUMNS), BENCH_PHONE: phoneOf(12345 % ROWS) },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    });
    colds.push(JSON.parse(out.trim().split('\n').pop()!) as { importMs: number; firstCallMs: number; secondCallMs: number; found: string });
  }
  console.log(`cold start (fresh process, ${COLD} runs, caller found: ${colds.every((c) => c.found === 'true')}): module load p50 ${f(pct(colds.map((c) => c.importMs), 50))} ms, first invocation (open CRM, check schema, query) p50 ${f(pct(colds.map((c) => c.firstCallMs), 50))} ms, second invocation ${f(pct(colds.map((c) => c.secondCallMs), 50))} ms`);

  // Cold start of what is deployed: the esbuild bundle loaded by plain Node (no TypeScript step).
  // Inside the project (.tmp/), so the external better-sqlite3 resolves from node_modules.
  const bundleDir = join(process.cwd(), '.tmp', `phone-bench-bundle-${process.pid}`);
  const [bundle] = await bundleLambdas(bundleDir, { sqlite: 'external', only: ['crm-lookup'] });
  const script = `const t0 = performance.now(); const { handler } = await import(${JSON.stringify(pathToFileURL(bundle!.file).href)});
    const t1 = performance.now(); const ev = { Name: 'ContactFlowEvent', Details: { ContactData: { ContactId: 'cold', CustomerEndpoint: { Address: process.env.BENCH_PHONE }, Attributes: {} }, Parameters: { lookup: 'crm' } } };
    console.log = () => {}; const r = await handler(ev); const t2 = performance.now();
    process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1, found: r.found }));`;
  const bcold: Array<{ importMs: number; firstCallMs: number; found: string }> = [];
  for (let i = 0; i < COLD; i += 1) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, PRIVACY_DESK_CRM_DB: file, PRIVACY_DESK_CRM_TABLE: 'customers', PRIVACY_DESK_CRM_COLUMNS: JSON.stringify(DEMO_CRM_COLUMNS), BENCH_PHONE: phoneOf(54321 % ROWS) },
    });
    bcold.push(JSON.parse(out) as { importMs: number; firstCallMs: number; found: string });
  }
  rmSync(bundleDir, { recursive: true, force: true });
  console.log(`cold start of the bundled handler (${(bundle!.bytes / 1e6).toFixed(1)} MB .mjs, plain node, ${COLD} runs, found: ${bcold.every((c) => c.found === 'true')}): module load p50 ${f(pct(bcold.map((c) => c.importMs), 50))} ms, first invocation p50 ${f(pct(bcold.map((c) => c.firstCallMs), 50))} ms; ratio tsx-source/bundle load = ${(pct(colds.map((c) => c.importMs), 50) / pct(bcold.map((c) => c.importMs), 50)).toFixed(1)}x`);

  // Warm: one container, CALLS invocations (90% known callers, 10% unknown).
  const conn = openCrmConnection({ kind: 'sqlite', file });
  const crm = new CrmDirectory(conn, { table: 'customers', columns: DEMO_CRM_COLUMNS });
  installRuntime({ crm: async () => crm, app: async () => { throw new Error('not used'); }, budgetMs: 6000 });
  const ev = (phone: string) => ({ Name: 'ContactFlowEvent', Details: { ContactData: { ContactId: 'warm', CustomerEndpoint: { Address: phone }, Attributes: {} }, Parameters: { lookup: 'crm' } } });
  const silent = console.log;
  console.log = () => undefined; // the handler logs one JSON line per call
  await handler(ev(phoneOf(1)));
  const lat: number[] = [];
  let found = 0;
  const rss0 = process.memoryUsage().rss;
  const tw = performance.now();
  for (let i = 0; i < CALLS; i += 1) {
    const phone = i % 10 === 9 ? `+1303555${String(i % 10_000).padStart(4, '0')}` : phoneOf((i * 7919) % ROWS);
    const s = performance.now();
    const r = await handler(ev(phone));
    lat.push(performance.now() - s);
    if (r.found === 'true') found += 1;
  }
  const warmS = (performance.now() - tw) / 1000;
  console.log = silent;
  console.log(`warm crm-lookup handler, ${CALLS} invocations (${found} found): p50 ${f(pct(lat, 50))} ms, p99 ${f(pct(lat, 99))} ms, max ${f(Math.max(...lat))} ms, ${Math.round(CALLS / warmS)} invocations/s, rss +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(1)} MB`);

  // The obvious alternative: the same query with no index on the phone column (a full scan).
  const noidx = new CrmDirectory(conn, { table: 'customers_noidx', columns: DEMO_CRM_COLUMNS });
  const scan: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < UNINDEXED; i += 1) {
    const phone = phoneOf((i * 104_729) % ROWS);
    let s = performance.now(); await noidx.findByPhone(phone); scan.push(performance.now() - s);
    s = performance.now(); await crm.findByPhone(phone); idx.push(performance.now() - s);
  }
  console.log(`directory query, indexed: p50 ${f(pct(idx, 50))} ms; unindexed (full scan of ${ROWS} rows): p50 ${f(pct(scan, 50))} ms; ratio unindexed/indexed = ${(pct(scan, 50) / pct(idx, 50)).toFixed(0)}x`);
  installRuntime(null);
  await conn.close();

  // Decrypting one Connect-encrypted input (2048-bit key, Connect's default v1 signed suite).
  const keys = generateConnectKeyPair(2048);
  const d = new ConnectInputDecryptor([{ keyId: 'bench-key', privateKeyPem: keys.privateKeyPem }]);
  const cts: string[] = [];
  for (let i = 0; i < Math.min(DECRYPTS, 50); i += 1) cts.push(await encryptLikeConnect('bench-key', keys.publicKeyPem, String(10_000_000 + i)));
  const dec: number[] = [];
  for (let i = 0; i < DECRYPTS; i += 1) {
    const s = performance.now();
    await d.decrypt(cts[i % cts.length]!);
    dec.push(performance.now() - s);
  }
  console.log(`decrypt one Connect input (RSA-2048 OAEP-SHA512 + ECDSA P-384 verify), ${DECRYPTS} runs: p50 ${f(pct(dec, 50))} ms, p99 ${f(pct(dec, 99))} ms`);
  const two = new ConnectInputDecryptor([{ keyId: 'old-key', privateKeyPem: generateConnectKeyPair(2048).privateKeyPem }, { keyId: 'bench-key', privateKeyPem: keys.privateKeyPem }]);
  const dec2: number[] = [];
  for (let i = 0; i < Math.min(DECRYPTS, 100); i += 1) { const s = performance.now(); await two.decrypt(cts[i % cts.length]!); dec2.push(performance.now() - s); }
  console.log(`  with two active keys (rotation): p50 ${f(pct(dec2, 50))} ms; ratio two-key/one-key = ${(pct(dec2, 50) / pct(dec, 50)).toFixed(2)}`);

  // What is deployed, as it runs in AWS: each bundled Lambda on PostgreSQL, init and first invocation (PHONE_BENCH_PG=0 skips).
  if (process.env.PHONE_BENCH_PG !== '0') {
    const single = await coldStartOnPostgres(COLD, { split: false });
    for (const r of await coldStartOnPostgres(COLD)) {
      const one = single.find((x) => x.name === r.name)!;
      console.log(`cold start on PostgreSQL, bundled ${r.name} one file (${one.mb.toFixed(2)} MB): init p50 ${one.initMs.toFixed(0)} ms, first invocation p50 ${one.firstMs.toFixed(0)} ms, init+first p50 ${one.totalMs.toFixed(0)} ms, CPU time p50 ${one.cpuMs.toFixed(0)} ms`);
      console.log(`cold start on PostgreSQL, bundled ${r.name} split as deployed (entry ${r.entryKb.toFixed(0)} KB of ${r.mb.toFixed(2)} MB, ${COLD} fresh processes; ${(r.totalMs / one.totalMs).toFixed(2)}x the one-file bundle): init p50 ${r.initMs.toFixed(0)} ms, first invocation p50 ${r.firstMs.toFixed(0)} ms, init+first p50 ${r.totalMs.toFixed(0)} ms = ${(r.totalMs / COLD_START_GOAL_MS).toFixed(2)}x the ${COLD_START_GOAL_MS} ms goal, CPU time p50 ${r.cpuMs.toFixed(0)} ms (answers: ${r.answer}; load average ${loadavg()[0]!.toFixed(1)})`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
