// Dump every table of a SQLite file or a PostgreSQL database in a stable order (tables by name,
// rows by primary key, else by content), and compare two dumps row by row: which rows were
// deleted, which changed, which were added. Used by the exact-erasure tests to hold the engine to
// what the database really shows, not to what it reports.
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { PostgresDb } from '../../../shared/store/postgres-db';
import type { Row } from './types';

export type DbTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string } | { engine: 'mysql'; url: string };

export interface TableDump {
  name: string;
  columns: string[];
  /** Primary key columns from the live schema ([] for a table without one). */
  primaryKey: string[];
  rows: Row[];
}

/** Tables by name. */
export type Dump = Record<string, TableDump>;

/** A value as plain JSON-able data: dates as ISO text, bytes as base64, big integers as numbers when safe. */
export function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

/** JSON text (SQLite JSON columns) parsed; anything else as is. */
export function parsedJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try { return JSON.parse(t) as unknown; } catch { return v; }
}

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, stable((v as Row)[k])]));
  return v;
}

/** A canonical text for a value: JSON text and JSON objects compare alike, object keys sorted. */
export function canon(v: unknown): string {
  const p = parsedJson(plain(v));
  if (p === undefined) return 'null';
  return JSON.stringify(stable(p));
}

/** Same value (numbers and numeric text alike: drivers differ on integer types). */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) return String(a) === String(b);
  return canon(a) === canon(b);
}

export function sameRow(a: Row, b: Row): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!sameValue(a[k], b[k])) return false;
  return true;
}

/** The value at a path: "email", or "profile.address.city" into a JSON column (text or object). */
export function valueAt(row: Row, path: string): unknown {
  const [col, ...rest] = path.split('.');
  let v: unknown = parsedJson(row[col!]);
  for (const k of rest) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Row)[k];
  }
  return v;
}

export function keyOf(t: TableDump, row: Row): string | null {
  return t.primaryKey.length ? canon(t.primaryKey.map((f) => row[f] ?? null)) : null;
}

function sortRows(t: TableDump): void {
  const k = (r: Row) => `${keyOf(t, r) ?? ''}\u0000${canon(r)}`;
  t.rows.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
}

function dumpSqlite(file: string): Dump {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const out: Dump = {};
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const cols = db.prepare(`PRAGMA table_info("${name.replace(/"/gu, '""')}")`).all() as Array<{ name: string; pk: number }>;
      const primaryKey = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const rows = (db.prepare(`SELECT * FROM "${name.replace(/"/gu, '""')}"`).all() as Row[])
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
      const t: TableDump = { name, columns: cols.map((c) => c.name), primaryKey, rows };
      sortRows(t);
      out[name] = t;
    }
    return out;
  } finally {
    db.close();
  }
}

async function dumpPostgres(url: string): Promise<Dump> {
  const db = new PostgresDb(url, { max: 1, applicationName: 'exact-erasure-dump' });
  try {
    const out: Dump = {};
    const tables = await db.all<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
    for (const { table_name: name } of tables) {
      const cols = await db.all<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position', [name]);
      const pk = await db.all<{ column_name: string }>(
        `SELECT k.column_name FROM information_schema.table_constraints tc
           JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
          WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() AND tc.table_name = ?
          ORDER BY k.ordinal_position`, [name]);
      const rows = (await db.all<Row>(`SELECT * FROM "${name.replace(/"/gu, '""')}"`))
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
      const t: TableDump = { name, columns: cols.map((c) => c.column_name), primaryKey: pk.map((c) => c.column_name), rows };
      sortRows(t);
      out[name] = t;
    }
    return out;
  } finally {
    await db.close();
  }
}

/** MySQL / MariaDB: dates as the server's text (as the source reads them), UTC session. */
async function dumpMySql(url: string): Promise<Dump> {
  const db = await createConnection({ uri: url, dateStrings: true, supportBigNumbers: true, charset: 'utf8mb4_unicode_ci' });
  try {
    await db.query("SET SESSION time_zone = '+00:00'");
    const out: Dump = {};
    const [tables] = await db.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'");
    for (const { name } of (tables as Array<{ name: string }>).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const [cols] = await db.execute('SELECT COLUMN_NAME AS name, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [name]);
      const [pk] = await db.execute("SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION", [name]);
      const [rows] = await db.query(`SELECT * FROM \`${name.replace(/`/gu, '``')}\``);
      const t: TableDump = {
        name, columns: (cols as Array<{ name: string }>).map((c) => c.name), primaryKey: (pk as Array<{ name: string }>).map((c) => c.name),
        rows: (rows as Row[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)]))),
      };
      sortRows(t);
      out[name] = t;
    }
    return out;
  } finally {
    await db.end();
  }
}

/** Every table of the database, tables by name, rows in a stable order. */
export async function dumpDatabase(target: DbTarget): Promise<Dump> {
  return target.engine === 'sqlite' ? dumpSqlite(target.file) : target.engine === 'mysql' ? dumpMySql(target.url) : dumpPostgres(target.url);
}

export interface TableDiff {
  /** Before row -> after row (same row: same primary key, or matched by content). */
  pairs: Array<{ before: Row; after: Row; changed: boolean }>;
  /** Rows gone. */
  deleted: Row[];
  /** Rows that were not there before. */
  added: Row[];
}

/**
 * Pair the rows of one table before and after. Rows with the same primary key pair first (a table
 * without one: identical rows pair first); then rows whose key changed or that were rewritten in
 * place pair when every column outside `personalColumns` is the same (a masked email that was part
 * of the key, a masked row of a table without a key). What is left over was deleted or added.
 */
export function diffTable(before: TableDump | undefined, after: TableDump | undefined, personalColumns: readonly string[] = []): TableDiff {
  const b = before?.rows ?? [];
  const a = after?.rows ?? [];
  const t = before ?? after;
  const pairs: TableDiff['pairs'] = [];
  const usedB = new Set<number>();
  const usedA = new Set<number>();
  if (t && t.primaryKey.length) {
    const byKey = new Map<string, number>();
    a.forEach((r, i) => byKey.set(keyOf(t, r)!, i));
    b.forEach((r, i) => {
      const j = byKey.get(keyOf(t, r)!);
      if (j === undefined || usedA.has(j)) return;
      usedB.add(i); usedA.add(j);
      pairs.push({ before: r, after: a[j]!, changed: !sameRow(r, a[j]!) });
    });
  } else {
    b.forEach((r, i) => {
      const j = a.findIndex((x, k) => !usedA.has(k) && sameRow(r, x));
      if (j < 0) return;
      usedB.add(i); usedA.add(j);
      pairs.push({ before: r, after: a[j]!, changed: false });
    });
  }
  const personal = new Set(personalColumns.map((p) => p.split('.')[0]!));
  const columns = t?.columns ?? [];
  const stableCols = columns.filter((c) => !personal.has(c));
  b.forEach((r, i) => {
    if (usedB.has(i)) return;
    const j = a.findIndex((x, k) => !usedA.has(k) && stableCols.every((c) => sameValue(r[c], x[c])));
    if (j < 0) return;
    usedB.add(i); usedA.add(j);
    pairs.push({ before: r, after: a[j]!, changed: !sameRow(r, a[j]!) });
  });
  return { pairs, deleted: b.filter((_, i) => !usedB.has(i)), added: a.filter((_, i) => !usedA.has(i)) };
}
