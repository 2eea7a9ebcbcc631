// Console search (issue 16): a case found by a fragment of its id. Ids are "PD-<yyyymmdd>-<6
// characters>"; staff read out the start of the id (served by the primary key), or the six
// characters, or their last few. Two expression indexes (the same SQL on SQLite and PostgreSQL):
// the code (from character 13) for "starts with", and the code written backwards for "ends with".
// The store compares ranges, not LIKE, so both engines walk the index (PostgreSQL in the "C"
// collation, given in the index and in the query; SQLite compares bytes anyway). The expressions
// must stay exactly CaseStore's ID_CODE_KEY / ID_CODE_REVERSED_KEY (planners match them as written).
import type { Migration } from '../db';

/** The case id's code (characters 13..18 of "PD-20261202-3K9F2Q"). */
export const ID_CODE_SQL = 'substr(id, 13)';
/** The code backwards: "Q2F9K3" for "3K9F2Q" (an index on it serves "ends with"). */
export const ID_CODE_REVERSED_SQL = 'substr(id, 18, 1) || substr(id, 17, 1) || substr(id, 16, 1) || substr(id, 15, 1) || substr(id, 14, 1) || substr(id, 13, 1)';

export function idCodeExpr(dialect: string, expr: string): string {
  return dialect === 'postgres' ? `(${expr}) COLLATE "C"` : `(${expr})`;
}

export const migration131CaseIdFragments: Migration = {
  version: 131,
  name: 'case-id-fragments',
  async up(db) {
    await db.exec(`
      CREATE INDEX cases_id_code_idx ON cases (${idCodeExpr(db.dialect, ID_CODE_SQL)});
      CREATE INDEX cases_id_code_reversed_idx ON cases (${idCodeExpr(db.dialect, ID_CODE_REVERSED_SQL)});
    `);
  },
};
export default migration131CaseIdFragments;
