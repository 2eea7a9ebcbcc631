// A data map as an operation receives it: our format (parsed, or the YAML / JSON text of a data-map
// file) or one dataset of a Fides dataset file's YAML. Errors name the input field; a YAML syntax
// error names its line and column only (the yaml package's message quotes the text, which may hold PII).
import { parse as parseYaml, YAMLError } from 'yaml';
import { ApiInputError } from '../api';
import { DataMapError, importFidesDatasets, parseDataMap, type DataMap } from '../../domain/datamap';

export interface MapInput {
  datamap?: unknown;
  datamapText?: string;
  fidesYaml?: string;
  fidesDataset?: string;
}

/** Which input field holds the map (errors name it). */
export const mapField = (i: MapInput): 'datamap' | 'datamapText' | 'fidesYaml' =>
  i.fidesYaml !== undefined ? 'fidesYaml' : i.datamapText !== undefined ? 'datamapText' : 'datamap';

function parseYamlText(field: string, text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof YAMLError)) throw e;
    const pos = e.linePos?.[0];
    throw new ApiInputError(`${field}: not valid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''} (${e.code})`, [{ path: field, message: `not valid YAML${pos ? ` at line ${pos.line}` : ''}` }]);
  }
}

/** The map given: our format (parsed or as text) or one dataset of a Fides file (fidesDataset picks it when there are several). */
export function mapOf(i: MapInput): DataMap {
  const field = mapField(i);
  try {
    if (i.fidesYaml !== undefined) {
      const maps = importFidesDatasets(parseYamlText('fidesYaml', i.fidesYaml));
      if (i.fidesDataset !== undefined) {
        const m = maps.find((x) => x.dataset === i.fidesDataset);
        if (!m) throw new DataMapError(`no dataset "${i.fidesDataset}" (has ${maps.map((x) => x.dataset).join(', ')})`);
        return m;
      }
      if (maps.length !== 1) throw new DataMapError(`holds ${maps.length} datasets; choose one with fidesDataset`);
      return maps[0]!;
    }
    return parseDataMap(i.datamapText !== undefined ? parseYamlText('datamapText', i.datamapText) : i.datamap);
  } catch (e) {
    if (e instanceof DataMapError) throw new ApiInputError(`${field}: ${e.message}`, [{ path: field, message: e.message }]);
    throw e;
  }
}
