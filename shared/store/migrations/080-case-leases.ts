// Case leases: exactly one worker per busy case, across processes and machines. One row per case
// being worked on: who holds it (owner: host / pid namespace / pid / random), until when
// (expires_at: epoch milliseconds; on PostgreSQL the database's clock, on SQLite the machine's),
// when it was taken and last renewed. A worker renews its leases while it works; a lease past its
// expiry (a crashed or stalled owner) is taken over by the next worker that claims it.
// idle = 1: nobody holds it and the case waits for a person although its status reads busy (a
// failed step waiting for a retry, a verified case waiting for "discover"): workers do not claim it;
// the next event sent to it (any process) takes the lease as usual.
import type { Migration } from '../db';

export const migration080CaseLeases: Migration = {
  version: 80,
  name: 'case-leases',
  async up(db) {
    await db.exec(`
      CREATE TABLE case_leases (
        case_id TEXT PRIMARY KEY REFERENCES cases (id),
        owner TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        acquired_at TEXT NOT NULL,
        renewed_at TEXT NOT NULL,
        idle INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX case_leases_owner_idx ON case_leases (owner);
    `);
  },
};
