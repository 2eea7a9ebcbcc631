// The frontier of a walk in one system: the reference values still to look up, per collection and
// field, each with how it was reached (the mode), which decides how far the walk goes from the rows
// it brings. A value is asked again only when it comes with a stronger mode than before.
//   own   - reached from the subject's own row (follow every link)
//   attr  - an attribute the subject's row points at (an address): follow down only to learn who
//           else points at it (as a probe), never further up than attr
//   probe - read to see whose it is; never expanded into the subject's data
import { isPersonalCollection, type DataMapCollection } from '../../domain/datamap';
import type { IdentityVerdict, OwnershipLink } from '../../domain/ownership';
import type { Row } from '../../adapters/port';

export type Mode = 'own' | 'attr' | 'probe';
export const RANK: Record<Mode, number> = { probe: 0, attr: 1, own: 2 };

/** A row the walk reached, with why and how (updated as the walk learns more). */
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

/** A value to look up and how it was reached. */
export interface Wanted { value: unknown; via: string; mode: Mode }
/** collection -> field -> value key -> wanted */
export type Round = Map<string, Map<string, Map<string, Wanted>>>;

export function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

/** A link as one collection's rows follow it: down (they are its parent) and/or up (its child). */
interface LinkStep { link: OwnershipLink; down: boolean; up: boolean; childKey: string; parentKey: string; downVia: string; upVia: string }

/** The link steps per links array (a walk's links are derived once per data map and schema, and never changed). */
const stepsByLinks = new WeakMap<readonly OwnershipLink[], Map<string, LinkStep[]>>();

export class Frontier {
  private next: Round = new Map();
  /** "coll\0field" -> value key -> strongest mode asked */
  private readonly asked = new Map<string, Map<string, number>>();

  /** Whether a collection holds personal data, per collection (asked once per walk). */
  private readonly personal = new Map<string, boolean>();
  /** Collection -> the links its rows follow (linksOf). */
  private readonly steps: Map<string, LinkStep[]>;

  constructor(private readonly colls: Map<string, DataMapCollection>, private readonly links: readonly OwnershipLink[]) {
    let steps = stepsByLinks.get(links);
    if (!steps) { steps = new Map(); stepsByLinks.set(links, steps); }
    this.steps = steps;
  }

  private isPersonal(c: DataMapCollection): boolean {
    let p = this.personal.get(c.name);
    if (p === undefined) { p = isPersonalCollection(c); this.personal.set(c.name, p); }
    return p;
  }

  get size(): number { return this.next.size; }

  add(coll: string, field: string, value: unknown, via: string, mode: Mode): void {
    this.addAt(coll, field, `${coll}\u0000${field}`, value, via, mode);
  }

  /** add() with the field's key in `asked` ("coll\0field") already made. */
  private addAt(coll: string, field: string, askedKey: string, value: unknown, via: string, mode: Mode): void {
    const k = str(value);
    if (k === null) return;
    const a = this.asked.get(askedKey);
    if ((a?.get(k) ?? -1) >= RANK[mode]) return;
    let byField = this.next.get(coll);
    if (!byField) { byField = new Map(); this.next.set(coll, byField); }
    let vals = byField.get(field);
    if (!vals) { vals = new Map(); byField.set(field, vals); }
    const have = vals.get(k);
    if (!have || RANK[have.mode] < RANK[mode]) vals.set(k, { value, via, mode });
  }

  /** The values to look up this round (the frontier starts empty again). */
  take(): Round {
    const round = this.next;
    this.next = new Map();
    return round;
  }

  /** Record that these values of a field were looked up (with their modes). */
  markAsked(coll: string, field: string, vals: Map<string, Wanted>): void {
    const key = `${coll}\u0000${field}`;
    let a = this.asked.get(key);
    if (!a) { a = new Map<string, number>(); this.asked.set(key, a); }
    for (const [k, w] of vals) a.set(k, Math.max(a.get(k) ?? -1, RANK[w.mode]));
  }

  /** Follow the row's links: down to rows that reference it, up to rows it references. */
  follow(r: ReachedRow): void {
    if (r.verdict.kind === 'other') return;
    const c = this.colls.get(r.collection)!;
    const down = r.mode === 'own' ? 'own' : r.mode === 'attr' && this.isPersonal(c) ? 'probe' : null;
    const up: Mode = r.mode === 'probe' ? 'probe' : 'attr';
    for (const t of this.linksOf(r.collection)) {
      const l = t.link;
      if (down && t.down) this.addAt(l.child.collection, l.child.field, t.childKey, r.row[l.parent.field], t.downVia, down);
      if (t.up) this.addAt(l.parent.collection, l.parent.field, t.parentKey, r.row[l.child.field], t.upVia, up);
    }
  }

  /** The links a collection's rows follow, in the map's order, with their keys and reasons made once per walk. */
  private linksOf(coll: string): LinkStep[] {
    let steps = this.steps.get(coll);
    if (!steps) {
      steps = [];
      for (const link of this.links) {
        const down = link.parent.collection === coll;
        const up = link.child.collection === coll;
        if (!down && !up) continue;
        steps.push({
          link, down, up,
          childKey: `${link.child.collection}\u0000${link.child.field}`, parentKey: `${link.parent.collection}\u0000${link.parent.field}`,
          downVia: `reference:${link.parent.collection}.${link.parent.field}`, upVia: `reference:${link.child.collection}.${link.child.field}`,
        });
      }
      this.steps.set(coll, steps);
    }
    return steps;
  }
}
