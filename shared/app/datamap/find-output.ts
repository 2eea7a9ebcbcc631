// The output of a walk in one system: per collection, the subject's rows with their values and
// categories (and why a row is kept: legal hold on the system, retention, shared), and another
// person's rows only where they touch the subject's (their key and the reason, never their values).
import type { DataMap, DataMapCollection } from '../../domain/datamap';
import type { CollectionResult, FoundRow } from '../../domain/discovery';
import { takeTurn, turnDue } from '../../adapters/event-loop';
import type { ReachedRow } from './find-frontier';

/** A collection's categories by field (per collection of a parsed map, which is never changed). */
const catsByCollection = new WeakMap<DataMapCollection, Readonly<Record<string, string>>>();
function categoriesOf(c: DataMapCollection): Readonly<Record<string, string>> {
  let cats = catsByCollection.get(c);
  if (!cats) {
    const made: Record<string, string> = {};
    for (const f of c.fields) if (f.categories[0]) made[f.name] = f.categories[0];
    cats = made;
    catsByCollection.set(c, cats);
  }
  return cats;
}

export async function outputOf(map: DataMap, colls: Map<string, DataMapCollection>, reached: Map<string, Map<string, ReachedRow>>, touches: Set<string>, legalHold: string | null | undefined): Promise<CollectionResult[]> {
  const collections: CollectionResult[] = [];
  for (const c of colls.values()) { // skipped collections are never read: the plan names them as kept
    const rows: FoundRow[] = [];
    // Every row of the collection has the same categories (a copy each).
    const cats = categoriesOf(c);
    const exempt = legalHold ? `legal hold on the system: ${legalHold}` : c.retention ? `retention (${c.retention.reason})${c.retention.note ? `: ${c.retention.note}` : ''}` : null;
    for (const r of reached.get(c.name)!.values()) {
      if (turnDue()) await takeTurn();
      if (r.other) {
        if (!touches.has(`${r.collection}\u0000${r.id}`)) continue;
        // Someone else's row: its key and the reason only, never its values.
        rows.push({ key: r.key, values: {}, categories: {}, via: r.via, shared: null, exempt: null, other: { reason: r.other } });
        continue;
      }
      const values: Record<string, unknown> = {};
      for (const f of c.fields) values[f.name] = r.row[f.name] ?? null;
      const categories = { ...cats };
      rows.push({ key: r.key, values, categories, via: r.via, shared: r.shared ? { reason: r.shared } : null, exempt: exempt ? { reason: exempt } : null, other: null });
    }
    collections.push({ system: '', dataset: map.dataset, collection: c.name, rows });
  }
  return collections;
}
