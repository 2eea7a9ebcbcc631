// Shops written for the exact-erasure tests (test/integration/exact-erasure): a schema, a data
// map, rows, the people they belong to, and the ground truth a correct engine must respect.
// Each shop lives in its own file next to this one; ./harness.ts loads a shop into SQLite or
// PostgreSQL, runs a request through the app and ./invariants.ts checks the outcome.
import type { DataMap } from '../../../shared/domain/datamap';
import type { Identities } from '../../../shared/domain/identity';

export type Row = Record<string, unknown>;

/** Logical column types, mapped per engine (./harness.ts `ddl`). */
export type ColumnType = 'int' | 'text' | `varchar(${number})` | 'timestamp' | 'json';

export interface ColumnDef { name: string; type: ColumnType; notNull?: boolean }

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  /** Primary key columns; none = a table without a primary key. */
  primaryKey?: string[];
  /** Rows as column -> value (JSON columns take objects). */
  rows: Row[];
}

export interface SystemDef {
  /** Registered system name. */
  name: string;
  /** The data map's dataset (results are named "<dataset>:<table>"). */
  dataset: string;
  tables: TableDef[];
  /**
   * The data map, built when the scenario runs (parseDataMap / importFidesDatasets), so that a map
   * the format does not accept yet fails the scenario's tests rather than the whole file.
   */
  map(): DataMap;
}

/** A personal field of a table: a column, or a path into a JSON column ("profile.address.city"). */
export interface PersonalField { path: string; category: string }

export interface Person {
  id: string;
  name: string;
  /** Every email of the person (any case; compared lower-cased). */
  emails: string[];
  /** Phones in E.164. */
  phones?: string[];
}

export interface ShopDef {
  name: string;
  systems: SystemDef[];
  people: Person[];
  /**
   * Ground truth: whose data a row is (person ids), given the row as dumped before the request.
   * Several ids: shared between people (must not change without a staff decision). Empty: nobody's
   * (reference data, an ambiguous row): must not change either.
   */
  owners(system: string, table: string, row: Row): string[];
  /** Personal fields per "system.table" (what an erasure must remove from the subject's rows). */
  personal: Record<string, PersonalField[]>;
}

export type ScenarioType = 'access' | 'delete' | 'delete_pii';

export interface Scenario {
  title: string;
  type: ScenarioType;
  /** Person id of the data subject. */
  subject: string;
  identities: Identities;
  strategy?: 'exact' | 'connected_pii';
  /** delete_pii: the categories to erase (default: every personal category). */
  categories?: string[];
}

export function person(shop: ShopDef, id: string): Person {
  const p = shop.people.find((x) => x.id === id);
  if (!p) throw new Error(`shop ${shop.name} has no person "${id}"`);
  return p;
}

/** Owner lookup helper: a table of id -> person id. */
export function ownerBy(map: Record<string | number, string>, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const p = map[String(value)];
  return p ? [p] : [];
}
