// privacy-desk ledger replay [--dry-run] [--json]: re-apply erasures recorded in the deletion ledger
// to rows that came back (a nightly re-import, a restored backup). Keyed hashes only, never identities.
// With --system NAME --since SNAPSHOT (after restoring one system from a registered snapshot): only that
// system, only erasures made after the snapshot was taken (cli/commands/snapshots.ts, data stores at scale).
import type { CommandGroup } from '../command';
import { replaySince } from './snapshots';
import { json, parse } from '../args';
import { cliMeta, withDatamap } from '../datamap-args';

export const ledger: CommandGroup = {
  replay: async (argv, globals, io) => {
    if (argv.some((a) => a === '--system' || a === '--since' || a.startsWith('--system=') || a.startsWith('--since='))) return replaySince(argv, globals, io);
    const { values } = parse(argv, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, false);
    return withDatamap(globals, false, async (_app, svc) => {
      const r = await svc.ledgerReplay(cliMeta.actor, { dryRun: values['dry-run'] ?? false, progress: io.isTTY ? (m) => io.stderr(`${m}\n`) : undefined });
      if (values.json) io.stdout(json({ ...r, dryRun: values['dry-run'] ?? false }));
      else {
        if (!r.systems.length) io.stdout('ledger is empty: nothing to replay\n');
        for (const s of r.systems) io.stdout(`${s.system}: scanned ${s.scanned}, came back ${s.matched}, deleted ${s.deleted}, masked ${s.masked}${s.error ? `, error: ${s.error}` : ''}\n`);
      }
      return r.systems.some((s) => s.error) ? 1 : 0;
    });
  },
};
export default ledger;
