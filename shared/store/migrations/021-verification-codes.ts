// Responses: email one-time codes. Only a keyed hash of each code is kept; a per-case row counts
// wrong entries and locks email-code verification after the limit (staff unlock it).
import type { Migration } from '../db';

export const migration021VerificationCodes: Migration = {
  version: 21,
  name: 'verification-codes',
  async up(db) {
    await db.exec(`
      CREATE TABLE verification_codes (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        recipient_hash TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      );
      CREATE INDEX verification_codes_case_idx ON verification_codes (case_id, created_at);
      CREATE TABLE verification_locks (
        case_id TEXT PRIMARY KEY,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_at TEXT,
        unlocked_at TEXT,
        unlocked_by TEXT
      );
    `);
  },
};
export default migration021VerificationCodes;
