// Reading data-map files: our format (YAML or JSON, `datamap:` root or bare) and Fides dataset YAML
// (`dataset:` list), parsed with `yaml` and checked with zod; errors name the file and the field.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DataMapError, importFidesDatasets, parseDataMap, type DataMap } from '../domain/datamap';

function readStructured(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new DataMapError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`); }
  try { return parseYaml(text, { maxAliasCount: 100 }); } catch (e) { throw new DataMapError(`${file}: not valid YAML/JSON (${(e as Error).message.split('\n')[0]})`); }
}

/** Our data-map format from a file. */
export function loadDataMapFile(file: string): DataMap {
  try { return parseDataMap(readStructured(file)); } catch (e) { throw e instanceof DataMapError && !e.message.startsWith(file) ? new DataMapError(`${file}: ${e.message}`) : e; }
}

/** A Fides dataset file; `datasetKey` picks one when the file holds several. */
export function loadFidesDatasetFile(file: string, datasetKey?: string): DataMap {
  let maps: DataMap[];
  try { maps = importFidesDatasets(readStructured(file)); } catch (e) { throw e instanceof DataMapError && !e.message.startsWith(file) ? new DataMapError(`${file}: ${e.message}`) : e; }
  if (datasetKey) {
    const m = maps.find((x) => x.dataset === datasetKey);
    if (!m) throw new DataMapError(`${file}: no dataset "${datasetKey}" (has ${maps.map((x) => x.dataset).join(', ')})`);
    return m;
  }
  if (maps.length > 1) throw new DataMapError(`${file}: holds ${maps.length} datasets; choose one with --dataset`);
  return maps[0]!;
}
