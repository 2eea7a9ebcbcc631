// Snapshots and backups per system, as the business registers them ("we took snapshot rs-2024-06-01
// of the warehouse at 02:00 UTC"), and the replays run after a restore. Written once against the
// Db port (SQLite and PostgreSQL). Holds no PII: labels and notes are the business's own names.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from './db';

export const SnapshotKindSchema = z.enum(['snapshot', 'backup']);

export const NewSnapshotSchema = z.object({
  system: z.string().trim().min(1, 'system is required').max(128).regex(/^[A-Za-z0-9_.:-]+$/u, 'system: letters, digits, _ . : -'),
  label: z.string().trim().min(1, 'label is required').max(200).regex(/^[^\s].*$/u),
  kind: SnapshotKindSchema.default('snapshot'),
  /** When the snapshot was taken (ISO instant with a zone, e.g. 2024-06-01T02:00:00Z). */
  takenAt: z.iso.datetime({ offset: true, message: 'takenAt must be an ISO date-time with a zone (e.g. 2024-06-01T02:00:00Z)' }),
  note: z.string().trim().max(2000).optional(),
}).strict();
export type NewSnapshot = z.input<typeof NewSnapshotSchema>;

export interface Snapshot {
  id: string;
  system: string;
  label: string;
  kind: 'snapshot' | 'backup';
  takenAt: string;
  registeredAt: string;
  registeredBy: string;
  note: string | null;
}

export interface SnapshotReplay {
  id: string;
  system: string;
  snapshotId: string;
  ranAt: string;
  actor: string;
  dryRun: boolean;
  ledgerEntries: number;
  rowsChanged: number;
  detail: Record<string, unknown>;
}

export class SnapshotNotFoundError extends Error {
  constructor(system: string, ref: string) {
    super(`no snapshot "${ref}" registered for system ${system}`);
    this.name = 'SnapshotNotFoundError';
  }
}

export class DuplicateSnapshotError extends Error {
  constructor(system: string, label: string) {
    super(`system ${system} already has a snapshot labelled "${label}"`);
    this.name = 'DuplicateSnapshotError';
  }
}

interface SnapshotRow { id: string; system: string; label: string; kind: string; taken_at: string; registered_at: string; registered_by: string; note: string | null }

function toSnapshot(r: SnapshotRow): Snapshot {
  return { id: r.id, system: r.system, label: r.label, kind: r.kind as Snapshot['kind'], takenAt: r.taken_at, registeredAt: r.registered_at, registeredBy: r.registered_by, note: r.note };
}

export class SnapshotRepo {
  constructor(private readonly db: Db) {}

  /** Register a snapshot; the time is normalised to UTC. Throws a zod error naming the field on bad input. */
  async add(input: NewSnapshot, actor: string, at: Date): Promise<Snapshot> {
    const s = NewSnapshotSchema.parse(input);
    const existing = await this.db.get<{ id: string }>('SELECT id FROM system_snapshots WHERE system = ? AND label = ?', [s.system, s.label]);
    if (existing) throw new DuplicateSnapshotError(s.system, s.label);
    const snap: Snapshot = {
      id: randomUUID(), system: s.system, label: s.label, kind: s.kind, takenAt: new Date(s.takenAt).toISOString(),
      registeredAt: at.toISOString(), registeredBy: actor, note: s.note ?? null,
    };
    await this.db.run(
      'INSERT INTO system_snapshots (id, system, label, kind, taken_at, registered_at, registered_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [snap.id, snap.system, snap.label, snap.kind, snap.takenAt, snap.registeredAt, snap.registeredBy, snap.note],
    );
    return snap;
  }

  async list(system?: string): Promise<Snapshot[]> {
    const rows = system
      ? await this.db.all<SnapshotRow>('SELECT * FROM system_snapshots WHERE system = ? ORDER BY taken_at, label', [system])
      : await this.db.all<SnapshotRow>('SELECT * FROM system_snapshots ORDER BY system, taken_at, label');
    return rows.map(toSnapshot);
  }

  /** A system's snapshot by label or id; "latest" names the most recent one. */
  async resolve(system: string, ref: string): Promise<Snapshot> {
    const row = ref === 'latest'
      ? await this.db.get<SnapshotRow>('SELECT * FROM system_snapshots WHERE system = ? ORDER BY taken_at DESC, label DESC LIMIT 1', [system])
      : await this.db.get<SnapshotRow>('SELECT * FROM system_snapshots WHERE system = ? AND (label = ? OR id = ?)', [system, ref, ref]);
    if (!row) throw new SnapshotNotFoundError(system, ref);
    return toSnapshot(row);
  }

  async recordReplay(r: Omit<SnapshotReplay, 'id'>): Promise<SnapshotReplay> {
    const rec: SnapshotReplay = { id: randomUUID(), ...r };
    // The order replays ran in (ran_at ties within a millisecond or under a fixed clock).
    const last = await this.db.get<{ n: number | string | null }>('SELECT MAX(seq) AS n FROM snapshot_replays WHERE system = ?', [rec.system]);
    await this.db.run(
      'INSERT INTO snapshot_replays (id, system, snapshot_id, ran_at, actor, dry_run, ledger_entries, rows_changed, detail, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [rec.id, rec.system, rec.snapshotId, rec.ranAt, rec.actor, rec.dryRun ? 1 : 0, rec.ledgerEntries, rec.rowsChanged, JSON.stringify(rec.detail), Number(last?.n ?? 0) + 1],
    );
    return rec;
  }

  async replays(system: string): Promise<SnapshotReplay[]> {
    const rows = await this.db.all<{ id: string; system: string; snapshot_id: string; ran_at: string; actor: string; dry_run: number | boolean; ledger_entries: number; rows_changed: number; detail: string }>(
      'SELECT * FROM snapshot_replays WHERE system = ? ORDER BY COALESCE(seq, 0), ran_at', [system]);
    return rows.map((x) => ({
      id: x.id, system: x.system, snapshotId: x.snapshot_id, ranAt: x.ran_at, actor: x.actor, dryRun: Boolean(Number(x.dry_run)),
      ledgerEntries: Number(x.ledger_entries), rowsChanged: Number(x.rows_changed), detail: JSON.parse(x.detail) as Record<string, unknown>,
    }));
  }
}
