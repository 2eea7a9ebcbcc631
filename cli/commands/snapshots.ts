// privacy-desk snapshots add|list|replays: the snapshots and backups the business takes of each
// system (seeds 000/001), so that after a restore `ledger replay --system NAME --since SNAPSHOT`
// re-applies every erasure made after the snapshot.
//   snapshots add --system NAME --label LABEL --taken-at ISO [--kind snapshot|backup] [--note TEXT] [--json]
//   snapshots list [--system NAME] [--json]
//   snapshots replay --system NAME --since SNAPSHOT [--dry-run] [--json]   (= ledger replay --system NAME --since SNAPSHOT)
//   snapshots replays --system NAME [--json]
import type { CommandFn, CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

/** `--system NAME --since SNAPSHOT [--dry-run]`: shared by `snapshots replay` and `ledger replay`. */
export const replaySince: CommandFn = async (argv, globals, io) => {
  const { values } = parse(argv, { system: { type: 'string' }, since: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, false);
  if (!values.system) throw new UsageError('--system NAME is required with --since');
  if (!values.since) throw new UsageError('--since SNAPSHOT (a snapshot label, id or "latest") is required with --system');
  const app = await openApp(globals, { runEngine: false });
  try {
    const r = await app.call('snapshots.replay', { system: values.system, since: values.since, dryRun: values['dry-run'] ?? false }, meta);
    if (values.json) io.stdout(json(r));
    else io.stdout(`${r.system} since ${r.snapshot.kind} "${r.snapshot.label}" (${r.snapshot.takenAt})${r.dryRun ? ' [dry run]' : ''}: scanned ${r.scanned}, came back ${r.matched}, deleted ${r.deleted}, masked ${r.masked}${r.error ? `, error: ${r.error}` : ''}\n`);
    return r.error ? 1 : 0;
  } finally { await app.close(); }
};

export const snapshots: CommandGroup = {
  replay: replaySince,
  add: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, {
      system: { type: 'string' }, label: { type: 'string' }, 'taken-at': { type: 'string' },
      kind: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' },
    }, false);
    void positionals;
    if (!values.system) throw new UsageError('--system NAME is required');
    if (!values.label) throw new UsageError('--label LABEL is required');
    if (!values['taken-at']) throw new UsageError('--taken-at ISO-TIME is required (when the snapshot was taken, e.g. 2024-06-01T02:00:00Z)');
    if (values.kind !== undefined && values.kind !== 'snapshot' && values.kind !== 'backup') throw new UsageError('--kind: snapshot or backup');
    const app = await openApp(globals, { runEngine: false });
    try {
      const s = await app.call('snapshots.add', {
        system: values.system, label: values.label, takenAt: values['taken-at'],
        kind: (values.kind as 'snapshot' | 'backup' | undefined) ?? 'snapshot', note: values.note,
      }, meta);
      io.stdout(values.json ? json(s) : `registered ${s.kind} "${s.label}" of ${s.system}, taken ${s.takenAt}\n`);
      return 0;
    } finally { await app.close(); }
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, { system: { type: 'string' }, json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('snapshots.list', { system: values.system }, meta);
      if (values.json) io.stdout(json(list));
      else if (list.length === 0) io.stdout('no snapshots registered\n');
      else io.stdout(`${list.map((s) => `${s.system}\t${s.label}\t${s.kind}\t${s.takenAt}`).join('\n')}\n`);
      return 0;
    } finally { await app.close(); }
  },
  replays: async (argv, globals, io) => {
    const { values } = parse(argv, { system: { type: 'string' }, json: { type: 'boolean' } }, false);
    if (!values.system) throw new UsageError('--system NAME is required');
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('snapshots.replays', { system: values.system }, meta);
      if (values.json) io.stdout(json(list));
      else if (list.length === 0) io.stdout(`no replays for ${values.system}\n`);
      else io.stdout(`${list.map((r) => `${r.ranAt}\t${r.dryRun ? 'dry-run' : 'applied'}\tledger entries ${r.ledgerEntries}\trows changed ${r.rowsChanged}`).join('\n')}\n`);
      return 0;
    } finally { await app.close(); }
  },
};
export default snapshots;
