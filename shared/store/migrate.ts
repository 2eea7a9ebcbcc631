// Numbered migrations: every migration in shared/store/migrations/index.ts that the database has
// not applied yet runs, in version order, each in its own transaction together with its row in
// schema_migrations. A database that holds a version newer than any this code knows is refused
// (an older program must not write to a newer schema). Two processes migrating at once are
// serialised (SQLite: the write lock; PostgreSQL: an advisory lock) and re-check inside the lock.
import type { Db, Migration } from './db';
import { migrations as registered } from './migrations/index';

export class MigrationError extends Error {}

const MIGRATION_LOCK_KEY = 7_140_521_337; // pg_advisory_xact_lock key for "privacy-desk migrations"

export interface MigrateResult { applied: Array<{ version: number; name: string }>; current: number }

function checkList(list: readonly Migration[]): Migration[] {
  const seen = new Map<number, string>();
  for (const m of list) {
    if (!Number.isInteger(m.version) || m.version < 1) throw new MigrationError(`migration "${m.name}" has an invalid version ${m.version}`);
    const other = seen.get(m.version);
    if (other !== undefined) throw new MigrationError(`migrations "${other}" and "${m.name}" both use version ${m.version}`);
    seen.set(m.version, m.name);
  }
  return [...list].sort((a, b) => a.version - b.version);
}

async function ensureTable(db: Db): Promise<void> {
  // Under the migration lock: two PostgreSQL sessions running CREATE TABLE IF NOT EXISTS at the
  // same moment can otherwise both try to create it (duplicate pg_type entry).
  await db.tx(async () => {
    if (db.dialect === 'postgres') await db.get('SELECT pg_advisory_xact_lock(?) AS locked', [MIGRATION_LOCK_KEY]);
    await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
  });
}

export async function appliedVersions(db: Db): Promise<Map<number, string>> {
  await ensureTable(db);
  const rows = await db.all<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
  return new Map(rows.map((r) => [Number(r.version), r.name]));
}

/**
 * A store opened with `schema: 'check'` (or read-only): one read of the applied versions, no
 * write. A store behind this program or ahead of it is an error saying what to do.
 */
export async function checkSchema(db: Db, list: readonly Migration[] = registered): Promise<MigrateResult> {
  const known = checkList(list).map((m) => m.version);
  let rows: Array<{ version: number }>;
  try {
    rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  } catch (e) {
    throw new MigrationError(`the case store has no schema yet (${e instanceof Error ? e.message : String(e)}): open it once read-write (the console, a worker, or any privacy-desk command with a read-write database user) to create it`);
  }
  const done = new Set(rows.map((r) => Number(r.version)));
  const newest = Math.max(0, ...done);
  if (newest > Math.max(0, ...known)) {
    throw new MigrationError(`the database schema is at version ${newest} but this program knows versions up to ${Math.max(0, ...known)}: upgrade PrivacyDesk before opening this database`);
  }
  const pending = known.filter((v) => !done.has(v));
  if (pending.length) {
    throw new MigrationError(`the case store needs migration${pending.length > 1 ? 's' : ''} ${pending.join(', ')}, which this process does not apply (opened ${db.opened?.readOnly ? 'read-only' : 'with schema check'}): run any privacy-desk command with a read-write database user (e.g. \`privacy-desk store status\`), then retry`);
  }
  return { applied: [], current: newest };
}

/**
 * Apply pending migrations. `list` defaults to the registered ones; `upTo` stops at a version (tests).
 * A store opened read-only or with `schema: 'check'` (db.opened) is only checked (checkSchema).
 */
export async function migrate(db: Db, options: { list?: readonly Migration[]; upTo?: number; now?: () => Date } = {}): Promise<MigrateResult> {
  if (db.opened?.schema === 'check' && options.upTo === undefined) return checkSchema(db, options.list ?? registered);
  const list = checkList(options.list ?? registered);
  const known = list.length ? list[list.length - 1]!.version : 0;
  const now = options.now ?? (() => new Date());
  const applied: Array<{ version: number; name: string }> = [];
  const done = await appliedVersions(db);
  const newest = Math.max(0, ...done.keys());
  if (newest > known) {
    throw new MigrationError(`the database schema is at version ${newest} but this program knows versions up to ${known}: upgrade PrivacyDesk before opening this database`);
  }
  for (const m of list) {
    if (options.upTo !== undefined && m.version > options.upTo) break;
    if (done.has(m.version)) continue;
    const ran = await db.tx(async () => {
      if (db.dialect === 'postgres') await db.get('SELECT pg_advisory_xact_lock(?) AS locked', [MIGRATION_LOCK_KEY]);
      const again = await db.get('SELECT version FROM schema_migrations WHERE version = ?', [m.version]);
      if (again) return false;
      try {
        await m.up(db);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new MigrationError(`migration ${m.version} (${m.name}) failed: ${why}`);
      }
      await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now().toISOString()]);
      return true;
    });
    if (ran) applied.push({ version: m.version, name: m.name });
  }
  const after = await appliedVersions(db);
  return { applied, current: Math.max(0, ...after.keys()) };
}
