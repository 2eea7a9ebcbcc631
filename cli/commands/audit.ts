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
import { parseS3Target, writeAnchorToS3 } from '../anchor-s3';
import { SqlAuditLog } from '../../shared/store/audit-log';

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

export const audit: CommandGroup = {
  verify: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' }, anchor: { type: 'string' } }, false);
    const anchor = values.anchor !== undefined ? readAnchorFile(values.anchor) : undefined;
    const app = await openApp(globals, { runEngine: false });
    try {
      let r: { ok: boolean; entries: number; firstBad: { seq: number; problem: string } | null };
      if (anchor !== undefined) {
        const log = app.ctx.audit;
        if (!(log instanceof SqlAuditLog)) throw new Error('this store has no anchored audit log');
        r = await log.verifyAnchor(anchor);
      } else {
        r = await app.call('audit.verify', {}, { actor: 'cli' });
      }
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
      const log = app.ctx.audit;
      if (!(log instanceof SqlAuditLog)) throw new Error('this store has no exportable audit log');
      for (let after = 0; ;) {
        const page = await log.page(after, 2000);
        if (!page.length) break;
        io.stdout(page.map((e) => `${JSON.stringify(e)}\n`).join(''));
        after = page[page.length - 1]!.seq;
      }
      return 0;
    } finally {
      await app.close();
    }
  },
  anchor: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' }, to: { type: 'string' } }, false);
    const target = values.to !== undefined ? parseS3Target(values.to) : undefined;
    const app = await openApp(globals, { runEngine: false });
    try {
      const log = app.ctx.audit;
      if (!(log instanceof SqlAuditLog)) throw new Error('this store has no anchored audit log');
      const a = await log.anchor(app.ctx.clock());
      const body = `${JSON.stringify(a, null, 2)}\n`;
      const stored = target ? await writeAnchorToS3(target, a, body) : undefined;
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
