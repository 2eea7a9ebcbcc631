// The data map: per system, a dataset that says per collection and field which data categories it
// holds, which fields are identities, the primary key, the references between collections (with
// direction), and - our superset of the Fides dataset format - how a collection is erased (delete
// rows or mask fields), masking per field, retention reasons, opt-out flags, address groups,
// read-only fields, field lengths, nested (object) fields, custom request fields, skipped
// collections and erasure order. Every Fides dataset feature either comes in or is refused naming
// the field and the feature; unsupportedFeatures() says what an engine cannot honour.
// Pure: parsing of YAML text happens in the adapter layer; this module takes parsed objects.
import { z } from 'zod';
import { covers, isCategory, isPersonal } from './categories';
import { FieldDisplaySchema, LocalTextSchema } from './report/field-display';
import { DisclosureTransfersSchema } from './report/disclosure-breakdown';

// Field and collection names are the store's own (checked against the live schema, then quoted by
// every engine): any printable text, spaces and quotes included. Empty or blank names, control and
// invisible formatting characters (they print as nothing, or reorder the text around them) and
// names over MAX_NAME_LENGTH characters are refused.
export const MAX_NAME_LENGTH = 128;
const UNPRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const Name = (what: string) => z.string()
  .min(1, `${what} must not be empty`)
  .max(MAX_NAME_LENGTH, `${what} must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((s) => s.length === 0 || s.trim().length > 0, `${what} must not be blank`)
  .refine((s) => !UNPRINTABLE_RE.test(s), `${what} must not contain control or invisible formatting characters`);
const DATASET_RE = /^[A-Za-z_][A-Za-z0-9_$.-]*$/u;
const DatasetKey = z.string().min(1).max(128).regex(DATASET_RE, 'dataset must be letters, digits and _ (got an unusual name)');
const Category = z.string().refine(isCategory, 'must be a fideslang data category like user.contact.email');
/** An identity or custom request key: email, phone, or the name of a custom key (matched case-sensitively). */
const LookupKey = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/u);
/** Identity names a custom request field may not take: they are the built-in identities. */
const BUILT_IN_IDENTITIES = ['email', 'phone'];

/** A name as it appears in messages: dataset.collection.field, a part quoted when it is not plain. */
function label(...parts: string[]): string {
  return parts.map((p) => (/^[A-Za-z0-9_$-]+$/u.test(p) ? p : JSON.stringify(p))).join('.');
}

export const ADDRESS_PARTS = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export const MaskSchema = z.object({
  strategy: z.enum(['null', 'fixed', 'hash', 'random']),
  /** For strategy "fixed": the replacement value. */
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** For strategy "random": how many characters the random text has (default 24). */
  length: z.number().int().min(1).max(4096).optional(),
}).strict().refine((m) => m.length === undefined || m.strategy === 'random', { message: 'length is only for strategy "random"', path: ['length'] });
export type Mask = z.infer<typeof MaskSchema>;

export const ReferenceSchema = z.object({
  /** Dataset of the other end; absent or this dataset: followed; another dataset: kept (crossDatasetReferences()), not followed. */
  dataset: z.string().optional(),
  collection: Name('reference collection'),
  field: Name('reference field'),
  /** "from": values flow from the other field into this one; "to": from this field to the other; absent: both. */
  direction: z.enum(['to', 'from']).optional(),
}).strict();
export type Reference = z.infer<typeof ReferenceSchema>;

export const FieldSchema = z.object({
  name: Name('field name'),
  categories: z.array(Category).default([]),
  /** email, phone, or the name of a custom key (matched case-sensitively). */
  identity: LookupKey.optional(),
  /** Part of the collection's address group: a match needs every part to match. */
  addressPart: z.enum(ADDRESS_PARTS).optional(),
  primaryKey: z.boolean().default(false),
  dataType: z.string().optional(),
  references: z.array(ReferenceSchema).default([]),
  mask: MaskSchema.optional(),
  /** Never changed by an erasure (Fides fides_meta.read_only): kept, with the reason "read-only". */
  readOnly: z.boolean().optional(),
  /** The most characters the field holds (Fides fides_meta.length): a masked value must fit it. */
  length: z.number().int().min(1).optional(),
  /**
   * Fides fides_meta.custom_request_field: the field is looked up by the request's custom key of
   * this name. It is an identity custom key: `identity` must name the same key.
   */
  customRequestField: LookupKey.optional(),
  /**
   * Nested fields of an object value (a JSON/JSONB column, a DynamoDB map), recursively. The field
   * itself is the live column; identities, address parts, keys and references are not allowed
   * on nested fields, nor masks and lengths on the field that holds them.
   */
  get fields(): z.ZodOptional<z.ZodArray<typeof FieldSchema>> { return z.array(FieldSchema).min(1).optional(); },
  /** What the field holds, in words (Fides `description`): the access report's label for it. */
  description: z.string().trim().min(1).max(200).optional(),
  /** A short label for the access report when there is no description (text, or `{ en, es }`). */
  label: LocalTextSchema.optional(),
  /** How the access report writes its values: currency (with minor units), date, datetime, boolean, codes, text. */
  display: FieldDisplaySchema.optional(),
}).strict();
export type DataMapField = z.infer<typeof FieldSchema>;

export const RETENTION_REASONS = ['tax', 'fraud', 'transaction', 'legal', 'security', 'other'] as const;

export const CollectionSchema = z.object({
  name: Name('collection name'),
  description: z.string().optional(),
  /** delete: remove the person's rows; mask: keep rows, mask their personal fields (default). */
  erasure: z.enum(['delete', 'mask']).default('mask'),
  /** Rows kept for a legal reason (listed as exempt, never erased). */
  retention: z.object({ reason: z.enum(RETENTION_REASONS), note: z.string().max(500).optional() }).strict().optional(),
  /** The opt-out flag an opt_out request sets on the person's rows. */
  optOut: z.object({ field: Name('optOut field'), value: z.union([z.string(), z.number(), z.boolean()]) }).strict().optional(),
  /** The control a limit request sets on the person's rows (a field or flag that stops sensitive-use processing). */
  limit: z.object({ field: Name('limit field'), value: z.union([z.string(), z.number(), z.boolean()]) }).strict().optional(),
  /** Fides fides_meta.skip_processing: the collection is never walked nor changed (not even checked against the live schema). */
  skip: z.boolean().optional(),
  /** Fides fides_meta.erase_after: "dataset.collection" entries this collection is erased after. */
  eraseAfter: z.array(z.string().min(3).max(300)).max(100).optional(),
  fields: z.array(FieldSchema).min(1),
}).strict();
export type DataMapCollection = z.infer<typeof CollectionSchema>;

/** An eraseAfter entry as dataset + collection: this dataset's key and a dot first, else the first dot splits. */
export function eraseAfterTarget(dataset: string, entry: string): { dataset: string; collection: string } | null {
  if (entry.startsWith(`${dataset}.`) && entry.length > dataset.length + 1) return { dataset, collection: entry.slice(dataset.length + 1) };
  const dot = entry.indexOf('.');
  if (dot <= 0 || dot === entry.length - 1) return null;
  return { dataset: entry.slice(0, dot), collection: entry.slice(dot + 1) };
}

/** The collections of this dataset a collection is erased after (its eraseAfter entries naming this dataset). */
export function eraseAfterOf(map: Pick<DataMap, 'dataset'>, c: Pick<DataMapCollection, 'eraseAfter'>): string[] {
  return (c.eraseAfter ?? []).map((e) => eraseAfterTarget(map.dataset, e)).filter((t) => t !== null && t.dataset === map.dataset).map((t) => t!.collection);
}

type IssueCtx = z.RefinementCtx;
const named = (ctx: IssueCtx, path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message, params: { named: true } });

/** The parse-time rules of fields, nested fields and the fields that hold them. */
function checkFields(ctx: IssueCtx, dataset: string, collection: string, fields: DataMapField[], path: PropertyKey[], parents: string[]): void {
  const seen = new Set<string>();
  fields.forEach((f, fi) => {
    const p = [...path, fi];
    const names = [...parents, f.name];
    const at = label(dataset, collection, ...names);
    const nested = parents.length > 0;
    if (nested && seen.has(f.name)) named(ctx, [...p, 'name'], `${at}: duplicate nested field`);
    seen.add(f.name);
    const keyed: Array<[string, boolean]> = [
      ['identity', f.identity !== undefined], ['addressPart', f.addressPart !== undefined], ['primaryKey', f.primaryKey],
      ['references', f.references.length > 0], ['customRequestField', f.customRequestField !== undefined],
    ];
    if (nested) {
      for (const [feature, set] of keyed) if (set) named(ctx, [...p, feature], `${at}: ${feature} on a nested field is not supported`);
    }
    if (f.fields) {
      const onHolder: Array<[string, boolean]> = [...(nested ? [] : keyed), ['mask', f.mask !== undefined], ['length', f.length !== undefined]];
      for (const [feature, set] of onHolder) if (set) named(ctx, [...p, feature], `${at}: ${feature} on a field with nested fields is not supported (set it on its nested fields)`);
      if (f.dataType !== undefined && !/^object(\[\])?$/iu.test(f.dataType)) named(ctx, [...p, 'dataType'], `${at}: data type "${f.dataType}" cannot hold nested fields (object or object[])`);
      checkFields(ctx, dataset, collection, f.fields, [...p, 'fields'], names);
    }
    if (f.customRequestField !== undefined) {
      if (BUILT_IN_IDENTITIES.includes(f.customRequestField)) named(ctx, [...p, 'customRequestField'], `${at}: customRequestField "${f.customRequestField}" is a built-in identity (use identity: ${f.customRequestField})`);
      else if (f.identity !== f.customRequestField) named(ctx, [...p, 'identity'], `${at}: customRequestField "${f.customRequestField}" must come with identity: ${f.customRequestField} (it is looked up like a custom identity key)`);
    }
    if (f.readOnly && f.mask) named(ctx, [...p, 'mask'], `${at}: mask on a read-only field (a read-only field is never changed)`);
  });
}

export const DataMapSchema = z.object({
  dataset: DatasetKey,
  name: z.string().optional(),
  description: z.string().optional(),
  /** A legal hold on the whole system: nothing in it is erased. */
  legalHold: z.string().max(500).optional(),
  /**
   * What the access report says of the system: where its personal information comes from, why it
   * is used, who it is disclosed to (`thirdParties: []` = no one). Wins over `disclosures set`.
   */
  disclosures: z.object({
    sources: z.array(z.string().trim().min(1).max(200)).min(1, 'disclosures.sources: name at least one source').max(50),
    purposes: z.array(z.string().trim().min(1).max(200)).min(1, 'disclosures.purposes: name at least one business purpose').max(50),
    thirdParties: z.array(z.string().trim().min(1).max(200)).max(50),
    /** Sold / shared / disclosed for a business purpose, with categories of recipients (§1798.115; report/disclosure-breakdown). */
    transfers: DisclosureTransfersSchema,
  }).strict().optional(),
  collections: z.array(CollectionSchema).min(1),
}).strict().superRefine((m, ctx) => {
  const names = new Set<string>();
  m.collections.forEach((c, ci) => {
    if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'name'], message: `duplicate collection "${c.name}"` });
    names.add(c.name);
    const fields = new Map(c.fields.map((f) => [f.name, f]));
    if (c.optOut && !fields.has(c.optOut.field)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'optOut', 'field'], message: `optOut field "${c.optOut.field}" is not a field of "${c.name}"` });
    else if (c.optOut && fields.get(c.optOut.field)!.readOnly) named(ctx, ['collections', ci, 'optOut', 'field'], `${label(m.dataset, c.name)}: optOut field "${c.optOut.field}" is read-only`);
    if (c.limit && !fields.has(c.limit.field)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'limit', 'field'], message: `limit field "${c.limit.field}" is not a field of "${c.name}"` });
    else if (c.limit && fields.get(c.limit.field)!.readOnly) named(ctx, ['collections', ci, 'limit', 'field'], `${label(m.dataset, c.name)}: limit field "${c.limit.field}" is read-only`);
    checkFields(ctx, m.dataset, c.name, c.fields, ['collections', ci, 'fields'], []);
  });
  m.collections.forEach((c, ci) => c.fields.forEach((f, fi) => f.references.forEach((r, ri) => {
    if (r.dataset && r.dataset !== m.dataset) return;
    const target = m.collections.find((x) => x.name === r.collection);
    if (!target) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'fields', fi, 'references', ri], message: `reference to unknown collection "${r.collection}"` });
    else if (!target.fields.some((x) => x.name === r.field)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'fields', fi, 'references', ri], message: `reference to unknown field "${r.collection}.${r.field}"` });
  })));
  // eraseAfter: well-formed, naming a known collection of this dataset (not itself), no cycle.
  const after = new Map<string, string[]>();
  m.collections.forEach((c, ci) => (c.eraseAfter ?? []).forEach((e, ei) => {
    const at = label(m.dataset, c.name);
    const t = eraseAfterTarget(m.dataset, e);
    const path = ['collections', ci, 'eraseAfter', ei];
    if (!t) { named(ctx, path, `${at}: eraseAfter "${e}" must be "dataset.collection"`); return; }
    if (t.dataset !== m.dataset) return;
    if (!names.has(t.collection)) named(ctx, path, `${at}: eraseAfter names unknown collection "${t.collection}"`);
    else if (t.collection === c.name) named(ctx, path, `${at}: eraseAfter names the collection itself`);
    else after.set(c.name, [...(after.get(c.name) ?? []), t.collection]);
  }));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string, trail: string[]): boolean => {
    if (state.get(n) === 'done') return false;
    if (state.get(n) === 'open') {
      named(ctx, ['collections'], `${m.dataset}: eraseAfter cycle ${[...trail.slice(trail.indexOf(n)), n].map((x) => label(x)).join(' → ')}`);
      return true;
    }
    state.set(n, 'open');
    for (const x of after.get(n) ?? []) if (visit(x, [...trail, n])) return true;
    state.set(n, 'done');
    return false;
  };
  for (const n of after.keys()) if (visit(n, [])) break;
});
export type DataMap = z.infer<typeof DataMapSchema>;
export type DataMapInput = z.input<typeof DataMapSchema>;

/** "collections.0.fields.2" → "dataset.collection.field" read from the input (null when the names are not there). */
function nameOfPath(raw: unknown, path: readonly PropertyKey[]): string | null {
  if (!raw || typeof raw !== 'object') return null;
  const parts: string[] = [];
  const ds = (raw as { dataset?: unknown }).dataset;
  if (typeof ds === 'string') parts.push(ds);
  let cur: unknown = raw;
  for (let i = 0; i + 1 < path.length; i += 1) {
    const key = path[i];
    if ((key !== 'collections' && key !== 'fields') || typeof path[i + 1] !== 'number') break;
    const next = (cur as Record<string, unknown> | null)?.[key];
    const item = Array.isArray(next) ? next[path[i + 1] as number] : undefined;
    const name = item && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') return null;
    parts.push(name);
    cur = item;
    i += 1;
  }
  return parts.length > 1 ? label(...parts) : null;
}

/** Parse our format (already parsed from YAML/JSON); errors name the field. */
export function parseDataMap(raw: unknown): DataMap {
  const obj = raw && typeof raw === 'object' && 'datamap' in raw ? (raw as { datamap: unknown }).datamap : raw;
  const r = DataMapSchema.safeParse(obj);
  if (!r.success) {
    throw new DataMapError(r.error.issues.map((i) => {
      if ((i as { params?: { named?: boolean } }).params?.named) return i.message;
      const where = nameOfPath(obj, i.path);
      return `${i.path.join('.') || 'datamap'}${where ? ` (${where})` : ''}: ${i.message}`;
    }).join('; '));
  }
  return r.data;
}

export class DataMapError extends Error {
  constructor(message: string) { super(message); this.name = 'DataMapError'; }
}

// --- Fides dataset import -------------------------------------------------------------------
//
// A Fides dataset file (fideslang Dataset / DatasetCollection / DatasetField, fides_meta or the
// older fidesops_meta / fidesctl_meta) comes in as is. Every feature is either carried over or
// refused naming the field and the feature, never dropped. Free-text and bookkeeping keys that
// change nothing in a privacy request (description, tags, retention text, data_qualifier...) are
// ignored; an unknown key is refused.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
/** Fides writes every Optional out: null, false and [] mean "not set". */
const isSet = (v: unknown) => v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0);

const FidesFieldSchema: z.ZodType<FidesField> = z.lazy(() => z.looseObject({
  name: z.string().min(1),
  fields: z.array(FidesFieldSchema).nullish(),
}));
interface FidesField { name: string; fields?: FidesField[] | null; [k: string]: unknown }
const FidesCollectionSchema = z.looseObject({ name: z.string().min(1), fields: z.array(FidesFieldSchema) });
type FidesCollection = z.infer<typeof FidesCollectionSchema>;
const FidesDatasetSchema = z.looseObject({ fides_key: z.string().min(1), collections: z.array(FidesCollectionSchema).min(1) });
type FidesDataset = z.infer<typeof FidesDatasetSchema>;

const INFO_KEYS = ['name', 'description', 'data_qualifier', 'retention'];
const DATASET_KEYS = new Set([...INFO_KEYS, 'fides_key', 'organization_fides_key', 'tags', 'meta', 'joint_controller', 'third_country_transfers', 'data_categories', 'fides_meta', 'fidesops_meta', 'fidesctl_meta', 'collections']);
const COLLECTION_KEYS = new Set([...INFO_KEYS, 'data_categories', 'fides_meta', 'fidesops_meta', 'fields']);
const FIELD_KEYS = new Set([...INFO_KEYS, 'data_categories', 'fides_meta', 'fidesops_meta', 'fields']);
const FIELD_META_KEYS = new Set(['references', 'identity', 'primary_key', 'data_type', 'length', 'read_only', 'custom_request_field', 'masking_strategy_override', 'return_all_elements', 'redact']);
const COLLECTION_META_KEYS = new Set(['after', 'erase_after', 'skip_processing', 'masking_strategy_override', 'partitioning', 'redact']);
const DATASET_META_KEYS = new Set(['resource_id', 'after', 'namespace', 'redact']);

const FIDES_IDENTITY: Record<string, string> = { email: 'email', phone_number: 'phone', phone: 'phone' };
export const FIDES_MASKING_STRATEGIES = ['null_rewrite', 'string_rewrite', 'random_string_rewrite', 'hash'] as const;
/** Fides' random_string_rewrite length when its configuration names none. */
const FIDES_RANDOM_LENGTH = 30;

function metaOf(o: Obj, keys: string[], at: string, problems: string[]): Obj {
  for (const k of keys) {
    if (isObj(o[k])) return o[k];
    if (isSet(o[k])) problems.push(`${at}: ${k} must be a mapping`);
  }
  return {};
}

/** A value of the expected type, undefined when not set; a value of another type is refused (never read as "not set"). */
function typed<T extends 'boolean' | 'string' | 'number'>(o: Obj, key: string, type: T, at: string, prefix: string, problems: string[]): (T extends 'boolean' ? boolean : T extends 'string' ? string : number) | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== type) { problems.push(`${at}: ${prefix}${key} must be a ${type} (got ${JSON.stringify(v)})`); return undefined; }
  return v as never;
}

/** data_categories: a list of category keys (not set: none). */
function categoriesOf(o: Obj, at: string, problems: string[]): string[] {
  const v = o.data_categories;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) { problems.push(`${at}: data_categories must be a list of data categories`); return []; }
  return v as string[];
}

function unknownKeys(o: Obj, known: Set<string>, at: string, prefix: string, problems: string[], metaKeys?: Set<string>): void {
  for (const k of Object.keys(o)) {
    if (known.has(k) || !isSet(o[k])) continue;
    const hint = metaKeys?.has(k) ? ` (it belongs under fides_meta, where Fides reads it)` : '';
    problems.push(`${at}: ${prefix}${k} is not a Fides dataset feature PrivacyDesk knows (refused rather than ignored)${hint}`);
  }
}

/** A Fides field-level masking_strategy_override as our mask (or a refusal naming the strategy or option). */
function fidesMask(o: unknown, at: string, problems: string[]): Mask | undefined {
  if (!isSet(o)) return undefined;
  if (!isObj(o) || typeof o.strategy !== 'string') { problems.push(`${at}: masking_strategy_override needs a strategy`); return undefined; }
  const conf = isObj(o.configuration) ? o.configuration : {};
  // format_preservation (a fixed suffix) is exact only for a fixed rewrite value: value + suffix.
  const allowed: Record<string, string[]> = { null_rewrite: [], string_rewrite: ['rewrite_value', 'format_preservation'], random_string_rewrite: ['length'], hash: ['algorithm'] };
  const keys = allowed[o.strategy];
  if (!keys) { problems.push(`${at}: masking strategy "${o.strategy}" is not supported (${FIDES_MASKING_STRATEGIES.join(', ')})`); return undefined; }
  let ok = true;
  for (const k of Object.keys(conf)) {
    if (!isSet(conf[k])) continue;
    if (!keys.includes(k)) { problems.push(`${at}: masking strategy "${o.strategy}": configuration.${k} is not supported`); ok = false; }
  }
  if (!ok) return undefined;
  switch (o.strategy) {
    case 'null_rewrite': return { strategy: 'null' };
    case 'string_rewrite': {
      const v = conf.rewrite_value;
      if (typeof v !== 'string' && typeof v !== 'number') { problems.push(`${at}: masking strategy "string_rewrite" needs configuration.rewrite_value`); return undefined; }
      const fp = conf.format_preservation;
      if (!isSet(fp)) return { strategy: 'fixed', value: v };
      const suffix = isObj(fp) ? fp.suffix : undefined;
      if (typeof suffix !== 'string' || Object.keys(fp as Obj).some((k) => k !== 'suffix')) { problems.push(`${at}: masking strategy "string_rewrite": configuration.format_preservation must be { suffix: text }`); return undefined; }
      return { strategy: 'fixed', value: `${String(v)}${suffix}` };
    }
    case 'random_string_rewrite': {
      const n = conf.length ?? FIDES_RANDOM_LENGTH;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 4096) { problems.push(`${at}: masking strategy "random_string_rewrite": configuration.length must be a whole number from 1 to 4096`); return undefined; }
      return { strategy: 'random', length: n };
    }
    default: {
      const alg = conf.algorithm;
      if (isSet(alg) && alg !== 'SHA-256') { problems.push(`${at}: masking strategy "hash": algorithm "${String(alg)}" is not supported (SHA-256)`); return undefined; }
      return { strategy: 'hash' };
    }
  }
}

/** Whether `path` names a nested field (a.b.c) below one of `fields`. */
function nestedPathExists(fields: readonly FidesField[], path: string): boolean {
  return fields.some((f) => f.fields?.length && path.startsWith(`${f.name}.`)
    && (f.fields.some((s) => s.name === path.slice(f.name.length + 1)) || nestedPathExists(f.fields, path.slice(f.name.length + 1))));
}

/**
 * Split a Fides reference field address "collection.field" against the collections of its dataset
 * when that dataset is in the same file: the one (collection, top-level field) pair it spells, so
 * dots inside names are fine; two pairs are ambiguous; a path into nested fields is refused. For a
 * dataset not in the file, Fides' own rule: the first dot ends the collection.
 */
function splitReference(address: string, collections: readonly FidesCollection[] | undefined, at: string, problems: string[]): { collection: string; field: string } | null {
  if (collections) {
    const pairs = collections.filter((c) => address.startsWith(`${c.name}.`))
      .map((c) => ({ c, field: address.slice(c.name.length + 1) }))
      .filter((p) => p.c.fields.some((f) => f.name === p.field));
    if (pairs.length === 1) return { collection: pairs[0]!.c.name, field: pairs[0]!.field };
    if (pairs.length > 1) { problems.push(`${at}: reference field "${address}" is ambiguous (${pairs.map((p) => label(p.c.name, p.field)).join(' or ')})`); return null; }
    const nested = collections.find((c) => address.startsWith(`${c.name}.`) && nestedPathExists(c.fields, address.slice(c.name.length + 1)));
    if (nested) { problems.push(`${at}: reference to nested field "${address}" is not supported`); return null; }
  }
  const dot = address.indexOf('.');
  if (dot <= 0 || dot === address.length - 1) { problems.push(`${at}: reference field must be "collection.field" (got "${address}")`); return null; }
  return { collection: address.slice(0, dot), field: address.slice(dot + 1) };
}

function fidesField(f: FidesField, names: string[], ds: FidesDataset, byKey: Map<string, FidesDataset>, problems: string[]): z.input<typeof FieldSchema> {
  const at = label(...names);
  unknownKeys(f, FIELD_KEYS, at, '', problems, FIELD_META_KEYS);
  const meta = metaOf(f, ['fides_meta', 'fidesops_meta'], at, problems);
  unknownKeys(meta, FIELD_META_KEYS, at, 'fides_meta.', problems);
  if (isSet(meta.return_all_elements)) problems.push(`${at}: fides_meta.return_all_elements (whole arrays as entry points) is not supported`);
  if (isSet(meta.redact)) problems.push(`${at}: fides_meta.redact (name redaction) is not supported`);
  const get = <T extends 'boolean' | 'string' | 'number'>(key: string, type: T) => typed(meta, key, type, at, 'fides_meta.', problems);
  const dataType = get('data_type', 'string');
  const isArray = !!dataType && dataType.endsWith('[]');
  const rawIdentity = get('identity', 'string');
  const identity = rawIdentity ? (FIDES_IDENTITY[rawIdentity] ?? rawIdentity) : undefined;
  const custom = get('custom_request_field', 'string');
  const primaryKey = get('primary_key', 'boolean');
  const readOnly = get('read_only', 'boolean');
  const length = get('length', 'number');
  if (identity && custom && identity !== custom) problems.push(`${at}: both identity "${identity}" and custom_request_field "${custom}" (one lookup key per field)`);
  if (isArray && (identity || custom)) problems.push(`${at}: ${identity ? 'identity' : 'custom_request_field'} on an array field (data_type ${dataType}) is not supported`);
  if (isSet(meta.references) && !Array.isArray(meta.references)) problems.push(`${at}: fides_meta.references must be a list`);
  const refs = Array.isArray(meta.references) ? meta.references : [];
  if (isArray && refs.length) problems.push(`${at}: references on an array field (data_type ${dataType}) are not supported`);
  const references = refs.flatMap((r) => {
    if (!isObj(r) || typeof r.field !== 'string' || !r.field) { problems.push(`${at}: a reference needs a field "collection.field"`); return []; }
    if (isSet(r.direction) && r.direction !== 'to' && r.direction !== 'from') { problems.push(`${at}: reference direction must be to or from (got "${String(r.direction)}")`); return []; }
    const dataset = typeof r.dataset === 'string' && r.dataset ? r.dataset : ds.fides_key;
    const split = splitReference(r.field, byKey.get(dataset)?.collections, at, problems);
    if (!split) return [];
    return [{ ...(typeof r.dataset === 'string' && r.dataset ? { dataset: r.dataset } : {}), ...split, ...(r.direction === 'to' || r.direction === 'from' ? { direction: r.direction as 'to' | 'from' } : {}) }];
  });
  const mask = fidesMask(meta.masking_strategy_override, at, problems);
  const sub = Array.isArray(f.fields) && f.fields.length ? f.fields : undefined;
  return {
    name: f.name,
    ...(typeof f.description === 'string' && f.description.trim() ? { description: f.description.trim().slice(0, 200) } : {}),
    categories: categoriesOf(f, at, problems),
    ...(identity ?? custom ? { identity: identity ?? custom } : {}),
    ...(custom ? { customRequestField: custom } : {}),
    primaryKey: primaryKey === true,
    ...(dataType ? { dataType } : {}),
    references,
    ...(mask ? { mask } : {}),
    ...(readOnly ? { readOnly: true } : {}),
    ...(length !== undefined ? { length } : {}),
    ...(sub ? { fields: sub.map((s) => fidesField(s, [...names, s.name], ds, byKey, problems)) } : {}),
  };
}

function fidesCollection(c: FidesCollection, ds: FidesDataset, byKey: Map<string, FidesDataset>, problems: string[]): z.input<typeof CollectionSchema> {
  const at = label(ds.fides_key, c.name);
  unknownKeys(c, COLLECTION_KEYS, at, '', problems, COLLECTION_META_KEYS);
  if (isSet(c.data_categories)) problems.push(`${at}: collection-level data_categories are not supported (put the categories on its fields)`);
  const meta = metaOf(c, ['fides_meta', 'fidesops_meta'], at, problems);
  const skip = typed(meta, 'skip_processing', 'boolean', at, 'fides_meta.', problems);
  unknownKeys(meta, COLLECTION_META_KEYS, at, 'fides_meta.', problems);
  if (isSet(meta.after)) problems.push(`${at}: fides_meta.after (traversal order) is not supported`);
  if (isSet(meta.partitioning)) problems.push(`${at}: fides_meta.partitioning is not supported`);
  if (isSet(meta.redact)) problems.push(`${at}: fides_meta.redact (name redaction) is not supported`);
  let erasure: 'mask' | 'delete' = 'mask';
  const override = meta.masking_strategy_override;
  if (isSet(override)) {
    if (isObj(override) && override.strategy === 'delete') erasure = 'delete';
    else problems.push(`${at}: collection masking strategy "${isObj(override) ? String(override.strategy) : String(override)}" is not supported (delete)`);
  }
  const eraseAfter = Array.isArray(meta.erase_after) ? meta.erase_after.filter((e): e is string => typeof e === 'string') : [];
  if (isSet(meta.erase_after) && (!Array.isArray(meta.erase_after) || eraseAfter.length !== meta.erase_after.length)) problems.push(`${at}: fides_meta.erase_after must be a list of "dataset.collection" entries`);
  return {
    name: c.name,
    ...(typeof c.description === 'string' && c.description ? { description: c.description } : {}),
    erasure,
    ...(skip ? { skip: true } : {}),
    ...(eraseAfter.length ? { eraseAfter } : {}),
    fields: c.fields.map((f) => fidesField(f, [ds.fides_key, c.name, f.name], ds, byKey, problems)),
  };
}

/** Import a Fides dataset file (parsed YAML: `{ dataset: [ ... ] }`) into our format, one map per dataset. */
export function importFidesDatasets(raw: unknown): DataMap[] {
  const list = raw && typeof raw === 'object' && 'dataset' in raw ? (raw as { dataset: unknown }).dataset : raw;
  const arr = z.array(FidesDatasetSchema).min(1, 'a Fides file needs at least one dataset').safeParse(list);
  if (!arr.success) throw new DataMapError(`Fides dataset: ${arr.error.issues.map((i) => `dataset.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const byKey = new Map(arr.data.map((ds) => [ds.fides_key, ds]));
  return arr.data.map((ds) => {
    const problems: string[] = [];
    unknownKeys(ds, DATASET_KEYS, ds.fides_key, '', problems, DATASET_META_KEYS);
    if (isSet(ds.data_categories)) problems.push(`${ds.fides_key}: dataset-level data_categories are not supported (put the categories on its fields)`);
    const meta = metaOf(ds, ['fides_meta', 'fidesops_meta', 'fidesctl_meta'], ds.fides_key, problems);
    unknownKeys(meta, DATASET_META_KEYS, ds.fides_key, 'fides_meta.', problems);
    if (isSet(meta.after)) problems.push(`${ds.fides_key}: fides_meta.after (dataset order) is not supported`);
    if (isSet(meta.namespace)) problems.push(`${ds.fides_key}: fides_meta.namespace is not supported (connect to the database and schema directly)`);
    if (isSet(meta.redact)) problems.push(`${ds.fides_key}: fides_meta.redact (name redaction) is not supported`);
    const input = {
      dataset: ds.fides_key,
      ...(typeof ds.name === 'string' && ds.name ? { name: ds.name } : {}),
      ...(typeof ds.description === 'string' && ds.description ? { description: ds.description } : {}),
      collections: ds.collections.map((c) => fidesCollection(c, ds, byKey, problems)),
    };
    if (problems.length) throw new DataMapError(problems.join('; '));
    return parseDataMap(input);
  });
}

// --- Graph and lookups ------------------------------------------------------------------------

/** A directed edge: values of from.field lead to rows of to.collection where to.field matches. */
export interface Edge { from: { collection: string; field: string }; to: { collection: string; field: string } }

/** Collections the walk leaves alone (skip: true): no edge and no link reaches them. */
function skippedOf(map: DataMap): Set<string> {
  return new Set(map.collections.filter((c) => c.skip).map((c) => c.name));
}

/** Directed edges of the reference graph (within one dataset; skipped collections left out). */
export function edgesOf(map: DataMap): Edge[] {
  const out: Edge[] = [];
  const skipped = skippedOf(map);
  for (const c of map.collections) {
    if (skipped.has(c.name)) continue;
    for (const f of c.fields) {
      for (const r of f.references) {
        if (r.dataset && r.dataset !== map.dataset) continue;
        if (skipped.has(r.collection)) continue;
        const here = { collection: c.name, field: f.name };
        const there = { collection: r.collection, field: r.field };
        if (r.direction !== 'to') out.push({ from: there, to: here });
        if (r.direction !== 'from') out.push({ from: here, to: there });
      }
    }
  }
  return out;
}

type Link = { child: { collection: string; field: string }; parent: { collection: string; field: string } };

function allLinks(map: DataMap, withSkipped: boolean): Link[] {
  const out: Link[] = [];
  const skipped = withSkipped ? new Set<string>() : skippedOf(map);
  for (const c of map.collections) for (const f of c.fields) for (const r of f.references) {
    if (r.dataset && r.dataset !== map.dataset) continue;
    if (skipped.has(c.name) || skipped.has(r.collection)) continue;
    out.push({ child: { collection: c.name, field: f.name }, parent: { collection: r.collection, field: r.field } });
  }
  return out;
}

/** Undirected links (every reference once), for shared-row detection. child holds the referencing field. Skipped collections left out. */
export function linksOf(map: DataMap): Link[] {
  return allLinks(map, false);
}

/** A reference to another dataset (another system's map): kept, never followed by the walk of this system. */
export interface CrossDatasetReference {
  /** The field holding the reference, in this map. */
  from: { collection: string; field: string };
  /** The field it names, in the other dataset. */
  to: { dataset: string; collection: string; field: string };
  /** As written on `from`: "from" = values flow from `to` into `from`; "to" = from `from` into `to`; "both" = no direction given. */
  direction: 'to' | 'from' | 'both';
}

/** References naming another dataset (fides_meta.references with another `dataset`); skipped collections left out. */
export function crossDatasetReferences(map: DataMap): CrossDatasetReference[] {
  const out: CrossDatasetReference[] = [];
  for (const c of map.collections) {
    if (c.skip) continue;
    for (const f of c.fields) for (const r of f.references) {
      if (!r.dataset || r.dataset === map.dataset) continue;
      out.push({ from: { collection: c.name, field: f.name }, to: { dataset: r.dataset, collection: r.collection, field: r.field }, direction: r.direction ?? 'both' });
    }
  }
  return out;
}

export function collectionOf(map: DataMap, name: string): DataMapCollection {
  const c = map.collections.find((x) => x.name === name);
  if (!c) throw new DataMapError(`unknown collection "${name}" in dataset ${map.dataset}`);
  return c;
}

export function primaryKeyOf(c: DataMapCollection): string[] {
  return c.fields.filter((f) => f.primaryKey).map((f) => f.name);
}

/** Every field of a collection with its path (the column first, then nested names), depth first. */
export function fieldPaths(c: Pick<DataMapCollection, 'fields'>): Array<{ path: string[]; field: DataMapField }> {
  const out: Array<{ path: string[]; field: DataMapField }> = [];
  const walk = (fields: DataMapField[], parents: string[]) => {
    for (const f of fields) {
      out.push({ path: [...parents, f.name], field: f });
      if (f.fields) walk(f.fields, [...parents, f.name]);
    }
  };
  walk(c.fields, []);
  return out;
}

/** Fields that are join keys (reference either end, skipped collections included): never masked, they carry no PII of their own. */
export function referenceFields(map: DataMap): Set<string> {
  const s = new Set<string>();
  for (const l of allLinks(map, true)) { s.add(`${l.child.collection}.${l.child.field}`); s.add(`${l.parent.collection}.${l.parent.field}`); }
  return s;
}

/** A collection holds personal data when a field (nested fields included) has a user.* category or is an identity. */
export function isPersonalCollection(c: DataMapCollection): boolean {
  return fieldPaths(c).some(({ field: f }) => f.identity || f.addressPart || f.categories.some(isPersonal));
}

/** The field's category that a target list covers, or null. */
export function coveredCategory(field: DataMapField, targets: readonly string[]): string | null {
  for (const c of field.categories) if (targets.some((t) => covers(t, c))) return c;
  return null;
}

/**
 * Order to erase collections in: children (holding the referencing field) before their parents,
 * and a collection after the ones its eraseAfter names. eraseAfter wins: a reference that would
 * put a collection before one it must follow is left out of the order.
 */
export function deletionOrder(map: DataMap): string[] {
  const names = map.collections.map((c) => c.name);
  const parentsOf = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const l of allLinks(map, true)) if (l.child.collection !== l.parent.collection) parentsOf.get(l.child.collection)?.add(l.parent.collection);
  const hard = new Map(map.collections.map((c) => [c.name, eraseAfterOf(map, c).filter((n) => parentsOf.has(n))]));
  const anyHard = [...hard.values()].some((x) => x.length > 0);
  // before(n): the collections that come before n. Without eraseAfter: n's children (as ever).
  const before = new Map<string, string[]>(names.map((n) => [n, names.filter((x) => parentsOf.get(x)?.has(n))]));
  if (anyHard) {
    // Keep a child-first preference only when it closes no cycle with what is already kept.
    const kept = new Map<string, Set<string>>(names.map((n) => [n, new Set(hard.get(n))]));
    const reaches = (from: string, to: string): boolean => {
      const seen = new Set<string>();
      const stack = [from];
      while (stack.length) {
        const n = stack.pop()!;
        if (n === to) return true;
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(...(kept.get(n) ?? []));
      }
      return false;
    };
    for (const n of names) for (const child of before.get(n)!) {
      if (kept.get(n)!.has(child)) continue;
      if (!reaches(child, n)) kept.get(n)!.add(child);
    }
    for (const n of names) before.set(n, [...kept.get(n)!]);
  }
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (n: string, stack: Set<string>) => {
    if (done.has(n) || stack.has(n)) return;
    stack.add(n);
    for (const b of before.get(n) ?? []) visit(b, stack);
    stack.delete(n);
    done.add(n);
    out.push(n);
  };
  for (const n of names) visit(n, new Set());
  return out;
}

// --- Validation against the live schema -------------------------------------------------------

export interface LiveField { name: string; dataType: string; nullable: boolean; primaryKey: boolean; maxLength?: number | null }
export interface LiveCollection { name: string; fields: LiveField[] }

/**
 * Every collection and (top-level) field of the map must exist in the live schema; the error names
 * each one missing. Nested fields live inside a column's value and are not checked here; skipped
 * collections are never touched and not checked either.
 */
export function validateAgainstSchema(map: DataMap, live: LiveCollection[]): void {
  const problems: string[] = [];
  const byName = new Map(live.map((c) => [c.name, new Set(c.fields.map((f) => f.name))]));
  for (const c of map.collections) {
    if (c.skip) continue;
    const cols = byName.get(c.name);
    if (!cols) { problems.push(`unknown table "${c.name}"`); continue; }
    for (const f of c.fields) if (!cols.has(f.name)) problems.push(`unknown column "${c.name}.${f.name}"`);
  }
  if (problems.length) throw new DataMapError(`data map ${map.dataset} does not match the database: ${problems.join('; ')}`);
}

// --- What an engine can honour ----------------------------------------------------------------

/** Engines whose fields can hold objects: PostgreSQL json/jsonb, SQLite JSON text, DynamoDB maps, MySQL JSON (MariaDB: JSON is longtext). */
export const NESTED_FIELD_ENGINES = ['postgres', 'sqlite', 'dynamodb', 'mysql'] as const;

/** Live column types that can hold a nested object, per engine (the live dataType as the engine reports it). */
const OBJECT_COLUMN: Record<string, { re: RegExp; what: string }> = {
  postgres: { re: /^jsonb?$/iu, what: 'a json or jsonb column' },
  sqlite: { re: /^$|json|text|char|clob/iu, what: 'a JSON text column' },
  dynamodb: { re: /^(m|any)$/iu, what: 'a map attribute' },
  mysql: { re: /^(json|longtext|mediumtext|text|tinytext|varchar|char)$/iu, what: 'a JSON (or JSON text) column' },
};

/**
 * The features of `map` that `engine` cannot honour, as one human-readable refusal each (empty:
 * everything works). Registration refuses a map with any. With `live` (the engine's introspected
 * schema) the columns holding nested fields are also checked for a type that can hold an object.
 */
export function unsupportedFeatures(map: DataMap, engine: string, live?: readonly LiveCollection[]): string[] {
  const out: string[] = [];
  const nestedOk = (NESTED_FIELD_ENGINES as readonly string[]).includes(engine);
  const liveBy = new Map((live ?? []).map((c) => [c.name, new Map(c.fields.map((f) => [f.name, f]))]));
  for (const c of map.collections) {
    if (c.skip) continue;
    for (const f of c.fields) {
      if (!f.fields) continue;
      const at = label(map.dataset, c.name, f.name);
      const nested = fieldPaths({ fields: f.fields }).map((p) => label(f.name, ...p.path));
      if (!nestedOk) {
        out.push(`${at}: nested fields (${nested.join(', ')}) are not supported on engine ${engine} (only on ${NESTED_FIELD_ENGINES.join(', ')})`);
        continue;
      }
      const arrays = [{ path: [] as string[], field: f }, ...fieldPaths({ fields: f.fields }).filter((p) => p.field.fields)]
        .filter((p) => /\[\]$/u.test(p.field.dataType ?? ''));
      for (const a of arrays) out.push(`${label(map.dataset, c.name, f.name, ...a.path)}: nested fields in an array of objects (data type ${a.field.dataType}) are not supported`);
      const col = liveBy.get(c.name)?.get(f.name);
      const want = OBJECT_COLUMN[engine];
      if (col && want && !want.re.test(col.dataType)) out.push(`${at}: nested fields need ${want.what} on ${engine} (the column is ${col.dataType})`);
    }
    for (const e of c.eraseAfter ?? []) {
      const t = eraseAfterTarget(map.dataset, e);
      if (t && t.dataset !== map.dataset) out.push(`${label(map.dataset, c.name)}: eraseAfter "${e}" names another dataset (erasure order across systems is not supported)`);
    }
  }
  return out;
}
