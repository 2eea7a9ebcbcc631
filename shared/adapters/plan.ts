// plan: from what discovery found, per system and collection, the rows to delete and the fields to
// mask (or the opt-out flag to set), and the rows kept: shared rows set aside for review, exempt
// rows (retention, legal hold). Executing applies exactly this plan; verifying re-reads it.
import type { CaseType } from '../domain/case';
import { covers, isPersonal } from '../domain/categories';
import { collectionOf, deletionOrder, referenceFields, type DataMap } from '../domain/datamap';
import type { DiscoveryResult } from '../domain/discovery';
import { maskedValue } from './masking';
import type { CollectionSchema, Row, RowChange } from './port';

export type ReviewDecision = 'pending' | 'approved' | 'set_aside';

export interface PlannedUpdate { key: Row; set: Row; original: Row }
export interface PlannedCollection {
  system: string;
  dataset: string;
  collection: string;
  deletes: Row[];
  updates: PlannedUpdate[];
  /** masked (erasure) or updated (opt-out flag) */
  updateKind: 'masked' | 'updated';
  setAside: Array<{ key: Row; reason: string }>;
  exempt: Array<{ key: Row; reason: string }>;
}
export interface Plan {
  caseId: string;
  type: CaseType;
  categories: string[];
  collections: PlannedCollection[];
  totals: { deleted: number; masked: number; updated: number; setAside: number; exempt: number };
}

export interface PlanSystem { name: string; map: DataMap; live: CollectionSchema[] }

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

export function buildPlan(result: DiscoveryResult, systems: PlanSystem[], opts: PlanOptions): Plan {
  const targets = opts.categories && opts.categories.length ? opts.categories : ['user'];
  const explicit = !!(opts.categories && opts.categories.length);
  const out: PlannedCollection[] = [];
  const totals = { deleted: 0, masked: 0, updated: 0, setAside: 0, exempt: 0 };
  for (const sys of systems) {
    const refs = referenceFields(sys.map);
    const liveBy = new Map(sys.live.map((c) => [c.name, new Map(c.fields.map((f) => [f.name, f]))]));
    const order = deletionOrder(sys.map);
    const mine = result.collections.filter((c) => c.system === sys.name)
      .sort((a, b) => order.indexOf(a.collection) - order.indexOf(b.collection));
    for (const cr of mine) {
      const c = collectionOf(sys.map, cr.collection);
      const live = liveBy.get(c.name);
      const pc: PlannedCollection = { system: sys.name, dataset: cr.dataset, collection: cr.collection, deletes: [], updates: [], updateKind: opts.type === 'opt_out' || opts.type === 'correct' ? 'updated' : 'masked', setAside: [], exempt: [] };
      const keyFields = new Set(Object.keys(cr.rows[0]?.key ?? {}));
      const maskFields = c.fields.filter((f) => {
        if (f.primaryKey || keyFields.has(f.name) || refs.has(`${c.name}.${f.name}`)) return false;
        if (opts.type === 'delete_pii' && explicit) return f.categories.some((cat) => targets.some((t) => covers(t, cat)));
        return !!f.identity || !!f.addressPart || f.categories.some(isPersonal);
      });
      for (const row of cr.rows) {
        if (row.exempt) { pc.exempt.push({ key: row.key, reason: row.exempt.reason }); continue; }
        if (row.shared) {
          const d = opts.decisions?.get(opts.itemId(sys.name, cr.collection, row.key)) ?? 'pending';
          if (d !== 'approved') { pc.setAside.push({ key: row.key, reason: row.shared.reason }); continue; }
        }
        if (opts.type === 'opt_out') {
          if (c.optOut) pc.updates.push({ key: row.key, set: { [c.optOut.field]: c.optOut.value }, original: { [c.optOut.field]: row.values[c.optOut.field] ?? null } });
          continue;
        }
        if (opts.type === 'correct') {
          const set: Row = {};
          const original: Row = {};
          for (const f of c.fields) {
            if (f.primaryKey || keyFields.has(f.name) || refs.has(`${c.name}.${f.name}`)) continue;
            let best: string | null = null;
            for (const target of Object.keys(opts.corrections ?? {})) {
              if (f.categories.some((cat) => covers(target, cat)) && (!best || target.length > best.length)) best = target;
            }
            if (!best) continue;
            const v = opts.corrections![best]!;
            if (row.values[f.name] === v) continue;
            set[f.name] = v;
            original[f.name] = row.values[f.name] ?? null;
          }
          if (Object.keys(set).length) pc.updates.push({ key: row.key, set, original });
          continue;
        }
        if (opts.type !== 'delete' && opts.type !== 'delete_pii') continue;
        if (opts.type === 'delete' && c.erasure === 'delete') { pc.deletes.push(row.key); continue; }
        const set: Row = {};
        const original: Row = {};
        for (const f of maskFields) {
          const v = row.values[f.name];
          if (v === null || v === undefined) continue;
          set[f.name] = maskedValue(f.mask, v, live?.get(f.name), opts.keyedHash);
          original[f.name] = v;
        }
        if (Object.keys(set).length) pc.updates.push({ key: row.key, set, original });
      }
      totals.deleted += pc.deletes.length;
      if (pc.updateKind === 'masked') totals.masked += pc.updates.length; else totals.updated += pc.updates.length;
      totals.setAside += pc.setAside.length;
      totals.exempt += pc.exempt.length;
      out.push(pc);
    }
  }
  return { caseId: result.caseId, type: opts.type, categories: targets, collections: out, totals };
}

/** The row changes of one system's part of a plan: updates first, then deletes children-first. */
export function changesOf(plan: Plan, system: string): RowChange[] {
  const mine = plan.collections.filter((c) => c.system === system);
  const changes: RowChange[] = [];
  for (const c of mine) for (const u of c.updates) changes.push({ collection: c.collection, key: u.key, action: 'update', set: u.set });
  for (const c of mine) for (const k of c.deletes) changes.push({ collection: c.collection, key: k, action: 'delete' });
  return changes;
}
