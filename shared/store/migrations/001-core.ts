// Core store: cases (no PII: the machine snapshot holds none), their envelope-encrypted
// identities, keyed hashes of each normalised identity for look-ups, the hash-chained audit log and
// the step journal. Portable SQL; the only dialect branch is BLOB (SQLite) vs BYTEA (PostgreSQL).
import type { Migration } from '../db';

export const migration001Core: Migration = {
  version: 1,
  name: 'core',
  async up(db) {
    const blob = db.dialect === 'postgres' ? 'BYTEA' : 'BLOB';
    await db.exec(`
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        strategy TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        channel TEXT NOT NULL,
        status TEXT NOT NULL,
        received_at TEXT NOT NULL,
        acknowledge_by TEXT,
        respond_by TEXT NOT NULL,
        assignee TEXT,
        closed_at TEXT,
        updated_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        snapshot_version INTEGER NOT NULL,
        purged_at TEXT
      );
      CREATE INDEX cases_respond_by_idx ON cases (respond_by);
      CREATE INDEX cases_status_idx ON cases (status);
      CREATE INDEX cases_received_at_idx ON cases (received_at);

      CREATE TABLE case_pii (
        case_id TEXT PRIMARY KEY REFERENCES cases (id),
        identities_enc ${blob},
        agent_enc ${blob},
        purged_at TEXT
      );

      CREATE TABLE case_identity_hashes (
        case_id TEXT NOT NULL REFERENCES cases (id),
        kind TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (case_id, kind, hash)
      );
      CREATE INDEX case_identity_hashes_hash_idx ON case_identity_hashes (hash);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        case_id TEXT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_case_idx ON audit_log (case_id, seq);

      CREATE TABLE case_steps (
        case_id TEXT NOT NULL,
        step TEXT NOT NULL,
        result TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (case_id, step)
      );
    `);
  },
};
export default migration001Core;
