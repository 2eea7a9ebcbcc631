// The data-source port: what the discovery / erasure engine needs from any data store
// (SQLite, PostgreSQL, Parquet via DuckDB, DynamoDB, Redshift, Athena...). Owned by the
// "Data map and adapter layer" work; engines for "Data stores at scale" implement the same port.
// See docs/DATAMAP.md for the data-map format.
export type Row = Record<string, unknown>;

export interface FieldSchema {
  name: string; dataType: string; nullable: boolean; primaryKey: boolean;
  /** Maximum length of a text column when the engine reports one (masked values must fit). */
  maxLength?: number | null;
}
export interface CollectionSchema { name: string; fields: FieldSchema[] }

/** A condition on one field: field IN (values). Fields are validated against the live schema first. */
export interface FieldMatch {
  field: string;
  values: unknown[];
  /**
   * How stored values compare (optional; engines that ignore it compare exactly):
   * email = lower(trim(field)) IN values (values already normalised);
   * phone = field with spaces, dashes, dots, brackets and "+" removed IN values (digit strings);
   * postal = upper(field) with spaces removed IN values. Callers re-check matches in code.
   */
  normalize?: 'email' | 'phone' | 'postal';
}

export interface RowChange {
  collection: string;
  /** Primary key of the row as field -> value. */
  key: Row;
  action: 'delete' | 'update';
  /** For update: field -> new value. */
  set?: Row;
  /**
   * For update, optional: the values of the `set` fields as the plan read them. An engine that can
   * write part of a nested value (DynamoDB document paths) compares them with `set` and writes only
   * what differs, so the nested value's other keys are never rewritten.
   */
  original?: Row;
}

/**
 * What apply() changed, as the store reported it (rows deleted / rows updated), never the number of
 * changes asked for: a change whose row is already gone counts 0, a key that matches two rows
 * (a table without a primary key, matched by value) counts 2.
 */
export interface AppliedCounts {
  deleted: number;
  updated: number;
  /** Per collection, what the store reports it changed (rows deleted / rows updated). */
  byCollection: Record<string, { deleted: number; updated: number }>;
  /**
   * Per change, in the order given: rows the store reported for that change (0 = the row was not
   * there / not matched). A row one statement or rewrite changed for several changes (the same key
   * named twice) is credited to the first of them, so the entries of a collection add up to its
   * byCollection counts. Optional only for engines that cannot tell per row (every engine in
   * shared/adapters sets it).
   */
  perChange?: number[];
}

export interface DataSource {
  readonly engine: string;
  /**
   * Optional: true when the primary keys introspect() reports are constraints the store enforces
   * (a SQL PRIMARY KEY), so a look-up of one value of a one-field key returns at most the one row
   * holding exactly that value. The walk then skips looking up a key value whose row it already
   * holds (shared/app/datamap/find-system.ts). Unset for stores whose keys are only declared.
   */
  readonly enforcedKeys?: boolean;
  /**
   * Optional: how many find() calls the store can usefully answer at once (a connection pool's
   * size). Above 1, the walk sends the look-ups of one round together and reads the answers in
   * order; unset or 1, one after another.
   */
  readonly concurrentFinds?: number;
  /** The live schema (tables/collections and their fields). */
  introspect(): Promise<CollectionSchema[]>;
  /** Rows of one collection where any of the matches holds (OR across matches). */
  find(collection: string, matches: FieldMatch[]): Promise<Row[]>;
  /**
   * Apply all changes atomically (one transaction per system where the engine allows) and report
   * what the store says it changed (see AppliedCounts).
   */
  apply(changes: RowChange[]): Promise<AppliedCounts>;
  /** A bounded sample of values of one field, for PII discovery. Never stored or logged. */
  sample(collection: string, field: string, limit: number): Promise<unknown[]>;
  /**
   * Optional: every row of a collection (only `fields`), in batches, keyset-paged on fields[0]
   * (a unique key). Used by ledger replay and discovery; never logged.
   */
  scan?(collection: string, fields: string[], batchSize?: number): AsyncIterable<Row[]>;
  /**
   * Optional: the collections whose look-ups cannot compare the way a FieldMatch's `normalize` asks
   * (e.g. a DynamoDB index Query on a table too large to scan is case- and format-exact), one
   * sentence each. The engine lists them for review and the check is not ok while any applies to a
   * collection it had to look in: a value stored in another form may have been missed.
   */
  lookupLimits?(): Promise<LookupLimit[]>;
  close(): Promise<void>;
}

export interface LookupLimit { collection: string; field: string; reason: string }
