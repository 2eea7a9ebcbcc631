// Appeals of a refused request (issue 14 item 2): one row per appeal of a case, with its answer
// deadline (computed from the receipt date by shared/domain/appeals.ts and kept, so the queue can
// sort and filter on it), its outcome and, for a granted appeal, the linked case that redoes the
// request. The consumer's reason and the decision note are staff free text that may name the
// person: stored sealed (shared/store/sealed-notes.ts, purpose case-note) and emptied at retention.
import type { Migration } from '../db';

export const migration140Appeals: Migration = {
  version: 140,
  name: 'appeals',
  async up(db) {
    await db.exec(`
      CREATE TABLE appeals (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        status TEXT NOT NULL,
        received_on TEXT NOT NULL,
        respond_by TEXT NOT NULL,
        respond_original TEXT NOT NULL,
        extended INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT,
        decision_note TEXT,
        reopened_case_id TEXT
      );
      CREATE INDEX appeals_case_idx ON appeals (case_id);
      CREATE INDEX appeals_status_idx ON appeals (status, respond_by);
    `);
  },
};
export default migration140Appeals;
