// privacy-desk ledger replay [--dry-run] [--json]: re-apply erasures recorded in the deletion ledger
// to rows that came back (a nightly re-import, a restored backup). Keyed hashes only, never identities.
// With --system NAME --since SNAPSHOT (after restoring one system from a registered snapshot): only that
// system, only erasures made after the snapshot was taken (cli/commands/snapshots.ts, data stores at scale).
import type { CommandGroup } from '../command';
import { replaySince } from './snapshots';
import { json, parse } from '../args';
import { cliMeta } from '../datamap-args';
import { openApp } from '../open-app';

export const ledger: CommandGroup = {
  replay: async (argv, globals, io) => {
    if (argv.some((a) => a === '--system' || a === '--since' || a.startsWith('--system=') || a.startsWith('--since='))) return replaySince(argv, globals, io);
    const { values } = parse(argv, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      // through the API (issue 20 item 3): the operation datamap.ledger.replay
      const r = await app.call('datamap.ledger.replay', { dryRun: values['dry-run'] ?? false },
        io.isTTY ? { ...cliMeta, progress: (m) => io.stderr(`${m}\n`) } : cliMeta);
      if (values.json) io.stdout(json({ ...r, dryRun: values['dry-run'] ?? false }));
      else {
        if (!r.systems.length) io.stdout('ledger is empty: nothing to replay\n');
        for (const s of r.systems) io.stdout(`${s.system}: scanned ${s.scanned}, came back ${s.matched}, deleted ${s.deleted}, masked ${s.masked}${s.error ? `, error: ${s.error}` : ''}\n`);
      }
      return r.systems.some((s) => s.error) ? 1 : 0;
    } finally {
      await app.close();
    }
  },
};
export default ledger;
