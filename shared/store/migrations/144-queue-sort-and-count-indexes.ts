// Console queue at 1M cases (issue 18 goal 7). EXPLAIN QUERY PLAN of every filter x sort showed
// the orders migrations 050/051 leave to a temporary sort of every matching row (seconds at 1M):
// a status or type filter sorted by case id, by status or by type, and the unfiltered sorts by
// status and by type. (status, id) and (type, id) give those orders from an index;
// (status, type, id) and (type, status, id) a status filter sorted by type and a type filter sorted
// by status (050's (status, type, respond_by, id) left a sort of every row of the status: 330 ms at 1M). The channel and
// jurisdiction filters had no index at all: their counts (the queue's total) read the whole table
// (2 GB at 1M cases), and the default order (open first by due date) walked every open case to find
// the ones of a rarer channel. (channel | jurisdiction, open first, due date, id) serve both: the
// count from the index alone, the default order as migration 051's (one index per direction). The open-first expression must
// stay exactly CaseStore's DONE_FIRST_KEY. Plain CREATE INDEX: the same SQL on SQLite and PostgreSQL.
import type { Migration } from '../db';

export const migration144QueueSortAndCountIndexes: Migration = {
  version: 144,
  name: 'queue-sort-and-count-indexes',
  async up(db) {
    await db.exec(`
      CREATE INDEX cases_queue_status_id_idx ON cases (status, id);
      CREATE INDEX cases_queue_type_id_idx ON cases (type, id);
      CREATE INDEX cases_queue_status_type_id_idx ON cases (status, type, id);
      CREATE INDEX cases_queue_type_status_id_idx ON cases (type, status, id);
      CREATE INDEX cases_queue_channel_done_respond_idx ON cases (channel, (status IN ('closed', 'denied')), respond_by, id);
      CREATE INDEX cases_queue_jurisdiction_done_respond_idx ON cases (jurisdiction, (status IN ('closed', 'denied')), respond_by, id);
      CREATE INDEX cases_queue_channel_done_respond_desc_idx ON cases (channel, (status IN ('closed', 'denied')) DESC, respond_by, id);
      CREATE INDEX cases_queue_jurisdiction_done_respond_desc_idx ON cases (jurisdiction, (status IN ('closed', 'denied')) DESC, respond_by, id);
    `);
  },
};
export default migration144QueueSortAndCountIndexes;
