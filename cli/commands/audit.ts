// privacy-desk audit verify [--anchor FILE] [--json]: checks the keyed hash chain (and, with an
// anchor kept outside the database, that the log was not cut, emptied or rewritten up to it); names
// the first altered or removed entry.
// privacy-desk audit anchor [--json] [--to s3://bucket/prefix]: prints the authenticated chain head
// (seq, hash, time, MAC) to keep elsewhere; --to also writes it to S3 as an object.
// privacy-desk audit export: every entry as JSON lines, oldest first (details hold no raw PII).
import { readFileSync } from 'node:fs';
import { UsageError, type CommandGroup } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';
import { cliMeta } from '../datamap-args';
import { ApiInputError } from '../../shared/app/api';

function readAnchorFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--anchor: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    // `audit anchor --json --to ...` prints { anchor, stored }: either shape is accepted.
    return v && typeof v === 'object' && 'anchor' in v && 'stored' in v ? (v as { anchor: unknown }).anchor : v;
  } catch {
    throw new UsageError(`--anchor: ${file} is not JSON (an anchor is what privacy-desk audit anchor --json prints)`);
  }
}

// Through the API: audit.verify (with the anchor), audit.export (paged), audit.anchor.
export const audit: CommandGroup = {
  verify: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' }, anchor: { type: 'string' } }, false);
    const anchor = values.anchor !== undefined ? readAnchorFile(values.anchor) : undefined;
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('audit.verify', anchor !== undefined ? { anchor } : {}, cliMeta);
      if (values.json) io.stdout(json(r));
      else if (r.ok) io.stdout(`audit chain intact: ${r.entries} entries${anchor !== undefined ? ', the anchored entry included' : ''}\n`);
      else io.stdout(`audit chain BROKEN at entry ${r.firstBad?.seq}: ${r.firstBad?.problem}\n`);
      return r.ok ? 0 : 1;
    } finally {
      await app.close();
    }
  },
  export: async (argv, globals, io) => {
    parse(argv, {}, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      for (let after = 0; ;) {
        const { entries } = await app.call('audit.export', { after, limit: 2000 }, cliMeta);
        if (!entries.length) break;
        io.stdout(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        after = entries[entries.length - 1]!.seq;
      }
      return 0;
    } finally {
      await app.close();
    }
  },
  anchor: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' }, to: { type: 'string' } }, false);
    if (values.to !== undefined && !values.to.startsWith('s3://')) throw new UsageError('--to: must be s3://bucket or s3://bucket/prefix');
    const app = await openApp(globals, { runEngine: false });
    try {
      const { anchor: a, stored } = await app.call('audit.anchor', values.to !== undefined ? { to: values.to } : {}, cliMeta).catch((e: unknown) => {
        throw e instanceof ApiInputError && e.message.startsWith('to: ') ? new UsageError(`--${e.message}`) : e;
      });
      const body = `${JSON.stringify(a, null, 2)}\n`;
      if (values.json) io.stdout(stored ? json({ anchor: a, stored }) : body);
      else {
        io.stdout(`audit anchor: entry ${a.seq} at ${a.at}\nhash ${a.hash}\nmac  ${a.mac}\n`);
        if (stored) io.stdout(`written to ${stored.url}${stored.objectLock ? ` (Object Lock${stored.retainUntil ? ` until ${stored.retainUntil}` : ': bucket default retention'})` : ''}\n`);
        io.stdout('keep it outside this database; check with: privacy-desk audit verify --anchor FILE\n');
      }
      return 0;
    } finally {
      await app.close();
    }
  },
};
export default audit;
