// privacy-desk disclosures set --system S [--source X]... [--purpose Y]... [--third-party Z]... | list
// What the access report says per system: where the information came from, why it is used, who gets it.
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const disclosures: CommandGroup = {
  set: async (argv, globals, io) => {
    const { values } = parse(argv, {
      system: { type: 'string' }, source: { type: 'string', multiple: true }, purpose: { type: 'string', multiple: true },
      'third-party': { type: 'string', multiple: true },
    }, false);
    if (!values.system) throw new UsageError('--system is required');
    const app = await openApp(globals, { runEngine: false });
    try {
      const d = await app.call('disclosures.set', { system: values.system, sources: values.source ?? [], purposes: values.purpose ?? [], thirdParties: values['third-party'] ?? [] }, meta);
      io.stdout(`${d.system}: ${d.sources.length} source(s), ${d.purposes.length} purpose(s), ${d.thirdParties.length} third part(ies)\n`);
      return 0;
    } finally { await app.close(); }
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = await app.call('disclosures.list', {}, meta);
      if (values.json) io.stdout(json(list));
      else for (const d of list) io.stdout(`${d.system}\n  sources: ${d.sources.join('; ') || '-'}\n  purposes: ${d.purposes.join('; ') || '-'}\n  third parties: ${d.thirdParties.join('; ') || '-'}\n`);
      return 0;
    } finally { await app.close(); }
  },
};
export default disclosures;
