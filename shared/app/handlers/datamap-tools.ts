// Handlers of the data-map tools (shared/app/contract/datamap-tools.ts): each opens the connection
// given through the registry's one source opener, works, and closes it.
import type { Handlers } from '../api';
import { ApiInputError } from '../api';
import type { datamapToolsContract } from '../contract/datamap-tools';
import { openSource, safeError } from '../datamap/registry';
import { mapOf } from '../datamap/map-input';
import type { SystemConnection } from '../../store/datamap-repo';
import type { DataSource } from '../../adapters/port';
import { discoverPii } from '../../adapters/pii-discovery';
import { DataMapError, unsupportedFeatures, validateAgainstSchema } from '../../domain/datamap';
import type { SqlEngine } from '../../domain/source-engines';

function connection(engine: SqlEngine, location: string): SystemConnection {
  return engine === 'sqlite' ? { engine, file: location } : { engine, url: location };
}

async function withSource<T>(engine: SqlEngine, location: string, fn: (src: DataSource) => Promise<T>): Promise<T> {
  let src: DataSource;
  try { src = await openSource(connection(engine, location)); } catch (e) { throw new ApiInputError(`location: ${safeError(e)}`, [{ path: 'location', message: safeError(e) }]); }
  try { return await fn(src); } finally { await src.close(); }
}

export function datamapToolsHandlers(): Handlers<typeof datamapToolsContract> {
  return {
    'datamap.draft': async ({ engine, location, sampleSize, dataset }, meta) => withSource(engine, location, async (src) => {
      meta.progress?.('introspecting and sampling...');
      const draft = await discoverPii(src, { sampleSize, ...(dataset !== undefined ? { dataset } : {}) });
      const findings = draft.findings
        .filter((f): f is typeof f & { category: string } => !!f.category && f.category.startsWith('user'))
        .map(({ collection, field, category, basis, valueShare }) => ({ collection, field, category, basis, valueShare }));
      return { map: draft.map, columns: draft.findings.length, findings };
    }),
    'datamap.validate': async (input) => {
      const map = mapOf(input);
      return withSource(input.engine, input.location, async (src) => {
        const live = await src.introspect();
        const problems: string[] = [];
        try { validateAgainstSchema(map, live); } catch (e) { if (e instanceof DataMapError) problems.push(e.message); else throw e; }
        const refused = unsupportedFeatures(map, input.engine, live);
        if (refused.length) problems.push(`data map ${map.dataset}: ${refused.join('; ')}`);
        return { ok: !problems.length, dataset: map.dataset, collections: map.collections.length, problems };
      });
    },
    'datamap.convert': async (input) => ({ map: mapOf(input) }),
  };
}
