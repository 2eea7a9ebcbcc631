// Repositories of the case store, written once against the Db port (shared/store/db.ts).
// Transactions: everything awaited inside `db.tx(fn)` (in its async context) joins that transaction,
// so repositories simply use the Db they were built with.
import type { Agent, CaseStatus, CaseType, Channel, Jurisdiction, Strategy } from '../domain/case';
import type { Identities } from '../domain/identity';

export interface StoredCase {
  id: string;
  type: CaseType;
  strategy: Strategy;
  jurisdiction: Jurisdiction;
  channel: Channel;
  status: CaseStatus;
  receivedAt: string;       // ISO instant
  acknowledgeBy: string | null; // YYYY-MM-DD
  respondBy: string;        // YYYY-MM-DD
  assignee: string | null;
  closedAt: string | null;
  updatedAt: string;
  createdAt: string;
  /** Persisted xstate snapshot (getPersistedSnapshot) - holds no raw PII. */
  snapshot: unknown;
  snapshotVersion: number;
  /** Set when the 24-month retention purge removed the PII. */
  purgedAt: string | null;
}

export interface CaseQuery {
  status?: CaseStatus; type?: CaseType; channel?: Channel; jurisdiction?: Jurisdiction;
  /**
   * Open cases past their due date. A date (YYYY-MM-DD): respondBy < that date for every case. Or
   * today per jurisdiction (todayByJurisdiction): respondBy < the date of the case's jurisdiction.
   */
  overdueAsOf?: string | ReadonlyArray<{ date: string; jurisdictions: readonly Jurisdiction[] }>;
  idPrefix?: string;
  /** A fragment of the 6-character code ending a case id ("3K9F", "F2Q"): its start or its end (migration 131's indexes). */
  idCode?: string;
  identityHashes?: string[]; // keyed hashes of a searched identity (any kind)
  assignee?: string;
  sort: 'respondBy' | 'receivedAt' | 'status' | 'type' | 'id';
  order: 'asc' | 'desc';
  offset: number; limit: number;
}

/** A case's identities and agent encrypted for that case id, with their look-up hashes (CaseRepo.seal). */
export interface SealedPii {
  caseId: string;
  identitiesEnc: Uint8Array;
  agentEnc: Uint8Array | null;
  hashes: Array<{ kind: string; hash: string }>;
}

export interface CaseRepo {
  insert(c: StoredCase, identities: Identities, agent: Agent | null): Promise<void>;
  /** Encrypt and hash a case's PII ahead of its transaction (with KMS a network call); writes nothing. */
  seal(caseId: string, identities: Identities, agent: Agent | null): Promise<SealedPii>;
  /** insert() with PII sealed beforehand: only database writes (joins the caller's transaction). */
  insertSealed(c: StoredCase, pii: SealedPii): Promise<void>;
  /** insertSealed for many cases in a few multi-row statements. */
  insertSealedMany(list: ReadonlyArray<{ c: StoredCase; pii: SealedPii }>): Promise<void>;
  /** Which of these case ids exist already. */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  update(id: string, patch: Partial<Omit<StoredCase, 'id' | 'createdAt'>>): Promise<void>;
  get(id: string): Promise<StoredCase | undefined>;
  /** Decrypts. Throws if purged. */
  identities(id: string): Promise<Identities>;
  agent(id: string): Promise<Agent | null>;
  /** Identities and agent from one read (a case view shows both, masked). */
  identitiesAndAgent(id: string): Promise<{ identities: Identities; agent: Agent | null }>;
  list(q: CaseQuery): Promise<{ items: StoredCase[]; total: number }>;
  /** list() without its total / only its total (sort, order, offset and limit ignored). */
  page(q: CaseQuery): Promise<StoredCase[]>;
  count(q: Omit<CaseQuery, 'sort' | 'order' | 'offset' | 'limit'>): Promise<number>;
  listOpen(): Promise<StoredCase[]>;
  /** Case ids having an identity whose normalised value hashes to one of these. */
  findByIdentityHash(hashes: string[]): Promise<string[]>;
  /** Remove PII (identities, agent) of cases closed before `before`; keeps the audit skeleton. */
  purgeClosedBefore(before: string, at: string): Promise<number>;
  /** As purgeClosedBefore, returning the ids of the cases purged (for their audit entries). */
  purgeClosedBeforeIds(before: string, at: string): Promise<string[]>;
}

export interface AuditEntry {
  seq: number; caseId: string | null; at: string; actor: string; action: string;
  detail: Record<string, unknown>; prevHash: string; hash: string;
}
export interface AuditLog {
  /** Appends (inside the caller's transaction when there is one). detail must hold no raw PII. */
  append(e: { caseId: string | null; actor: string; action: string; detail?: Record<string, unknown> }, at: Date): Promise<AuditEntry>;
  /** Appends several entries in order, as append would one after the other, in a few statements (optional: else append each). */
  appendMany?(entries: ReadonlyArray<{ caseId: string | null; actor: string; action: string; detail?: Record<string, unknown>; at: Date }>): Promise<AuditEntry[]>;
  forCase(caseId: string): Promise<AuditEntry[]>;
  verify(): Promise<{ ok: boolean; entries: number; firstBad: { seq: number; problem: string } | null }>;
}

/** Exactly-once effect steps: an effect records completion in the same transaction as its writes. */
export interface StepJournal {
  get(caseId: string, step: string): Promise<{ result: unknown; at: string } | undefined>;
  complete(caseId: string, step: string, result: unknown, at: Date): Promise<void>;
  count(caseId: string, step: string): Promise<number>;
}
