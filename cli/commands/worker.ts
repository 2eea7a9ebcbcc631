// privacy-desk worker [--once] [--quiet]: a long-running worker process (for a server or a
// container). It claims the busy cases nobody works on (a lease per case in the case store:
// docs/STORE.md "Workers"), runs their steps, renews its leases while it works and takes over the
// cases of a worker that died. Several workers on one PostgreSQL share the work; on SQLite they
// share one machine. Stops on SIGINT/SIGTERM after the transitions in flight are persisted (a step
// still running keeps its lease until it expires, so nobody starts it twice meanwhile).
// --once: claim what is waiting, finish it, exit (a cron job). Prints one line per status change.
// Once a day (UTC) one of the workers on a store writes the audit anchor outside the database
// (shared/app/audit/daily-anchor.ts: PRIVACY_DESK_ANCHOR_TO=s3://bucket/prefix or a folder, default
// <data folder>/anchors); each worker checks at start and every PRIVACY_DESK_ANCHOR_CHECK_MS
// (default one hour). PRIVACY_DESK_DAILY_ANCHOR=off turns it off (anchors kept some other way).
import type { CommandGroup } from '../command';
import { openApp } from '../open-app';
import { parse } from '../args';
import { anchorTargetFrom, dailyAnchor } from '../../shared/app/audit/daily-anchor';

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
    const anchoring = process.env.PRIVACY_DESK_DAILY_ANCHOR !== 'off';
    const target = anchorTargetFrom(process.env, app.ctx.config.dataDir);
    let anchorRun: Promise<void> | null = null;
    const anchorCheck = () => {
      anchorRun ??= dailyAnchor(app, engine.owner, target).then((r) => {
        if (r.done === 'written') io.stdout(`${new Date().toISOString()} audit anchor for ${r.day}: entry ${r.seq} written to ${r.url}\n`);
      }, (e: unknown) => {
        io.stderr(`privacy-desk worker: the daily audit anchor failed (${e instanceof Error ? e.message : String(e)}); tried again at the next check\n`);
      }).finally(() => { anchorRun = null; });
      return anchorRun;
    };
    const checkMs = Number(process.env.PRIVACY_DESK_ANCHOR_CHECK_MS ?? 3_600_000);
    const anchorTimer = anchoring ? setInterval(() => { void anchorCheck(); }, Number.isInteger(checkMs) && checkMs >= 1000 ? checkMs : 3_600_000) : null;
    anchorTimer?.unref();
    if (anchoring) await anchorCheck();
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
      if (anchorTimer) clearInterval(anchorTimer);
      await anchorRun;
      await app.close();
    }
    io.stdout(`privacy-desk worker ${engine.owner} stopped\n`);
    return 0;
  },
};
export default worker;
