// A Redshift system: tables, their identity columns and primary keys, and how a person's rows are
// erased: deleted, masked, or (seed 001) "forgotten": a flag set at request time that every
// downstream job respects, with a periodic batch delete of the flagged rows.
import { z } from 'zod';

// Redshift folds unquoted names to lower case; the config uses the lower-case names it stores.
const Name = z.string().min(1).max(127).regex(/^[a-z_][a-z0-9_$]*$/u, 'names are lower-case letters, digits, _ (as Redshift stores them)');

export const RedshiftTableSchema = z.object({
  name: Name,
  identities: z.array(z.object({ column: Name, kind: z.enum(['email', 'phone', 'custom']) }).strict()).min(1, 'a table needs at least one identity column'),
  primaryKey: z.array(Name).min(1, 'a Redshift table needs its primary key columns (Redshift does not enforce them)').max(8),
  erasure: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('delete') }).strict(),
    z.object({ mode: z.literal('mask'), columns: z.record(Name, z.enum(['null', 'redacted'])) }).strict(),
    z.object({
      mode: z.literal('forget'),
      flagColumn: Name.default('forgotten_flag'),
      /** The value meaning "forgotten" ('Yes' in seed 001; true for a BOOLEAN column). */
      flagValue: z.union([z.string().min(1).max(16), z.boolean()]).default('Yes'),
    }).strict(),
  ]).default({ mode: 'delete' }),
}).strict();
export type RedshiftTable = z.infer<typeof RedshiftTableSchema>;

export const RedshiftConfigSchema = z.object({
  /** postgres://user:password@cluster:5439/db (Redshift speaks the PostgreSQL wire protocol). */
  url: z.string().regex(/^postgres(ql)?:\/\//u, 'url must be a postgres:// connection URL').optional(),
  schema: Name.default('public'),
  defaultCountry: z.string().length(2).default('US'),
  tables: z.array(RedshiftTableSchema).min(1),
}).strict();
export type RedshiftConfig = z.infer<typeof RedshiftConfigSchema>;
