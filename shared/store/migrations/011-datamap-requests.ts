// Inbound requests imported from a CSV (seed 002): the request id and source table of each case,
// for the Unified Compliance tables. No PII (the identities live encrypted with the case).
import type { Migration } from '../db';

export const migration011DatamapRequests: Migration = {
  version: 11,
  name: 'datamap-requests',
  async up(db) {
    await db.exec(`
      CREATE TABLE datamap_requests (
        case_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        datasource TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX datamap_requests_source_idx ON datamap_requests (datasource, request_id);
    `);
  },
};
