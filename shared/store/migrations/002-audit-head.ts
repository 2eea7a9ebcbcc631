// Audit hardening and the assignee queue:
// - audit_head: one row holding the chain head (last seq and hash). Appends lock it
//   (SELECT ... FOR UPDATE on PostgreSQL), so concurrent appends from several processes line up
//   and never fork the chain; verify() compares it with the last entry, so cutting entries off the
//   end of the log is detected too. Filled from the existing log when migrating.
// - append-only triggers: UPDATE and DELETE on audit_log are refused by the database itself
//   (someone with file access can drop them; the hash chain still catches the change).
// - an index for "my cases" (assignee, respond_by).
import type { Migration } from '../db';

const GENESIS = '0'.repeat(64);

export const migration002AuditHead: Migration = {
  version: 2,
  name: 'audit-head',
  async up(db) {
    await db.exec(`
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX cases_assignee_idx ON cases (assignee, respond_by);
    `);
    const last = await db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    await db.run('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)', [last ? Number(last.seq) : 0, last?.hash ?? GENESIS]);
    if (db.dialect === 'postgres') {
      await db.exec(`
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only';
        END
        $fn$;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      `);
    } else {
      await db.exec(`
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      `);
    }
  },
};
export default migration002AuditHead;
