// Snapshots: the replays of a system in the order they ran. `ran_at` alone ties when two replays
// share a millisecond (or a fixed clock), and the random id then decided the order; `seq` counts
// a system's replays (1, 2, …). Rows from before this migration keep NULL and sort first, by time.
import type { Migration } from '../db';

export const migration143SnapshotReplayOrder: Migration = {
  version: 143,
  name: 'snapshot-replay-order',
  async up(db) {
    await db.exec('ALTER TABLE snapshot_replays ADD COLUMN seq INTEGER');
  },
};
export default migration143SnapshotReplayOrder;
