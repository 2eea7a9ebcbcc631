// privacy-desk datamap discover (--postgres URL | --sqlite FILE) --out FILE [--sample N] [--dataset NAME] [--json]
//   PII discovery: a draft data map (our format) for staff review; sampled values are never written.
// privacy-desk datamap validate (--postgres URL | --sqlite FILE) (--datamap FILE | --fides-dataset FILE.yml)
//   Check a map against the live schema; an unknown table or column, or a feature the engine cannot honour, is named.
// privacy-desk datamap convert --fides-dataset FILE.yml --out FILE   (Fides dataset -> our format)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import type { CliGlobals, CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, parse } from '../args';
import { cliMeta } from '../datamap-args';
import { openApp } from '../open-app';
import type { App } from '../../shared/app/app';
import { ApiInputError } from '../../shared/app/api';

function sourceFrom(values: { postgres?: string; sqlite?: string }): { engine: 'sqlite' | 'postgres'; location: string } {
  if (!!values.postgres === !!values.sqlite) throw new UsageError('give exactly one of --postgres URL or --sqlite FILE');
  return values.sqlite ? { engine: 'sqlite', location: resolve(values.sqlite) } : { engine: 'postgres', location: values.postgres! };
}

function readText(flag: string, file: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`); }
}

/** The map flags as the operations take them: the file's text. */
function mapFrom(values: { datamap?: string; 'fides-dataset'?: string; dataset?: string }): { datamapText: string } | { fidesYaml: string; fidesDataset?: string } {
  if (!!values.datamap === !!values['fides-dataset']) throw new UsageError('give exactly one of --datamap FILE or --fides-dataset FILE.yml');
  return values.datamap ? { datamapText: readText('--datamap', resolve(values.datamap)) }
    : { fidesYaml: readText('--fides-dataset', resolve(values['fides-dataset']!)), ...(values.dataset ? { fidesDataset: values.dataset } : {}) };
}

const FLAG: Record<string, string> = { datamapText: '--datamap', fidesYaml: '--fides-dataset', fidesDataset: '--dataset', location: '--sqlite/--postgres', sampleSize: '--sample', dataset: '--dataset' };

/** One operation on a fresh app; an input error is told by the flag that gave the field. */
async function withApp<T>(globals: CliGlobals, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp(globals, { runEngine: false });
  try {
    return await fn(app);
  } catch (e) {
    if (e instanceof ApiInputError) {
      const m = /^(\w+): /u.exec(e.message);
      throw new UsageError(m && FLAG[m[1]!] ? `${FLAG[m[1]!]}: ${e.message.slice(m[0].length)}` : e.message);
    }
    throw e;
  } finally {
    await app.close();
  }
}

const HEADER = '# Draft data map from PII discovery (privacy-desk datamap discover).\n# Review every category, identity and reference; set erasure/retention per collection (docs/DATAMAP.md).\n';

export const datamap: CommandGroup = {
  discover: async (argv, globals, io) => {
    const { values } = parse(argv, { postgres: { type: 'string' }, sqlite: { type: 'string' }, out: { type: 'string' }, sample: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } }, false);
    const cfg = sourceFrom(values);
    if (!values.out) throw new UsageError('--out FILE is required');
    const sample = values.sample === undefined ? 200 : Number(values.sample);
    if (!Number.isInteger(sample) || sample < 1 || sample > 1000) throw new UsageError('--sample: a whole number from 1 to 1000');
    if (values.dataset !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/u.test(values.dataset)) throw new UsageError('--dataset: letters, digits and _');
    return withApp(globals, async (app) => {
      const draft = await app.call('datamap.draft', { ...cfg, sampleSize: sample, ...(values.dataset !== undefined ? { dataset: values.dataset } : {}) },
        io.isTTY ? { ...cliMeta, progress: (m) => io.stderr(`${m}\n`) } : cliMeta);
      writeFileSync(resolve(values.out!), HEADER + stringify({ datamap: draft.map }));
      const summary = { out: resolve(values.out!), collections: draft.map.collections.length, columns: draft.columns, personalColumns: draft.findings.length, findings: draft.findings };
      if (values.json) io.stdout(json(summary));
      else {
        io.stdout(`wrote ${summary.out}: ${summary.collections} tables, ${summary.columns} columns, ${summary.personalColumns} proposed as personal\n`);
        for (const f of draft.findings) io.stdout(`  ${f.collection}.${f.field}: ${f.category} (${f.basis})\n`);
      }
      return 0;
    });
  },
  validate: async (argv, globals, io) => {
    const { values } = parse(argv, { postgres: { type: 'string' }, sqlite: { type: 'string' }, datamap: { type: 'string' }, 'fides-dataset': { type: 'string' }, dataset: { type: 'string' } }, false);
    const cfg = sourceFrom(values);
    const map = mapFrom(values);
    return withApp(globals, async (app) => {
      const r = await app.call('datamap.validate', { ...cfg, ...map }, cliMeta);
      if (!r.ok) { for (const p of r.problems) io.stderr(`${p}\n`); return 1; }
      io.stdout(`ok: ${r.dataset} (${r.collections} collections) matches the database\n`);
      return 0;
    });
  },
  convert: async (argv, globals, io) => {
    const { values } = parse(argv, { 'fides-dataset': { type: 'string' }, dataset: { type: 'string' }, out: { type: 'string' } }, false);
    if (!values['fides-dataset']) throw new UsageError('--fides-dataset FILE.yml is required');
    if (!values.out) throw new UsageError('--out FILE is required');
    const input = mapFrom(values);
    if (!('fidesYaml' in input)) throw new UsageError('--fides-dataset FILE.yml is required');
    return withApp(globals, async (app) => {
      const { map } = await app.call('datamap.convert', input, cliMeta);
      writeFileSync(resolve(values.out!), stringify({ datamap: map }));
      io.stdout(`wrote ${resolve(values.out!)} (${map.collections.length} collections)\n`);
      return 0;
    });
  },
};
export default datamap;
