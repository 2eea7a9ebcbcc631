// Data stores at scale: the snapshots and backups the business registers per system (seeds 000 and
// 001: after a restore, every erasure made since the snapshot is re-applied), and a record of each
// replay after a restore (what it changed, in counts only: no PII).
import type { Migration } from '../db';

export const migration040SystemSnapshots: Migration = {
  version: 40,
  name: 'system-snapshots',
  async up(db) {
    await db.exec(`
      CREATE TABLE system_snapshots (
        id TEXT PRIMARY KEY,
        system TEXT NOT NULL,
        label TEXT NOT NULL,
        kind TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        registered_at TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        note TEXT,
        UNIQUE (system, label)
      );
      CREATE INDEX system_snapshots_system_idx ON system_snapshots (system, taken_at);
      CREATE TABLE snapshot_replays (
        id TEXT PRIMARY KEY,
        system TEXT NOT NULL,
        snapshot_id TEXT NOT NULL REFERENCES system_snapshots (id),
        ran_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        dry_run INTEGER NOT NULL,
        ledger_entries INTEGER NOT NULL,
        rows_changed INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX snapshot_replays_system_idx ON snapshot_replays (system, ran_at);
    `);
  },
};
export default migration040SystemSnapshots;
