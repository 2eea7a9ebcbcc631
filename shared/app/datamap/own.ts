// Whose row is it, for the rows one walk reached: the final identity verdict per row (with every
// identity the walk learned), then the pure ownership rules of shared/domain/ownership.ts, then
// which of another person's rows touch the subject's (listed for staff; the rest are dropped).
import type { DataMapCollection } from '../../domain/datamap';
import { decideOwnershipByRow, identityVerdict, type OwnershipLink } from '../../domain/ownership';
import { takeTurn, turnDue } from '../../adapters/event-loop';
import type { Subject } from './subject';
import { str, type ReachedRow } from './find-frontier';

const rowKey = (r: { collection: string; id: string }) => `${r.collection}\u0000${r.id}`;

/**
 * Sets `verdict`, `shared` and `other` on every row; returns the keys (`collection\0id`) of
 * another person's rows that touch a row of the subject's (a referral, a gift): staff see why they
 * were left alone.
 */
export async function ownRows(all: ReachedRow[], colls: Map<string, DataMapCollection>, links: readonly OwnershipLink[], known: Subject): Promise<Set<string>> {
  for (const r of all) r.verdict = identityVerdict(colls.get(r.collection)!, r.row, known);
  // A reached row carries what the rules read (collection, id, row, verdict, external); they change nothing.
  // The reached rows are distinct by collection and id (one entry each in the walk's maps).
  const verdicts = await decideOwnershipByRow(all, links, async () => { if (turnDue()) await takeTurn(); }, true);
  for (let i = 0; i < all.length; i += 1) {
    const r = all[i]!;
    const o = verdicts[i]!;
    r.shared = o.owner === 'shared' ? o.reason : null;
    r.other = o.owner === 'other' ? o.reason : null;
  }
  return touchingSubject(all, links);
}

async function touchingSubject(all: ReachedRow[], links: readonly OwnershipLink[]): Promise<Set<string>> {
  const touches = new Set<string>();
  // Only another person's rows by their identity are ever listed: without any, nothing to look for.
  if (!all.some((r) => r.other && r.verdict.kind === 'other')) return touches;
  const mine = all.filter((r) => !r.other);
  const byValue = (collection: string, field: string) => {
    const m = new Map<string, ReachedRow[]>();
    for (const r of all) if (r.collection === collection) { const v = str(r.row[field]); if (v !== null) { const x = m.get(v) ?? []; x.push(r); m.set(v, x); } }
    return m;
  };
  const mark = (rows: ReachedRow[] | undefined) => { for (const o of rows ?? []) if (o.other && o.verdict.kind === 'other') touches.add(rowKey(o)); };
  for (const l of links) {
    const childVals = byValue(l.child.collection, l.child.field);
    const parentVals = byValue(l.parent.collection, l.parent.field);
    for (const r of mine) {
      if (turnDue()) await takeTurn();
      if (r.shared) continue;
      if (r.collection === l.parent.collection) { const v = str(r.row[l.parent.field]); if (v !== null) mark(childVals.get(v)); }
      if (r.collection === l.child.collection) { const v = str(r.row[l.child.field]); if (v !== null) mark(parentVals.get(v)); }
    }
  }
  return touches;
}
