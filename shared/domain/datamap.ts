// The data map: per system, a dataset that says per collection and field which data categories it
// holds, which fields are identities, the primary key, the references between collections (with
// direction), and - our superset of the Fides dataset format - how a collection is erased (delete
// rows or mask fields), masking per field, retention reasons, opt-out flags and address groups.
// Pure: parsing of YAML text happens in the adapter layer; this module takes parsed objects.
import { z } from 'zod';
import { covers, isCategory, isPersonal } from './categories';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_$.-]*$/u;
const Name = (what: string) => z.string().min(1).max(128).regex(NAME_RE, `${what} must be letters, digits and _ (got an unusual name)`);
const Category = z.string().refine(isCategory, 'must be a fideslang data category like user.contact.email');

export const ADDRESS_PARTS = ['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export const MaskSchema = z.object({
  strategy: z.enum(['null', 'fixed', 'hash', 'random']),
  /** For strategy "fixed": the replacement value. */
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
}).strict();
export type Mask = z.infer<typeof MaskSchema>;

export const ReferenceSchema = z.object({
  /** Dataset of the other end; must be this dataset (cross-system references are not followed). */
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
  identity: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/u).optional(),
  /** Part of the collection's address group: a match needs every part to match. */
  addressPart: z.enum(ADDRESS_PARTS).optional(),
  primaryKey: z.boolean().default(false),
  dataType: z.string().optional(),
  references: z.array(ReferenceSchema).default([]),
  mask: MaskSchema.optional(),
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
  fields: z.array(FieldSchema).min(1),
}).strict();
export type DataMapCollection = z.infer<typeof CollectionSchema>;

export const DataMapSchema = z.object({
  dataset: Name('dataset'),
  name: z.string().optional(),
  description: z.string().optional(),
  /** A legal hold on the whole system: nothing in it is erased. */
  legalHold: z.string().max(500).optional(),
  collections: z.array(CollectionSchema).min(1),
}).strict().superRefine((m, ctx) => {
  const names = new Set<string>();
  m.collections.forEach((c, ci) => {
    if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'name'], message: `duplicate collection "${c.name}"` });
    names.add(c.name);
    const fields = new Set(c.fields.map((f) => f.name));
    if (c.optOut && !fields.has(c.optOut.field)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'optOut', 'field'], message: `optOut field "${c.optOut.field}" is not a field of "${c.name}"` });
    if (c.limit && !fields.has(c.limit.field)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'limit', 'field'], message: `limit field "${c.limit.field}" is not a field of "${c.name}"` });
  });
  m.collections.forEach((c, ci) => c.fields.forEach((f, fi) => f.references.forEach((r, ri) => {
    if (r.dataset && r.dataset !== m.dataset) return;
    const target = m.collections.find((x) => x.name === r.collection);
    if (!target) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'fields', fi, 'references', ri], message: `reference to unknown collection "${r.collection}"` });
    else if (!target.fields.some((x) => x.name === r.field)) ctx.addIssue({ code: 'custom', path: ['collections', ci, 'fields', fi, 'references', ri], message: `reference to unknown field "${r.collection}.${r.field}"` });
  })));
});
export type DataMap = z.infer<typeof DataMapSchema>;
export type DataMapInput = z.input<typeof DataMapSchema>;

/** Parse our format (already parsed from YAML/JSON); errors name the field. */
export function parseDataMap(raw: unknown): DataMap {
  const obj = raw && typeof raw === 'object' && 'datamap' in raw ? (raw as { datamap: unknown }).datamap : raw;
  const r = DataMapSchema.safeParse(obj);
  if (!r.success) throw new DataMapError(r.error.issues.map((i) => `${i.path.join('.') || 'datamap'}: ${i.message}`).join('; '));
  return r.data;
}

export class DataMapError extends Error {
  constructor(message: string) { super(message); this.name = 'DataMapError'; }
}

// --- Fides dataset import -------------------------------------------------------------------

const FidesFieldSchema: z.ZodType<FidesField> = z.lazy(() => z.object({
  name: z.string().min(1),
  description: z.string().nullish(),
  data_categories: z.array(z.string()).nullish(),
  fides_meta: z.object({
    identity: z.string().nullish(),
    primary_key: z.boolean().nullish(),
    data_type: z.string().nullish(),
    length: z.number().nullish(),
    references: z.array(z.object({
      dataset: z.string().nullish(),
      field: z.string().min(1),
      direction: z.enum(['to', 'from']).nullish(),
    }).passthrough()).nullish(),
  }).passthrough().nullish(),
  fields: z.array(FidesFieldSchema).nullish(),
}).passthrough());
interface FidesField {
  name: string; description?: string | null; data_categories?: string[] | null;
  fides_meta?: { identity?: string | null; primary_key?: boolean | null; data_type?: string | null; length?: number | null;
    references?: Array<{ dataset?: string | null; field: string; direction?: 'to' | 'from' | null }> | null } | null;
  fields?: FidesField[] | null;
}
const FidesDatasetSchema = z.object({
  fides_key: z.string().min(1),
  name: z.string().nullish(),
  description: z.string().nullish(),
  collections: z.array(z.object({
    name: z.string().min(1),
    description: z.string().nullish(),
    fields: z.array(FidesFieldSchema),
  }).passthrough()).min(1),
}).passthrough();

const FIDES_IDENTITY: Record<string, string> = { email: 'email', phone_number: 'phone', phone: 'phone' };

/** Import a Fides dataset file (parsed YAML: `{ dataset: [ ... ] }`) into our format, one map per dataset. */
export function importFidesDatasets(raw: unknown): DataMap[] {
  const list = raw && typeof raw === 'object' && 'dataset' in raw ? (raw as { dataset: unknown }).dataset : raw;
  const arr = z.array(FidesDatasetSchema).min(1, 'a Fides file needs at least one dataset').safeParse(list);
  if (!arr.success) throw new DataMapError(`Fides dataset: ${arr.error.issues.map((i) => `dataset.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return arr.data.map((ds) => parseDataMap({
    dataset: ds.fides_key,
    ...(ds.name ? { name: ds.name } : {}),
    ...(ds.description ? { description: ds.description } : {}),
    collections: ds.collections.map((c) => ({
      name: c.name,
      ...(c.description ? { description: c.description } : {}),
      erasure: 'mask',
      fields: c.fields.filter((f) => !f.fields?.length).map((f) => {
        const meta = f.fides_meta ?? {};
        const identity = meta.identity ? (FIDES_IDENTITY[meta.identity] ?? meta.identity) : undefined;
        return {
          name: f.name,
          categories: f.data_categories ?? [],
          ...(identity ? { identity } : {}),
          primaryKey: meta.primary_key === true,
          ...(meta.data_type ? { dataType: meta.data_type } : {}),
          references: (meta.references ?? []).map((r) => {
            const dot = r.field.indexOf('.');
            if (dot <= 0) throw new DataMapError(`Fides dataset ${ds.fides_key}: ${c.name}.${f.name}: reference field must be "collection.field" (got "${r.field}")`);
            return {
              ...(r.dataset ? { dataset: r.dataset } : {}),
              collection: r.field.slice(0, dot), field: r.field.slice(dot + 1),
              ...(r.direction ? { direction: r.direction } : {}),
            };
          }),
        };
      }),
    })),
  }));
}

// --- Graph and lookups ------------------------------------------------------------------------

/** A directed edge: values of from.field lead to rows of to.collection where to.field matches. */
export interface Edge { from: { collection: string; field: string }; to: { collection: string; field: string } }

/** Directed edges of the reference graph (within one dataset). */
export function edgesOf(map: DataMap): Edge[] {
  const out: Edge[] = [];
  for (const c of map.collections) {
    for (const f of c.fields) {
      for (const r of f.references) {
        if (r.dataset && r.dataset !== map.dataset) continue;
        const here = { collection: c.name, field: f.name };
        const there = { collection: r.collection, field: r.field };
        if (r.direction !== 'to') out.push({ from: there, to: here });
        if (r.direction !== 'from') out.push({ from: here, to: there });
      }
    }
  }
  return out;
}

/** Undirected links (every reference once), for shared-row detection. child holds the referencing field. */
export function linksOf(map: DataMap): Array<{ child: { collection: string; field: string }; parent: { collection: string; field: string } }> {
  const out: Array<{ child: { collection: string; field: string }; parent: { collection: string; field: string } }> = [];
  for (const c of map.collections) for (const f of c.fields) for (const r of f.references) {
    if (r.dataset && r.dataset !== map.dataset) continue;
    out.push({ child: { collection: c.name, field: f.name }, parent: { collection: r.collection, field: r.field } });
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

/** Fields that are join keys (reference either end): never masked, they carry no PII of their own. */
export function referenceFields(map: DataMap): Set<string> {
  const s = new Set<string>();
  for (const l of linksOf(map)) { s.add(`${l.child.collection}.${l.child.field}`); s.add(`${l.parent.collection}.${l.parent.field}`); }
  return s;
}

/** A collection holds personal data when a field has a user.* category or is an identity. */
export function isPersonalCollection(c: DataMapCollection): boolean {
  return c.fields.some((f) => f.identity || f.addressPart || f.categories.some(isPersonal));
}

/** The field's category that a target list covers, or null. */
export function coveredCategory(field: DataMapField, targets: readonly string[]): string | null {
  for (const c of field.categories) if (targets.some((t) => covers(t, c))) return c;
  return null;
}

/** Order to delete collections in: children (holding the referencing field) before their parents. */
export function deletionOrder(map: DataMap): string[] {
  const names = map.collections.map((c) => c.name);
  const parentsOf = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const l of linksOf(map)) if (l.child.collection !== l.parent.collection) parentsOf.get(l.child.collection)?.add(l.parent.collection);
  // children first: a collection comes before every collection it references
  const done = new Set<string>();
  const out: string[] = [];
  const childrenOf = (n: string) => names.filter((x) => parentsOf.get(x)?.has(n));
  const visit = (n: string, stack: Set<string>) => {
    if (done.has(n) || stack.has(n)) return;
    stack.add(n);
    for (const ch of childrenOf(n)) visit(ch, stack);
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

/** Every collection and field of the map must exist in the live schema; the error names each one missing. */
export function validateAgainstSchema(map: DataMap, live: LiveCollection[]): void {
  const problems: string[] = [];
  const byName = new Map(live.map((c) => [c.name, new Set(c.fields.map((f) => f.name))]));
  for (const c of map.collections) {
    const cols = byName.get(c.name);
    if (!cols) { problems.push(`unknown table "${c.name}"`); continue; }
    for (const f of c.fields) if (!cols.has(f.name)) problems.push(`unknown column "${c.name}.${f.name}"`);
  }
  if (problems.length) throw new DataMapError(`data map ${map.dataset} does not match the database: ${problems.join('; ')}`);
}
