// privacy-desk systems add NAME (--postgres URL | --mysql URL | --sqlite FILE | --engine parquet|dynamodb|redshift|athena --engine-config FILE.json) [--fides-dataset FILE.yml [--dataset KEY] | --datamap FILE] [--legal-hold REASON] [--json]
// privacy-desk systems list [--json]
// privacy-desk systems hold NAME (--reason TEXT | --release)
// privacy-desk systems demo            (create and register the demo shop in the data folder)
import { resolve } from 'node:path';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { json, one, parse } from '../args';
import { cliMeta, withDatamap } from '../datamap-args';
import { loadDataMapFile, loadFidesDatasetFile } from '../../shared/adapters/datamap-file';
import { DataMapError, unsupportedFeatures, type DataMap } from '../../shared/domain/datamap';
import { openSqlSource, type SourceConfig } from '../../shared/adapters/sql-source';
import type { LookupIndex } from '../../shared/adapters/lookup-indexes';
import type { SystemRecord } from '../../shared/store/datamap-repo';
import type { SystemView } from '../../shared/app/contract/datamap';
import { openApp } from '../open-app';
import { scaleConnectionFromArgs } from '../scale-engine-args';

const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/u;

/**
 * The walk's look-ups on a SQLite / PostgreSQL system that no index serves, each with the index to
 * create (shared/adapters/lookup-indexes.ts). Best effort: a store the check cannot read yields none.
 */
async function lookupIndexWarnings(connection: { engine: string }, map: DataMap): Promise<LookupIndex[]> {
  if (connection.engine !== 'sqlite' && connection.engine !== 'postgres') return [];
  try {
    const src = await openSqlSource(connection as SourceConfig);
    try { return (await src.lookupIndexes(map)).filter((l) => l.createIndex); } finally { await src.close(); }
  } catch {
    return [];
  }
}

function describeLookup(l: LookupIndex): string {
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
    let map;
    try {
      map = values.datamap ? loadDataMapFile(resolve(values.datamap)) : loadFidesDatasetFile(resolve(values['fides-dataset']!), values.dataset);
    } catch (e) {
      if (e instanceof DataMapError) throw new UsageError(`${values.datamap ? '--datamap' : '--fides-dataset'}: ${e.message}`);
      throw e;
    }
    const connection = scale ?? (values.sqlite ? { engine: 'sqlite' as const, file: resolve(values.sqlite) }
      : values.mysql ? { engine: 'mysql' as const, url: values.mysql } : { engine: 'postgres' as const, url: values.postgres! });
    // A feature of the map this engine cannot honour is refused here, naming the field and the feature.
    const refused = unsupportedFeatures(map, connection.engine);
    if (refused.length) throw new UsageError(`${values.datamap ? '--datamap' : '--fides-dataset'}: ${refused.join('; ')}`);
    return withDatamap(globals, false, async (_app, svc) => {
      let rec: SystemRecord;
      try {
        rec = await svc.addSystem({ name, connection, map, legalHold: values['legal-hold'] ?? null }, cliMeta.actor);
      } catch (e) {
        if (e instanceof DataMapError) throw new UsageError(e.message);
        io.stderr(`systems add: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      }
      const indexes = await lookupIndexWarnings(connection, map);
      const view = { ...rec, engine: rec.connection.engine };
      if (values.json) io.stdout(json({ ...summary(view), ...(indexes.length ? { lookupsWithoutIndex: indexes } : {}) }));
      else {
        io.stdout(`registered ${rec.name} (${rec.connection.engine}, dataset ${rec.map.dataset}, ${rec.map.collections.length} collections)\n`);
        for (const w of indexes) io.stdout(`${describeLookup(w)}\n  ${w.createIndex}\n`);
      }
      return 0;
    });
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
