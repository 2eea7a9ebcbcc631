// The queue sorted by due date lists open cases first, closed and denied ones after them, in both
// directions (`cases.list`: ORDER BY <closed or denied>, respond_by, id). The expression indexes
// below let the database walk that order instead of sorting every row: one index per direction
// (open first ascending and descending), unfiltered and with the type filter. A status filter (one
// status) or the overdue filter (open only) makes the flag constant and uses migration 050's
// indexes. The expression must stay exactly CaseStore's DONE_FIRST_KEY (the planners match it as
// written). Plain CREATE INDEX on an expression: the same SQL on SQLite and PostgreSQL.
import type { Migration } from '../db';

export const migration051QueueOpenFirst: Migration = {
  version: 51,
  name: 'queue-open-first',
  async up(db) {
    await db.exec(`
      CREATE INDEX cases_queue_done_respond_idx ON cases ((status IN ('closed', 'denied')), respond_by, id);
      CREATE INDEX cases_queue_done_respond_desc_idx ON cases ((status IN ('closed', 'denied')) DESC, respond_by, id);
      CREATE INDEX cases_queue_type_done_respond_idx ON cases (type, (status IN ('closed', 'denied')), respond_by, id);
      CREATE INDEX cases_queue_type_done_respond_desc_idx ON cases (type, (status IN ('closed', 'denied')) DESC, respond_by, id);
    `);
  },
};
