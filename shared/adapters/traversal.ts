// Finding one person in one system: walk the reference graph from the request's identities, one
// query per collection per step, until no new rows appear (seed 002 strategies: `exact` follows
// references from the given identities only; `connected_pii` also feeds identities found in
// reached rows back in). A reached row that also links to a row the walk did not reach - someone
// else's record (an address that is another customer's home, a card on another customer's order) -
// is marked shared: it is reported, never expanded and never erased automatically.
// Between queries the walk gives the event loop a turn when one is due (./event-loop.ts), so a long
// walk over a synchronous driver does not keep the server from answering.
import { normalizeEmail, normalizePhone, normalizeAddress, type Address, type Identities } from '../domain/identity';
import {
  edgesOf, isPersonalCollection, linksOf, primaryKeyOf, validateAgainstSchema, type DataMap, type DataMapCollection,
} from '../domain/datamap';
import type { CollectionResult, FoundRow } from '../domain/discovery';
import type { CollectionSchema, DataSource, FieldMatch, Row } from './port';
import { takeTurn, turnDue, yieldIfDue } from './event-loop';

export interface Subject {
  emails: Set<string>;
  /** E.164 */
  phones: Set<string>;
  addresses: Address[];
  /** custom key name -> values */
  custom: Map<string, Set<string>>;
}

export function subjectOf(ids: Identities): Subject {
  const s: Subject = { emails: new Set(), phones: new Set(), addresses: [], custom: new Map() };
  if (ids.email) s.emails.add(normalizeEmail(ids.email));
  if (ids.phone) { const p = normalizePhone(ids.phone); if (p) s.phones.add(p); }
  if (ids.address) s.addresses.push(ids.address);
  for (const k of ids.customKeys ?? []) {
    const set = s.custom.get(k.name) ?? new Set<string>();
    set.add(k.value.trim());
    s.custom.set(k.name, set);
  }
  return s;
}

/** Merge several subjects (batch processing: one walk for many requests). */
export function mergeSubjects(list: Subject[]): Subject {
  const out: Subject = { emails: new Set(), phones: new Set(), addresses: [], custom: new Map() };
  for (const s of list) {
    s.emails.forEach((e) => out.emails.add(e));
    s.phones.forEach((p) => out.phones.add(p));
    out.addresses.push(...s.addresses);
    for (const [k, vs] of s.custom) { const set = out.custom.get(k) ?? new Set<string>(); vs.forEach((v) => set.add(v)); out.custom.set(k, set); }
  }
  return out;
}

export interface WalkOptions {
  strategy: 'exact' | 'connected_pii';
  /** Reason every row of the system is kept (legal hold on the system). */
  legalHold?: string | null;
}

export interface ReachedRow {
  collection: string;
  id: string;
  key: Row;
  row: Row;
  via: string;
  shared: string | null;
  expanded: boolean;
}

export interface WalkResult {
  collections: CollectionResult[];
  /** Every reached row by collection (for planning). */
  reached: Map<string, Map<string, ReachedRow>>;
  live: CollectionSchema[];
  queries: number;
}

const phoneDigits = (e164: string): string[] => {
  const d = e164.replace(/^\+/u, '');
  const out = [d];
  if (e164.startsWith('+1') && d.length === 11) out.push(d.slice(1));
  return out;
};

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

function addressMatches(c: DataMapCollection, row: Row, addrs: Address[]): boolean {
  const parts = c.fields.filter((f) => f.addressPart);
  if (!parts.length) return false;
  const rowAddr: Record<string, string> = {};
  for (const f of parts) rowAddr[f.addressPart!] = str(row[f.name]) ?? '';
  const n = normalizeAddress({ line1: rowAddr.line1 || '-', line2: rowAddr.line2, city: rowAddr.city || '-', state: rowAddr.state, postalCode: rowAddr.postalCode || '-', country: rowAddr.country || 'US' });
  return addrs.some((a) => {
    const m = normalizeAddress(a);
    return parts.every((f) => (m as Record<string, string>)[f.addressPart!] === (n as Record<string, string>)[f.addressPart!]);
  });
}

/** The key that identifies a row: the map's primary key, else the live one, else every mapped field. */
export function keyFieldsOf(c: DataMapCollection, live: CollectionSchema | undefined): string[] {
  const pk = primaryKeyOf(c);
  if (pk.length) return pk;
  const livePk = live?.fields.filter((f) => f.primaryKey).map((f) => f.name) ?? [];
  if (livePk.length) return livePk;
  return c.fields.map((f) => f.name);
}

export async function walkSystem(source: DataSource, map: DataMap, subject: Subject, opts: WalkOptions): Promise<WalkResult> {
  const live = await source.introspect();
  validateAgainstSchema(map, live);
  const liveBy = new Map(live.map((c) => [c.name, c]));
  const colls = new Map(map.collections.map((c) => [c.name, c]));
  const keyFields = new Map(map.collections.map((c) => [c.name, keyFieldsOf(c, liveBy.get(c.name))]));
  const edges = edgesOf(map);
  const links = linksOf(map);
  const reached = new Map<string, Map<string, ReachedRow>>(map.collections.map((c) => [c.name, new Map()]));
  let queries = 0;

  const idOf = (coll: string, row: Row) => JSON.stringify(keyFields.get(coll)!.map((f) => row[f] ?? null));
  const keyOf = (coll: string, row: Row) => Object.fromEntries(keyFields.get(coll)!.map((f) => [f, row[f] ?? null]));

  // Identity values still to look for (connected_pii adds found ones); what was already asked.
  const seeds: Subject = { emails: new Set(subject.emails), phones: new Set(subject.phones), addresses: subject.addresses, custom: new Map([...subject.custom].map(([k, v]) => [k, new Set(v)])) };
  const asked = { emails: new Set<string>(), phones: new Set<string>(), custom: new Map<string, Set<string>>(), addresses: false };
  /** collection -> field -> values to look up (from edges) */
  let frontier = new Map<string, Map<string, Map<string, { value: unknown; via: string }>>>();
  const askedRef = new Map<string, Set<string>>(); // "coll.field" -> value keys asked

  const addFrontier = (coll: string, field: string, value: unknown, via: string) => {
    const k = str(value);
    if (k === null) return;
    const a = askedRef.get(`${coll}.${field}`);
    if (a?.has(k)) return;
    let byField = frontier.get(coll);
    if (!byField) { byField = new Map(); frontier.set(coll, byField); }
    let vals = byField.get(field);
    if (!vals) { vals = new Map(); byField.set(field, vals); }
    if (!vals.has(k)) vals.set(k, { value, via });
  };

  const expand = (r: ReachedRow) => {
    r.expanded = true;
    for (const e of edges) if (e.from.collection === r.collection) addFrontier(e.to.collection, e.to.field, r.row[e.from.field], `reference:${e.from.collection}.${e.from.field}`);
    if (opts.strategy === 'connected_pii') {
      const c = colls.get(r.collection)!;
      for (const f of c.fields) {
        const v = str(r.row[f.name]);
        if (!f.identity || v === null) continue;
        if (f.identity === 'email') seeds.emails.add(normalizeEmail(v));
        else if (f.identity === 'phone') { const p = normalizePhone(v); if (p) seeds.phones.add(p); }
        else { const s = seeds.custom.get(f.identity) ?? new Set<string>(); s.add(v); seeds.custom.set(f.identity, s); }
      }
    }
  };

  /** A join collection (no personal fields of its own) that references a personal collection. */
  const linksToPersonal = (c: DataMapCollection): boolean => links.some((l) => {
    const far = l.child.collection === c.name ? l.parent.collection : l.parent.collection === c.name ? l.child.collection : null;
    const fc = far && far !== c.name ? colls.get(far) : undefined;
    return !!fc && isPersonalCollection(fc);
  });

  /** Rows of `coll` among `rows` that link to a row the walk has not reached (someone else's). */
  const sharedCheck = async (coll: string, rows: ReachedRow[]): Promise<void> => {
    if (!rows.length) return;
    for (const r of rows) r.shared = null;
    for (const l of links) {
      const otherEnd = l.parent.collection === coll ? l.child : l.child.collection === coll ? l.parent : null;
      if (!otherEnd) continue;
      const asParent = l.parent.collection === coll;
      const myField = asParent ? l.parent.field : l.child.field;
      // Only a link the walk cannot follow from this row can lead to someone else's row: a link it
      // follows reaches the other rows as this person's own.
      const followable = edges.some((e) => e.from.collection === coll && e.from.field === myField && e.to.collection === otherEnd.collection && e.to.field === otherEnd.field);
      if (followable) continue;
      const other = colls.get(otherEnd.collection);
      if (!other || !(isPersonalCollection(other) || linksToPersonal(other))) continue;
      const values = new Map<string, ReachedRow[]>();
      for (const r of rows) {
        const v = str(r.row[myField]);
        if (v === null) continue;
        const list = values.get(v) ?? [];
        list.push(r);
        values.set(v, list);
      }
      if (!values.size) continue;
      const found = await source.find(otherEnd.collection, [{ field: otherEnd.field, values: [...values.values()].map((l2) => l2[0]!.row[myField]) }]);
      queries += 1;
      await yieldIfDue();
      const reachedOther = reached.get(otherEnd.collection)!;
      for (const o of found) {
        if (reachedOther.has(idOf(otherEnd.collection, o))) continue;
        if (otherEnd.collection === coll && rows.some((r) => r.id === idOf(coll, o))) continue;
        const v = str(o[otherEnd.field]);
        for (const r of (v === null ? [] : values.get(v) ?? [])) {
          r.shared ??= asParent
            ? `also linked from ${otherEnd.collection} of another person (${otherEnd.collection}.${otherEnd.field})`
            : `links to ${otherEnd.collection} of another person (${coll}.${myField})`;
        }
      }
    }
  };

  const identityMatches = (c: DataMapCollection, fresh: boolean): FieldMatch[] => {
    const out: FieldMatch[] = [];
    for (const f of c.fields) {
      if (f.identity === 'email') {
        const v = [...seeds.emails].filter((e) => fresh || !asked.emails.has(e));
        if (v.length) out.push({ field: f.name, values: v, normalize: 'email' });
      } else if (f.identity === 'phone') {
        const v = [...seeds.phones].filter((p) => fresh || !asked.phones.has(p)).flatMap(phoneDigits);
        if (v.length) out.push({ field: f.name, values: v, normalize: 'phone' });
      } else if (f.identity) {
        const done = asked.custom.get(f.identity) ?? new Set<string>();
        const v = [...(seeds.custom.get(f.identity) ?? [])].filter((x) => fresh || !done.has(x));
        if (v.length) out.push({ field: f.name, values: v });
      }
    }
    if (!asked.addresses && seeds.addresses.length) {
      const postal = c.fields.find((f) => f.addressPart === 'postalCode');
      if (postal) out.push({ field: postal.name, values: seeds.addresses.map((a) => normalizeAddress(a).postalCode), normalize: 'postal' });
    }
    return out;
  };

  const identityHit = (c: DataMapCollection, row: Row, emails: Set<string>, phones: Set<string>, custom: Map<string, Set<string>>): string | null => {
    for (const f of c.fields) {
      const v = str(row[f.name]);
      if (v === null || !f.identity) continue;
      if (f.identity === 'email' && emails.has(normalizeEmail(v))) return 'identity:email';
      if (f.identity === 'phone') { const p = normalizePhone(v); if (p && phones.has(p)) return 'identity:phone'; }
      if (f.identity !== 'email' && f.identity !== 'phone' && custom.get(f.identity)?.has(v)) return `identity:${f.identity}`;
    }
    if (seeds.addresses.length && addressMatches(c, row, seeds.addresses)) return 'identity:address';
    return null;
  };

  let first = true;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const fresh: ReachedRow[] = [];
    // Identity look-ups (first step, and new identities under connected_pii).
    const newEmails = [...seeds.emails].filter((e) => !asked.emails.has(e));
    const newPhones = [...seeds.phones].filter((p) => !asked.phones.has(p));
    const newCustom = [...seeds.custom].some(([k, vs]) => [...vs].some((v) => !(asked.custom.get(k)?.has(v))));
    const idRound = first || newEmails.length > 0 || newPhones.length > 0 || newCustom;
    const stepFrontier = frontier;
    frontier = new Map();
    for (const c of map.collections) {
      const matches: FieldMatch[] = idRound ? identityMatches(c, false) : [];
      const refs = stepFrontier.get(c.name);
      if (refs) {
        for (const [field, vals] of refs) {
          matches.push({ field, values: [...vals.values()].map((x) => x.value) });
          const a = askedRef.get(`${c.name}.${field}`) ?? new Set<string>();
          for (const k of vals.keys()) a.add(k);
          askedRef.set(`${c.name}.${field}`, a);
        }
      }
      if (!matches.length) continue;
      const rows = await source.find(c.name, matches);
      queries += 1;
      await yieldIfDue();
      const emails = new Set(seeds.emails);
      const phones = new Set(seeds.phones);
      for (const row of rows) {
        if (turnDue()) await takeTurn();
        const id = idOf(c.name, row);
        const have = reached.get(c.name)!;
        if (have.has(id)) continue;
        let via = identityHit(c, row, emails, phones, seeds.custom);
        if (!via && refs) {
          for (const [field, vals] of refs) {
            const k = str(row[field]);
            if (k !== null && vals.has(k)) { via = vals.get(k)!.via; break; }
          }
        }
        if (!via) continue; // the SQL match was wider than the exact rule (phone digits, postal code)
        const r: ReachedRow = { collection: c.name, id, key: keyOf(c.name, row), row, via, shared: null, expanded: false };
        have.set(id, r);
        fresh.push(r);
      }
    }
    if (idRound) {
      newEmails.forEach((e) => asked.emails.add(e));
      newPhones.forEach((p) => asked.phones.add(p));
      for (const [k, vs] of seeds.custom) { const s = asked.custom.get(k) ?? new Set<string>(); vs.forEach((v) => s.add(v)); asked.custom.set(k, s); }
      asked.addresses = true;
    }
    first = false;
    // Shared detection for the new rows, per collection; expand the rest.
    const byColl = new Map<string, ReachedRow[]>();
    for (const r of fresh) { const l = byColl.get(r.collection) ?? []; l.push(r); byColl.set(r.collection, l); }
    for (const [coll, rs] of byColl) await sharedCheck(coll, rs);
    for (const r of fresh) if (!r.shared) expand(r);
    const moreIds = opts.strategy === 'connected_pii' && ([...seeds.emails].some((e) => !asked.emails.has(e)) || [...seeds.phones].some((p) => !asked.phones.has(p))
      || [...seeds.custom].some(([k, vs]) => [...vs].some((v) => !(asked.custom.get(k)?.has(v)))));
    if (frontier.size || moreIds) continue;
    // Fixed point: re-check shared rows against everything reached; expand those that were only waiting.
    const waiting = new Map<string, ReachedRow[]>();
    for (const [coll, m] of reached) for (const r of m.values()) if (r.shared && !r.expanded) { const l = waiting.get(coll) ?? []; l.push(r); waiting.set(coll, l); }
    let released = false;
    for (const [coll, rs] of waiting) {
      await sharedCheck(coll, rs);
      for (const r of rs) if (!r.shared) { expand(r); released = true; }
    }
    if (!released) break;
  }

  const collections: CollectionResult[] = [];
  for (const c of map.collections) {
    const rows: FoundRow[] = [];
    for (const r of reached.get(c.name)!.values()) {
      const values: Record<string, unknown> = {};
      const categories: Record<string, string> = {};
      for (const f of c.fields) {
        values[f.name] = r.row[f.name] ?? null;
        if (f.categories[0]) categories[f.name] = f.categories[0];
      }
      const exempt = opts.legalHold ? `legal hold on the system: ${opts.legalHold}` : c.retention ? `retention (${c.retention.reason})${c.retention.note ? `: ${c.retention.note}` : ''}` : null;
      rows.push({ key: r.key, values, categories, via: r.via, shared: r.shared ? { reason: r.shared } : null, exempt: exempt ? { reason: exempt } : null });
    }
    collections.push({ system: '', dataset: map.dataset, collection: c.name, rows });
  }
  return { collections, reached, live, queries };
}
