// An Athena system: tables in a Glue/Athena database, queried per partition for lakes too large to
// scan locally. Erasure is done the way S3 Find and Forget does it: Athena finds which objects hold
// the person's rows ("$path"), then the Parquet lake engine rewrites exactly those objects.
import { z } from 'zod';

const Name = z.string().min(1).max(128).regex(/^[a-z_][a-z0-9_]*$/u, 'names are lower-case letters, digits, _ (as the Glue catalog stores them)');

export const AthenaTableSchema = z.object({
  name: Name,
  identities: z.array(z.object({ column: Name, kind: z.enum(['email', 'phone', 'custom']) }).strict()).min(1, 'a table needs at least one identity column'),
  /** Where the table's Parquet files live (s3://bucket/prefix/table), for the rewrite after the find. */
  location: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](\/.*)?$/u, 'location must be s3://bucket/prefix').optional(),
  erasure: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('delete') }).strict(),
    z.object({ mode: z.literal('mask'), columns: z.record(Name, z.enum(['null', 'redacted', 'empty'])) }).strict(),
  ]).default({ mode: 'delete' }),
}).strict();
export type AthenaTable = z.infer<typeof AthenaTableSchema>;

export const AthenaConfigSchema = z.object({
  region: z.string().min(1).max(32).default('us-east-1'),
  endpoint: z.url().optional(),
  catalog: z.string().min(1).max(128).default('AwsDataCatalog'),
  database: Name,
  workgroup: z.string().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/u).default('primary'),
  /** Where Athena writes query results (s3://bucket/prefix/). */
  outputLocation: z.string().regex(/^s3:\/\//u, 'outputLocation must be an s3:// URL'),
  defaultCountry: z.string().length(2).default('US'),
  /** Values per IN list in one query (Athena queries are limited to 256 KB of text). */
  valuesPerQuery: z.number().int().min(1).max(5000).default(500),
  pollMs: z.number().int().min(1).max(10_000).default(250),
  timeoutMs: z.number().int().min(100).max(3_600_000).default(600_000),
  tables: z.array(AthenaTableSchema).min(1),
}).strict();
export type AthenaConfig = z.infer<typeof AthenaConfigSchema>;
