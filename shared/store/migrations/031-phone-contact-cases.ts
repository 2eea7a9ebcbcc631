// Phone: one case per Amazon Connect contact and action. Connect (and a Lambda retry) can invoke
// the intake or opt-out function twice for the same call; the primary key (contact_id, action)
// makes the second invocation find the first one's case instead of opening another, even when
// the two run at the same moment in different containers. Holds only Connect's contact id, the
// action (the case type), the case reference and the result code: never anything the caller said
// or keyed in, never the calling number.
//
// Also: a knowledge check on the IVR is recorded once per contact and attempt (a retried
// invocation must not count one wrong answer twice towards the lock). Rows from before this
// migration have no attempt (NULL), which a unique index never treats as a duplicate.
import type { Migration } from '../db';

export const migration031PhoneContactCases: Migration = {
  version: 31,
  name: 'phone-contact-cases',
  async up(db) {
    await db.exec(`
      CREATE TABLE phone_contact_cases (
        contact_id TEXT NOT NULL,
        action TEXT NOT NULL,
        case_id TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (contact_id, action)
      );
      CREATE INDEX phone_contact_cases_case_idx ON phone_contact_cases (case_id);
      ALTER TABLE phone_ivr_attempts ADD COLUMN attempt INTEGER;
      CREATE UNIQUE INDEX phone_ivr_attempts_contact_attempt_idx ON phone_ivr_attempts (contact_id, attempt);
    `);
  },
};
export default migration031PhoneContactCases;
