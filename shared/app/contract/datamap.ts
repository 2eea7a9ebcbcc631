// Data map operations: registered systems and their maps, a case's discovery result, plan and
// changes, the review list of shared / exempt rows with staff decisions, ledger replay, and PII
// discovery of a system (a draft map staff review and save). Connection strings (which may hold
// passwords) never leave the back end; sampled values never leave the discovery run.
import { z } from 'zod';
import { isCategory } from '../../domain/categories';
import { op } from './define';
import { DataMapSchema } from '../../domain/datamap';
import { DiscoveryResultSchema } from '../../domain/discovery';
import { CaseTypeSchema, StrategySchema } from '../../domain/case';
import { IdentitiesSchema } from '../../domain/identity';
import { SOURCE_ENGINES, SQL_ENGINES } from '../../domain/source-engines';

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

/** A look-up the walk makes that no index of the store serves well, with the statement that creates one. */
export const LookupWithoutIndexSchema = z.object({
  collection: z.string(),
  field: z.string(),
  lookup: z.enum(['email', 'phone', 'postal', 'value']),
  /** Why the walk makes it: "identity:email", "reference:orders.customer_id"... */
  reason: z.string(),
  /** phone-forms: a plain index serves the usual written forms of a number; scan: every request reads every row. */
  served: z.enum(['index', 'phone-forms', 'scan', 'unknown']),
  createIndex: z.string(),
});
export const SystemAddedSchema = SystemViewSchema.extend({
  /** SQLite and PostgreSQL systems: the walk's look-ups no index serves (empty when all are served or the check does not apply). */
  lookupsWithoutIndex: z.array(LookupWithoutIndexSchema),
});

export const ReviewItemViewSchema = z.object({
  itemId: z.string(),
  system: z.string(),
  dataset: z.string(),
  collection: z.string(),
  kind: z.enum(['shared', 'exempt', 'other_person']),
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

// --- PII discovery (a draft data map from column names and sampled values) ---------------------

const Category = z.string().trim().min(1).max(120).regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/u, 'a fideslang data category like user.contact.email');
const IdentityName = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/u, 'identity: email, phone or a custom key name (letters, digits, _ . -)');
const ColumnName = z.string().min(1).max(128);

export const PiiDraftFieldSchema = z.object({
  name: z.string(),
  dataType: z.string(),
  primaryKey: z.boolean(),
  /** What discovery proposes; null when neither a column-name rule nor a value check suggested personal data. */
  proposed: z.object({ categories: z.array(z.string()), identity: z.string().nullable() }).nullable(),
  basis: z.enum(['name', 'values', 'name+values', 'none']),
  /** Why, in words: the column-name rule and/or the share of sampled values that passed a check. */
  why: z.string(),
  /** The category the column-name rule gives (null: no rule matched). */
  nameRule: z.string().nullable(),
  /** The value check: which one most sampled values passed (null: none reached 60 %), the share, how many values were sampled. Never the values. */
  valueCheck: z.object({ kind: z.enum(['email', 'phone', 'card']).nullable(), share: z.number().nullable(), sampled: z.number().int() }),
  /** The field in the system's current data map (registered systems), or null. */
  current: z.object({ categories: z.array(z.string()), identity: z.string().nullable() }).nullable(),
  /** References guessed from "<table>_id" names. */
  references: z.array(z.object({ collection: z.string(), field: z.string() })),
});
export type PiiDraftField = z.infer<typeof PiiDraftFieldSchema>;

export const PiiDraftSchema = z.object({
  dataset: z.string(),
  collections: z.array(z.object({ name: z.string(), mapped: z.boolean(), fields: z.array(PiiDraftFieldSchema) })),
  totals: z.object({ collections: z.number().int(), columns: z.number().int(), proposed: z.number().int(), differing: z.number().int() }),
});
export type PiiDraft = z.infer<typeof PiiDraftSchema>;

export const PiiRunViewSchema = z.object({
  runId: z.string(),
  /** The registered system discovered, or null for a connection entered by staff (shown by its label, no credentials). */
  system: z.string().nullable(),
  engine: z.string(),
  label: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  progress: z.object({ done: z.number().int(), total: z.number().int(), collection: z.string().nullable() }),
  sampleSize: z.number().int(),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  draft: PiiDraftSchema.nullable(),
  savedAs: z.string().nullable(),
  savedAt: z.string().nullable(),
});
export type PiiRunView = z.infer<typeof PiiRunViewSchema>;

export const PiiFieldDecisionSchema = z.object({
  collection: ColumnName,
  field: ColumnName,
  /** accept: the proposal (no proposal: the field stays as mapped); reject: as mapped now, else not personal; change: these categories. */
  decision: z.enum(['accept', 'reject', 'change']),
  categories: z.array(Category).min(1).max(20).optional(),
  /** With change: the identity kind (email, phone, a custom key) or null for none; absent = as proposed. */
  identity: IdentityName.nullable().optional(),
}).strict().superRefine((d, ctx) => {
  if (d.decision === 'change' && !d.categories) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'a changed field needs its categories' });
  if (d.decision !== 'change' && (d.categories || d.identity !== undefined)) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'categories and identity are given only with decision "change"' });
});
export type PiiFieldDecision = z.infer<typeof PiiFieldDecisionSchema>;

export const datamapContract = {
  'datamap.systems': op('query', z.object({}).strict(), z.object({ systems: z.array(SystemViewSchema) }),
    'Registered data systems and their data maps (no connection details)'),
  'datamap.systems.add': op('command', z.object({
    name: SystemName,
    engine: z.enum(SOURCE_ENGINES),
    /** SQL engines: the SQLite file path, PostgreSQL URL or MySQL / MariaDB URL (mysql://...). */
    location: z.string().trim().min(1).max(2000).optional(),
    /** Engines at scale (parquet, dynamodb, redshift, athena): the engine's JSON config, checked by its adapter. */
    engineConfig: z.unknown().optional(),
    /** The data map in our format, parsed ... */
    datamap: z.unknown().optional(),
    /** ... or as the YAML or JSON text of a data-map file ... */
    datamapText: z.string().max(2_000_000).optional(),
    /** ... or a Fides dataset file's YAML (fidesDataset picks one when it holds several). */
    fidesYaml: z.string().max(2_000_000).optional(),
    fidesDataset: z.string().trim().min(1).max(200).optional(),
    legalHold: z.string().trim().min(1).max(500).nullable().optional(),
  }).strict().superRefine((v, ctx) => {
    const sql = (SQL_ENGINES as readonly string[]).includes(v.engine);
    if (sql && v.location === undefined) ctx.addIssue({ code: 'custom', path: ['location'], message: `engine ${v.engine} needs a location (a file or URL)` });
    if (sql && v.engineConfig !== undefined) ctx.addIssue({ code: 'custom', path: ['engineConfig'], message: `engine ${v.engine} takes a location, not an engineConfig` });
    if (!sql && v.engineConfig === undefined) ctx.addIssue({ code: 'custom', path: ['engineConfig'], message: `engine ${v.engine} needs an engineConfig` });
    if (!sql && v.location !== undefined) ctx.addIssue({ code: 'custom', path: ['location'], message: `engine ${v.engine} takes an engineConfig, not a location` });
    if (v.engine === 'mysql' && v.location !== undefined && !/^(mysql|mariadb):\/\//u.test(v.location)) ctx.addIssue({ code: 'custom', path: ['location'], message: 'a mysql://user:password@host:3306/database URL' });
    const maps = [v.datamap, v.datamapText, v.fidesYaml].filter((m) => m !== undefined).length;
    if (maps !== 1) ctx.addIssue({ code: 'custom', path: ['datamap'], message: 'give exactly one of datamap, datamapText or fidesYaml' });
    if (v.fidesDataset !== undefined && v.fidesYaml === undefined) ctx.addIssue({ code: 'custom', path: ['fidesDataset'], message: 'fidesDataset picks a dataset of fidesYaml' });
  }), SystemAddedSchema, 'Register (or replace) a system; its map is validated against the live schema; look-ups no index serves are listed with the index to create'),
  'datamap.systems.hold': op('command', z.object({ name: SystemName, reason: z.string().trim().min(1).max(500).nullable() }).strict(),
    z.object({ name: z.string(), legalHold: z.string().nullable() }), 'Put a system under legal hold (nothing in it is erased) or lift the hold'),
  'datamap.demo.register': op('command', z.object({
    /** Where to create it (default: demo-shop in the data folder). Local callers only (the CLI): a signed-in user is refused. */
    dir: z.string().trim().min(1).max(1000).optional(),
  }).strict(), z.object({ system: z.string(), sqliteFile: z.string(), datamapFile: z.string() }),
    'Create the demo shop (in the data folder, or a local caller\'s folder) and register it as the system "demo-shop"'),
  'datamap.discovery': op('query', Id, z.object({ result: DiscoveryResultSchema.nullable() }),
    'What discovery found for a case (row values: staff only)'),
  'datamap.plan': op('query', Id, z.object({ plan: PlanViewSchema.nullable() }), 'The erasure plan of a case (dry run): rows and fields that would change, rows kept'),
  'datamap.changes': op('query', Id, CaseChangesSchema, 'The result of a case in the CLI contract shape: results, changes, review, exempt, errors'),
  'datamap.dryRun': op('query', z.object({
    type: CaseTypeSchema,
    identities: IdentitiesSchema,
    strategy: StrategySchema.default('exact'),
    categories: z.array(z.string().refine(isCategory, 'must be a fideslang data category like user.contact.email')).min(1).max(50).optional(),
    corrections: z.record(z.string().refine(isCategory, 'must be a fideslang data category like user.contact.phone_number'), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).optional(),
  }).strict().refine((v) => Boolean(v.identities.email || v.identities.phone || v.identities.customKeys?.length), {
    path: ['identities'], message: 'identities: at least one of email, phone or a custom key is required',
  }), CaseChangesSchema,
    'What a request would find and change in every system, without a case and without changing anything (rows: staff only)'),
  'datamap.options.set': op('command', z.object({
    id: z.string().min(1).max(64),
    /** delete_pii: the fideslang categories to erase. */
    categories: z.array(z.string().refine(isCategory, 'must be a fideslang data category like user.contact.email')).min(1).max(50).optional(),
    /** correct: the new value per fideslang category (the most specific category covering a field wins). */
    corrections: z.record(z.string().refine(isCategory, 'must be a fideslang data category like user.contact.phone_number'), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).optional(),
  }).strict(), z.object({ id: z.string(), categories: z.array(z.string()), corrected: z.array(z.string()) }),
    'What a delete_pii erases or what a correct request writes; before the change runs (audited with the category names only)'),
  'review.list': op('query', Id, z.object({ items: z.array(ReviewItemViewSchema), pending: z.number().int() }),
    'Shared and exempt rows of a case with their decisions'),
  'review.decide': op('command', z.object({ id: z.string().min(1).max(64), itemId: z.string().min(1).max(64), decision: z.enum(['approved', 'set_aside', 'pending']) }).strict(),
    z.object({ pending: z.number().int() }), 'Decide a shared row: approved for erasure, or set aside (kept)'),
  'datamap.piiDiscovery.start': op('command', z.object({
    /** A registered system... */
    system: SystemName.optional(),
    /** ...or a connection staff enter: SQLite file path, PostgreSQL URL or MySQL URL (kept in memory for the run; stored encrypted only when saved as a system). */
    engine: z.enum(['sqlite', 'postgres', 'mysql']).optional(),
    location: z.string().trim().min(1).max(2000).optional(),
    /** Values sampled per column (tested in memory, never kept). */
    sampleSize: z.number().int().min(1).max(1000).default(200),
    /** Answer when the run has finished (CLI, tests) instead of at once. */
    wait: z.boolean().default(false),
  }).strict().superRefine((v, ctx) => {
    if (v.system !== undefined && (v.engine !== undefined || v.location !== undefined)) ctx.addIssue({ code: 'custom', path: ['system'], message: 'give a registered system or a connection (engine and location), not both' });
    else if (v.system === undefined) {
      if (v.engine === undefined) ctx.addIssue({ code: 'custom', path: ['engine'], message: 'give a registered system, or the engine (sqlite, postgres or mysql) and location of a database' });
      if (v.location === undefined) ctx.addIssue({ code: 'custom', path: ['location'], message: 'the SQLite file, PostgreSQL URL or MySQL URL is required' });
    }
  }), PiiRunViewSchema, 'Run PII discovery on a registered system or an entered connection; poll datamap.piiDiscovery.status for progress and the draft (wait: true answers when done)'),
  'datamap.piiDiscovery.status': op('query', z.object({ runId: z.string().min(1).max(64).optional() }).strict(), z.object({ run: PiiRunViewSchema.nullable() }),
    'A PII discovery run: progress, then the draft per collection and field (proposed categories, identity, why); without runId the latest run'),
  'datamap.piiDiscovery.save': op('command', z.object({
    runId: z.string().min(1).max(64),
    /** The system to save as: the discovered system (default), or a new name for an entered connection. */
    system: SystemName.optional(),
    fields: z.array(PiiFieldDecisionSchema).max(20_000).default([]),
  }).strict(), z.object({
    system: SystemViewSchema,
    accepted: z.number().int(), changed: z.number().int(), rejected: z.number().int(),
  }), 'Save a reviewed PII discovery draft as the system\'s data map (validated against the live schema; collection settings, masking and address groups of the current map kept)'),
  'datamap.ledger.replay': op('command', z.object({ dryRun: z.boolean().default(false) }).strict(), z.object({
    id: z.string(),
    systems: z.array(z.object({ system: z.string(), scanned: z.number().int(), matched: z.number().int(), deleted: z.number().int(), masked: z.number().int(), error: z.string().nullable() })),
  }), 'Re-apply erasures to rows that came back (re-import, restored backup), from the deletion ledger'),
};
