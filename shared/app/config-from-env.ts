// The app's configuration from the global options and the environment, shared by every shell
// (the CLI, web mode, Electron): --db FILE (SQLite, the embedded default) or --database-url URL
// (PostgreSQL), --data-dir DIR (keys, outbox, reports), the demo clock and the lease timing.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppConfig } from './context';

/** Where the case store and the data folder are: what a shell's options name (each optional). */
export interface StoreOptions {
  /** --db FILE (SQLite case store) */
  db?: string;
  /** --database-url URL (PostgreSQL case store) */
  databaseUrl?: string;
  /** --data-dir DIR; default: the user data folder */
  dataDir?: string;
}

/** The user data folder: $PRIVACY_DESK_DATA_DIR, else $XDG_DATA_HOME/privacy-desk, else ~/.local/share/privacy-desk. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PRIVACY_DESK_DATA_DIR) return resolve(env.PRIVACY_DESK_DATA_DIR);
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'privacy-desk');
}

export function appConfigFrom(globals: StoreOptions, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = globals.dataDir ? resolve(globals.dataDir) : defaultDataDir(env);
  const url = globals.databaseUrl ?? (globals.db ? undefined : env.PRIVACY_DESK_DATABASE_URL);
  if (url) return { dataDir, db: { kind: 'postgres', url } };
  const file = globals.db ? resolve(globals.db) : env.PRIVACY_DESK_DB ? resolve(env.PRIVACY_DESK_DB) : join(dataDir, 'privacy-desk.sqlite');
  return { dataDir, db: { kind: 'sqlite', file } };
}

/**
 * PRIVACY_DESK_CLOCK=<ISO instant> starts the clock at that instant (it then runs normally):
 * for demos, training and reproducible tests of the legal clock. Unset in production.
 */
export function clockFrom(env: NodeJS.ProcessEnv = process.env): (() => Date) | undefined {
  const start = env.PRIVACY_DESK_CLOCK;
  if (!start) return undefined;
  const t0 = Date.parse(start);
  if (Number.isNaN(t0)) throw new Error('PRIVACY_DESK_CLOCK: must be an ISO date-time');
  const real0 = Date.now();
  return () => new Date(t0 + (Date.now() - real0));
}

/**
 * Lease timing from the environment (docs/OPERATIONS.md "Workers"): PRIVACY_DESK_LEASE_TTL_MS
 * (default 30000), PRIVACY_DESK_WORKER_POLL_MS (default 2000), PRIVACY_DESK_WORKER_CASES (default 16).
 */
export function leaseFrom(env: NodeJS.ProcessEnv = process.env): NonNullable<AppConfig['lease']> {
  const num = (name: string, min: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}: a whole number, at least ${min}`);
    return n;
  };
  const lease: NonNullable<AppConfig['lease']> = {};
  const ttl = num('PRIVACY_DESK_LEASE_TTL_MS', 200);
  const poll = num('PRIVACY_DESK_WORKER_POLL_MS', 50);
  const cases = num('PRIVACY_DESK_WORKER_CASES', 1);
  if (ttl !== undefined) lease.ttlMs = ttl;
  if (poll !== undefined) lease.pollMs = poll;
  if (cases !== undefined) lease.maxCases = cases;
  return lease;
}
