// Data map: registered systems (connection encrypted: it may hold a password), each case's
// discovery result (encrypted: it holds row values), its review list (shared / exempt rows, by a
// keyed item id, with the staff decision), per-case options (delete_pii categories), the counts
// each execution changed, and the deletion ledger (keyed hashes of erased identities, never the
// identity) with a record of each replay.
import type { Migration } from '../db';

export const migration010Datamap: Migration = {
  version: 10,
  name: 'datamap',
  async up(db) {
    const blob = db.dialect === 'postgres' ? 'BYTEA' : 'BLOB';
    await db.exec(`
      CREATE TABLE datamap_systems (
        name TEXT PRIMARY KEY,
        engine TEXT NOT NULL,
        connection ${blob} NOT NULL,
        datamap TEXT NOT NULL,
        legal_hold TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE datamap_discoveries (
        case_id TEXT PRIMARY KEY,
        result ${blob} NOT NULL,
        rows_found INTEGER NOT NULL,
        review INTEGER NOT NULL,
        exempt INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE datamap_review (
        case_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        system TEXT NOT NULL,
        dataset TEXT NOT NULL,
        collection TEXT NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        decision TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        PRIMARY KEY (case_id, item_id)
      );
      CREATE TABLE datamap_case_options (
        case_id TEXT PRIMARY KEY,
        options TEXT NOT NULL
      );
      CREATE TABLE datamap_changes (
        case_id TEXT NOT NULL,
        system TEXT NOT NULL,
        dataset TEXT NOT NULL,
        collection TEXT NOT NULL,
        deleted INTEGER NOT NULL,
        masked INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        set_aside INTEGER NOT NULL,
        exempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (case_id, system, collection)
      );
      CREATE TABLE deletion_ledger (
        identity_hash TEXT NOT NULL,
        kind TEXT NOT NULL,
        system TEXT NOT NULL,
        case_id TEXT,
        erasure TEXT NOT NULL,
        erased_at TEXT NOT NULL,
        PRIMARY KEY (identity_hash, system, erasure)
      );
      CREATE TABLE ledger_replays (
        id TEXT PRIMARY KEY,
        ran_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        detail TEXT NOT NULL
      );
    `);
  },
};
