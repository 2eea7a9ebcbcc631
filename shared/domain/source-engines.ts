// The kinds of data store a registered system can be (pure names; the adapters that open them are
// in shared/adapters). SQL engines take a file or URL; the engines of data stores at scale take a
// JSON config checked by their adapter (shared/adapters/lake/engines.ts).
export const SQL_ENGINES = ['sqlite', 'postgres', 'mysql'] as const;
export type SqlEngine = (typeof SQL_ENGINES)[number];

export const SCALE_ENGINE_KINDS = ['parquet', 'dynamodb', 'redshift', 'athena'] as const;
export type ScaleEngineKind = (typeof SCALE_ENGINE_KINDS)[number];

export const SOURCE_ENGINES = [...SQL_ENGINES, ...SCALE_ENGINE_KINDS] as const;
export type SourceEngine = (typeof SOURCE_ENGINES)[number];

export function isScaleEngineKind(kind: string): kind is ScaleEngineKind {
  return (SCALE_ENGINE_KINDS as readonly string[]).includes(kind);
}
