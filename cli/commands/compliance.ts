// privacy-desk report unified-compliance --out DIR [--case ID ...] (also: privacy-desk compliance export)
// Writes unified_compliance.csv (one row per matched record and action) and
// unified_compliance_overview.csv (one row per request), with the columns of seed 002.
// These files hold the requests' identities: they are for staff, like the case itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandFn, CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { withDatamap } from '../datamap-args';
import { toCsv, UC_COLUMNS, UC_OVERVIEW_COLUMNS } from '../../shared/domain/unified-compliance';

export const unifiedCompliance: CommandFn = async (argv, globals, io) => {
  const { values } = parse(argv, { out: { type: 'string' }, case: { type: 'string', multiple: true }, json: { type: 'boolean' } }, false);
  if (!values.out) throw new UsageError('--out DIR is required');
  const dir = resolve(values.out);
  return withDatamap(globals, false, async (_app, svc) => {
    const { rows, overview } = await svc.unifiedCompliance(values.case);
    mkdirSync(dir, { recursive: true });
    const files = { unifiedCompliance: join(dir, 'unified_compliance.csv'), overview: join(dir, 'unified_compliance_overview.csv') };
    writeFileSync(files.unifiedCompliance, toCsv(UC_COLUMNS, rows), { mode: 0o600 });
    writeFileSync(files.overview, toCsv(UC_OVERVIEW_COLUMNS, overview), { mode: 0o600 });
    if (values.json) io.stdout(json({ ...files, rows: rows.length, requests: overview.length }));
    else io.stdout(`wrote ${files.unifiedCompliance} (${rows.length} rows) and ${files.overview} (${overview.length} requests)\n`);
    return 0;
  });
};

export const compliance: CommandGroup = { export: unifiedCompliance };
export default compliance;
