// privacy-desk api list | api call OP [--input JSON]: every operation of the one typed API, from
// the command line (what the console and the Lambdas call), validated the same way.
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { contract } from '../../shared/app/contract';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';

export const api: CommandGroup = {
  list: async (argv, _globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const ops = Object.entries(contract).map(([name, d]) => ({ name, kind: d.kind, summary: d.summary }));
    if (values.json) io.stdout(json(ops));
    else for (const o of ops) io.stdout(`${o.name.padEnd(32)} ${o.kind.padEnd(8)} ${o.summary}\n`);
    return 0;
  },
  call: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { input: { type: 'string' } });
    const op = one(positionals, 'operation name');
    let input: unknown = {};
    if (values.input !== undefined) {
      try { input = JSON.parse(values.input); } catch { throw new UsageError('--input: must be JSON'); }
    }
    // A query never runs a step (nor resumes any case); a command works on the case it changes.
    const def = (contract as Record<string, { kind: string } | undefined>)[op];
    const app = await openApp(globals, { work: def?.kind === 'query' ? 'none' : 'own' });
    try {
      const out = await app.callUnknown(op, input, { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' });
      const id = (out as { id?: unknown } | null)?.id;
      if (typeof id === 'string') await app.settle(id).catch(() => undefined);
      io.stdout(json(out));
      return 0;
    } finally {
      await app.close();
    }
  },
};
export default api;
