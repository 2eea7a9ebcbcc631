// Finding one person in one system (the walk), in four named steps:
// 1. seeds (./find-seeds.ts): the request's identities to look for, and what is known to be the
//    subject's (seed 002 strategies: `exact` looks up the given identities only; `connected_pii`
//    also feeds identities found in the subject's own rows back in).
// 2. frontier (./find-frontier.ts): from the rows reached, follow the references of the data map,
//    one query per collection per round (identity and reference look-ups together), until no new
//    rows appear. A row whose identity fields hold someone else's values is a boundary: read, never
//    expanded. Rows reached upwards (an address the subject's row points at) are expanded downwards
//    only to learn who else points at them.
// 3. ownership (./own.ts over shared/domain/ownership.ts): per reached row, the subject's alone,
//    shared (review, with the reason) or another person's (listed where it touches the subject's
//    rows, never changed, never in the subject's report).
// 4. output (./find-output.ts): the collections of the discovery result.
// Between queries the walk gives the event loop a turn when one is due (adapters/event-loop.ts), so
// a long walk over a synchronous driver does not keep the server from answering.
import { linksOf, primaryKeyOf, validateAgainstSchema, type DataMap, type DataMapCollection } from '../../domain/datamap';
import { identityVerdict } from '../../domain/ownership';
import type { CollectionResult } from '../../domain/discovery';
import type { CollectionSchema, DataSource, FieldMatch, Row } from '../../adapters/port';
import { takeTurn, turnDue } from '../../adapters/event-loop';
import type { Subject } from './subject';
import { Seeds } from './find-seeds';
import { Frontier, RANK, str, type Mode, type ReachedRow, type Round, type Wanted } from './find-frontier';
import { ownRows } from './own';
import { outputOf } from './find-output';

export type { ReachedRow } from './find-frontier';

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

export interface WalkResult {
  collections: CollectionResult[];
  /** Every reached row by collection (for planning). */
  reached: Map<string, Map<string, ReachedRow>>;
  live: CollectionSchema[];
  queries: number;
}

/** The key that identifies a row: the map's primary key, else the live one, else every mapped field. */
export function keyFieldsOf(c: DataMapCollection, live: CollectionSchema | undefined): string[] {
  const pk = primaryKeyOf(c);
  if (pk.length) return pk;
  const livePk = live?.fields.filter((f) => f.primaryKey).map((f) => f.name) ?? [];
  if (livePk.length) return livePk;
  return c.fields.map((f) => f.name);
}

/** What a walk derives from the map and the live schema alone (./find-system.ts walkSystem). */
interface WalkShape {
  colls: Map<string, DataMapCollection>;
  keyFields: Map<string, string[]>;
  links: ReturnType<typeof linksOf>;
  /** Collection -> its one-field primary key, when the live schema has exactly that key (not a binary column). */
  oneFieldKey: Map<string, string>;
}

/**
 * Per data map and live schema (both read-only once built: a map is parsed, a source keeps its
 * schema for its life), the shape is derived and the map validated against the schema once.
 */
const shapes = new WeakMap<DataMap, WeakMap<CollectionSchema[], WalkShape>>();

function shapeOf(map: DataMap, live: CollectionSchema[]): WalkShape {
  let byLive = shapes.get(map);
  const have = byLive?.get(live);
  if (have) return have;
  validateAgainstSchema(map, live);
  const liveBy = new Map(live.map((c) => [c.name, c]));
  const skipped = (c: DataMapCollection) => (c as { skip?: boolean }).skip === true;
  const colls = new Map(map.collections.filter((c) => !skipped(c)).map((c) => [c.name, c]));
  const keyFields = new Map(map.collections.map((c) => [c.name, keyFieldsOf(c, liveBy.get(c.name))]));
  const links = linksOf(map).filter((l) => colls.has(l.child.collection) && colls.has(l.parent.collection));
  const oneFieldKey = new Map<string, string>();
  for (const c of colls.values()) {
    const pk = liveBy.get(c.name)?.fields.filter((f) => f.primaryKey) ?? [];
    const kf = keyFields.get(c.name)!;
    if (pk.length === 1 && kf.length === 1 && pk[0]!.name === kf[0] && !/blob|bytea|binary/iu.test(pk[0]!.dataType)) oneFieldKey.set(c.name, kf[0]!);
  }
  const shape: WalkShape = { colls, keyFields, links, oneFieldKey };
  if (!byLive) { byLive = new WeakMap(); shapes.set(map, byLive); }
  byLive.set(live, shape);
  return shape;
}

export async function walkSystem(source: DataSource, map: DataMap, subject: Subject, opts: WalkOptions): Promise<WalkResult> {
  const live = await source.introspect();
  const { colls, keyFields, links, oneFieldKey } = shapeOf(map, live);
  const reached = new Map<string, Map<string, ReachedRow>>(map.collections.map((c) => [c.name, new Map()]));
  // A row's id is the JSON of its key values; a one-field key holding a finite number (a rowid) is
  // written without the general serializer (same text: JSON writes a finite number as String does).
  const oneId = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `[${v}]` : JSON.stringify([v ?? null]));
  const idOf = (kf: readonly string[], row: Row) => (kf.length === 1 ? oneId(row[kf[0]!]) : JSON.stringify(kf.map((f) => row[f] ?? null)));
  // (A computed key is an own property whatever its name, as Object.fromEntries makes it.)
  const keyOf = (kf: readonly string[], row: Row): Row => (kf.length === 1 ? { [kf[0]!]: row[kf[0]!] ?? null } : Object.fromEntries(kf.map((f) => [f, row[f] ?? null])));
  let queries = 0;

  // 1. seeds
  const seeds = new Seeds(subject, colls, opts.strategy);
  // 2. frontier: values from other datasets first (anchored to the subject).
  const frontier = new Frontier(colls, links);
  const expand = (r: ReachedRow) => {
    frontier.follow(r);
    if (r.verdict.kind === 'subject') seeds.learnFrom(r);
  };
  const externalKeys = new Set<string>();
  for (const e of opts.external ?? []) {
    if (!colls.has(e.collection)) continue;
    for (const v of e.values) { const k = str(v); if (k === null) continue; externalKeys.add(`${e.collection}\u0000${e.field}\u0000${k}`); frontier.add(e.collection, e.field, v, e.via, 'own'); }
  }

  // A one-field primary key the store enforces (a SQL PRIMARY KEY): looking up a value of it
  // returns at most the one row holding exactly that value.
  const enforcedKey = source.enforcedKeys ? oneFieldKey : new Map<string, string>();
  /**
   * True when looking this key value up could change nothing: its row is already reached (by
   * exactly this value) with at least this mode and a verdict the read cannot change (the walk's
   * identities only grow, so only another person's row can turn out to be the subject's), and no
   * other dataset's value points at it. The "shared-row checks" of a walk (an order's customer, an
   * item's order) are mostly such look-ups.
   */
  const alreadyHeld = (coll: string, field: string, k: string, w: Wanted): boolean => {
    if (enforcedKey.get(coll) !== field || (typeof w.value !== 'string' && typeof w.value !== 'number')) return false;
    if (externalKeys.size > 0 && externalKeys.has(`${coll}\u0000${field}\u0000${k}`)) return false;
    const prior = reached.get(coll)!.get(oneId(w.value));
    return !!prior && prior.row[field] === w.value && prior.verdict.kind !== 'other' && RANK[prior.mode] >= RANK[w.mode];
  };

  /**
   * One query per collection: its identity look-ups (in an identity round) and its frontier values.
   * Every look-up of the round is decided before any answer is read (none depends on another
   * collection's rows of the same round); with a store that answers several at once they are sent
   * together, and the answers are read in collection order either way.
   */
  const readRound = async (idRound: boolean, round: Round): Promise<ReachedRow[]> => {
    const asks: Array<{ c: DataMapCollection; refs: Map<string, Map<string, Wanted>> | undefined; matches: FieldMatch[] }> = [];
    for (const c of colls.values()) {
      const matches: FieldMatch[] = idRound ? seeds.matches(c) : [];
      const refs = round.get(c.name);
      if (refs) {
        for (const [field, vals] of refs) {
          frontier.markAsked(c.name, field, vals);
          const values: unknown[] = [];
          for (const [k, w] of vals) if (!alreadyHeld(c.name, field, k, w)) values.push(w.value);
          if (values.length) matches.push({ field, values });
        }
      }
      if (matches.length) asks.push({ c, refs, matches });
    }
    const parallel = (source.concurrentFinds ?? 1) > 1 && asks.length > 1;
    const answers = parallel ? asks.map((a) => source.find(a.c.name, a.matches)) : [];
    // Every answer is awaited below; until then a failure must not count as unhandled.
    for (const p of answers) p.catch(() => undefined);
    const touched: ReachedRow[] = [];
    for (let i = 0; i < asks.length; i += 1) {
      const { c, refs, matches } = asks[i]!;
      const rows = await (parallel ? answers[i]! : source.find(c.name, matches));
      queries += 1;
      if (turnDue()) await takeTurn();
      const have = reached.get(c.name)!;
      const kf = keyFields.get(c.name)!;
      for (let j = 0; j < rows.length; j += 1) {
        const row = rows[j]!;
        if (turnDue()) await takeTurn();
        const id = idOf(kf, row);
        const verdict = identityVerdict(c, row, seeds.known);
        // What brought this row: an identity, or a reference (the strongest mode among them).
        let via: string | null = verdict.kind === 'subject' ? verdict.via : verdict.kind === 'address' ? 'identity:address' : null;
        let mode: Mode | null = via ? 'own' : null;
        let external = false;
        if (refs) {
          for (const [field, vals] of refs) {
            const k = str(row[field]);
            const w = k === null ? undefined : vals.get(k);
            if (w && (!mode || RANK[w.mode] > RANK[mode])) { mode = w.mode; via ??= w.via; }
            if (k !== null && externalKeys.size > 0 && externalKeys.has(`${c.name}\u0000${field}\u0000${k}`)) external = true;
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
        const r: ReachedRow = { collection: c.name, id, key: keyOf(kf, row), row, via, shared: null, other: null, verdict, mode: verdict.kind === 'subject' || verdict.kind === 'address' ? 'own' : mode, external };
        have.set(id, r);
        touched.push(r);
      }
    }
    return touched;
  };

  for (let guard = 0; guard < 100_000; guard += 1) {
    const idRound = seeds.pending();
    const touched = await readRound(idRound, frontier.take());
    if (idRound) seeds.markAsked();
    for (const r of touched) expand(r);
    if (frontier.size) continue;
    if (seeds.learned) {
      // New identities of the subject: rows read as someone else's may be the subject's after all.
      seeds.learned = false;
      for (const m of reached.values()) for (const r of m.values()) {
        if (r.verdict.kind !== 'other') continue;
        r.verdict = identityVerdict(colls.get(r.collection)!, r.row, seeds.known);
        if (r.verdict.kind === 'subject') { r.mode = 'own'; expand(r); }
      }
      if (frontier.size || (opts.strategy === 'connected_pii' && seeds.pending())) continue;
    }
    if (opts.strategy === 'connected_pii' && seeds.pending()) continue;
    break;
  }

  // 3. ownership, with the final identities
  const all: ReachedRow[] = [];
  for (const m of reached.values()) for (const r of m.values()) all.push(r);
  const touches = await ownRows(all, colls, links, seeds.known);
  // 4. output
  const collections = await outputOf(map, colls, reached, touches, opts.legalHold);
  return { collections, reached, live, queries };
}
