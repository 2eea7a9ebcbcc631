// The keyed audit chain and the store's key check values:
// - audit_head.keyed_from: the first seq of the keyed segment (HMAC-SHA256 with the audit key);
//   entries before it keep their legacy SHA-256 chain. NULL until the log is first keyed: a new
//   store keys from entry 1, an existing log from its next entry (set by the app on first open).
// - audit_head.mac: HMAC over (keyed_from, seq, hash) with the audit key, so moving the head back
//   after cutting entries off the end, or resetting it, is caught without the key.
// - store_keys: one check value per local key file (HMAC of a fixed text under the key), so a
//   wrong key file is refused by name instead of silently writing under another key.
import type { Migration } from '../db';

export const migration090AuditKeyed: Migration = {
  version: 90,
  name: 'audit-keyed',
  async up(db) {
    await db.exec(`
      ALTER TABLE audit_head ADD COLUMN keyed_from INTEGER;
      ALTER TABLE audit_head ADD COLUMN mac TEXT;
      CREATE TABLE store_keys (
        name TEXT PRIMARY KEY,
        check_value TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `);
  },
};
export default migration090AuditKeyed;
