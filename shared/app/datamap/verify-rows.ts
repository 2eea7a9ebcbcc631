// The independent check of an erasure (the `checkResult` step). It trusts neither the plan nor the
// counts execution recorded; it asks the stores again:
// 1. every planned row by its key after the change (a pseudonymised key is looked up by its new
//    value): a deleted row must be gone; a masked or updated row must be there (a row that cannot
//    be found is a failure, never "fine") and must no longer hold an erased value (compared as
//    keyed hashes) or must hold the value written;
// 2. a fresh walk by the same identities: a row of the subject's that still holds a personal value
//    the request covers, and that the plan does not name as kept, is left behind;
// 3. a search for the subject's identity values (the erased ones included) in every personal field
//    of every collection the case reached, whoever's row it is.
// Linear in the rows read (maps keyed by row id); gives the event loop a turn like the walk does.
// The report holds counts and reasons only, never a value.
import type { CaseType } from '../../domain/case';
import { covers, isPersonal } from '../../domain/categories';
import type { DataMap, DataMapField } from '../../domain/datamap';
import type { DiscoveryResult } from '../../domain/discovery';
import { normalizeEmail, normalizePhone } from '../../domain/identity';
import { categoriesOf, type PlannedCollection, type Plan } from './plan-rows';
import type { CollectionSchema, DataSource, FieldMatch, Row } from '../../adapters/port';
import { columnKind } from './masking';
import { takeTurn, turnDue, yieldIfDue } from '../../adapters/event-loop';
import type { Subject } from './subject';
import type { CheckCollection, CheckReport } from '../../store/datamap-repo';
import { isRowAddress, readBackByAddress } from '../../adapters/lake/row-address';

export interface CheckDeps {
  /** Open a registered system's store (a lease; close() releases it). */
  open(system: string): Promise<DataSource>;
  /** A fresh walk of the given systems by the subject's identities. */
  walk(subject: Subject, systems: Set<string>): Promise<DiscoveryResult>;
  hash(value: string): string;
  maps: Map<string, DataMap>;
  /** Live schema per system (only text columns are searched for values). */
  live: Map<string, CollectionSchema[]>;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
const isPersonalField = (f: DataMapField): boolean => !!f.identity || !!f.addressPart || f.categories.some(isPersonal);
const nestedOf = (f: DataMapField): DataMapField[] => (f as { fields?: DataMapField[] }).fields ?? [];

async function turn(): Promise<void> { if (turnDue()) await takeTurn(); }

/** Rows of a collection by key (single or composite), in one query per key field set: id -> row. */
export async function readByKeys(src: DataSource, collection: string, keys: Row[]): Promise<Map<string, Row>> {
  const out = new Map<string, Row>();
  if (!keys.length) return out;
  const fields = Object.keys(keys[0]!);
  const idOf = (r: Row) => JSON.stringify(fields.map((f) => text(r[f])));
  // Look up by a key field every key has a value in (a masked keyless row may have nulls in some);
  // keys with nulls in every field are matched on what they hold, in code.
  const usable = fields.find((f) => keys.every((k) => k[f] !== null && k[f] !== undefined))
    ?? fields.find((f) => keys.some((k) => k[f] !== null && k[f] !== undefined));
  if (!usable) return out;
  const values = [...new Map(keys.filter((k) => k[usable] !== null && k[usable] !== undefined).map((k) => [text(k[usable])!, k[usable]])).values()];
  const rows = await src.find(collection, [{ field: usable, values }]);
  for (const r of rows) { await turn(); out.set(idOf(r), r); }
  return out;
}

export const keyId = (key: Row) => JSON.stringify(Object.keys(key).map((f) => text(key[f])));

/** The erased originals as keyed hashes (each distinct value hashed once; the loop takes turns). */
async function erasedHashes(plan: PlannedCollection, hash: (v: string) => string): Promise<Set<string>> {
  const seen = new Set<string>();
  const s = new Set<string>();
  const add = (v: unknown) => { const t = text(v); if (t !== null && t !== '' && !seen.has(t)) { seen.add(t); s.add(hash(t)); } };
  for (const u of plan.updates) { await turn(); for (const v of Object.values(u.original)) add(v); }
  for (const d of plan.deletedValues) { await turn(); for (const v of Object.values(d)) add(v); }
  return s;
}

export async function checkErasure(deps: CheckDeps, input: {
  type: CaseType; plan: Plan; subject: Subject; discovery: DiscoveryResult; categories?: string[]; at: Date;
  planErrors: Array<{ system: string; error: string }>;
}): Promise<CheckReport> {
  const { plan, type } = input;
  const erasing = type === 'delete' || type === 'delete_pii';
  const report: CheckReport = { ok: true, at: input.at.toISOString(), remaining: 0, missing: 0, collections: [], errors: [...input.planErrors] };
  const byColl = new Map<string, CheckCollection>();
  const entry = (system: string, dataset: string, collection: string): CheckCollection => {
    const k = `${system}\u0000${collection}`;
    let e = byColl.get(k);
    if (!e) { e = { system, dataset, collection, checked: 0, remaining: 0, missing: 0, reasons: [] }; byColl.set(k, e); report.collections.push(e); }
    return e;
  };
  const reason = (e: CheckCollection, r: string) => { if (!e.reasons.includes(r) && e.reasons.length < 20) e.reasons.push(r); };
  const systems = [...new Set(plan.collections.map((c) => c.system))];

  // 1. Every planned row, by key.
  for (const system of systems) {
    const mine = plan.collections.filter((c) => c.system === system && (c.deletes.length || c.updates.length));
    if (!mine.length) continue;
    let src: DataSource | null = null;
    try {
      src = await deps.open(system);
      for (const c of mine) {
        const e = entry(system, c.dataset, c.collection);
        const hashes = await erasedHashes(c, deps.hash);
        // A table without a primary key (a lake table): its rows are addressed by file, row and
        // file version, and a rewrite moves them; they are read back where the rewrite put them.
        const first = c.deletes[0] ?? c.updates[0]?.key;
        const addressed = first && isRowAddress(first)
          ? await readBackByAddress(src, c.collection, { deletes: c.deletes, deletedValues: c.deletedValues, updates: c.updates })
          : null;
        // Deleted rows must be gone.
        const gone = addressed ? null : await readByKeys(src, c.collection, c.deletes);
        c.deletes.forEach((k, i) => {
          e.checked += 1;
          if (addressed ? addressed.deletedLeft[i] : gone!.has(keyId(k))) { e.remaining += 1; reason(e, 'a deleted row is still there'); }
        });
        // Updated rows must be there, under their new key when the key was rewritten.
        const newKey = (u: PlannedCollection['updates'][number]) => Object.fromEntries(Object.keys(u.key).map((f) => [f, f in u.set ? u.set[f] : u.key[f]]));
        const there = addressed ? null : await readByKeys(src, c.collection, c.updates.map(newKey));
        for (const [i, u] of c.updates.entries()) {
          await turn();
          e.checked += 1;
          const row = addressed ? addressed.updated[i] ?? null : there!.get(keyId(newKey(u)));
          if (!row) { e.missing += 1; reason(e, 'a changed row could not be found again'); continue; }
          if (c.updateKind === 'updated') {
            const bad = Object.entries(u.set).some(([f, v]) => text(row[f]) !== text(v) && !(typeof v === 'boolean' && Number(row[f]) === Number(v)));
            if (bad) { e.remaining += 1; reason(e, 'a row does not hold the value written'); }
          } else {
            const left = Object.keys(u.original).filter((f) => { const t = text(row[f]); return t !== null && t !== '' && text(u.set[f]) !== t && hashes.has(deps.hash(t)); });
            if (left.length) { e.remaining += 1; reason(e, `still holds an erased value (${left.join(', ')})`); }
          }
        }
        await yieldIfDue();
      }
    } catch (err) {
      report.errors.push({ system, error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
    } finally {
      await src?.close().catch(() => undefined);
    }
  }

  if (erasing) {
    // 2. A fresh walk by the same identities.
    const reachedSystems = new Set(input.discovery.systems);
    const fresh = await deps.walk(input.subject, reachedSystems);
    for (const er of fresh.errors) report.errors.push({ system: er.system, error: er.error });
    const targets = input.categories && input.categories.length ? input.categories : ['user'];
    const explicit = type === 'delete_pii' && !!(input.categories && input.categories.length);
    const keptFields = new Map<string, Set<string>>();
    for (const c of plan.collections) {
      const s = new Set<string>();
      for (const k of c.kept) for (const f of k.fields ?? []) s.add(f.split('.')[0]!);
      keptFields.set(`${c.system}\u0000${c.collection}`, s);
    }
    // Rows the plan changed are judged by step 1; the walk looks for what the plan did not cover.
    const planned = new Map<string, Set<string>>();
    for (const c of plan.collections) {
      const s = new Set<string>();
      for (const k of c.deletes) { await turn(); s.add(keyId(k)); }
      for (const u of c.updates) { await turn(); s.add(keyId(u.key)); s.add(keyId(Object.fromEntries(Object.keys(u.key).map((f) => [f, f in u.set ? u.set[f] : u.key[f]])))); }
      planned.set(`${c.system}\u0000${c.collection}`, s);
    }
    for (const col of fresh.collections) {
      const done = planned.get(`${col.system}\u0000${col.collection}`) ?? new Set<string>();
      const map = deps.maps.get(col.system);
      const mc = map?.collections.find((x) => x.name === col.collection);
      if (!mc) continue;
      const kept = keptFields.get(`${col.system}\u0000${col.collection}`) ?? new Set<string>();
      const wanted = mc.fields.filter((f) => !kept.has(f.name) && (isPersonalField(f) || nestedOf(f).length > 0) && (!explicit || categoriesOf(f).some((cat) => targets.some((t) => covers(t, cat))) || nestedOf(f).length > 0));
      for (const r of col.rows) {
        await turn();
        if (r.other || r.exempt || r.shared || done.has(keyId(r.key))) continue;
        const e = entry(col.system, col.dataset, col.collection);
        e.checked += 1;
        const left = wanted.filter((f) => {
          const v = r.values[f.name];
          if (v === null || v === undefined || text(v) === '') return false;
          if (nestedOf(f).length) return nestedPersonal(v, nestedOf(f));
          return true;
        });
        if (left.length) { e.remaining += 1; reason(e, `a row of this person still holds ${left.map((f) => f.name).join(', ')}`); }
      }
    }

    // 3. The subject's identity values, erased ones included, in every personal field reached.
    const emails = new Set<string>(input.subject.emails);
    const phones = new Set<string>(input.subject.phones);
    for (const c of plan.collections) {
      const mc = deps.maps.get(c.system)?.collections.find((x) => x.name === c.collection);
      const idFields = mc?.fields.filter((f) => f.identity === 'email' || f.identity === 'phone') ?? [];
      for (const u of c.updates) for (const f of idFields) { const t = text(u.original[f.name]); if (!t) continue; if (f.identity === 'email') emails.add(normalizeEmail(t)); else { const p = normalizePhone(t); if (p) phones.add(p); } }
    }
    for (const system of new Set(input.discovery.collections.filter((c) => c.rows.length).map((c) => c.system))) {
      const map = deps.maps.get(system);
      if (!map) continue;
      let src: DataSource | null = null;
      try {
        src = await deps.open(system);
        for (const c of input.discovery.collections.filter((x) => x.system === system && x.rows.length)) {
          const mc = map.collections.find((x) => x.name === c.collection);
          if (!mc) continue;
          const kept = keptFields.get(`${system}\u0000${c.collection}`) ?? new Set<string>();
          const matches: FieldMatch[] = [];
          const liveC = deps.live.get(system)?.find((x) => x.name === c.collection);
          for (const f of mc.fields) {
            if (kept.has(f.name) || nestedOf(f).length) continue;
            const lf = liveC?.fields.find((x) => x.name === f.name);
            if (!lf || columnKind(lf.dataType) !== 'text' || /json|bytea|blob|array/u.test(lf.dataType.toLowerCase())) continue;
            if (f.identity === 'phone' && phones.size) matches.push({ field: f.name, values: [...phones].flatMap((p) => [p.replace(/^\+/u, ''), ...(p.startsWith('+1') ? [p.slice(2)] : [])]), normalize: 'phone' });
            else if ((f.identity === 'email' || (isPersonalField(f) && !f.identity)) && emails.size && (!explicit || categoriesOf(f).some((cat) => targets.some((t) => covers(t, cat))))) matches.push({ field: f.name, values: [...emails], normalize: 'email' });
          }
          if (!matches.length) continue;
          const rows = await src.find(c.collection, matches);
          await yieldIfDue();
          const e = entry(system, c.dataset, c.collection);
          for (const r of rows) {
            await turn();
            const hit = matches.filter((m) => {
              const t = text(r[m.field]);
              if (t === null) return false;
              if (m.normalize === 'phone') { const p = normalizePhone(t); return !!p && phones.has(p); }
              return emails.has(normalizeEmail(t));
            });
            if (hit.length) { e.remaining += 1; reason(e, `${hit.map((m) => m.field).join(', ')} still holds this person's ${hit.some((m) => m.normalize === 'phone') ? 'phone number' : 'email'}`); }
          }
        }
      } catch (err) {
        report.errors.push({ system, error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
      } finally {
        await src?.close().catch(() => undefined);
      }
    }
  }

  report.remaining = report.collections.reduce((n, c) => n + c.remaining, 0);
  report.missing = report.collections.reduce((n, c) => n + c.missing, 0);
  report.ok = report.remaining === 0 && report.missing === 0 && report.errors.length === 0;
  return report;
}

/** Whether a nested JSON value still holds a non-empty personal nested field. */
function nestedPersonal(value: unknown, fields: DataMapField[]): boolean {
  let obj: unknown = value;
  if (typeof value === 'string') { try { obj = JSON.parse(value); } catch { return false; } }
  if (!obj || typeof obj !== 'object') return false;
  const o = obj as Record<string, unknown>;
  return fields.some((f) => {
    const v = o[f.name];
    if (v === null || v === undefined || v === '') return false;
    const sub = nestedOf(f);
    if (sub.length) return nestedPersonal(v, sub);
    return isPersonalField(f);
  });
}
