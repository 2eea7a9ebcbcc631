// privacy-desk requests import FILE.csv [--jurisdiction CA] [--custom-key-names a,b,c] [--review]
//   [--all-or-nothing] [--run] [--json]
// Inbound requests with Amperity's inbound columns (id, type, strategy, email, phone, address,
// address2, city, state, postal, country, custom_key[_2|_3]). Every row is checked (zod); a bad row
// is refused naming its line in the file and the column (never the value) and the good rows are
// imported - or, with --all-or-nothing, one bad row refuses the whole file. Each imported row becomes
// a case verified by staff attestation (auto-approved unless --review), its request id recorded in
// the same transaction, in batches (shared/app/requests-import.ts); a request already imported (an
// earlier run, or one running at the same time) is reported, never imported twice. The case engine
// works the cases (it restores them when it starts); --run works them here before exiting.
// Exit: 0 every row imported (or already imported), 3 some rows refused and the others imported,
// 2 bad input and nothing imported (usage, unreadable file, CSV syntax, header, every row refused,
// or any row refused with --all-or-nothing), 1 a failure (a system, with --run).
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CliIO, CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, one, parse } from '../args';
import { cliMeta } from '../datamap-args';
import { openApp } from '../open-app';
import { ApiInputError } from '../../shared/app/api';
import { JurisdictionSchema } from '../../shared/domain/case';
import { formatLineError, type InboundLineError } from '../../shared/domain/unified-compliance';

/** Exit status when some rows were refused and the others imported. */
export const EXIT_PARTIAL = 3;
const SHOWN_REFUSALS = 50;

function printRefused(io: CliIO, refused: readonly InboundLineError[], file: string): void {
  for (const r of refused.slice(0, SHOWN_REFUSALS)) io.stderr(`${file}: ${formatLineError(r)}\n`);
  if (refused.length > SHOWN_REFUSALS) io.stderr(`${file}: ... and ${refused.length - SHOWN_REFUSALS} more refused line(s) (--json lists them all)\n`);
}

export const requests: CommandGroup = {
  import: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, {
      jurisdiction: { type: 'string' }, 'custom-key-names': { type: 'string' }, review: { type: 'boolean' },
      'all-or-nothing': { type: 'boolean' }, run: { type: 'boolean' }, json: { type: 'boolean' },
    });
    const file = resolve(one(positionals, 'FILE.csv'));
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { throw new UsageError(`FILE.csv: cannot read ${file}`); }
    const jurisdiction = JurisdictionSchema.safeParse(values.jurisdiction ?? 'CA');
    if (!jurisdiction.success) throw new UsageError('--jurisdiction: unknown jurisdiction');
    const names = values['custom-key-names']?.split(',').map((s) => s.trim()).filter(Boolean);
    if (names?.some((n) => !/^[A-Za-z0-9_.-]{1,64}$/u.test(n))) throw new UsageError('--custom-key-names: letters, digits, _ . -');
    const datasource = basename(file);
    const allOrNothing = values['all-or-nothing'] ?? false;
    // Through the API (requests.import): the file is parsed and checked there, line by line.
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('requests.import', {
        datasource, csv: text, jurisdiction: jurisdiction.data, ...(names?.length ? { customKeyNames: names } : {}),
        review: values.review ?? false, allOrNothing, run: values.run ?? false,
      }, io.isTTY ? { ...cliMeta, progress: (m) => io.stderr(`${m}\n`) } : cliMeta).catch((e: unknown) => {
        // The file as a whole is unreadable (CSV syntax, header): bad input, nothing imported.
        throw e instanceof ApiInputError ? new UsageError(e.message) : e;
      });
      const { refused } = r;
      if (refused.length && !r.imported.length && !r.alreadyImported.length) {
        // Nothing is imported: every row was bad, or one was and the file is all or nothing.
        if (values.json) io.stdout(json(r));
        printRefused(io, refused, datasource);
        io.stderr(`privacy-desk: ${datasource}: ${refused.length} of ${r.rows} row(s) refused; nothing imported${allOrNothing ? ' (--all-or-nothing)' : ''}\n`);
        return 2;
      }
      if (values.json) {
        io.stdout(json(r));
      } else {
        const status = new Map((r.run ?? []).map((x) => [x.caseId, x]));
        for (const x of r.imported) {
          const s = status.get(x.caseId);
          io.stdout(`${x.requestId}  ${x.caseId}  ${s ? s.status : 'imported'}${s?.errors ? `  (${s.errors} system error(s))` : ''}\n`);
        }
        for (const x of r.alreadyImported) io.stdout(`${x.requestId}  ${x.caseId}  already imported\n`);
        printRefused(io, refused, datasource);
        io.stdout(`${datasource}: ${r.imported.length} imported, ${r.alreadyImported.length} already imported, ${refused.length} refused${values.run || !r.imported.length ? '' : '; the case engine works the new cases (or import with --run)'}\n`);
      }
      if (r.run?.some((x) => x.errors)) return 1;
      return refused.length ? EXIT_PARTIAL : 0;
    } finally {
      await app.close();
    }
  },
};
export default requests;
