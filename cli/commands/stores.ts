// privacy-desk stores purge-forgotten --system NAME [--dry-run] [--json]: seed 001's periodic batch
// delete for a Redshift system whose tables use the forgotten flag (run it monthly from cron or a
// scheduler). A dry run only counts the flagged rows. Counts are audited; no row values are printed.
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const stores: CommandGroup = {
  'purge-forgotten': async (argv, globals, io) => {
    const { values } = parse(argv, { system: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, false);
    if (!values.system) throw new UsageError('--system NAME is required');
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('stores.purgeForgotten', { system: values.system, dryRun: values['dry-run'] ?? false }, meta);
      if (values.json) io.stdout(json(r));
      else {
        const verb = r.dryRun ? 'flagged, waiting for the purge' : 'purged';
        const lines = Object.entries(r.tables).map(([t, n]) => `${r.system}.${t}: ${n} rows ${verb}`);
        io.stdout(`${lines.length ? lines.join('\n') : `${r.system}: no table uses the forgotten flag`}\n`);
      }
      return 0;
    } finally { await app.close(); }
  },
};
export default stores;
