// What a Parquet data lake looks like to PrivacyDesk: where its tables live (a local folder or an
// S3 prefix, Hive-style `key=value/` partitions below it), which columns identify a person, and how
// a person's rows are erased (rows removed, or PII columns masked). Validated with zod when a
// system is registered; column names are checked against the live Parquet schema before use.
import { z } from 'zod';

const Identifier = z.string().min(1).max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/u, 'must be a plain column name (letters, digits, _)');

export const IdentityColumnSchema = z.object({
  column: Identifier,
  /** email: trim + lower-case; phone: digits compared with the E.164 number; custom: exact text. */
  kind: z.enum(['email', 'phone', 'custom']),
}).strict();
export type IdentityColumn = z.infer<typeof IdentityColumnSchema>;

export const MaskStrategySchema = z.enum(['null', 'redacted', 'empty']);
export type MaskStrategy = z.infer<typeof MaskStrategySchema>;

export const LakeTableSchema = z.object({
  name: Identifier,
  /** Folder (relative to the lake root) holding the table's Parquet files and partition folders. */
  path: z.string().min(1).max(512).regex(/^[A-Za-z0-9_./=-]+$/u, 'path: letters, digits and _ . / = - only')
    .refine((p) => !p.split('/').includes('..'), 'path must not contain ..'),
  /** Hive partition keys in folder order (e.g. ["year", "month"]); informational, read from paths. */
  partitionBy: z.array(Identifier).max(8).default([]),
  identities: z.array(IdentityColumnSchema).min(1, 'a lake table needs at least one identity column'),
  /** Primary key columns; without one, rows are addressed by file and row number (checked against the file version). */
  primaryKey: z.array(Identifier).max(8).default([]),
  erasure: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('delete') }).strict(),
    z.object({ mode: z.literal('mask'), columns: z.record(Identifier, MaskStrategySchema) }).strict(),
  ]).default({ mode: 'delete' }),
}).strict();
export type LakeTable = z.infer<typeof LakeTableSchema>;

export const LakeConfigSchema = z.object({
  /** file:///abs/folder, /abs/folder or s3://bucket/prefix */
  location: z.string().min(1).max(1024),
  /** Default country for phone numbers written without a country code. */
  defaultCountry: z.string().length(2).default('US'),
  tables: z.array(LakeTableSchema).min(1),
}).strict().superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.tables.forEach((t, i) => {
    if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tables', i, 'name'], message: `duplicate table name "${t.name}"` });
    seen.add(t.name);
  });
});
export type LakeConfig = z.infer<typeof LakeConfigSchema>;

/** Pseudo-columns that address a row of a table without a primary key. */
export const FILE_COLUMN = '_lake_file';
export const ROW_COLUMN = '_lake_row';
export const VERSION_COLUMN = '_lake_version';
export const PSEUDO_COLUMNS = [FILE_COLUMN, ROW_COLUMN, VERSION_COLUMN] as const;

export type LakeLocation = { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

export function parseLocation(location: string): LakeLocation {
  if (location.startsWith('s3://')) {
    const rest = location.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/u, '');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/u.test(bucket)) throw new Error('location: invalid S3 bucket name');
    return { kind: 's3', bucket, prefix };
  }
  const dir = location.startsWith('file://') ? location.slice(7) : location;
  if (!dir.startsWith('/')) throw new Error('location: a local lake folder must be an absolute path (or s3://bucket/prefix)');
  return { kind: 'local', dir: dir.replace(/\/+$/u, '') || '/' };
}
