// Exact erasure: what execution applied and what the independent check found, per case.
// datamap_changes.outcome (JSON, no PII): per collection the planned counts beside the applied ones
// (the row's deleted / masked / updated columns are now what the database reported), what was kept
// and why, and the categories and fields changed. datamap_checks: the last verification of a case
// (counts and reasons only, never a value).
import type { Migration } from '../db';

export const migration060ErasureOutcomes: Migration = {
  version: 60,
  name: 'erasure-outcomes',
  async up(db) {
    await db.exec(`
      ALTER TABLE datamap_changes ADD COLUMN outcome TEXT;
      CREATE TABLE datamap_checks (
        case_id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        detail TEXT NOT NULL
      );
    `);
  },
};
