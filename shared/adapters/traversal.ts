// Finding one person in one system. Two steps:
// 1. Reach: from the request's identities, follow the references of the data map, one query per
//    collection and field per round, until no new rows appear (seed 002 strategies: `exact` follows
//    references from the given identities only; `connected_pii` also feeds identities found in the
//    subject's own rows back in). A row whose identity fields hold someone else's values is a
//    boundary: read, never expanded. Rows reached upwards (an address the subject's row points at)
//    are expanded downwards only to learn who else points at them.
// 2. Decide: ../domain/ownership.ts says per reached row whether it is the subject's alone, shared
//    (review, with the reason) or another person's (listed where it touches the subject's rows,
//    never changed, never in the subject's report).
// Between queries the walk gives the event loop a turn when one is due (./event-loop.ts), so a long
// walk over a synchronous driver does not keep the server from answering.
import { normalizeEmail, normalizePhone, normalizeAddress, type Address, type Identities } from '../domain/identity';
import {
  isPersonalCollection, linksOf, primaryKeyOf, validateAgainstSchema, type DataMap, type DataMapCollection,
} from '../domain/datamap';
import { decideOwnership, fullAddressGroup, identityVerdict, type IdentityVerdict, type Ownership } from '../domain/ownership';
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
  /**
   * Values from the subject's own rows in other datasets that this dataset's fields reference
   * (Fides references across datasets: several datasets, one graph). Rows they reach are anchored
   * to the subject unless their identity fields say otherwise.
   */
  external?: Array<{ collection: string; field: string; values: unknown[]; via: string }>;
  /** Reason every row of the system is kept (legal hold on the system). */
  legalHold?: string | null;
}

/** How a row was reached, which decides how far the walk goes from it. */
type Mode = 'own' | 'attr' | 'probe';
const RANK: Record<Mode, number> = { probe: 0, attr: 1, own: 2 };

export interface ReachedRow {
  collection: string;
  id: string;
  key: Row;
  row: Row;
  via: string;
  /** Set when the row is the subject's and someone else's (review). */
  shared: string | null;
  /** Set when the row is another person's (never changed). */
  other: string | null;
  verdict: IdentityVerdict;
  mode: Mode;
  external: boolean;
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
  const skipped = (c: DataMapCollection) => (c as { skip?: boolean }).skip === true;
  const colls = new Map(map.collections.filter((c) => !skipped(c)).map((c) => [c.name, c]));
  const keyFields = new Map(map.collections.map((c) => [c.name, keyFieldsOf(c, liveBy.get(c.name))]));
  const links = linksOf(map).filter((l) => colls.has(l.child.collection) && colls.has(l.parent.collection));
  const reached = new Map<string, Map<string, ReachedRow>>(map.collections.map((c) => [c.name, new Map()]));
  let queries = 0;

  const idOf = (coll: string, row: Row) => JSON.stringify(keyFields.get(coll)!.map((f) => row[f] ?? null));
  const keyOf = (coll: string, row: Row) => Object.fromEntries(keyFields.get(coll)!.map((f) => [f, row[f] ?? null]));

  // Identity values to look for (connected_pii adds the subject's other ones); what was asked.
  const seeds: Subject = { emails: new Set(subject.emails), phones: new Set(subject.phones), addresses: subject.addresses, custom: new Map([...subject.custom].map(([k, v]) => [k, new Set(v)])) };
  const asked = { emails: new Set<string>(), phones: new Set<string>(), custom: new Map<string, Set<string>>(), addresses: false };
  /** collection -> field -> value key -> { value, via, mode } */
  type Wanted = { value: unknown; via: string; mode: Mode };
  let frontier = new Map<string, Map<string, Map<string, Wanted>>>();
  const askedRef = new Map<string, Map<string, number>>(); // "coll\0field" -> value key -> strongest mode asked

  const addFrontier = (coll: string, field: string, value: unknown, via: string, mode: Mode) => {
    const k = str(value);
    if (k === null) return;
    const a = askedRef.get(`${coll}\u0000${field}`);
    if ((a?.get(k) ?? -1) >= RANK[mode]) return;
    let byField = frontier.get(coll);
    if (!byField) { byField = new Map(); frontier.set(coll, byField); }
    let vals = byField.get(field);
    if (!vals) { vals = new Map(); byField.set(field, vals); }
    const have = vals.get(k);
    if (!have || RANK[have.mode] < RANK[mode]) vals.set(k, { value, via, mode });
  };

  // What is known to be the subject's: the seeds plus identity values of kinds the request did not
  // give, found in the subject's own rows (the customer row matched by loyalty id carries the
  // subject's email). Used to judge whose a reached row is; under `exact` only the seeds are looked
  // up, and a second value of a kind the request gave (an alternative email on a joint record) is
  // not taken as the subject's: rows holding only it are another person's until connected_pii says
  // otherwise.
  const known: Subject = { emails: new Set(seeds.emails), phones: new Set(seeds.phones), addresses: seeds.addresses, custom: new Map([...seeds.custom].map(([k, v]) => [k, new Set(v)])) };
  const given = { email: subject.emails.size > 0, phone: subject.phones.size > 0, custom: new Set([...subject.custom.keys()]) };
  let learned = false;
  const addIdentities = (into: Subject, r: ReachedRow, all: boolean): boolean => {
    const c = colls.get(r.collection)!;
    let added = false;
    const put = (set: Set<string>, v: string) => { if (!set.has(v)) { set.add(v); added = true; } };
    for (const f of c.fields) {
      const v = str(r.row[f.name]);
      if (!f.identity || v === null || v.trim() === '') continue;
      if (f.identity === 'email') { if (all || !given.email) put(into.emails, normalizeEmail(v)); }
      else if (f.identity === 'phone') { const p = normalizePhone(v); if (p && (all || !given.phone)) put(into.phones, p); }
      else if (all || !given.custom.has(f.identity)) { const s = into.custom.get(f.identity) ?? new Set<string>(); into.custom.set(f.identity, s); put(s, v.trim()); }
    }
    return added;
  };
  const addSeeds = (r: ReachedRow) => { addIdentities(seeds, r, true); addIdentities(known, r, true); };

  /** Follow the row's links: down to rows that reference it, up to rows it references. */
  const expand = (r: ReachedRow) => {
    if (r.verdict.kind === 'other') return;
    const c = colls.get(r.collection)!;
    const down = r.mode === 'own' ? 'own' : r.mode === 'attr' && isPersonalCollection(c) ? 'probe' : null;
    const up: Mode = r.mode === 'probe' ? 'probe' : 'attr';
    for (const l of links) {
      if (down && l.parent.collection === r.collection) addFrontier(l.child.collection, l.child.field, r.row[l.parent.field], `reference:${l.parent.collection}.${l.parent.field}`, down);
      if (l.child.collection === r.collection) addFrontier(l.parent.collection, l.parent.field, r.row[l.child.field], `reference:${l.child.collection}.${l.child.field}`, up);
    }
    if (r.verdict.kind === 'subject') {
      if (addIdentities(known, r, opts.strategy === 'connected_pii')) learned = true;
      if (opts.strategy === 'connected_pii') addSeeds(r);
    }
  };

  const identityMatches = (c: DataMapCollection): FieldMatch[] => {
    const out: FieldMatch[] = [];
    for (const f of c.fields) {
      if (f.identity === 'email') {
        const v = [...seeds.emails].filter((e) => !asked.emails.has(e));
        if (v.length) out.push({ field: f.name, values: v, normalize: 'email' });
      } else if (f.identity === 'phone') {
        const v = [...seeds.phones].filter((p) => !asked.phones.has(p)).flatMap(phoneDigits);
        if (v.length) out.push({ field: f.name, values: v, normalize: 'phone' });
      } else if (f.identity) {
        const done = asked.custom.get(f.identity) ?? new Set<string>();
        const v = [...(seeds.custom.get(f.identity) ?? [])].filter((x) => !done.has(x));
        if (v.length) out.push({ field: f.name, values: v });
      }
    }
    if (!asked.addresses && seeds.addresses.length) {
      const group = fullAddressGroup(c);
      if (group) out.push({ field: group.get('postalCode')!, values: seeds.addresses.map((a) => normalizeAddress(a).postalCode), normalize: 'postal' });
    }
    return out;
  };

  const externalKeys = new Set<string>();
  for (const e of opts.external ?? []) {
    if (!colls.has(e.collection)) continue;
    for (const v of e.values) { const k = str(v); if (k === null) continue; externalKeys.add(`${e.collection}\u0000${e.field}\u0000${k}`); addFrontier(e.collection, e.field, v, e.via, 'own'); }
  }

  const pendingIdentities = () => [...seeds.emails].some((e) => !asked.emails.has(e)) || [...seeds.phones].some((p) => !asked.phones.has(p))
    || [...seeds.custom].some(([k, vs]) => [...vs].some((v) => !(asked.custom.get(k)?.has(v)))) || (!asked.addresses && seeds.addresses.length > 0);

  for (let guard = 0; guard < 100_000; guard += 1) {
    const touched: ReachedRow[] = [];
    const idRound = pendingIdentities();
    const stepFrontier = frontier;
    frontier = new Map();
    for (const c of colls.values()) {
      const matches: FieldMatch[] = idRound ? identityMatches(c) : [];
      const refs = stepFrontier.get(c.name);
      if (refs) {
        for (const [field, vals] of refs) {
          matches.push({ field, values: [...vals.values()].map((x) => x.value) });
          const a = askedRef.get(`${c.name}\u0000${field}`) ?? new Map<string, number>();
          for (const [k, w] of vals) a.set(k, Math.max(a.get(k) ?? -1, RANK[w.mode]));
          askedRef.set(`${c.name}\u0000${field}`, a);
        }
      }
      if (!matches.length) continue;
      const rows = await source.find(c.name, matches);
      queries += 1;
      await yieldIfDue();
      const have = reached.get(c.name)!;
      for (const row of rows) {
        if (turnDue()) await takeTurn();
        const id = idOf(c.name, row);
        const verdict = identityVerdict(c, row, known);
        // What brought this row: an identity, or a reference (the strongest mode among them).
        let via: string | null = verdict.kind === 'subject' ? verdict.via : verdict.kind === 'address' ? 'identity:address' : null;
        let mode: Mode | null = via ? 'own' : null;
        let external = false;
        if (refs) {
          for (const [field, vals] of refs) {
            const k = str(row[field]);
            const w = k === null ? undefined : vals.get(k);
            if (w && (!mode || RANK[w.mode] > RANK[mode])) { mode = w.mode; via ??= w.via; }
            if (k !== null && externalKeys.has(`${c.name}\u0000${field}\u0000${k}`)) external = true;
          }
        }
        if (!mode || !via) continue; // the SQL match was wider than the exact rule (phone digits, postal code)
        const prior = have.get(id);
        if (prior) {
          prior.verdict = verdict;
          if (external) prior.external = true;
          if (RANK[mode] > RANK[prior.mode] || (verdict.kind === 'subject' && prior.mode !== 'own')) { prior.mode = verdict.kind === 'subject' ? 'own' : mode; touched.push(prior); }
          continue;
        }
        const r: ReachedRow = { collection: c.name, id, key: keyOf(c.name, row), row, via, shared: null, other: null, verdict, mode: verdict.kind === 'subject' || verdict.kind === 'address' ? 'own' : mode, external };
        have.set(id, r);
        touched.push(r);
      }
    }
    if (idRound) {
      seeds.emails.forEach((e) => asked.emails.add(e));
      seeds.phones.forEach((p) => asked.phones.add(p));
      for (const [k, vs] of seeds.custom) { const s = asked.custom.get(k) ?? new Set<string>(); vs.forEach((v) => s.add(v)); asked.custom.set(k, s); }
      asked.addresses = true;
    }
    for (const r of touched) expand(r);
    if (frontier.size) continue;
    if (learned) {
      // New identities of the subject: rows read as someone else's may be the subject's after all.
      learned = false;
      for (const m of reached.values()) for (const r of m.values()) {
        if (r.verdict.kind !== 'other') continue;
        r.verdict = identityVerdict(colls.get(r.collection)!, r.row, known);
        if (r.verdict.kind === 'subject') { r.mode = 'own'; expand(r); }
      }
      if (frontier.size || (opts.strategy === 'connected_pii' && pendingIdentities())) continue;
    }
    if (opts.strategy === 'connected_pii' && pendingIdentities()) continue;
    break;
  }

  // Decide whose each reached row is, with the final identities.
  const all: ReachedRow[] = [];
  for (const m of reached.values()) for (const r of m.values()) { r.verdict = identityVerdict(colls.get(r.collection)!, r.row, known); all.push(r); }
  const verdicts = await decideOwnership(all.map((r) => ({ collection: r.collection, id: r.id, row: r.row, verdict: r.verdict, external: r.external })), links,
    async () => { if (turnDue()) await takeTurn(); });
  const ownership = (r: ReachedRow): Ownership => verdicts.get(`${r.collection}\u0000${r.id}`)!;
  for (const r of all) {
    const o = ownership(r);
    r.shared = o.owner === 'shared' ? o.reason : null;
    r.other = o.owner === 'other' ? o.reason : null;
  }
  // Another person's rows are listed only where they touch a row of the subject's (a referral, a
  // gift): staff see why they were left alone; the rest of what the walk read is dropped.
  const touchesSubject = new Set<string>();
  {
    const mine = all.filter((r) => !r.other);
    for (const l of links) {
      const childVals = new Map<string, ReachedRow[]>();
      for (const r of all) if (r.collection === l.child.collection) { const v = str(r.row[l.child.field]); if (v !== null) { const x = childVals.get(v) ?? []; x.push(r); childVals.set(v, x); } }
      const parentVals = new Map<string, ReachedRow[]>();
      for (const r of all) if (r.collection === l.parent.collection) { const v = str(r.row[l.parent.field]); if (v !== null) { const x = parentVals.get(v) ?? []; x.push(r); parentVals.set(v, x); } }
      for (const r of mine) {
        if (turnDue()) await takeTurn();
        if (r.shared) continue;
        if (r.collection === l.parent.collection) { const v = str(r.row[l.parent.field]); for (const o of v === null ? [] : childVals.get(v) ?? []) if (o.other && o.verdict.kind === 'other') touchesSubject.add(`${o.collection}\u0000${o.id}`); }
        if (r.collection === l.child.collection) { const v = str(r.row[l.child.field]); for (const o of v === null ? [] : parentVals.get(v) ?? []) if (o.other && o.verdict.kind === 'other') touchesSubject.add(`${o.collection}\u0000${o.id}`); }
      }
    }
  }

  const collections: CollectionResult[] = [];
  for (const c of colls.values()) { // skipped collections are never read: the plan names them as kept
    const rows: FoundRow[] = [];
    for (const r of reached.get(c.name)!.values()) {
      if (turnDue()) await takeTurn();
      if (r.other) {
        if (!touchesSubject.has(`${r.collection}\u0000${r.id}`)) continue;
        // Someone else's row: its key and the reason only, never its values.
        rows.push({ key: r.key, values: {}, categories: {}, via: r.via, shared: null, exempt: null, other: { reason: r.other } });
        continue;
      }
      const values: Record<string, unknown> = {};
      const categories: Record<string, string> = {};
      for (const f of c.fields) {
        values[f.name] = r.row[f.name] ?? null;
        if (f.categories[0]) categories[f.name] = f.categories[0];
      }
      const exempt = opts.legalHold ? `legal hold on the system: ${opts.legalHold}` : c.retention ? `retention (${c.retention.reason})${c.retention.note ? `: ${c.retention.note}` : ''}` : null;
      rows.push({ key: r.key, values, categories, via: r.via, shared: r.shared ? { reason: r.shared } : null, exempt: exempt ? { reason: exempt } : null, other: null });
    }
    collections.push({ system: '', dataset: map.dataset, collection: c.name, rows });
  }
  return { collections, reached, live, queries };
}
