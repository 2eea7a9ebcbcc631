// Phone: knowledge checks made on the IVR, per calling number (keyed hash only, never the number),
// so that repeated guessing across calls locks IVR verification for that number for a while.
import type { Migration } from '../db';

export const migration030PhoneIvrAttempts: Migration = {
  version: 30,
  name: 'phone-ivr-attempts',
  async up(db) {
    await db.exec(`
      CREATE TABLE phone_ivr_attempts (
        id TEXT PRIMARY KEY,
        phone_hash TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        matched INTEGER NOT NULL,
        asked INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX phone_ivr_attempts_phone_idx ON phone_ivr_attempts (phone_hash, at);
    `);
  },
};
export default migration030PhoneIvrAttempts;
