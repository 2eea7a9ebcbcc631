// What every handler gets: the store, the clock, crypto, audit, the case engine and the effects
// other areas plug in. Built once by createApp (shared/app/app.ts).
import type { Db } from '../store/db';
import type { AuditLog, CaseRepo, StepJournal } from '../store/ports';
import type { PiiCrypto } from '../crypto/port';
import type { CaseEngine } from './engine';
import type { DatamapService } from './datamap/service';
import type { ResponsesService } from './services/responses-service';
import type { PiiDiscoveryRuns } from './services/pii-discovery-runs';
import type { StaffDirectory } from './services/due-soon';
import type { AppealsRepo } from '../store/appeals-repo';
import type { AccountsRepo } from '../store/accounts-repo';

export interface AppConfig {
  /** Folder for the SQLite file, outbox, reports, keys (default: the user data folder). */
  dataDir: string;
  /**
   * SQLite file path (embedded default) or a PostgreSQL URL. `readOnly`: opened with a read-only
   * database user (start-up writes nothing; implies `schema: 'check'` and should go with work
   * `none`); `schema: 'check'`: the schema must be current already, start-up applies no migration
   * (Lambdas). See shared/store/open-db.ts.
   */
  db: ({ kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }) & { readOnly?: boolean; schema?: 'migrate' | 'check' };
  /** Start the case engine and restore open cases (false for one-shot tools that only read). */
  runEngine?: boolean;
  /**
   * Which cases this process runs steps for (docs/STORE.md "Workers"). `all`: a worker (web mode,
   * Electron, `privacy-desk worker`): claims every busy case nobody holds, polls for more. `own`:
   * only the cases this process creates or sends an event to (a Lambda, a CLI command that changes
   * a case). `none`: never runs a step (read-only commands): a transition it makes is persisted and
   * its step left to a worker. Default: `all` unless runEngine is false, then `own`.
   */
  work?: 'all' | 'own' | 'none';
  /** Lease timing: ttlMs (default 30000), pollMs (a worker's claim interval, default 2000), maxCases (cases a worker works at once, default 16). */
  lease?: { ttlMs?: number; pollMs?: number; maxCases?: number };
}

/** Results the case machine needs from the effects (the data-map layer and the channels fill these). */
/** `sensitive` (only when some): rows holding sensitive personal information (CCPA category L): a deletion then needs the high level. */
export interface DiscoverySummary { rows: number; review: number; exempt: number; errors: number; sensitive?: number }
export interface ExecuteSummary { deleted: number; masked: number; updated: number; errors: number }
export interface CheckSummary { ok: boolean; remaining: number }

/** The step being run: its journal key (e.g. "execute#1"), stable across a crash and restart. */
export interface StepRef { key: string }

/**
 * Effects of the case machine, each an injected actor. The engine journals each step: a step
 * whose key is in ctx.steps is never run again (after a crash it returns the stored result).
 * An effect whose writes live in the case database should call
 * `ctx.steps.complete(caseId, step.key, result, at)` inside the same `ctx.db.tx` as its writes,
 * so that a crash can never leave the writes done but the step not recorded.
 */
export interface CaseEffects {
  acknowledge(caseId: string, step: StepRef): Promise<void>;
  discover(caseId: string, step: StepRef): Promise<DiscoverySummary>;
  execute(caseId: string, step: StepRef): Promise<ExecuteSummary>;
  checkResult(caseId: string, step: StepRef): Promise<CheckSummary>;
  respond(caseId: string, step: StepRef): Promise<void>;
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
  /** The areas' services, one typed slot each (see AppServices). */
  services: AppServices;
}

/**
 * The app's services, one typed slot per service: created once per app, by createApp (the engine)
 * or by the area's accessor at first use (`datamapService(ctx)`, `responsesService(ctx)`, ...),
 * and closed with the app. No string keys, no casts.
 */
export interface AppServices {
  engine?: CaseEngine;
  datamap?: DatamapService;
  responses?: ResponsesService;
  piiDiscovery?: PiiDiscoveryRuns;
  appeals?: AppealsRepo;
  accounts?: AccountsRepo;
  /** Who the staff are, for the due-soon digest (set by whoever knows them). */
  staffDirectory?: StaffDirectory;
}
