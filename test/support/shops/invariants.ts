// The generic requirements of an exact erasure, checked against the ground truth a shop carries
// (./types.ts: who each row belongs to, which fields are personal) and the database itself
// (before/after dumps, ./dump.ts), never against what the engine says it did:
//
// erasure (delete / delete_pii)
//   (a) no row that is not the subject's alone changed: other people's rows, rows shared with
//       someone else (an address two people live at), nobody's rows; and no row was added;
//   (b) in every row that is the subject's alone and still there, no personal field (of the
//       categories the request erases) still holds its value, and no column holds the subject's
//       email or phone, unless the case output lists the row as kept (review / exempt) with a reason;
//   (c) the recorded change counts (output().changes) equal the rows the dumps show deleted/changed;
// access
//   every row that is (also) the subject's is in the results; no row of anyone else is, unless it is
//   flagged for review as shared.
import { covers } from '../../../shared/domain/categories';
import type { ContractOutput } from '../../../shared/app/datamap/service';
import { canon, diffTable, sameValue, valueAt, type Dump, type TableDiff } from './dump';
import type { Run } from './harness';
import { person, type Person, type Row, type ShopDef } from './types';

export interface ChangeCounts { deleted: number; masked: number; added?: number }

export interface ErasureEvaluation {
  othersChanged: string[];
  leftovers: string[];
  reportedChanges: Record<string, ChangeCounts>;
  actualChanges: Record<string, ChangeCounts>;
  diffs: Record<string, Record<string, TableDiff>>;
}

export interface AccessEvaluation {
  missing: string[];
  foreign: string[];
}

/** Is this row listed as kept (review or exempt) with a reason in the output? */
export function listedAsKept(out: ContractOutput, collection: string, row: Row): { kind: 'review' | 'exempt'; reason: string } | null {
  for (const [kind, list] of [['review', out.review], ['exempt', out.exempt]] as const) {
    for (const e of list) {
      if (e.collection !== collection || !e.reason?.trim()) continue;
      const key = Object.entries(e.primaryKey ?? {});
      if (!key.length) continue;
      if (key.every(([k, v]) => sameValue(row[k], v))) return { kind, reason: e.reason };
    }
  }
  return null;
}

/** Digits of a phone's national number (US) or full E.164 digits. */
function phoneDigits(e164: string): string {
  const d = e164.replace(/\D/gu, '');
  return e164.startsWith('+1') && d.length === 11 ? d.slice(1) : d;
}

/** The first column of `row` that holds one of the person's emails or phones, or null. */
export function identityIn(row: Row, p: Person, which: { emails: boolean; phones: boolean }): string | null {
  for (const [col, v] of Object.entries(row)) {
    if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') continue;
    const text = canon(v).toLowerCase();
    if (which.emails && p.emails.some((e) => text.includes(e.trim().toLowerCase()))) return col;
    if (which.phones) {
      const digits = text.replace(/\D/gu, '');
      if ((p.phones ?? []).some((ph) => digits.includes(phoneDigits(ph)))) return col;
    }
  }
  return null;
}

function label(collection: string, pk: string[], row: Row): string {
  if (pk.length) return `${collection} ${JSON.stringify(Object.fromEntries(pk.map((k) => [k, row[k] ?? null])))}`;
  const text = canon(row);
  return `${collection} ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
}

function changedFields(a: Row, b: Row): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !sameValue(a[k], b[k]));
  return keys.map((k) => `${k}: ${canon(a[k])} -> ${canon(b[k])}`).join(', ');
}

function datasetOf(shop: ShopDef, system: string): string {
  return shop.systems.find((s) => s.name === system)?.dataset ?? system;
}

function tablesOf(before: Dump | undefined, after: Dump | undefined): string[] {
  return [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
}

export function evaluateErasure(run: Run): ErasureEvaluation {
  const { shop, scenario: s, out } = run;
  const subject = person(shop, s.subject);
  const targets = s.type === 'delete_pii' && s.categories?.length ? s.categories : ['user'];
  const which = { emails: targets.some((t) => covers(t, 'user.contact.email')), phones: targets.some((t) => covers(t, 'user.contact.phone_number')) };
  const ev: ErasureEvaluation = { othersChanged: [], leftovers: [], reportedChanges: {}, actualChanges: {}, diffs: {} };
  for (const sys of shop.systems) {
    const before = run.before[sys.name];
    const after = run.after[sys.name];
    ev.diffs[sys.name] = {};
    for (const table of tablesOf(before, after)) {
      const t = before?.[table] ?? after?.[table]!;
      const coll = `${datasetOf(shop, sys.name)}:${table}`;
      const personal = shop.personal[`${sys.name}.${table}`] ?? [];
      const erased = personal.filter((p) => targets.some((x) => covers(x, p.category)));
      const diff = diffTable(before?.[table], after?.[table], personal.map((p) => p.path));
      ev.diffs[sys.name]![table] = diff;
      const mine = (r: Row) => { const o = shop.owners(sys.name, table, r); return o.length === 1 && o[0] === subject.id; };
      const whose = (r: Row) => JSON.stringify(shop.owners(sys.name, table, r));
      for (const p of diff.pairs) {
        if (!mine(p.before)) {
          if (p.changed) ev.othersChanged.push(`${label(coll, t.primaryKey, p.before)} (owners ${whose(p.before)}) changed: ${changedFields(p.before, p.after)}`);
          continue;
        }
        if (listedAsKept(out, coll, p.before)) continue;
        const held = new Set<string>();
        for (const f of erased) {
          const was = valueAt(p.before, f.path);
          if (was === null || was === undefined || was === '') continue;
          if (sameValue(valueAt(p.after, f.path), was)) { held.add(f.path.split('.')[0]!); ev.leftovers.push(`${label(coll, t.primaryKey, p.before)}: ${f.path} still holds ${canon(was)}`); }
        }
        const col = identityIn(p.after, subject, which);
        if (col && !held.has(col)) ev.leftovers.push(`${label(coll, t.primaryKey, p.before)}: ${col} still holds the subject's identity (${canon(p.after[col])})`);
      }
      for (const r of diff.deleted) {
        if (!mine(r)) ev.othersChanged.push(`${label(coll, t.primaryKey, r)} (owners ${whose(r)}) was deleted`);
      }
      for (const r of diff.added) {
        ev.othersChanged.push(`${label(coll, t.primaryKey, r)} was added`);
        const col = identityIn(r, subject, which);
        if (col) ev.leftovers.push(`${label(coll, t.primaryKey, r)} (a new row): ${col} holds the subject's identity`);
      }
      const actual: ChangeCounts = { deleted: diff.deleted.length, masked: diff.pairs.filter((p) => p.changed).length };
      if (diff.added.length) actual.added = diff.added.length;
      ev.actualChanges[coll] = actual;
      const rep = out.changes?.[coll];
      ev.reportedChanges[coll] = { deleted: rep?.deleted ?? 0, masked: rep?.masked ?? 0 };
    }
  }
  // Collections the output names that are not tables of any system (should not happen).
  for (const [coll, c] of Object.entries(out.changes ?? {})) {
    if (!(coll in ev.reportedChanges)) { ev.reportedChanges[coll] = { deleted: c.deleted, masked: c.masked }; ev.actualChanges[coll] = { deleted: 0, masked: 0 }; }
  }
  return ev;
}

export function evaluateAccess(run: Run): AccessEvaluation {
  const { shop, scenario: s, out } = run;
  const ev: AccessEvaluation = { missing: [], foreign: [] };
  for (const sys of shop.systems) {
    const before = run.before[sys.name] ?? {};
    for (const table of Object.keys(before).sort()) {
      const t = before[table]!;
      const coll = `${datasetOf(shop, sys.name)}:${table}`;
      const results = out.results?.[coll] ?? [];
      const matches = (res: Row, row: Row) => {
        const keys = t.primaryKey.length && t.primaryKey.every((k) => k in res) ? t.primaryKey : Object.keys(res);
        return keys.length > 0 && keys.every((k) => sameValue(res[k], row[k]));
      };
      for (const row of t.rows) {
        const owners = shop.owners(sys.name, table, row);
        const found = results.some((res) => matches(res, row));
        if (owners.includes(s.subject) && !found) ev.missing.push(label(coll, t.primaryKey, row));
        if (!owners.includes(s.subject) && found && listedAsKept(out, coll, row)?.kind !== 'review') {
          ev.foreign.push(`${label(coll, t.primaryKey, row)} (owners ${JSON.stringify(owners)})`);
        }
      }
    }
  }
  return ev;
}
