// What the deletion confirmation tells the consumer: per system and collection, how many records
// were deleted (or had their personal fields removed, for delete_pii) and which were kept, with the
// exemption reason (CCPA §1798.105(d)). Rows shared with another person are reported as kept for
// review. Pure: built from the discovery result; counts only, no values.
import type { DiscoveryResult } from '../discovery';

export interface DeletionLine { system: string; collection: string; removed: number; kept: number }
export interface KeptReason { reason: string; records: number; systems: string[] }
export interface DeletionSummary {
  removed: number;
  kept: number;
  lines: DeletionLine[];
  keptReasons: KeptReason[];
}

export const SHARED_REASON = 'also concerns another person (kept to protect their privacy)';

export function deletionSummary(discovery: DiscoveryResult | null): DeletionSummary {
  const lines: DeletionLine[] = [];
  const reasons = new Map<string, { records: number; systems: Set<string> }>();
  let removed = 0;
  let kept = 0;
  for (const col of discovery?.collections ?? []) {
    let r = 0;
    let k = 0;
    for (const row of col.rows) {
      const reason = row.exempt?.reason ?? (row.shared ? SHARED_REASON : null);
      if (reason) {
        k += 1;
        const acc = reasons.get(reason) ?? { records: 0, systems: new Set<string>() };
        acc.records += 1; acc.systems.add(col.system);
        reasons.set(reason, acc);
      } else r += 1;
    }
    if (r || k) lines.push({ system: col.system, collection: col.collection, removed: r, kept: k });
    removed += r; kept += k;
  }
  return {
    removed, kept, lines,
    keptReasons: [...reasons.entries()].map(([reason, a]) => ({ reason, records: a.records, systems: [...a.systems].sort() })),
  };
}
