// privacy-desk calls place <case> [--purpose status|callback] [--sequence N]
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';
import { printMessages } from './messages';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const calls: CommandGroup = {
  place: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { purpose: { type: 'string' }, sequence: { type: 'string' }, json: { type: 'boolean' } });
    const purpose = values.purpose ?? 'status';
    if (purpose !== 'status' && purpose !== 'callback') throw new UsageError('--purpose: status or callback');
    const sequence = values.sequence === undefined ? 1 : Number(values.sequence);
    if (!Number.isInteger(sequence) || sequence < 1) throw new UsageError('--sequence: a whole number from 1');
    const app = await openApp(globals, { runEngine: false });
    try {
      const m = await app.call('calls.place', { id: one(positionals, 'case id'), purpose, sequence }, meta);
      if (values.json) io.stdout(json(m)); else printMessages(io, [m]);
      return 0;
    } finally { await app.close(); }
  },
};
export default calls;
