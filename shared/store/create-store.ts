// The case store's repositories over one Db. Call after migrate(db).
import type { Db } from './db';
import type { PiiCrypto } from '../crypto/port';
import { SqlCaseRepo } from './case-repo';
import { SqlAuditLog } from './audit-log';
import { SqlStepJournal } from './step-journal';

export interface Store {
  cases: SqlCaseRepo;
  audit: SqlAuditLog;
  steps: SqlStepJournal;
}

export function createStore(db: Db, crypto: PiiCrypto): Store {
  return { cases: new SqlCaseRepo(db, crypto), audit: new SqlAuditLog(db, crypto), steps: new SqlStepJournal(db) };
}
