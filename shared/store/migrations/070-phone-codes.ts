// Responses: one-time codes by text message and by voice call. Each code records its channel
// (email, sms, voice) and its purpose (one active code per case and purpose); codes are counted
// per recipient (keyed hash) for the per-number rate limit. sms_opt_outs: numbers that replied
// STOP (keyed hash only), never texted again until they reply START.
import type { Migration } from '../db';

export const migration070PhoneCodes: Migration = {
  version: 70,
  name: 'phone-codes',
  async up(db) {
    await db.exec(`
      ALTER TABLE verification_codes ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
      ALTER TABLE verification_codes ADD COLUMN purpose TEXT NOT NULL DEFAULT 'verification';
      CREATE INDEX verification_codes_recipient_idx ON verification_codes (recipient_hash, created_at);
      CREATE TABLE sms_opt_outs (
        phone_hash TEXT PRIMARY KEY,
        opted_out_at TEXT,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `);
  },
};
export default migration070PhoneCodes;
