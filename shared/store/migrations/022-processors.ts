// Responses: service providers and contractors to tell about a deletion (per system of the data
// map), and each notice's confirmation and reminders.
import type { Migration } from '../db';

export const migration022Processors: Migration = {
  version: 22,
  name: 'processors',
  async up(db) {
    await db.exec(`
      CREATE TABLE processors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        system TEXT NOT NULL,
        channel TEXT NOT NULL,
        address TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        UNIQUE (system, name)
      );
      CREATE TABLE processor_notices (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        processor_id TEXT NOT NULL,
        status TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        confirmed_at TEXT,
        confirmed_by TEXT,
        reminders INTEGER NOT NULL DEFAULT 0,
        last_reminded_at TEXT,
        last_error TEXT,
        UNIQUE (case_id, processor_id)
      );
      CREATE INDEX processor_notices_status_idx ON processor_notices (status);
    `);
  },
};
export default migration022Processors;
