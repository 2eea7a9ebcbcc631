// The data-store engines of this area, by kind, for the system registry: each takes the system's
// JSON config (validated with zod inside) and returns a DataSource with the batch methods
// (findBatch, eraseBatch) and ledger replay support (distinctIdentities).
import type { S3Client } from '@aws-sdk/client-s3';
import type { DataSource } from '../port';
import { AthenaSource } from '../athena/athena-source';
import { DynamoDbSource } from '../dynamodb/dynamodb-source';
import { RedshiftSource } from '../redshift/redshift-source';
import { ParquetLakeSource } from './parquet-lake';
import { AthenaConfigSchema } from '../athena/config';
import { DynamoConfigSchema } from '../dynamodb/config';
import { RedshiftConfigSchema } from '../redshift/config';
import { LakeConfigSchema } from './table-spec';
import type { ReplayableSource } from './ledger-replay';

import { SCALE_ENGINE_KINDS, isScaleEngineKind, type ScaleEngineKind } from '../../domain/source-engines';

export { SCALE_ENGINE_KINDS, isScaleEngineKind, type ScaleEngineKind };

export type ScaleSource = DataSource & ReplayableSource & { collectionNames(): string[] };

export interface EngineDeps {
  /** S3 client for lakes on S3 and Athena's rewrite step (default: one from the environment's credentials). */
  s3?: S3Client;
}

/** Check an engine config without opening anything: the problems as "field: message" lines (empty when valid). */
export function checkScaleConfig(kind: ScaleEngineKind, config: unknown): string[] {
  const schema = { parquet: LakeConfigSchema, dynamodb: DynamoConfigSchema, redshift: RedshiftConfigSchema, athena: AthenaConfigSchema }[kind];
  const r = schema.safeParse(config);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
}

function withNames<T extends DataSource & ReplayableSource>(src: T, names: string[]): T & { collectionNames(): string[] } {
  return Object.assign(src, { collectionNames: () => names });
}

export async function openScaleEngine(kind: ScaleEngineKind, config: unknown, deps: EngineDeps = {}): Promise<ScaleSource> {
  const needsS3 = kind === 'athena' || (kind === 'parquet' && typeof (config as { location?: unknown })?.location === 'string' && String((config as { location: string }).location).startsWith('s3://'));
  let s3 = deps.s3;
  if (needsS3 && !s3) {
    const m = await import('@aws-sdk/client-s3');
    const { S3Client } = m.default ?? m; // CommonJS: `default` in a split bundle
    s3 = new S3Client({});
  }
  switch (kind) {
    case 'parquet': {
      const src = ParquetLakeSource.open(config, { s3 });
      return withNames(src, src.config.tables.map((t) => t.name));
    }
    case 'dynamodb': {
      const src = DynamoDbSource.open(config);
      return withNames(src, src.config.tables.map((t) => t.name));
    }
    case 'redshift': {
      const src = RedshiftSource.open(config);
      return withNames(src, src.config.tables.map((t) => t.name));
    }
    case 'athena': {
      const src = AthenaSource.open(config, { s3 });
      return withNames(src, src.config.tables.map((t) => t.name));
    }
  }
}
