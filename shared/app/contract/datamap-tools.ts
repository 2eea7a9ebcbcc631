// Data-map tools that work on a database or a file before anything is registered: a draft map
// from PII discovery, a map checked against a live schema, a Fides dataset converted to our format.
// They open the connection the caller names, so they are an administrator's (shared/domain/roles.ts);
// sampled values never leave the back end.
import { z } from 'zod';
import { op } from './define';
import { DataMapSchema } from '../../domain/datamap';
import { SQL_ENGINES } from '../../domain/source-engines';

const Connection = {
  engine: z.enum(SQL_ENGINES),
  /** The SQLite file path, PostgreSQL URL or MySQL / MariaDB URL. */
  location: z.string().trim().min(1).max(2000),
};
const MapText = {
  /** Our data-map format as the YAML or JSON text of a file ... */
  datamapText: z.string().max(2_000_000).optional(),
  /** ... or a Fides dataset file's YAML (fidesDataset picks one when it holds several). */
  fidesYaml: z.string().max(2_000_000).optional(),
  fidesDataset: z.string().trim().min(1).max(200).optional(),
};
const oneMap = (v: { datamapText?: string; fidesYaml?: string; fidesDataset?: string }, ctx: z.RefinementCtx) => {
  if ((v.datamapText === undefined) === (v.fidesYaml === undefined)) ctx.addIssue({ code: 'custom', path: ['datamapText'], message: 'give exactly one of datamapText or fidesYaml' });
  if (v.fidesDataset !== undefined && v.fidesYaml === undefined) ctx.addIssue({ code: 'custom', path: ['fidesDataset'], message: 'fidesDataset picks a dataset of fidesYaml' });
};

export const datamapToolsContract = {
  'datamap.draft': op('query', z.object({
    ...Connection,
    /** Values sampled per column (tested in memory, never kept). */
    sampleSize: z.number().int().min(1).max(1000).default(200),
    /** The draft's dataset name (default: from the database). */
    dataset: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/u, 'letters, digits and _').optional(),
  }).strict(), z.object({
    map: DataMapSchema,
    /** Columns looked at. */
    columns: z.number().int(),
    /** The columns proposed as personal: category and why (never a value). */
    findings: z.array(z.object({
      collection: z.string(), field: z.string(), category: z.string(),
      basis: z.enum(['name', 'values', 'name+values', 'none']), valueShare: z.number().nullable(),
    })),
  }), 'PII discovery on a database: a draft data map (our format) for staff review; sampled values are never kept or returned'),
  'datamap.validate': op('query', z.object({ ...Connection, ...MapText }).strict().superRefine(oneMap), z.object({
    ok: z.boolean(),
    dataset: z.string(),
    collections: z.number().int(),
    /** What does not match: an unknown table or column, or a feature the engine cannot honour. */
    problems: z.array(z.string()),
  }), 'Check a data map against a live schema: unknown tables and columns and features the engine cannot honour, by name'),
  'datamap.convert': op('query', z.object({ fidesYaml: z.string().max(2_000_000), fidesDataset: z.string().trim().min(1).max(200).optional() }).strict(),
    z.object({ map: DataMapSchema }), 'A Fides dataset converted to our data-map format'),
};
