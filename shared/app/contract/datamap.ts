// Data map operations: registered systems and their maps, a case's discovery result, plan and
// changes, the review list of shared / exempt rows with staff decisions, and ledger replay.
// Connection strings (which may hold passwords) never leave the back end.
import { z } from 'zod';
import { op } from './define';
import { DataMapSchema } from '../../domain/datamap';
import { DiscoveryResultSchema } from '../../domain/discovery';

const Id = z.object({ id: z.string().min(1).max(64) }).strict();
const SystemName = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/u, 'system names are letters, digits, _ . -');

export const SystemViewSchema = z.object({
  name: z.string(),
  engine: z.string(),
  dataset: z.string(),
  legalHold: z.string().nullable(),
  map: DataMapSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SystemView = z.infer<typeof SystemViewSchema>;

export const ReviewItemViewSchema = z.object({
  itemId: z.string(),
  system: z.string(),
  dataset: z.string(),
  collection: z.string(),
  kind: z.enum(['shared', 'exempt']),
  reason: z.string(),
  decision: z.enum(['pending', 'approved', 'set_aside']),
  primaryKey: z.record(z.string(), z.unknown()).nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type ReviewItemView = z.infer<typeof ReviewItemViewSchema>;

const Counts = z.object({ deleted: z.number().int(), masked: z.number().int(), updated: z.number().int().optional() });
export const CaseChangesSchema = z.object({
  caseId: z.string().nullable(),
  status: z.string(),
  dryRun: z.boolean().optional(),
  results: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
  changes: z.record(z.string(), Counts).optional(),
  review: z.array(z.object({ collection: z.string(), primaryKey: z.record(z.string(), z.unknown()), reason: z.string(), itemId: z.string().optional(), decision: z.string().optional() })),
  exempt: z.array(z.object({ collection: z.string(), primaryKey: z.record(z.string(), z.unknown()), reason: z.string() })),
  errors: z.array(z.object({ system: z.string(), error: z.string() })),
});

export const PlanViewSchema = z.object({
  caseId: z.string(),
  type: z.string(),
  categories: z.array(z.string()),
  collections: z.array(z.object({
    system: z.string(), dataset: z.string(), collection: z.string(),
    deleted: z.number().int(), masked: z.number().int(), updated: z.number().int(), setAside: z.number().int(), exempt: z.number().int(),
    fields: z.array(z.string()),
  })),
  totals: z.object({ deleted: z.number().int(), masked: z.number().int(), updated: z.number().int(), setAside: z.number().int(), exempt: z.number().int() }),
});

export const datamapContract = {
  'datamap.systems': op('query', z.object({}).strict(), z.object({ systems: z.array(SystemViewSchema) }),
    'Registered data systems and their data maps (no connection details)'),
  'datamap.systems.add': op('command', z.object({
    name: SystemName,
    engine: z.enum(['sqlite', 'postgres']),
    /** SQLite file path or PostgreSQL URL. */
    location: z.string().trim().min(1).max(2000),
    datamap: z.unknown().optional(),
    fidesYaml: z.string().max(2_000_000).optional(),
    legalHold: z.string().trim().min(1).max(500).nullable().optional(),
  }).strict(), SystemViewSchema, 'Register (or replace) a system; its map is validated against the live schema'),
  'datamap.systems.hold': op('command', z.object({ name: SystemName, reason: z.string().trim().min(1).max(500).nullable() }).strict(),
    z.object({ name: z.string(), legalHold: z.string().nullable() }), 'Put a system under legal hold (nothing in it is erased) or lift the hold'),
  'datamap.demo.register': op('command', z.object({}).strict(), z.object({ system: z.string(), sqliteFile: z.string(), datamapFile: z.string() }),
    'Create the demo shop in the data folder and register it as the system "demo-shop"'),
  'datamap.discovery': op('query', Id, z.object({ result: DiscoveryResultSchema.nullable() }),
    'What discovery found for a case (row values: staff only)'),
  'datamap.plan': op('query', Id, z.object({ plan: PlanViewSchema.nullable() }), 'The erasure plan of a case (dry run): rows and fields that would change, rows kept'),
  'datamap.changes': op('query', Id, CaseChangesSchema, 'The result of a case in the CLI contract shape: results, changes, review, exempt, errors'),
  'review.list': op('query', Id, z.object({ items: z.array(ReviewItemViewSchema), pending: z.number().int() }),
    'Shared and exempt rows of a case with their decisions'),
  'review.decide': op('command', z.object({ id: z.string().min(1).max(64), itemId: z.string().min(1).max(64), decision: z.enum(['approved', 'set_aside', 'pending']) }).strict(),
    z.object({ pending: z.number().int() }), 'Decide a shared row: approved for erasure, or set aside (kept)'),
  'datamap.ledger.replay': op('command', z.object({ dryRun: z.boolean().default(false) }).strict(), z.object({
    id: z.string(),
    systems: z.array(z.object({ system: z.string(), scanned: z.number().int(), matched: z.number().int(), deleted: z.number().int(), masked: z.number().int(), error: z.string().nullable() })),
  }), 'Re-apply erasures to rows that came back (re-import, restored backup), from the deletion ledger'),
};
