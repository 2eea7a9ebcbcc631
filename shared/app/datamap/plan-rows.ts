// plan: from what discovery found, per system and collection, the rows to delete, the fields to
// mask or pseudonymise (or the opt-out / limit flag to set, or the corrections to write), and every
// row or field kept with its reason: shared rows set aside for review, another person's rows,
// exempt rows (retention, legal hold), read-only fields, key values that cannot change in place.
// Nothing personal in a reached row is left out silently: each field with a personal category ends
// erased or named in `kept`. Executing applies exactly this plan; the check re-reads it.
import type { CaseType } from '../../domain/case';
import { covers, isPersonal } from '../../domain/categories';
import { collectionOf, deletionOrder, linksOf, type DataMap, type DataMapField } from '../../domain/datamap';
import type { DiscoveryResult, FoundRow } from '../../domain/discovery';
import { columnKind, maskedValue } from './masking';
import type { CollectionSchema, FieldSchema as LiveField, Row, RowChange } from '../../adapters/port';
import { takeTurn, turnDue } from '../../adapters/event-loop';

export type ReviewDecision = 'pending' | 'approved' | 'set_aside';

import type { KeptKind } from '../../domain/report/result-summary';
export type { KeptKind } from '../../domain/report/result-summary';
export interface KeptEntry { kind: KeptKind; reason: string; rows: number; fields?: string[] }

export interface PlannedUpdate { key: Row; set: Row; original: Row }
export interface PlannedCollection {
  system: string;
  dataset: string;
  collection: string;
  deletes: Row[];
  /** For each delete, the personal values the row held (for the check and the ledger). */
  deletedValues: Row[];
  updates: PlannedUpdate[];
  /** masked (erasure) or updated (opt-out / limit flag, corrections) */
  updateKind: 'masked' | 'updated';
  setAside: Array<{ key: Row; reason: string }>;
  exempt: Array<{ key: Row; reason: string }>;
  /** Everything kept, grouped by reason (rows and the fields concerned). */
  kept: KeptEntry[];
  /** Rows of the subject's whose personal fields could not be changed (read-only, a key that cannot be rewritten): for staff review. */
  keptRows: Array<{ key: Row; kind: KeptKind; reason: string; fields: string[] }>;
  /** fideslang categories and field names the planned writes touch. */
  categories: string[];
  fields: string[];
}
export interface Plan {
  caseId: string;
  type: CaseType;
  categories: string[];
  collections: PlannedCollection[];
  totals: { deleted: number; masked: number; updated: number; setAside: number; exempt: number };
  /** Systems where the type needs a control the map does not give (limit: no limit field mapped). */
  missingControls: string[];
}

export interface PlanSystem {
  name: string; map: DataMap; live: CollectionSchema[];
  /** The store's engine: DynamoDB cannot change a key attribute in place (no pseudonym there). */
  engine?: string;
}

/** Engines whose rows' key values cannot be rewritten in place. */
const KEYS_FIXED = new Set(['dynamodb']);

export interface PlanOptions {
  type: CaseType;
  /** delete_pii: categories to erase (default: every personal category). */
  categories?: string[];
  /** correct: new value per data category (the most specific category covering a field wins). */
  corrections?: Record<string, string | number | boolean | null>;
  /** Review decisions by item id; rows without a decision are pending (set aside). */
  decisions?: Map<string, ReviewDecision>;
  itemId(system: string, collection: string, key: Row): string;
  keyedHash(value: string): string;
}

const isPersonalField = (f: DataMapField): boolean => !!f.identity || !!f.addressPart || f.categories.some(isPersonal);

/**
 * A field's categories, with the one its identity implies: an email identity field is
 * user.contact.email whatever the map labels it (Fides' example labels service_request.email
 * system.operations), so a category-limited erasure of user.contact never skips it silently.
 */
export function categoriesOf(f: DataMapField): string[] {
  const implied = f.identity === 'email' ? 'user.contact.email' : f.identity === 'phone' ? 'user.contact.phone_number' : f.identity ? 'user.unique_id' : null;
  return implied && !f.categories.includes(implied) ? [...f.categories, implied] : f.categories;
}
const nestedOf = (f: DataMapField): DataMapField[] => (f as { fields?: DataMapField[] }).fields ?? [];
const readOnly = (f: DataMapField): boolean => (f as { readOnly?: boolean }).readOnly === true;
const lengthOf = (f: DataMapField): number | undefined => (f as { length?: number }).length;

/** A keyed-hash pseudonym for a key or join value: the same input gives the same pseudonym in every table. */
export function pseudonym(value: unknown, keyedHash: (v: string) => string, max?: number | null): string {
  const p = `pd-${keyedHash(`pseudonym|${String(value)}`).slice(0, 24)}`;
  return max && max > 0 && p.length > max ? p.slice(0, max) : p;
}

/** Fields that are join keys holding personal data: every field of a link group where one end is personal. */
function personalJoinFields(map: DataMap): Set<string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => { while (parent.get(x) && parent.get(x) !== x) x = parent.get(x)!; return x; };
  const unite = (a: string, b: string) => { parent.set(a, parent.get(a) ?? a); parent.set(b, parent.get(b) ?? b); parent.set(find(a), find(b)); };
  const links = linksOf(map);
  for (const l of links) unite(`${l.child.collection}\u0000${l.child.field}`, `${l.parent.collection}\u0000${l.parent.field}`);
  const personalRoots = new Set<string>();
  const fieldOf = (k: string) => { const sep = k.indexOf('\u0000'); const c = map.collections.find((x) => x.name === k.slice(0, sep)); return c?.fields.find((f) => f.name === k.slice(sep + 1)); };
  for (const k of parent.keys()) { const f = fieldOf(k); if (f && isPersonalField(f)) personalRoots.add(find(k)); }
  const out = new Set<string>();
  for (const k of parent.keys()) if (personalRoots.has(find(k))) out.add(k);
  return out;
}

/** Join fields of any kind (personal or not): never masked to null, a join must keep working. */
function joinFields(map: DataMap): Set<string> {
  const s = new Set<string>();
  for (const l of linksOf(map)) { s.add(`${l.child.collection}\u0000${l.child.field}`); s.add(`${l.parent.collection}\u0000${l.parent.field}`); }
  return s;
}

/** The masked JSON of a nested field: each personal nested path masked, the other keys kept. */
function maskNested(value: unknown, fields: DataMapField[], wanted: (f: DataMapField) => boolean, keyedHash: (v: string) => string): { value: unknown; changed: string[] } {
  let obj: unknown = value;
  let wasText = false;
  if (typeof value === 'string') { try { obj = JSON.parse(value); wasText = true; } catch { return { value, changed: [] }; } }
  if (!obj || typeof obj !== 'object') return { value, changed: [] };
  const changed: string[] = [];
  const walk = (o: Record<string, unknown>, fs: DataMapField[], path: string): Record<string, unknown> => {
    const copy: Record<string, unknown> = Array.isArray(o) ? ([...(o as unknown[])] as unknown as Record<string, unknown>) : { ...o };
    for (const f of fs) {
      if (!(f.name in copy)) continue;
      const sub = nestedOf(f);
      const v = copy[f.name];
      if (sub.length && v && typeof v === 'object') { copy[f.name] = walk(v as Record<string, unknown>, sub, `${path}${f.name}.`); continue; }
      if (v === null || v === undefined || !wanted(f)) continue;
      copy[f.name] = maskedValue(f.mask, v, undefined, keyedHash);
      changed.push(`${path}${f.name}`);
    }
    return copy;
  };
  const out = walk(obj as Record<string, unknown>, fields, '');
  if (!changed.length) return { value, changed };
  return { value: wasText ? JSON.stringify(out) : out, changed };
}

export async function buildPlan(result: DiscoveryResult, systems: PlanSystem[], opts: PlanOptions): Promise<Plan> {
  const targets = opts.categories && opts.categories.length ? opts.categories : ['user'];
  const explicit = !!(opts.categories && opts.categories.length);
  const erasing = opts.type === 'delete' || opts.type === 'delete_pii';
  const out: PlannedCollection[] = [];
  const totals = { deleted: 0, masked: 0, updated: 0, setAside: 0, exempt: 0 };
  const missingControls: string[] = [];
  for (const sys of systems) {
    const joins = joinFields(sys.map);
    const piiJoins = personalJoinFields(sys.map);
    const liveBy = new Map(sys.live.map((c) => [c.name, new Map(c.fields.map((f) => [f.name, f]))]));
    const order = deletionOrder(sys.map);
    const mine = result.collections.filter((c) => c.system === sys.name)
      .sort((a, b) => order.indexOf(a.collection) - order.indexOf(b.collection));
    if (opts.type === 'limit' && !sys.map.collections.some((c) => c.limit)) missingControls.push(sys.name);
    for (const c of sys.map.collections) {
      if ((c as { skip?: boolean }).skip && !mine.some((m) => m.collection === c.name)) {
        out.push({ system: sys.name, dataset: sys.map.dataset, collection: c.name, deletes: [], deletedValues: [], updates: [], updateKind: 'masked', setAside: [], exempt: [], keptRows: [], kept: [{ kind: 'skipped', reason: 'skipped by the data map (skip_processing): never read nor changed', rows: 0 }], categories: [], fields: [] });
      }
    }
    for (const cr of mine) {
      const c = collectionOf(sys.map, cr.collection);
      const live = liveBy.get(c.name);
      const pc: PlannedCollection = { system: sys.name, dataset: cr.dataset, collection: cr.collection, deletes: [], deletedValues: [], updates: [], updateKind: opts.type === 'opt_out' || opts.type === 'correct' || opts.type === 'limit' ? 'updated' : 'masked', setAside: [], exempt: [], kept: [], keptRows: [], categories: [], fields: [] };
      const kept = new Map<string, { kind: KeptKind; reason: string; rows: number; fields: Set<string> }>();
      let current: Row | null = null;
      const keep = (kind: KeptKind, reason: string, fields: string[] = []) => {
        const k = `${kind}\u0000${reason}`;
        const e = kept.get(k) ?? { kind, reason, rows: 0, fields: new Set<string>() };
        e.rows += 1; fields.forEach((f) => e.fields.add(f));
        kept.set(k, e);
        if (current && (kind === 'read_only' || kind === 'key_field')) pc.keptRows.push({ key: current, kind, reason, fields });
      };
      const cats = new Set<string>();
      const wrote = new Set<string>();
      const keyFields = new Set(Object.keys(cr.rows.find((r) => !r.other)?.key ?? cr.rows[0]?.key ?? {}));
      const declaredPk = new Set(c.fields.filter((f) => f.primaryKey).map((f) => f.name));
      const isKey = (f: DataMapField) => declaredPk.has(f.name) || (keyFields.has(f.name) && (declaredPk.size > 0 || (live ? [...live.values()].some((x) => x.primaryKey && x.name === f.name) : false)));
      const wanted = (f: DataMapField): boolean => {
        if (opts.type === 'delete_pii' && explicit) return categoriesOf(f).some((cat) => targets.some((t) => covers(t, cat)));
        return isPersonalField(f);
      };
      const liveOf = (f: DataMapField): LiveField | undefined => {
        const l = live?.get(f.name);
        const len = lengthOf(f);
        if (!len) return l;
        return { ...(l ?? { name: f.name, dataType: 'text', nullable: true, primaryKey: false }), maxLength: l?.maxLength ? Math.min(l.maxLength, len) : len };
      };
      const textual = (f: DataMapField) => columnKind(live?.get(f.name)?.dataType ?? 'text') === 'text';
      const personalValues = (row: FoundRow): Row => {
        const v: Row = {};
        for (const f of c.fields) if (isPersonalField(f) || nestedOf(f).length) v[f.name] = row.values[f.name] ?? null;
        return v;
      };
      const addCats = (f: DataMapField) => { categoriesOf(f).filter(isPersonal).forEach((x) => cats.add(x)); wrote.add(f.name); };

      for (const row of cr.rows) {
        if (turnDue()) await takeTurn();
        current = row.key;
        if (row.other) { keep('other_person', row.other.reason); continue; }
        if (row.exempt) {
          pc.exempt.push({ key: row.key, reason: row.exempt.reason });
          keep(row.exempt.reason.startsWith('legal hold') ? 'legal_hold' : 'exempt', row.exempt.reason);
          continue;
        }
        if (row.shared) {
          const d = opts.decisions?.get(opts.itemId(sys.name, cr.collection, row.key)) ?? 'pending';
          if (d !== 'approved') { pc.setAside.push({ key: row.key, reason: row.shared.reason }); keep('shared', row.shared.reason); continue; }
        }
        if (opts.type === 'opt_out' || opts.type === 'limit') {
          const control = opts.type === 'opt_out' ? c.optOut : c.limit;
          if (control && row.values[control.field] !== control.value) {
            pc.updates.push({ key: row.key, set: { [control.field]: control.value }, original: { [control.field]: row.values[control.field] ?? null } });
            wrote.add(control.field);
          }
          continue;
        }
        if (opts.type === 'correct') {
          const set: Row = {};
          const original: Row = {};
          for (const f of c.fields) {
            let best: string | null = null;
            for (const target of Object.keys(opts.corrections ?? {})) {
              if (f.categories.some((cat) => covers(target, cat)) && (!best || target.length > best.length)) best = target;
            }
            if (!best) continue;
            const v = opts.corrections![best]!;
            if (row.values[f.name] === v) continue;
            if (readOnly(f)) { keep('read_only', 'read-only in the data map: not corrected', [f.name]); continue; }
            if (isKey(f) || joins.has(`${c.name}\u0000${f.name}`)) { keep('key_field', 'a key or join value: correcting it in place would break the rows that refer to it; staff correct it', [f.name]); continue; }
            set[f.name] = v;
            original[f.name] = row.values[f.name] ?? null;
            addCats(f);
          }
          if (Object.keys(set).length) pc.updates.push({ key: row.key, set, original });
          continue;
        }
        if (!erasing) continue;
        if (opts.type === 'delete' && c.erasure === 'delete') { pc.deletes.push(row.key); pc.deletedValues.push(personalValues(row)); continue; }
        // A personal value in the row's key: a delete removes the row; delete_pii rewrites it.
        const keyPii = c.fields.filter((f) => isKey(f) && wanted(f) && row.values[f.name] !== null && row.values[f.name] !== undefined);
        if (opts.type === 'delete' && keyPii.length) { pc.deletes.push(row.key); pc.deletedValues.push(personalValues(row)); keyPii.forEach(addCats); continue; }
        const set: Row = {};
        const original: Row = {};
        for (const f of c.fields) {
          const v = row.values[f.name];
          if (v === null || v === undefined) continue;
          const nested = nestedOf(f);
          if (nested.length) {
            const m = maskNested(v, nested, wanted, opts.keyedHash);
            if (m.changed.length) {
              if (readOnly(f)) { keep('read_only', 'read-only in the data map', m.changed.map((x) => `${f.name}.${x}`)); continue; }
              set[f.name] = m.value; original[f.name] = v; wrote.add(f.name);
              for (const sub of nested) sub.categories.forEach((x) => cats.add(x));
            }
            continue;
          }
          if (!wanted(f)) continue;
          if (readOnly(f)) { keep('read_only', 'read-only in the data map: kept', [f.name]); continue; }
          const join = joins.has(`${c.name}\u0000${f.name}`);
          if (isKey(f) || (join && piiJoins.has(`${c.name}\u0000${f.name}`))) {
            // Key or join value holding personal data: the same keyed-hash pseudonym wherever it joins.
            if (isKey(f) && KEYS_FIXED.has(sys.engine ?? '')) { keep('key_field', 'a personal value in the item\'s key, which this store cannot change in place: only deleting the item removes it', [f.name]); continue; }
            if (!textual(f)) {
              if (isKey(f)) keep('key_field', 'a personal value in the row\'s key that cannot be rewritten in place (not a text column): only deleting the row removes it', [f.name]);
              else keep('link', 'an internal link number kept so the remaining rows stay consistent; it leads to nothing personal once the row it points to is erased', [f.name]);
              continue;
            }
            set[f.name] = pseudonym(v, opts.keyedHash, liveOf(f)?.maxLength);
            original[f.name] = v; addCats(f);
            continue;
          }
          if (join) continue; // a non-personal join key (an id)
          set[f.name] = maskedValue(f.mask, v, liveOf(f), opts.keyedHash);
          original[f.name] = v; addCats(f);
        }
        if (Object.keys(set).length) pc.updates.push({ key: row.key, set, original });
      }
      pc.kept = [...kept.values()].map((e) => ({ kind: e.kind, reason: e.reason, rows: e.rows, ...(e.fields.size ? { fields: [...e.fields].sort() } : {}) }));
      pc.categories = [...cats].sort();
      pc.fields = [...wrote].sort();
      totals.deleted += pc.deletes.length;
      if (pc.updateKind === 'masked') totals.masked += pc.updates.length; else totals.updated += pc.updates.length;
      totals.setAside += pc.setAside.length;
      totals.exempt += pc.exempt.length;
      out.push(pc);
    }
  }
  return { caseId: result.caseId, type: opts.type, categories: targets, collections: out, totals, missingControls };
}

/** The row changes of one system's part of a plan: updates first, then deletes children-first. */
export function changesOf(plan: Plan, system: string): RowChange[] {
  const mine = plan.collections.filter((c) => c.system === system);
  const changes: RowChange[] = [];
  for (const c of mine) for (const u of c.updates) changes.push({ collection: c.collection, key: u.key, action: 'update', set: u.set, original: u.original });
  for (const c of mine) for (const k of c.deletes) changes.push({ collection: c.collection, key: k, action: 'delete' });
  return changes;
}
