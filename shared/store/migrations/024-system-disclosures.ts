// Responses: what the business declares per system for the access report (CCPA §1798.110):
// the sources of the personal information, the business purposes, and the third parties it is
// disclosed to. Used when the data map does not provide them.
import type { Migration } from '../db';

export const migration024SystemDisclosures: Migration = {
  version: 24,
  name: 'system-disclosures',
  async up(db) {
    await db.exec(`
      CREATE TABLE system_disclosures (
        system TEXT PRIMARY KEY,
        sources TEXT NOT NULL,
        purposes TEXT NOT NULL,
        third_parties TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );
    `);
  },
};
export default migration024SystemDisclosures;
