// Responses: time-limited download links for access reports too big to attach. The files are
// stored encrypted under <dataDir>/reports; the link carries a signed token, this row its expiry.
import type { Migration } from '../db';

export const migration023ReportDownloads: Migration = {
  version: 23,
  name: 'report-downloads',
  async up(db) {
    await db.exec(`
      CREATE TABLE report_downloads (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL,
        folder TEXT NOT NULL,
        files TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        downloads INTEGER NOT NULL DEFAULT 0,
        revoked_at TEXT
      );
      CREATE INDEX report_downloads_case_idx ON report_downloads (case_id);
    `);
  },
};
export default migration023ReportDownloads;
