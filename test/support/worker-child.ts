// A worker process for the multi-process lease test (test/integration/foundation/workers.test.ts):
//   node --import tsx worker-child.ts <dataDir> <db JSON>
// Runs the engine as a worker (work: all) with effects that write to the case database: each step
// records (case, step, pid) in effect_log and audits `test.effect` in the same transaction as its
// journal entry; `execute` also updates the case's rows in source_rows (whose trigger counts every
// row change in source_changes). Lease timing from PRIVACY_DESK_LEASE_TTL_MS / _WORKER_POLL_MS /
// _WORKER_CASES. KILL_POINT=in-tx prints "MIDSTEP <case>" inside execute's transaction, then sleeps
// SLOW_MS; KILL_POINT=after-commit prints "COMMITTED <case>" after it committed, then sleeps SLOW_MS.
import { createApp } from '../../shared/app/app';
import type { AppConfig, AppContext, StepRef } from '../../shared/app/context';
import { leaseFrom } from '../../cli/open-app';

const [, , dataDir, dbJson] = process.argv;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);
const slowMs = Number(process.env.SLOW_MS ?? 300);
const killPoint = process.env.KILL_POINT ?? '';

async function run(): Promise<void> {
  const ref: { ctx?: AppContext } = {};
  const logged = async (caseId: string, step: StepRef, result: unknown, inTx?: () => Promise<void>) => {
    const ctx = ref.ctx!;
    await ctx.db.tx(async () => {
      await ctx.db.run('INSERT INTO effect_log (case_id, step, pid) VALUES (?, ?, ?)', [caseId, step.key, process.pid]);
      if (inTx) await inTx();
      await ctx.audit.append({ caseId, actor: 'test', action: 'test.effect', detail: { step: step.key } }, ctx.clock());
      await ctx.steps.complete(caseId, step.key, result, ctx.clock());
    });
    return result;
  };
  const effects = {
    acknowledge: async (id: string, s: StepRef) => { await logged(id, s, null); },
    discover: (id: string, s: StepRef) => logged(id, s, { rows: 1, review: 0, exempt: 0, errors: 0 }),
    execute: async (id: string, s: StepRef) => {
      const ctx = ref.ctx!;
      const result = await logged(id, s, { deleted: 0, masked: 0, updated: 1, errors: 0 }, async () => {
        await ctx.db.run("UPDATE source_rows SET v = 'erased' WHERE case_id = ?", [id]);
        if (killPoint === 'in-tx') say(`MIDSTEP ${id}`);
        await sleep(slowMs);
      });
      if (killPoint === 'after-commit') { say(`COMMITTED ${id}`); await sleep(slowMs); }
      return result;
    },
    checkResult: (id: string, s: StepRef) => logged(id, s, { ok: true, remaining: 0 }),
    respond: async (id: string, s: StepRef) => { await logged(id, s, null); },
  };
  const db = JSON.parse(dbJson!) as AppConfig['db'];
  const app = await createApp({ dataDir: dataDir!, db, work: 'all', runEngine: false, lease: leaseFrom() }, { effects: effects as never });
  ref.ctx = app.ctx;
  await app.engine.start(); // claims the busy cases nobody holds, then polls
  say(`READY ${process.pid} ${app.engine.owner}`);
  const stop = () => { void app.close().then(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setInterval(() => undefined, 1 << 30); // the engine's timers are unref'd: keep the process alive until killed
}
run().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
