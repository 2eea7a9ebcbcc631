// The database port: the one narrow interface every repository (cases, audit, data map, messages,
// ledger...) is written against. Two implementations: SQLite (better-sqlite3, the embedded default)
// and PostgreSQL (pg). SQL uses `?` placeholders; the PostgreSQL implementation rewrites them to $n.
// Values are always bound parameters; identifiers are never built from input here.
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;
export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Run fn in one transaction; concurrent callers are serialised; a nested call joins the outer one. */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** True when called inside this Db's open transaction (optional: repositories use it to skip a savepoint). */
  inTransaction?(): boolean;
  /**
   * Inside an open transaction: an object standing for its current state, replaced whenever a
   * savepoint of it is rolled back (optional: the audit log keeps the chain head it locked in
   * this transaction under it, PostgreSQL only). Undefined outside a transaction.
   */
  txScope?(): object | undefined;
  /**
   * How the app opened it (shared/store/open-db.ts): `readOnly` (a read-only database user: every
   * transaction is read-only, the app's start-up writes nothing); `schema: 'check'` (the schema
   * must already be current: start-up reads its version and applies no migration).
   */
  readonly opened?: { readOnly: boolean; schema: 'migrate' | 'check' };
  close(): Promise<void>;
}

export interface Migration {
  /** Numbered, never reused: 1..9 core, 10..19 data map, 20..29 responses, 30..39 phone, 40..49 data lakes, 50..59 console. */
  version: number;
  name: string;
  up(db: Db): Promise<void>;
}
