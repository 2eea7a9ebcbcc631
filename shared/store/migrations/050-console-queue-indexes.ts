// Console queue at scale (100k+ cases): composite indexes matching the queue's filters and sorts
// (`cases.list` orders by <column>, id). With them the database walks an index in order instead of
// sorting every matching row, and a deep page (OFFSET) skips index entries without reading the
// rows' snapshots. Plain CREATE INDEX: the same SQL on SQLite and PostgreSQL.
import type { Migration } from '../db';

export const migration050ConsoleQueueIndexes: Migration = {
  version: 50,
  name: 'console-queue-indexes',
  async up(db) {
    await db.exec(`
      CREATE INDEX cases_queue_respond_idx ON cases (respond_by, id);
      CREATE INDEX cases_queue_received_idx ON cases (received_at, id);
      CREATE INDEX cases_queue_status_respond_idx ON cases (status, respond_by, id);
      CREATE INDEX cases_queue_status_received_idx ON cases (status, received_at, id);
      CREATE INDEX cases_queue_type_respond_idx ON cases (type, respond_by, id);
      CREATE INDEX cases_queue_type_received_idx ON cases (type, received_at, id);
      CREATE INDEX cases_queue_status_type_idx ON cases (status, type, respond_by, id);
    `);
  },
};
