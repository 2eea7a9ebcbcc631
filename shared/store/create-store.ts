// The case store's repositories over one Db. Call after migrate(db). Staff notes in snapshots and
// audit details are sealed at rest (shared/store/sealed-notes.ts): the repositories are the
// note-sealing ones, sharing one sealer (its cache) per store.
import type { Db } from './db';
import type { PiiCrypto } from '../crypto/port';
import type { SqlCaseRepo } from './case-repo';
import type { SqlAuditLog } from './audit-log';
import { SqlStepJournal } from './step-journal';
import { NoteSealer, NoteSealingAuditLog, NoteSealingCaseRepo } from './sealed-notes';

export interface Store {
  cases: SqlCaseRepo;
  audit: SqlAuditLog;
  steps: SqlStepJournal;
}

export function createStore(db: Db, crypto: PiiCrypto): Store {
  const notes = new NoteSealer(crypto);
  return { cases: new NoteSealingCaseRepo(db, crypto, notes), audit: new NoteSealingAuditLog(db, crypto, notes), steps: new SqlStepJournal(db) };
}
