// Whose row is it? The decision the erasure engine stands on, kept apart from the SQL walking
// (shared/app/datamap/find-system.ts, applied by shared/app/datamap/own.ts) and pure: rows in, one verdict per row out.
//
// 1. Identity evidence first. A row whose email / phone / custom-key field holds one of the
//    subject's values is the subject's (a root). A row whose identity fields hold other values and
//    none of the subject's is another person's: never changed, never expanded. A row that matches
//    only by the full address group is the subject's when the address points at one person; at more
//    than one (or at a row whose email says otherwise) it is shared.
// 2. Rows without identity values take their owner from the graph, in the direction of the data:
//    a row belongs to the rows it references (an order to its customer, an item to its order:
//    "anchored"; where it references people directly, those people alone decide: Carol's order
//    paid with Ann's card is Carol's); a row that references nothing anchored (an address, a household) belongs to every
//    row that references it. So another person's row pointing at the subject's row (a referral, a
//    gift, a review) never makes the subject's own row shared, and the subject's row pointing at
//    another person's (referred_by) never makes that row the subject's.
// 3. Owned by the subject alone: erasable. The subject's and someone else's: shared (review, with
//    the reason). Not the subject's: another person's (listed where it touches the subject's data,
//    never changed). Cycles and self-references are fixed points of the same propagation.
import type { Address } from './identity';
import { normalizeAddress, normalizeEmail, normalizePhone } from './identity';
import { ADDRESS_PARTS, type DataMapCollection } from './datamap';

export type OwnedRow = Record<string, unknown>;

export interface SubjectIdentities {
  emails: Set<string>;
  /** E.164 */
  phones: Set<string>;
  addresses: Address[];
  /** custom key name -> values */
  custom: Map<string, Set<string>>;
}

export type IdentityVerdict =
  | { kind: 'subject'; via: string }
  /** Only the full address group matches; `person` is the row's other identity values (null: none). */
  | { kind: 'address'; person: string | null; conflict: boolean }
  | { kind: 'other'; field: string; identity: string }
  | { kind: 'none' };

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v : String(v);
  return s.trim() === '' ? null : s;
}

/** The collection's address group when it maps every part (a partial group never matches). */
export function fullAddressGroup(c: DataMapCollection): Map<string, string> | null {
  const parts = new Map<string, string>();
  for (const f of c.fields) if (f.addressPart) parts.set(f.addressPart, f.name);
  return ADDRESS_PARTS.every((p) => parts.has(p)) ? parts : null;
}

export function addressMatches(c: DataMapCollection, row: OwnedRow, addrs: readonly Address[]): boolean {
  if (!addrs.length) return false;
  const parts = fullAddressGroup(c);
  if (!parts) return false;
  const get = (p: string) => text(row[parts.get(p)!]) ?? '';
  if (!get('line1') || !get('postalCode')) return false;
  const n = normalizeAddress({ line1: get('line1'), line2: get('line2'), city: get('city'), state: get('state'), postalCode: get('postalCode'), country: get('country') || 'US' });
  const rowKey = ADDRESS_PARTS.map((p) => (n as Record<string, string>)[p]).join('|');
  return addrs.some((a) => { const m = normalizeAddress(a); return ADDRESS_PARTS.map((p) => (m as Record<string, string>)[p]).join('|') === rowKey; });
}

/** What the row's identity fields say about whose row it is. */
export function identityVerdict(c: DataMapCollection, row: OwnedRow, s: SubjectIdentities): IdentityVerdict {
  let other: { field: string; identity: string } | null = null;
  // The row's other identity values and their kinds (made at the first one: most rows hold none).
  let person: string[] | null = null;
  let kinds: Set<string> | null = null;
  for (const f of c.fields) {
    if (!f.identity) continue;
    const v = text(row[f.name]);
    if (v === null) continue;
    person ??= [];
    kinds ??= new Set<string>();
    if (f.identity === 'email') {
      const e = normalizeEmail(v);
      if (s.emails.has(e)) return { kind: 'subject', via: 'identity:email' };
      person.push(`email:${e}`); kinds.add('email');
    } else if (f.identity === 'phone') {
      const p = normalizePhone(v);
      if (p && s.phones.has(p)) return { kind: 'subject', via: 'identity:phone' };
      person.push(`phone:${p ?? v}`); kinds.add('phone');
    } else {
      if (s.custom.get(f.identity)?.has(v.trim()) || s.custom.get(f.identity)?.has(v)) return { kind: 'subject', via: `identity:${f.identity}` };
      person.push(`${f.identity}:${v}`); kinds.add(f.identity);
    }
    other ??= { field: f.name, identity: f.identity };
  }
  if (addressMatches(c, row, s.addresses)) {
    const conflict = !!kinds && [...kinds].some((k) => (k === 'email' ? s.emails.size > 0 : k === 'phone' ? s.phones.size > 0 : (s.custom.get(k)?.size ?? 0) > 0));
    return { kind: 'address', person: person ? person.sort().join('|') : null, conflict };
  }
  if (other) return { kind: 'other', ...other };
  return { kind: 'none' };
}

export interface OwnershipLink { child: { collection: string; field: string }; parent: { collection: string; field: string } }
export interface OwnershipInput {
  collection: string; id: string; row: OwnedRow; verdict: IdentityVerdict;
  /** Reached by a reference from the subject's own rows in another dataset (anchored to the subject). */
  external?: boolean;
}
export type Ownership =
  | { owner: 'subject' }
  | { owner: 'shared'; reason: string }
  | { owner: 'other'; reason: string };

interface Owners { s: boolean; other: string | null }
const NONE: Owners = { s: false, other: null };
const union = (a: Owners, b: Owners): Owners => ({ s: a.s || b.s, other: a.other ?? b.other });
const same = (a: Owners, b: Owners) => a.s === b.s && a.other === b.other;

/**
 * One verdict per row (by `${collection}\u0000${id}`), in time linear in rows x links: two
 * monotone propagations (anchored owners down the references, then attribute owners up from the
 * rows that reference an unanchored row), each row changing at most twice.
 */
export async function decideOwnership(rows: readonly OwnershipInput[], links: readonly OwnershipLink[], turn: () => Promise<void> = async () => undefined): Promise<Map<string, Ownership>> {
  const byRow = await decideOwnershipByRow(rows, links, turn);
  const out = new Map<string, Ownership>();
  for (let i = 0; i < rows.length; i += 1) out.set(`${rows[i]!.collection}\u0000${rows[i]!.id}`, byRow[i]!);
  return out;
}

/**
 * The same verdicts by position: the verdict of `rows[i]` is at `i`. `distinct`: the caller
 * guarantees no two rows share `collection` and `id` (a walk's reached rows), so rows need not be
 * numbered by their key.
 */
export async function decideOwnershipByRow(rows: readonly OwnershipInput[], links: readonly OwnershipLink[], turn: () => Promise<void> = async () => undefined, distinct = false): Promise<Ownership[]> {
  // The caller's turn (the adapters give the event loop a turn when one is due): every 512 steps,
  // counted inline (an await on every step would cost a promise per step, more than the step).
  let steps = 0;
  // Rows are numbered by their key (`collection\0id`: rows with the same key share the number, as
  // they would share an entry of a map keyed by it); lists hold positions in `rows`.
  const keyOf = (r: OwnershipInput) => `${r.collection}\u0000${r.id}`;
  const slot: number[] = new Array<number>(rows.length);
  let slots = rows.length;
  const byColl = new Map<string, number[]>();
  if (distinct) {
    for (let i = 0; i < rows.length; i += 1) {
      slot[i] = i;
      const c = rows[i]!.collection;
      const l = byColl.get(c);
      if (l) l.push(i); else byColl.set(c, [i]);
    }
  } else {
    const slotByKey = new Map<string, number>();
    slots = 0;
    for (let i = 0; i < rows.length; i += 1) {
      const r = rows[i]!;
      const k = keyOf(r);
      let n = slotByKey.get(k);
      if (n === undefined) { n = slots; slots += 1; slotByKey.set(k, n); }
      slot[i] = n;
      const l = byColl.get(r.collection);
      if (l) l.push(i); else byColl.set(r.collection, [i]);
    }
  }
  // value index per link end
  const index = new Map<string, Map<string, number[]>>();
  const idx = (collection: string, field: string) => {
    const k = `${collection}\u0000${field}`;
    let m = index.get(k);
    if (!m) {
      m = new Map();
      for (const i of byColl.get(collection) ?? []) { const v = text(rows[i]!.row[field]); if (v === null) continue; const l = m.get(v); if (l) l.push(i); else m.set(v, [i]); }
      index.set(k, m);
    }
    return m;
  };
  const parents: Array<number[] | undefined> = new Array(slots);
  const children: Array<number[] | undefined> = new Array(slots);
  for (const l of links) {
    const parentIdx = idx(l.parent.collection, l.parent.field);
    for (const i of byColl.get(l.child.collection) ?? []) {
      if (((steps += 1) & 511) === 0) await turn();
      const r = rows[i]!;
      const v = text(r.row[l.child.field]);
      if (v === null) continue;
      for (const pi of parentIdx.get(v) ?? []) {
        if (rows[pi] === r) continue;
        (parents[slot[i]!] ??= []).push(pi);
        (children[slot[pi]!] ??= []).push(i);
      }
    }
  }
  // Roots: identity evidence. Address-only matches are one person's only when they point at one.
  const addressPersons = new Set<string>();
  let addressConflict = false;
  // An address row that names nobody (no email, no phone: an addresses table, a catalog request)
  // is the subject's by the address, and also everyone's who references it: it is a graph row
  // seeded with the subject (seedS), so another person's row pointing at it makes it shared, and
  // then the address itself is known to be another person's too.
  const seedS: boolean[] = new Array<boolean>(slots).fill(false);
  const seedOrder: number[] = [];
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    if (r.verdict.kind !== 'address') continue;
    if (r.verdict.person === null && !r.verdict.conflict) { if (!seedS[slot[i]!]) { seedS[slot[i]!] = true; seedOrder.push(slot[i]!); } continue; }
    addressPersons.add(r.verdict.person ?? `row:${keyOf(r)}`); if (r.verdict.conflict) addressConflict = true;
  }
  const anonymousOnly = [...addressPersons].every((p) => p.startsWith('row:'));
  const addressAmbiguous = addressConflict || (!anonymousOnly && [...addressPersons].filter((p) => !p.startsWith('row:')).length > 1);
  const root: Array<Owners | undefined> = new Array(slots);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    const v = r.verdict;
    if (v.kind === 'subject') root[slot[i]!] = { s: true, other: null };
    else if (v.kind === 'other') root[slot[i]!] = { s: false, other: `another person's ${r.collection} row (its ${v.field} is someone else's ${v.identity === 'email' ? 'email' : v.identity === 'phone' ? 'phone number' : `${v.identity}`})` };
    else if (v.kind === 'address' && !seedS[slot[i]!]) {
      root[slot[i]!] = addressAmbiguous
        ? { s: true, other: v.conflict ? `the address matches but its ${r.collection} identity fields hold someone else's values` : 'the address matches more than one person' }
        : { s: true, other: null };
    }
  }
  // Anchored owners: a row belongs to the rows it references. The people it references directly
  // (rows with identity evidence) decide alone when there are any: Carol's order paid with Ann's
  // card is Carol's; a gift order naming both customers is both's (shared).
  const anchored: Array<Owners | undefined> = new Array(slots);
  const fixed: boolean[] = new Array<boolean>(slots).fill(false);
  const work: number[] = [];
  for (let i = 0; i < rows.length; i += 1) {
    const k = slot[i]!;
    if (root[k] !== undefined) continue;
    const rp = (parents[k] ?? []).filter((pi) => root[slot[pi]!] !== undefined);
    const seeded = rows[i]!.external || seedS[k]!;
    if (!rp.length && !seeded) continue;
    anchored[k] = rp.reduce((acc, pi) => union(acc, root[slot[pi]!]!), seeded ? { s: true, other: null } : NONE);
    fixed[k] = true;
    work.push(i);
  }
  while (work.length) {
    if (((steps += 1) & 511) === 0) await turn();
    const p = slot[work.pop()!]!;
    for (const ci of children[p] ?? []) {
      const k = slot[ci]!;
      if (root[k] !== undefined || fixed[k]) continue;
      const next = union(anchored[k] ?? NONE, anchored[p] ?? NONE);
      if (!same(next, anchored[k] ?? NONE)) { anchored[k] = next; work.push(ci); }
    }
  }
  // Attribute owners: an unanchored row belongs to every row that references it.
  const attr: Array<Owners | undefined> = new Array(slots);
  const own = (k: number): Owners => root[k]
    ?? (seedS[k] ? union(anchored[k] ?? NONE, attr[k] ?? NONE)
      : (anchored[k]?.s || anchored[k]?.other) ? anchored[k]! : attr[k] ?? NONE);
  const work2: number[] = [];
  for (let i = 0; i < rows.length; i += 1) if (root[slot[i]!] !== undefined || anchored[slot[i]!] !== undefined) work2.push(i);
  while (work2.length) {
    if (((steps += 1) & 511) === 0) await turn();
    const c = slot[work2.pop()!]!;
    for (const pi of parents[c] ?? []) {
      const k = slot[pi]!;
      if (root[k] !== undefined || (anchored[k] !== undefined && !seedS[k])) continue;
      const next = union(attr[k] ?? NONE, own(c));
      if (!same(next, attr[k] ?? NONE)) { attr[k] = next; work2.push(pi); }
    }
  }
  // The address is someone else's too when an address row it matched is shared: every row matched
  // only by that address is then shared.
  let sharedAddress: string | null = null;
  for (const k of seedOrder) { const other = own(k).other; if (other !== null) { sharedAddress = other; break; } }
  const out: Ownership[] = new Array<Ownership>(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const r = rows[i]!;
    if (sharedAddress && r.verdict.kind === 'address') {
      out[i] = { owner: 'shared', reason: `matched only by the address, which is also another person's (${sharedAddress})` };
      continue;
    }
    const o = own(slot[i]!);
    if (o.s && !o.other) out[i] = { owner: 'subject' };
    else if (o.s) out[i] = { owner: 'shared', reason: `also another person's: linked to ${o.other}` };
    else out[i] = { owner: 'other', reason: o.other ?? `not linked to this person's own rows (${r.collection})` };
  }
  return out;
}
