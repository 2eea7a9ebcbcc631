// Data stores at scale: snapshots and backups the business registers per system, and the record of
// the replays run after a restore (`ledger replay --system NAME --since SNAPSHOT`).
import { z } from 'zod';
import { op } from './define';

const SystemName = z.string().trim().min(1, 'system is required').max(128).regex(/^[A-Za-z0-9_.:-]+$/u, 'system: letters, digits, _ . : -');

export const SnapshotViewSchema = z.object({
  id: z.string(),
  system: z.string(),
  label: z.string(),
  kind: z.enum(['snapshot', 'backup']),
  takenAt: z.string(),
  registeredAt: z.string(),
  registeredBy: z.string(),
  note: z.string().nullable(),
});
export type SnapshotView = z.infer<typeof SnapshotViewSchema>;

export const SnapshotReplayViewSchema = z.object({
  id: z.string(),
  system: z.string(),
  snapshotId: z.string(),
  ranAt: z.string(),
  actor: z.string(),
  dryRun: z.boolean(),
  ledgerEntries: z.number().int(),
  rowsChanged: z.number().int(),
  detail: z.record(z.string(), z.unknown()),
});

export const lakesContract = {
  'snapshots.add': op('command', z.object({
    system: SystemName,
    label: z.string().trim().min(1, 'label is required').max(200),
    kind: z.enum(['snapshot', 'backup']).default('snapshot'),
    takenAt: z.iso.datetime({ offset: true, message: 'takenAt must be an ISO date-time with a zone (e.g. 2024-06-01T02:00:00Z)' }),
    note: z.string().trim().max(2000).optional(),
  }).strict(), SnapshotViewSchema, 'Register a snapshot or backup of a system, with the time it was taken (audited).'),
  'snapshots.list': op('query', z.object({ system: SystemName.optional() }).strict(), z.array(SnapshotViewSchema), 'Snapshots and backups registered, per system, oldest first.'),
  'snapshots.replay': op('command', z.object({
    system: SystemName,
    /** The snapshot the system was restored from: its label, id, or "latest". */
    since: z.string().trim().min(1, 'since (a snapshot label) is required').max(200),
    dryRun: z.boolean().default(false),
  }).strict(), z.object({
    system: z.string(),
    snapshot: z.object({ id: z.string(), label: z.string(), kind: z.enum(['snapshot', 'backup']), takenAt: z.string() }),
    ledgerReplayId: z.string(),
    dryRun: z.boolean(),
    scanned: z.number().int(),
    matched: z.number().int(),
    deleted: z.number().int(),
    masked: z.number().int(),
    error: z.string().nullable(),
  }), 'After restoring a system from a snapshot: re-apply every erasure recorded after the snapshot, to that system only (ledger replay --system --since).'),
  'stores.purgeForgotten': op('command', z.object({ system: SystemName, dryRun: z.boolean().default(false) }).strict(),
    z.object({ system: z.string(), dryRun: z.boolean(), tables: z.record(z.string(), z.number().int()) }),
    'Seed 001\'s periodic batch delete: remove the rows flagged forgotten in a Redshift system (dry run: count them). Audited.'),
  'snapshots.replays': op('query', z.object({ system: SystemName }).strict(), z.array(SnapshotReplayViewSchema), 'Replays of the deletion ledger run after restoring a system from a snapshot.'),
};
