// What every handler gets: the store, the clock, crypto, audit, the case engine and the effects
// other areas plug in. Built once by createApp (shared/app/app.ts).
import type { Db } from '../store/db';
import type { AuditLog, CaseRepo, StepJournal } from '../store/ports';
import type { PiiCrypto } from '../crypto/port';

export interface AppConfig {
  /** Folder for the SQLite file, outbox, reports, keys (default: the user data folder). */
  dataDir: string;
  /** SQLite file path (embedded default) or a PostgreSQL URL. */
  db: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** Start the case engine and restore open cases (false for one-shot tools that only read). */
  runEngine?: boolean;
}

/** Results the case machine needs from the effects (the data-map layer and the channels fill these). */
export interface DiscoverySummary { rows: number; review: number; exempt: number; errors: number }
export interface ExecuteSummary { deleted: number; masked: number; updated: number; errors: number }
export interface CheckSummary { ok: boolean; remaining: number }

/**
 * Effects of the case machine, each an injected actor. Each must be idempotent per (case, step):
 * record completion through ctx.steps in the same transaction as its writes.
 */
export interface CaseEffects {
  acknowledge(caseId: string): Promise<void>;
  discover(caseId: string): Promise<DiscoverySummary>;
  execute(caseId: string): Promise<ExecuteSummary>;
  checkResult(caseId: string): Promise<CheckSummary>;
  respond(caseId: string): Promise<void>;
}

export interface AppContext {
  config: AppConfig;
  db: Db;
  clock: () => Date;
  crypto: PiiCrypto;
  cases: CaseRepo;
  audit: AuditLog;
  steps: StepJournal;
  effects: CaseEffects;
  /** Area services registered at start (data map, channels...), looked up by name. */
  services: Map<string, unknown>;
}
