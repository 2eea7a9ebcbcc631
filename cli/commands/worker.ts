// privacy-desk worker [--once] [--quiet]: a long-running worker process (for a server or a
// container). It claims the busy cases nobody works on (a lease per case in the case store:
// docs/STORE.md "Workers"), runs their steps, renews its leases while it works and takes over the
// cases of a worker that died. Several workers on one PostgreSQL share the work; on SQLite they
// share one machine. Stops on SIGINT/SIGTERM after the transitions in flight are persisted (a step
// still running keeps its lease until it expires, so nobody starts it twice meanwhile).
// --once: claim what is waiting, finish it, exit (a cron job). Prints one line per status change.
import type { CommandGroup } from '../command';
import { openApp } from '../open-app';
import { parse } from '../args';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const worker: CommandGroup = {
  '': async (argv, globals, io) => {
    const { values } = parse(argv, { once: { type: 'boolean' }, quiet: { type: 'boolean' } }, false);
    const app = await openApp(globals, { work: 'all' });
    const { engine } = app;
    if (!values.quiet) {
      engine.onCommitted('worker-log', async (t) => {
        if (t.from !== t.to) io.stdout(`${new Date().toISOString()} ${t.caseId} ${t.from ?? '-'} -> ${t.to}\n`);
      });
    }
    io.stdout(`privacy-desk worker ${engine.owner} started (${app.ctx.db.dialect}; ${engine.heldCases().length} case(s) claimed)\n`);
    let stopping = false;
    // The engine's timers are unref'd (a library must not keep its host alive): this one keeps the
    // worker process running until a signal.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const stopped = new Promise<void>((resolve) => {
      const stop = () => { stopping = true; resolve(); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    try {
      if (values.once) {
        while (!stopping && engine.heldCases().length > 0) await Promise.race([sleep(200), stopped]);
      } else {
        await stopped;
      }
    } finally {
      clearInterval(keepAlive);
      await app.close();
    }
    io.stdout(`privacy-desk worker ${engine.owner} stopped\n`);
    return 0;
  },
};
export default worker;
