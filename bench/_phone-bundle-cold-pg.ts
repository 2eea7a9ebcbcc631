// Part of bench/phone-crm-lookup.ts: cold start of each deployed Lambda bundle (handler.mjs, plain
// Node, a fresh process per run as a new container) against PostgreSQL (embedded server: the case
// store migrated by the app, a CRM table), from module load to the first answer. Prints, per
// function: bundle size, init (module load) and first invocation, p50 over PHONE_BENCH_COLD runs,
// init+first against the 300 ms goal (issue 15 item 6) and the process's CPU time (steadier than
// wall-clock time on a loaded machine).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { startPostgres } from '../test/support/postgres';
import { bundleLambdas, LAMBDAS } from '../connect-flows/deploy/bundle-lambdas';
import { connectEvent } from '../connect-flows/simulator/simulate';
import { createApp } from '../shared/app/app';

const COLUMNS = { phone: 'phone', customerId: 'customer_id', firstName: 'first_name', email: 'email', accountNumber: 'account_number', dateOfBirth: 'date_of_birth' };

function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((a, e) => a + statSync(join(e.parentPath, e.name)).size, 0);
}

/** Issue 15 item 6: module load to first answer. */
export const COLD_START_GOAL_MS = 300;

export async function coldStartOnPostgres(runs: number, o: { split?: boolean; prebuilt?: string } = {}): Promise<Array<{ name: string; mb: number; entryKb: number; initMs: number; firstMs: number; totalMs: number; cpuMs: number; answer: string }>> {
  const server = await startPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), 'phone-cold-pg-'));
  const bundleDir = join(process.cwd(), '.tmp', `phone-cold-pg-${process.pid}`);
  try {
    const app = await createApp({ dataDir, db: { kind: 'postgres', url: server.url }, runEngine: false });
    await app.close();
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query('CREATE TABLE customers (customer_id text PRIMARY KEY, phone text, first_name text, email text, account_number text, date_of_birth text)');
    await c.query('CREATE INDEX ON customers (phone)');
    await c.query("INSERT INTO customers VALUES ('C-1', '+14155550100', 'Dana', 'dana@example.com', '12345678', '1990-01-31')");
    await c.end();
    // `prebuilt`: bundles built earlier (e.g. of the commit before a change: the baseline, measured in the same run).
    const bundles = o.prebuilt
      ? LAMBDAS.map((name) => ({ name, file: join(o.prebuilt!, name, 'handler.mjs'), bytes: dirBytes(join(o.prebuilt!, name)), entryBytes: statSync(join(o.prebuilt!, name, 'handler.mjs')).size }))
      : await bundleLambdas(bundleDir, { split: o.split ?? true });
    const events: Record<string, (i: number) => unknown> = {
      'crm-lookup': (i) => connectEvent({ contactId: `cold-l-${i}`, caller: '+14155550100', attributes: {} }, { lookup: 'crm+cases' }),
      intake: (i) => connectEvent({ contactId: `cold-i-${i}`, caller: `+1303555${String(1000 + i)}`, attributes: {} }, { requestType: 'access' }),
      'opt-out': (i) => connectEvent({ contactId: `cold-o-${i}`, caller: '+14155550100', attributes: {} }, { customerId: 'C-1' }),
      'sms-inbound': (i) => ({ Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', MessageId: `cold-s-${i}`, TopicArn: 'arn:aws:sns:us-east-1:123456789012:sms', Message: JSON.stringify({ originationNumber: '+14155550100', destinationNumber: '+12125550101', messageBody: 'STOP', inboundMessageId: `in-${i}` }) } }] }),
    };
    const out = [];
    for (const b of bundles) {
      const samples: Array<{ initMs: number; firstMs: number; cpuMs: number; answer: string }> = [];
      for (let i = 0; i < runs; i += 1) {
        const script = `const c0 = process.cpuUsage(); const t0 = performance.now(); const { handler } = await import(${JSON.stringify(pathToFileURL(b.file).href)});
          const t1 = performance.now(); const c1 = process.cpuUsage(c0); console.log = () => {}; const r = await handler(JSON.parse(process.argv[1])); const t2 = performance.now(); const c2 = process.cpuUsage(c0);
          process.stdout.write('\\n' + JSON.stringify({ initMs: t1 - t0, firstMs: t2 - t1, cpuMs: (c2.user + c2.system) / 1000, answer: [r.result ?? r.openCase ?? (r.optedOut !== undefined ? 'opted-out:' + r.optedOut : ''), r.applied, r.caseStatus].filter(Boolean).join('/') })); process.exit(0);`;
        const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(events[b.name]!(i))], {
          cwd: tmpdir(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
          env: {
            PATH: process.env.PATH ?? '', PRIVACY_DESK_DATA_DIR: dataDir, PRIVACY_DESK_DATABASE_URL: server.url, PRIVACY_DESK_CRM_DATABASE_URL: server.url,
            PRIVACY_DESK_CRM_TABLE: 'customers', PRIVACY_DESK_CRM_COLUMNS: JSON.stringify(COLUMNS),
            // As deployed (connect-flows/template.yaml): crm-lookup opens the case store read-only.
            ...(b.name === 'crm-lookup' ? { PRIVACY_DESK_DATABASE_READ_ONLY: 'true' } : {}),
          },
        });
        samples.push(JSON.parse(stdout.trim().split('\n').pop()!) as { initMs: number; firstMs: number; cpuMs: number; answer: string });
      }
      const p50 = (xs: number[]) => [...xs].sort((a, z) => a - z)[Math.floor(xs.length / 2)]!;
      const initMs = p50(samples.map((s) => s.initMs));
      const firstMs = p50(samples.map((s) => s.firstMs));
      out.push({ name: b.name, mb: b.bytes / 1e6, entryKb: b.entryBytes / 1e3, initMs, firstMs, totalMs: p50(samples.map((s) => s.initMs + s.firstMs)), cpuMs: p50(samples.map((s) => s.cpuMs)), answer: samples.map((s) => s.answer).join(',') });
    }
    return out;
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    await server.stop();
  }
}

const invoked = process.argv[1]?.endsWith('_phone-bundle-cold-pg.ts');
if (invoked) {
  const runs = Number(process.env.PHONE_BENCH_COLD ?? 3);
  // The deployed form (split into chunks) against one file per function, measured in this run.
  const single = await coldStartOnPostgres(runs, { split: false });
  const rs = await coldStartOnPostgres(runs);
  // PHONE_BENCH_BASELINE=DIR: bundles built before a change (bundle-lambdas.ts DIR), measured in this run too.
  const base = process.env.PHONE_BENCH_BASELINE ? await coldStartOnPostgres(runs, { prebuilt: process.env.PHONE_BENCH_BASELINE }) : [];
  for (const r of base) console.log(`${r.name} (baseline ${process.env.PHONE_BENCH_BASELINE}): bundle ${r.mb.toFixed(2)} MB, init p50 ${r.initMs.toFixed(0)} ms, first invocation p50 ${r.firstMs.toFixed(0)} ms, init+first p50 ${r.totalMs.toFixed(0)} ms, CPU time p50 ${r.cpuMs.toFixed(0)} ms (answers ${r.answer})`);
  for (const r of single) console.log(`${r.name} (one file): init p50 ${r.initMs.toFixed(0)} ms, first invocation p50 ${r.firstMs.toFixed(0)} ms, init+first p50 ${r.totalMs.toFixed(0)} ms, CPU time p50 ${r.cpuMs.toFixed(0)} ms`);
  for (const r of rs) console.log(`${r.name}: bundle ${r.mb.toFixed(2)} MB (entry ${r.entryKb.toFixed(0)} KB), split/one-file init+first ${(r.totalMs / single.find((x) => x.name === r.name)!.totalMs).toFixed(2)}x, init p50 ${r.initMs.toFixed(0)} ms, first invocation p50 ${r.firstMs.toFixed(0)} ms, init+first p50 ${r.totalMs.toFixed(0)} ms = ${(r.totalMs / COLD_START_GOAL_MS).toFixed(2)}x the ${COLD_START_GOAL_MS} ms goal, CPU time p50 ${r.cpuMs.toFixed(0)} ms (answers ${r.answer})`);
}
