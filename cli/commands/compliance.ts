// privacy-desk report unified-compliance --out DIR [--case ID ...] (also: privacy-desk compliance export);
// privacy-desk compliance metrics --year YYYY [--jurisdiction CA] [--json|--csv] (11 CCR §7102).
// Writes unified_compliance.csv (one row per matched record and action) and
// unified_compliance_overview.csv (one row per request), with the columns of seed 002.
// These files hold the requests' identities: they are for staff, like the case itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandFn, CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { openApp } from '../open-app';
import { JURISDICTIONS, type Jurisdiction } from '../../shared/domain/case';

const meta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

export const unifiedCompliance: CommandFn = async (argv, globals, io) => {
  const { values } = parse(argv, { out: { type: 'string' }, case: { type: 'string', multiple: true }, json: { type: 'boolean' } }, false);
  if (!values.out) throw new UsageError('--out DIR is required');
  const dir = resolve(values.out);
  const app = await openApp(globals, { work: 'none' });
  try {
    const uc = await app.call('compliance.unified', values.case?.length ? { caseIds: values.case } : {}, meta);
    mkdirSync(dir, { recursive: true });
    const files = { unifiedCompliance: join(dir, 'unified_compliance.csv'), overview: join(dir, 'unified_compliance_overview.csv') };
    writeFileSync(files.unifiedCompliance, uc.csv.unifiedCompliance, { mode: 0o600 });
    writeFileSync(files.overview, uc.csv.overview, { mode: 0o600 });
    if (values.json) io.stdout(json({ ...files, rows: uc.rows.length, requests: uc.overview.length }));
    else io.stdout(`wrote ${files.unifiedCompliance} (${uc.rows.length} rows) and ${files.overview} (${uc.overview.length} requests)\n`);
    return 0;
  } finally {
    await app.close();
  }
};

/** `compliance metrics --year YYYY [--jurisdiction CA] [--json|--csv]`: the §7102 figures of one year, scope stated. */
export const metrics: CommandFn = async (argv, globals, io) => {
  const { values } = parse(argv, { year: { type: 'string' }, jurisdiction: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } }, false);
  if (!values.year || !/^\d{4}$/u.test(values.year)) throw new UsageError('--year YYYY is required (the calendar year of receipt)');
  if (values.json && values.csv) throw new UsageError('give one of --json or --csv');
  if (values.jurisdiction !== undefined && !(JURISDICTIONS as readonly string[]).includes(values.jurisdiction.toUpperCase())) {
    throw new UsageError(`--jurisdiction: one of ${JURISDICTIONS.join(', ')}`);
  }
  const jurisdiction = values.jurisdiction?.toUpperCase() as Jurisdiction | undefined;
  const app = await openApp(globals, { work: 'none' });
  try {
    const m = await app.call('compliance.metrics', { year: Number(values.year), ...(jurisdiction ? { jurisdiction } : {}) }, meta);
    if (values.json) io.stdout(json(m));
    else if (values.csv) io.stdout(m.csv);
    else {
      io.stdout(`§7102 figures ${m.scope.year}, ${m.scope.jurisdiction === 'all' ? 'every jurisdiction' : m.scope.jurisdiction}\n`);
      io.stdout('right      received  whole  part  denied (unverifiable/exempt/duplicate)  withdrawn  pending  mean  median\n');
      for (const r of m.rows) {
        const d = r.deniedByReason;
        io.stdout(`${r.right.padEnd(10)} ${String(r.received).padStart(8)}  ${String(r.compliedInWhole).padStart(5)}  ${String(r.compliedInPart).padStart(4)}  ${`${r.denied} (${d.unverifiable}/${d.exempt}/${d.duplicate})`.padEnd(37)} ${String(r.withdrawn).padStart(9)}  ${String(r.pending).padStart(7)}  ${String(r.meanDays ?? '-').padStart(4)}  ${String(r.medianDays ?? '-').padStart(6)}\n`);
      }
      io.stdout(`scope: ${m.scope.counts}\n`);
    }
    return 0;
  } finally {
    await app.close();
  }
};

export const compliance: CommandGroup = { export: unifiedCompliance, metrics };
export default compliance;
