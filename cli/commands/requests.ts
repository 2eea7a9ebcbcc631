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
import { cliMeta, withDatamap } from '../datamap-args';
import { JurisdictionSchema } from '../../shared/domain/case';
import { formatLineError, parseInboundRequests, type InboundLineError } from '../../shared/domain/unified-compliance';
import { importInboundRequests, type ImportProgress } from '../../shared/app/requests-import';

/** Exit status when some rows were refused and the others imported. */
export const EXIT_PARTIAL = 3;
const SHOWN_REFUSALS = 50;

function printRefused(io: CliIO, refused: readonly InboundLineError[], file: string): void {
  for (const r of refused.slice(0, SHOWN_REFUSALS)) io.stderr(`${file}: ${formatLineError(r)}\n`);
  if (refused.length > SHOWN_REFUSALS) io.stderr(`${file}: ... and ${refused.length - SHOWN_REFUSALS} more refused line(s) (--json lists them all)\n`);
}

/** At most one progress line a second on a terminal, and the last one. */
function progressReporter(io: CliIO): (p: ImportProgress) => void {
  const t0 = Date.now();
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.done < p.total && now - last < 1000) return;
    last = now;
    const rate = p.done / Math.max(0.001, (now - t0) / 1000);
    io.stderr(`importing: ${p.done}/${p.total} rows (${p.imported} new, ${p.alreadyImported} already imported), ${Math.round(rate)} rows/s\n`);
  };
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
    const parsed = parseInboundRequests(text, names);
    if (parsed.fileErrors.length) {
      const e = parsed.fileErrors;
      throw new UsageError(`${datasource}: ${e.slice(0, 20).join('; ')}${e.length > 20 ? ` (and ${e.length - 20} more)` : ''}; nothing imported`);
    }
    const allOrNothing = values['all-or-nothing'] ?? false;
    const refused = parsed.refused;
    const base = { file: datasource, rows: parsed.rows, allOrNothing };
    if (refused.length && (allOrNothing || !parsed.requests.length)) {
      // Nothing is imported: every row was bad, or one was and the file is all or nothing.
      if (values.json) io.stdout(json({ ...base, imported: [], alreadyImported: [], refused }));
      printRefused(io, refused, datasource);
      io.stderr(`privacy-desk: ${datasource}: ${refused.length} of ${parsed.rows} row(s) refused; nothing imported${allOrNothing ? ' (--all-or-nothing)' : ''}\n`);
      return 2;
    }
    return withDatamap(globals, false, async (app, svc) => {
      const result = await importInboundRequests(app, parsed.requests, {
        datasource, jurisdiction: jurisdiction.data, autoApprove: !values.review, meta: cliMeta,
        progress: io.isTTY ? progressReporter(io) : undefined,
      });
      let failed = 0;
      const run: Array<{ requestId: string; caseId: string; status: string; errors: number }> = [];
      if (values.run) {
        for (const r of result.imported) {
          await app.engine.wake(r.caseId);
          await app.settle(r.caseId);
          const res = await svc.output(r.caseId);
          if (res.errors.length) failed += 1;
          run.push({ requestId: r.requestId, caseId: r.caseId, status: res.status, errors: res.errors.length });
          if (io.isTTY) io.stderr(`running: ${run.length}/${result.imported.length} ${r.caseId}: ${res.status}\n`);
        }
      }
      if (values.json) {
        io.stdout(json({ ...base, imported: result.imported, alreadyImported: result.alreadyImported, refused, ...(values.run ? { run } : {}) }));
      } else {
        const status = new Map(run.map((r) => [r.caseId, r]));
        for (const r of result.imported) {
          const s = status.get(r.caseId);
          io.stdout(`${r.requestId}  ${r.caseId}  ${s ? s.status : 'imported'}${s?.errors ? `  (${s.errors} system error(s))` : ''}\n`);
        }
        for (const r of result.alreadyImported) io.stdout(`${r.requestId}  ${r.caseId}  already imported\n`);
        printRefused(io, refused, datasource);
        io.stdout(`${datasource}: ${result.imported.length} imported, ${result.alreadyImported.length} already imported, ${refused.length} refused${values.run || !result.imported.length ? '' : '; the case engine works the new cases (or import with --run)'}\n`);
      }
      if (failed) return 1;
      return refused.length ? EXIT_PARTIAL : 0;
    });
  },
};
export default requests;
