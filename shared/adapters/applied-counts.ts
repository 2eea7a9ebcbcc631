// The tally behind every engine's AppliedCounts (./port.ts): rows the store reported, credited to
// the change that changed them, summed per collection and overall. Engines call credit() only with
// counts the store gave back (a statement's row count, rows returned, rows gone from a rewritten
// file), never with the number of changes asked for.
import type { AppliedCounts, RowChange } from './port';

export class AppliedTally {
  private readonly perChange: number[];
  private readonly byCollection: AppliedCounts['byCollection'] = {};

  constructor(private readonly changes: readonly RowChange[]) {
    this.perChange = changes.map(() => 0);
    for (const c of changes) this.byCollection[c.collection] ??= { deleted: 0, updated: 0 };
  }

  /** `rows` rows the store reported for change `index` (deleted or updated per the change's action). */
  credit(index: number, rows: number): void {
    const c = this.changes[index];
    if (!c) throw new Error(`applied counts: no change #${index}`);
    if (!Number.isInteger(rows) || rows < 0) throw new Error(`applied counts: bad row count ${rows} for change #${index}`);
    this.perChange[index] = (this.perChange[index] ?? 0) + rows;
    const by = this.byCollection[c.collection]!;
    if (c.action === 'delete') by.deleted += rows; else by.updated += rows;
  }

  result(): AppliedCounts {
    let deleted = 0;
    let updated = 0;
    for (const by of Object.values(this.byCollection)) { deleted += by.deleted; updated += by.updated; }
    return { deleted, updated, byCollection: structuredClone(this.byCollection), perChange: [...this.perChange] };
  }
}
