// A child process for the SIGKILL resume test. Usage:
//   node --import tsx crash-child.ts start <dataDir> <mode>   -> creates a delete case, runs until killed
//   node --import tsx crash-child.ts resume <dataDir> <caseId> -> restarts the engine, finishes the case
// mode: "in-tx"      the execute step sleeps inside its transaction (killed before it commits)
//       "after-commit" the execute step commits its writes and its journal entry, then sleeps (killed before the machine moves on)
import { join } from 'node:path';
import { createApp } from '../../shared/app/app';
import type { AppContext } from '../../shared/app/context';

const [, , cmd, dataDir, arg] = process.argv;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

function effects(mode: string, ctxRef: { ctx?: AppContext }) {
  return {
    execute: async (caseId: string, step: { key: string }) => {
      const ctx = ctxRef.ctx!;
      await ctx.db.exec('CREATE TABLE IF NOT EXISTS crash_effects (case_id TEXT NOT NULL, step TEXT NOT NULL, pid INTEGER NOT NULL)');
      await ctx.db.tx(async () => {
        await ctx.db.run('INSERT INTO crash_effects (case_id, step, pid) VALUES (?, ?, ?)', [caseId, step.key, process.pid]);
        if (mode === 'in-tx') { say('MIDSTEP'); await sleep(60_000); }
        await ctx.steps.complete(caseId, step.key, { deleted: 1, masked: 0, updated: 0, errors: 0 }, ctx.clock());
      });
      if (mode === 'after-commit') { say('COMMITTED'); await sleep(60_000); }
      return { deleted: 1, masked: 0, updated: 0, errors: 0 };
    },
  };
}

async function run(): Promise<void> {
  const ref: { ctx?: AppContext } = {};
  const config = { dataDir: dataDir!, db: { kind: 'sqlite' as const, file: join(dataDir!, 'cases.sqlite') } };
  if (cmd === 'start') {
    const app = await createApp({ ...config, runEngine: true }, { effects: effects(arg!, ref) });
    ref.ctx = app.ctx;
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'crash.test@example.com' }, autoApprove: true }, { actor: 'test' });
    say(`CASE ${c.id}`);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'attested', dataPoints: 2 }, { actor: 'test' });
    await sleep(120_000);
  } else {
    const app = await createApp({ ...config, runEngine: false }, { effects: effects('normal', ref) });
    ref.ctx = app.ctx;
    await app.engine.start();
    await app.settle(arg!);
    const c = await app.call('cases.get', { id: arg! }, { actor: 'test' });
    say(`DONE ${JSON.stringify({ status: c.status })}`);
    await app.close();
  }
}
run().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
