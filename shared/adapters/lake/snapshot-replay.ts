// `ledger replay --system NAME --since SNAPSHOT`: after a system was restored from a snapshot, re-apply
// every erasure recorded after the snapshot was taken, to that system only, and record the replay.
import type { SnapshotRepo, SnapshotReplay, Snapshot } from '../../store/snapshot-repo';
import { replayLedger, type LedgerEntry, type ReplayReport, type ReplayableSource } from './ledger-replay';

/** Reads the deletion ledger (owned by the data-map layer): entries erased after an instant. */
export interface ErasureLedgerReader {
  erasedSince(sinceIso: string): Promise<LedgerEntry[]>;
}

export interface SnapshotReplayResult {
  system: string;
  snapshot: Pick<Snapshot, 'id' | 'label' | 'kind' | 'takenAt'>;
  report: ReplayReport;
  replay: SnapshotReplay;
}

export async function replaySinceSnapshot(deps: {
  snapshots: SnapshotRepo;
  ledger: ErasureLedgerReader;
  source: ReplayableSource;
  collections: string[];
  keyedHash: (kind: string, value: string) => string;
  clock: () => Date;
  actor: string;
  defaultCountry?: string;
}, system: string, snapshotRef: string, options: { dryRun?: boolean } = {}): Promise<SnapshotReplayResult> {
  const snap = await deps.snapshots.resolve(system, snapshotRef);
  const entries = (await deps.ledger.erasedSince(snap.takenAt)).filter((e) => e.erasedAt > snap.takenAt);
  const report = await replayLedger(deps.source, deps.collections, entries, deps.keyedHash, { dryRun: options.dryRun, defaultCountry: deps.defaultCountry });
  const replay = await deps.snapshots.recordReplay({
    system, snapshotId: snap.id, ranAt: deps.clock().toISOString(), actor: deps.actor, dryRun: Boolean(options.dryRun),
    ledgerEntries: entries.length, rowsChanged: report.rowsChanged,
    detail: { engine: report.engine, identitiesFound: report.identitiesFound, collections: report.collections },
  });
  return { system, snapshot: { id: snap.id, label: snap.label, kind: snap.kind, takenAt: snap.takenAt }, report, replay };
}
