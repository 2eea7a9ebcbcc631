// privacy-desk systems add NAME (--postgres URL | --mysql URL | --sqlite FILE | --engine parquet|dynamodb|redshift|athena --engine-config FILE.json) [--fides-dataset FILE.yml [--dataset KEY] | --datamap FILE] [--legal-hold REASON] [--json]
// privacy-desk systems list [--json]
// privacy-desk systems hold NAME (--reason TEXT | --release)
// privacy-desk systems demo            (create and register the demo shop in the data folder)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, one, parse } from '../args';
import { cliMeta } from '../datamap-args';
import { ApiInputError } from '../../shared/app/api';
import type { SystemView } from '../../shared/app/contract/datamap';
import type { OutputOf } from '../../shared/app/api';
import type { datamapContract } from '../../shared/app/contract/datamap';
import { openApp } from '../open-app';
import { scaleConnectionFromArgs } from '../scale-engine-args';

const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/u;

type LookupWithoutIndex = OutputOf<typeof datamapContract, 'datamap.systems.add'>['lookupsWithoutIndex'][number];

function describeLookup(l: LookupWithoutIndex): string {
  return l.served === 'phone-forms'
    ? `note: ${l.collection}.${l.field} (${l.reason}) is looked up through its plain index by the usual written forms of a number; for numbers written any other way create the punctuation-insensitive index:`
    : `warning: ${l.collection}.${l.field} (${l.reason}) has no index for the look-up: every request scans ${l.collection}; create:`;
}

/** What `systems list` and `systems add` print of a system (from the API's view of it). */
function summary(s: Pick<SystemView, 'name' | 'engine' | 'legalHold' | 'map' | 'createdAt' | 'updatedAt'>) {
  return {
    name: s.name, engine: s.engine, dataset: s.map.dataset, legalHold: s.legalHold,
    collections: s.map.collections.map((c) => ({
      name: c.name, erasure: c.erasure, retention: c.retention?.reason ?? null, optOut: c.optOut?.field ?? null,
      identities: c.fields.filter((f) => f.identity).map((f) => `${f.name}:${f.identity}`),
      fields: c.fields.length,
    })),
    createdAt: s.createdAt, updatedAt: s.updatedAt,
  };
}

function readText(flag: string, file: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`); }
}

export const systems: CommandGroup = {
  add: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, {
      postgres: { type: 'string' }, mysql: { type: 'string' }, sqlite: { type: 'string' }, 'fides-dataset': { type: 'string' }, dataset: { type: 'string' },
      datamap: { type: 'string' }, 'legal-hold': { type: 'string' }, json: { type: 'boolean' },
      engine: { type: 'string' }, 'engine-config': { type: 'string' },
    });
    const name = one(positionals, 'system NAME');
    const scale = scaleConnectionFromArgs(values.engine, values['engine-config']);
    if (!NAME_RE.test(name)) throw new UsageError('NAME: letters, digits, _ . - (at most 64)');
    const direct = [values.postgres, values.mysql, values.sqlite].filter((v) => !!v).length;
    if (scale ? direct > 0 : direct !== 1) throw new UsageError('give exactly one of --postgres URL, --mysql URL, --sqlite FILE or --engine KIND --engine-config FILE.json');
    if (values.mysql && !/^(mysql|mariadb):\/\//u.test(values.mysql)) throw new UsageError('--mysql: a mysql://user:password@host:3306/database URL (TLS and IAM options in its query: docs/DATA-STORES.md)');
    if (!!values['fides-dataset'] === !!values.datamap) throw new UsageError('give exactly one of --fides-dataset FILE.yml or --datamap FILE');
    if (values.dataset && !values['fides-dataset']) throw new UsageError('--dataset picks a dataset of --fides-dataset FILE.yml');
    const locationFlag = values.sqlite ? '--sqlite' : values.mysql ? '--mysql' : '--postgres';
    const where = scale ? { engine: scale.engine, engineConfig: scale.config }
      : values.sqlite ? { engine: 'sqlite' as const, location: resolve(values.sqlite) }
        : values.mysql ? { engine: 'mysql' as const, location: values.mysql } : { engine: 'postgres' as const, location: values.postgres! };
    const map = values.datamap
      ? { datamapText: readText('--datamap', resolve(values.datamap)) }
      : { fidesYaml: readText('--fides-dataset', resolve(values['fides-dataset']!)), ...(values.dataset ? { fidesDataset: values.dataset } : {}) };
    // Errors of the operation name its input fields: told here by the flag that gave each.
    const flagOf: Record<string, string> = {
      datamap: '--datamap', datamapText: '--datamap', fidesYaml: '--fides-dataset', fidesDataset: '--dataset',
      engineConfig: '--engine-config', location: locationFlag, legalHold: '--legal-hold',
    };
    const app = await openApp(globals, { runEngine: false });
    try {
      let r;
      try {
        r = await app.call('datamap.systems.add', { name, ...where, ...map, ...(values['legal-hold'] ? { legalHold: values['legal-hold'] } : {}) }, cliMeta);
      } catch (e) {
        if (e instanceof ApiInputError) {
          const m = /^(\w+): /u.exec(e.message);
          throw new UsageError(m && flagOf[m[1]!] ? `${flagOf[m[1]!]}: ${e.message.slice(m[0].length)}` : e.message);
        }
        throw e;
      }
      const { lookupsWithoutIndex, ...system } = r;
      if (values.json) io.stdout(json({ ...summary(system), ...(lookupsWithoutIndex.length ? { lookupsWithoutIndex } : {}) }));
      else {
        io.stdout(`registered ${system.name} (${system.engine}, dataset ${system.map.dataset}, ${system.map.collections.length} collections)\n`);
        for (const w of lookupsWithoutIndex) io.stdout(`${describeLookup(w)}\n  ${w.createIndex}\n`);
      }
      return 0;
    } finally { await app.close(); }
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const list = (await app.call('datamap.systems', {}, cliMeta)).systems.map(summary);
      if (values.json) io.stdout(json(list));
      else if (!list.length) io.stdout('no systems registered\n');
      else for (const s of list) io.stdout(`${s.name}  ${s.engine}  ${s.dataset}  ${s.collections.length} collections${s.legalHold ? '  [legal hold]' : ''}\n`);
      return 0;
    } finally { await app.close(); }
  },
  hold: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { reason: { type: 'string' }, release: { type: 'boolean' } });
    const name = one(positionals, 'system NAME');
    if (!!values.reason === !!values.release) throw new UsageError('give exactly one of --reason TEXT or --release');
    // The one legal-hold path (datamap.systems.hold): sets or lifts it and audits it.
    const app = await openApp(globals, { runEngine: false });
    try {
      await app.call('datamap.systems.hold', { name, reason: values.reason ?? null }, cliMeta);
      io.stdout(`${name}: ${values.reason ? 'legal hold set' : 'legal hold lifted'}\n`);
      return 0;
    } finally { await app.close(); }
  },
  demo: async (argv, globals, io) => {
    const { values } = parse(argv, { dir: { type: 'string' }, json: { type: 'boolean' } }, false);
    // The one demo-shop registration (datamap.demo.register), as the console's button.
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('datamap.demo.register', values.dir ? { dir: resolve(values.dir) } : {}, cliMeta);
      if (values.json) io.stdout(json(r));
      else io.stdout(`registered ${r.system}: ${r.sqliteFile}\n`);
      return 0;
    } finally { await app.close(); }
  },
};
export default systems;
