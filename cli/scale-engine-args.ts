// `systems add NAME --engine parquet|dynamodb|redshift|athena --engine-config FILE.json`: the
// connection of a data store at scale, read from a JSON file; the operation checks the config
// (each engine's zod schema) before anything opens, and a bad file is a UsageError naming the field.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './command';
import { SCALE_ENGINE_KINDS, isScaleEngineKind, type ScaleEngineKind } from '../shared/domain/source-engines';

export function scaleConnectionFromArgs(engine: string | undefined, configFile: string | undefined): { engine: ScaleEngineKind; config: unknown } | null {
  if (engine === undefined && configFile === undefined) return null;
  if (!engine || !isScaleEngineKind(engine)) throw new UsageError(`--engine: one of ${SCALE_ENGINE_KINDS.join(', ')}`);
  if (!configFile) throw new UsageError('--engine-config FILE.json is required with --engine');
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(resolve(configFile), 'utf8'));
  } catch (e) {
    throw new UsageError(`--engine-config: cannot read ${configFile} as JSON (${(e as Error).message.split('\n')[0]})`);
  }
  // A lake's local folder is relative to where the command runs, not to where the server would.
  if (engine === 'parquet' && typeof (config as { location?: unknown })?.location === 'string') {
    const loc = (config as { location: string }).location;
    if (!loc.startsWith('s3://') && !loc.startsWith('/') && !loc.startsWith('file://')) (config as { location: string }).location = resolve(loc);
  }
  return { engine, config };
}
