// Responses: every message sent (or tried) for a case: email, call, webhook. No PII: the recipient
// is stored masked plus a keyed hash. dedupe_key makes a send idempotent (one acknowledgement,
// one result per case, ever), so a restart never sends twice.
import type { Migration } from '../db';

export const migration020Messages: Migration = {
  version: 20,
  name: 'messages',
  async up(db) {
    await db.exec(`
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        case_id TEXT,
        dedupe_key TEXT NOT NULL UNIQUE,
        template TEXT NOT NULL,
        channel TEXT NOT NULL,
        provider TEXT NOT NULL,
        recipient_masked TEXT NOT NULL,
        recipient_hash TEXT,
        locale TEXT,
        status TEXT NOT NULL,
        provider_message_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        delivery TEXT,
        detail TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT
      );
      CREATE INDEX messages_case_idx ON messages (case_id, created_at);
      CREATE INDEX messages_status_idx ON messages (status);
    `);
  },
};
export default migration020Messages;
