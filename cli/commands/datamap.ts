// privacy-desk datamap discover (--postgres URL | --sqlite FILE) --out FILE [--sample N] [--dataset NAME] [--json]
//   PII discovery: a draft data map (our format) for staff review; sampled values are never written.
// privacy-desk datamap validate (--postgres URL | --sqlite FILE) (--datamap FILE | --fides-dataset FILE.yml)
//   Check a map against the live schema; an unknown table or column, or a feature the engine cannot honour, is named.
// privacy-desk datamap convert --fides-dataset FILE.yml --out FILE   (Fides dataset -> our format)
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { openSqlSource, type SourceConfig } from '../../shared/adapters/sql-source';
import { discoverPii } from '../../shared/adapters/pii-discovery';
import { loadDataMapFile, loadFidesDatasetFile } from '../../shared/adapters/datamap-file';
import { DataMapError, unsupportedFeatures, validateAgainstSchema, type DataMap } from '../../shared/domain/datamap';

function sourceFrom(values: { postgres?: string; sqlite?: string }): SourceConfig {
  if (!!values.postgres === !!values.sqlite) throw new UsageError('give exactly one of --postgres URL or --sqlite FILE');
  return values.sqlite ? { engine: 'sqlite', file: resolve(values.sqlite) } : { engine: 'postgres', url: values.postgres! };
}

function mapFrom(values: { datamap?: string; 'fides-dataset'?: string; dataset?: string }): DataMap {
  if (!!values.datamap === !!values['fides-dataset']) throw new UsageError('give exactly one of --datamap FILE or --fides-dataset FILE.yml');
  try {
    return values.datamap ? loadDataMapFile(resolve(values.datamap)) : loadFidesDatasetFile(resolve(values['fides-dataset']!), values.dataset);
  } catch (e) {
    if (e instanceof DataMapError) throw new UsageError(e.message);
    throw e;
  }
}

const HEADER = '# Draft data map from PII discovery (privacy-desk datamap discover).\n# Review every category, identity and reference; set erasure/retention per collection (docs/DATAMAP.md).\n';

export const datamap: CommandGroup = {
  discover: async (argv, _globals, io) => {
    const { values } = parse(argv, { postgres: { type: 'string' }, sqlite: { type: 'string' }, out: { type: 'string' }, sample: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } }, false);
    const cfg = sourceFrom(values);
    if (!values.out) throw new UsageError('--out FILE is required');
    const sample = values.sample === undefined ? 200 : Number(values.sample);
    if (!Number.isInteger(sample) || sample < 1 || sample > 1000) throw new UsageError('--sample: a whole number from 1 to 1000');
    if (values.dataset !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/u.test(values.dataset)) throw new UsageError('--dataset: letters, digits and _');
    let src;
    try { src = await openSqlSource(cfg); } catch (e) { io.stderr(`datamap discover: ${(e as Error).message}\n`); return 1; }
    try {
      if (io.isTTY) io.stderr('introspecting and sampling...\n');
      const draft = await discoverPii(src, { sampleSize: sample, dataset: values.dataset });
      writeFileSync(resolve(values.out), HEADER + stringify({ datamap: draft.map }));
      const personal = draft.findings.filter((f) => f.category && f.category.startsWith('user'));
      const summary = { out: resolve(values.out), collections: draft.map.collections.length, columns: draft.findings.length, personalColumns: personal.length, findings: personal.map(({ collection, field, category, basis, valueShare }) => ({ collection, field, category, basis, valueShare })) };
      if (values.json) io.stdout(json(summary));
      else {
        io.stdout(`wrote ${summary.out}: ${summary.collections} tables, ${summary.columns} columns, ${summary.personalColumns} proposed as personal\n`);
        for (const f of personal) io.stdout(`  ${f.collection}.${f.field}: ${f.category} (${f.basis})\n`);
      }
      return 0;
    } finally {
      await src.close();
    }
  },
  validate: async (argv, _globals, io) => {
    const { values } = parse(argv, { postgres: { type: 'string' }, sqlite: { type: 'string' }, datamap: { type: 'string' }, 'fides-dataset': { type: 'string' }, dataset: { type: 'string' } }, false);
    const cfg = sourceFrom(values);
    const map = mapFrom(values);
    let src;
    try { src = await openSqlSource(cfg); } catch (e) { io.stderr(`datamap validate: ${(e as Error).message}\n`); return 1; }
    try {
      const live = await src.introspect();
      validateAgainstSchema(map, live);
      const refused = unsupportedFeatures(map, cfg.engine, live);
      if (refused.length) throw new DataMapError(`data map ${map.dataset}: ${refused.join('; ')}`);
      io.stdout(`ok: ${map.dataset} (${map.collections.length} collections) matches the database\n`);
      return 0;
    } catch (e) {
      if (e instanceof DataMapError) { io.stderr(`${e.message}\n`); return 1; }
      throw e;
    } finally {
      await src.close();
    }
  },
  convert: async (argv, _globals, io) => {
    const { values } = parse(argv, { 'fides-dataset': { type: 'string' }, dataset: { type: 'string' }, out: { type: 'string' } }, false);
    if (!values['fides-dataset']) throw new UsageError('--fides-dataset FILE.yml is required');
    if (!values.out) throw new UsageError('--out FILE is required');
    const map = mapFrom(values);
    writeFileSync(resolve(values.out), stringify({ datamap: map }));
    io.stdout(`wrote ${resolve(values.out)} (${map.collections.length} collections)\n`);
    return 0;
  },
};
export default datamap;
