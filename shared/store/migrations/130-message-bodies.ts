// Console (issue 16): what a consumer was actually sent. One row per message with the subject and
// the bodies (HTML and text) as rendered, encrypted like every other piece of PII ({ purpose:
// 'message-body', caseId }). A verification code is stored masked, never as sent. The retention
// purge deletes a case's rows with its other PII.
import type { Migration } from '../db';

export const migration130MessageBodies: Migration = {
  version: 130,
  name: 'message-bodies',
  async up(db) {
    const blob = db.dialect === 'postgres' ? 'BYTEA' : 'BLOB';
    await db.exec(`
      CREATE TABLE message_bodies (
        message_id TEXT PRIMARY KEY,
        case_id TEXT,
        body_enc ${blob} NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX message_bodies_case_idx ON message_bodies (case_id);
    `);
  },
};
export default migration130MessageBodies;
