// privacy-desk audit verify [--json]: checks the hash chain; names the first altered or removed entry.
import type { CommandGroup } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';

export const audit: CommandGroup = {
  verify: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('audit.verify', {}, { actor: 'cli' });
      if (values.json) io.stdout(json(r));
      else if (r.ok) io.stdout(`audit chain intact: ${r.entries} entries\n`);
      else io.stdout(`audit chain BROKEN at entry ${r.firstBad?.seq}: ${r.firstBad?.problem}\n`);
      return r.ok ? 0 : 1;
    } finally {
      await app.close();
    }
  },
};
export default audit;
