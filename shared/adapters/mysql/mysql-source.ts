// A DataSource over MySQL / MariaDB (Amazon RDS, Aurora MySQL) through mysql2: prepared statements
// (execute), identifiers checked against information_schema and quoted with backticks (embedded
// backticks doubled), values always bound parameters. Same port and contract as ../sql-source.ts.
//
// Collations. Text columns under the common `*_ci` collations compare case- (and accent-)
// insensitively and, under PAD SPACE collations, ignore trailing spaces. PrivacyDesk's rules hold
// whatever the column's collation, and the column's own index is still used:
// - exact values (custom keys, primary keys, value matches of a table without a key):
//   `col IN (?, ...) AND CAST(col AS BINARY) IN (?, ...)`: the first conjunct is the index range
//   (under a _ci collation a superset of the exact matches), the second keeps only byte-equal values;
// - emails on a _ci column: `(col LIKE 'v%' OR col LIKE ' v%' OR col LIKE '  v%' OR col LIKE '   v%'
//   ... OR col LIKE '    %') AND CAST(lower(trim(col)) AS BINARY) IN (v, ...)`: prefix ranges on the
//   index (a case-insensitive prefix covers case and trailing spaces; up to three leading spaces per
//   value, and one range for any value with four or more - empty in real data), then PrivacyDesk's
//   lower(trim()) rule exactly. On a case-sensitive or binary column `lower(trim(col))` alone (no
//   index, as on PostgreSQL).
// - a number column is never compared with text that is not a number (MySQL would turn 'abc'
//   into 0 and match the zeros).
//
// Dates and times are read as the server's text (dateStrings: '2024-03-10 02:30:00.000000' as the
// column holds it) in a UTC session (TIMESTAMP columns are converted by the session time zone, so a
// fixed zone writes back exactly what was read), never as JavaScript Dates.
//
// AppliedCounts are what the server reports (affectedRows; mysql2 sets CLIENT_FOUND_ROWS, so an
// UPDATE counts the rows it matched, as PostgreSQL does). MySQL has no UPDATE ... RETURNING, so
// per change: a chunk of single-column keys is first locked and read (SELECT ... FOR UPDATE: which
// keys are there, how many rows each), then changed by one statement whose affectedRows must equal
// that count; otherwise (or when a read key maps to no change) the chunk is undone (savepoint) and
// run one key at a time. Composite keys run one statement per key.
import { createPool, type Pool, type PoolConnection } from 'mysql2/promise';
import type { CollectionSchema, DataSource, FieldMatch, FieldSchema, Row, RowChange } from '../port';
import { UnknownIdentifierError } from '../sql-source';
import { yieldIfDue } from '../event-loop';
import { MySqlConfigError, parseMySqlUrl, redactMySqlUrl, tlsOptions, type MySqlConfig } from './config';

const CHUNK = 1000;

type Param = string | number | null | Buffer;

interface Column extends FieldSchema {
  text: boolean;
  numeric: boolean;
  /** Case-insensitive collation (`*_ci`). */
  ci: boolean;
  charset: string | null;
}

export function quoteMySqlIdent(name: string): string {
  return `\`${name.replace(/`/gu, '``')}\``;
}

const TEXT_TYPES = /^(char|varchar|tinytext|text|mediumtext|longtext|enum|set)$/u;
const NUMERIC_TYPES = /^(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit|year)$/u;
const NUMBER_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/u;

/** A value read from mysql2 as plain JSON-able data (bytes as base64, safe big integers as numbers). */
function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

function plainRow(r: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) out[k] = plainValue(v);
  return out;
}

function pad(n: number, w = 2): string { return String(n).padStart(w, '0'); }

function bindValue(v: unknown): Param {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) {
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}.${pad(v.getUTCMilliseconds(), 3)}`;
  }
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array) return Buffer.from(v);
  return JSON.stringify(v);
}

/** Values a column can equal: text for a text column, numbers (or numeric text) for a number column. */
function valuesFor(col: Column, values: readonly unknown[]): Param[] {
  const out: Param[] = [];
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (col.text) {
      const b = bindValue(v);
      out.push(b === null ? null : Buffer.isBuffer(b) ? b : String(b));
    } else if (col.numeric) {
      if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
      else if (typeof v === 'bigint') out.push(v.toString());
      else if (typeof v === 'boolean') out.push(v ? 1 : 0);
      else if (typeof v === 'string' && NUMBER_TEXT.test(v)) out.push(v.trim());
    } else out.push(bindValue(v));
  }
  return out;
}

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function digitsExpr(col: string): string {
  let e = col;
  for (const ch of [' ', '-', '(', ')', '.', '+']) e = `replace(${e}, '${ch}', '')`;
  return e;
}

/** The column as bytes of utf8mb4 (what a bound string is), for byte-exact comparison. */
function bytesOf(c: Column, expr: string): string {
  return c.charset && c.charset !== 'utf8mb4' && c.charset !== 'binary' ? `CAST(CONVERT(${expr} USING utf8mb4) AS BINARY)` : `CAST(${expr} AS BINARY)`;
}

/** col IN (values), exactly (byte-equal for text whatever the collation), still using the column's index. */
function exactIn(c: Column, q: string, values: Param[]): { sql: string; params: Param[] } {
  if (!c.text) return { sql: `${q} IN (${marks(values.length)})`, params: values };
  return { sql: `(${q} IN (${marks(values.length)}) AND ${bytesOf(c, q)} IN (${marks(values.length)}))`, params: [...values, ...values] };
}

const likePrefix = (v: string) => `${v.replace(/[!%_]/gu, '!$&')}%`;
const LEADING = ['', ' ', '  ', '   '];

type Exec = (sql: string, params?: Param[]) => Promise<unknown>;

export class MySqlDataSource implements DataSource {
  readonly engine = 'mysql';
  private schema: Map<string, Map<string, Column>> | null = null;
  private listing: CollectionSchema[] | null = null;

  constructor(private readonly pool: Pool, private readonly ownsPool = true) {}

  private async all<T = Record<string, unknown>>(sql: string, params: Param[] = [], conn?: PoolConnection): Promise<T[]> {
    const [rows] = await (conn ?? this.pool).execute(sql, params);
    return rows as T[];
  }

  private async run(conn: PoolConnection, sql: string, params: Param[]): Promise<number> {
    const [res] = await conn.execute(sql, params);
    return Number((res as { affectedRows?: number }).affectedRows ?? 0);
  }

  /** The live schema of the URL's database, read once (sources are kept per system: ../source-pool.ts). */
  async introspect(): Promise<CollectionSchema[]> {
    if (this.listing) return this.listing;
    const cols = await this.all<{ table_name: string; column_name: string; data_type: string; is_nullable: string; max_len: number | string | null; column_key: string; charset: string | null; collation: string | null }>(
      `SELECT c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name, c.DATA_TYPE AS data_type, c.IS_NULLABLE AS is_nullable,
              c.CHARACTER_MAXIMUM_LENGTH AS max_len, c.COLUMN_KEY AS column_key, c.CHARACTER_SET_NAME AS charset, c.COLLATION_NAME AS collation
         FROM information_schema.COLUMNS c
         JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = 'BASE TABLE'
        WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_SCHEMA = DATABASE()
        ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`);
    const out: CollectionSchema[] = [];
    const by = new Map<string, { list: CollectionSchema; cols: Map<string, Column> }>();
    for (const c of cols) {
      let t = by.get(c.table_name);
      if (!t) { t = { list: { name: c.table_name, fields: [] }, cols: new Map() }; by.set(c.table_name, t); out.push(t.list); }
      const dataType = String(c.data_type).toLowerCase();
      const col: Column = {
        name: c.column_name, dataType, nullable: c.is_nullable === 'YES', primaryKey: c.column_key === 'PRI',
        maxLength: /^(char|varchar)$/u.test(dataType) && c.max_len !== null ? Number(c.max_len) : null,
        text: TEXT_TYPES.test(dataType), numeric: NUMERIC_TYPES.test(dataType),
        ci: /_ci$/iu.test(c.collation ?? ''), charset: c.charset ? String(c.charset).toLowerCase() : null,
      };
      t.cols.set(col.name, col);
      t.list.fields.push({ name: col.name, dataType: col.dataType, nullable: col.nullable, primaryKey: col.primaryKey, maxLength: col.maxLength });
    }
    this.schema = new Map([...by].map(([k, v]) => [k, v.cols]));
    this.listing = out;
    return out;
  }

  private async checked(collection: string, fields: readonly string[]): Promise<Map<string, Column>> {
    if (!this.schema) await this.introspect();
    const cols = this.schema!.get(collection);
    if (!cols) throw new UnknownIdentifierError(`unknown table "${collection}"`);
    for (const f of fields) if (!cols.has(f)) throw new UnknownIdentifierError(`unknown column "${collection}.${f}"`);
    return cols;
  }

  private clause(c: Column, m: FieldMatch, part: Param[]): { sql: string; params: Param[] } {
    const q = quoteMySqlIdent(c.name);
    if (m.normalize === 'email') {
      const lowered = part.map((v) => (typeof v === 'string' ? v : String(v)));
      const exact = `${bytesOf(c, `lower(trim(${q}))`)} IN (${marks(lowered.length)})`;
      if (!c.text || !c.ci) return { sql: exact, params: lowered };
      // Index ranges: each value with 0-3 leading spaces as a case-insensitive prefix (trailing
      // spaces and case are covered by the prefix), and every value with 4 or more leading spaces
      // (a range that is empty in any real table). The exact rule then keeps the right rows.
      const prefixes = lowered.flatMap((v) => LEADING.map((sp) => likePrefix(`${sp}${v}`)));
      return {
        sql: `((${prefixes.map(() => `${q} LIKE ? ESCAPE '!'`).join(' OR ')} OR ${q} LIKE '    %') AND ${exact})`,
        params: [...prefixes, ...lowered],
      };
    }
    if (m.normalize === 'phone') return { sql: `${digitsExpr(q)} IN (${marks(part.length)})`, params: part };
    if (m.normalize === 'postal') return { sql: `replace(upper(trim(${q})), ' ', '') IN (${marks(part.length)})`, params: part };
    return exactIn(c, q, part);
  }

  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    const cols = await this.checked(collection, matches.map((m) => m.field));
    const clauses: Array<{ sql: string; params: Param[] }> = [];
    for (const m of matches) {
      const c = cols.get(m.field)!;
      const normalized = m.normalize === 'email' || m.normalize === 'phone' || m.normalize === 'postal';
      const values = normalized ? m.values.filter((v) => v !== null && v !== undefined).map((v) => String(bindValue(v))) : valuesFor(c, m.values);
      for (const part of chunks(values)) if (part.length) clauses.push(this.clause(c, m, part));
    }
    if (!clauses.length) return [];
    const table = quoteMySqlIdent(collection);
    const seen = new Set<string>();
    const out: Row[] = [];
    let batch: typeof clauses = [];
    let n = 0;
    const flush = async () => {
      if (!batch.length) return;
      const rows = await this.all(`SELECT * FROM ${table} WHERE ${batch.map((c) => c.sql).join(' OR ')}`, batch.flatMap((c) => c.params));
      batch = []; n = 0;
      for (const r of rows) {
        const plain = plainRow(r);
        const key = JSON.stringify(plain);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(plain);
      }
    };
    for (const c of clauses) {
      if (n + c.params.length > CHUNK * 2) { await flush(); await yieldIfDue(); }
      batch.push(c); n += c.params.length;
    }
    await flush();
    return out;
  }

  async apply(changes: RowChange[]): ReturnType<DataSource['apply']> {
    const colsOf = new Map<string, Map<string, Column>>();
    for (const ch of changes) colsOf.set(ch.collection, await this.checked(ch.collection, [...Object.keys(ch.key), ...Object.keys(ch.set ?? {})]));
    const perChange = changes.map(() => 0);
    const byCollection: Record<string, { deleted: number; updated: number }> = {};
    for (const ch of changes) byCollection[ch.collection] ??= { deleted: 0, updated: 0 };
    const credit = (i: number, rows: number): void => {
      perChange[i]! += rows;
      const by = byCollection[changes[i]!.collection]!;
      if (changes[i]!.action === 'delete') by.deleted += rows; else by.updated += rows;
    };
    const isNull = (v: unknown): boolean => v === null || v === undefined;
    const canon = (v: unknown): string => {
      const p = plainValue(v);
      return typeof p === 'string' ? p : typeof p === 'number' || typeof p === 'bigint' || typeof p === 'boolean' ? String(p) : JSON.stringify(p);
    };

    const conn = await this.pool.getConnection();
    let open = false;
    try {
      await conn.query('START TRANSACTION');
      open = true;
      const groups = new Map<string, { sample: RowChange; idx: number[] }>();
      changes.forEach((ch, i) => {
        const g = `${ch.action}\u0000${ch.collection}\u0000${Object.keys(ch.key).join(',')}\u0000${ch.action === 'update' ? JSON.stringify(ch.set ?? {}) : ''}`;
        let e = groups.get(g);
        if (!e) { e = { sample: ch, idx: [] }; groups.set(g, e); }
        e.idx.push(i);
      });
      let savepoints = 0;
      for (const { sample, idx } of groups.values()) {
        const cols = colsOf.get(sample.collection)!;
        const table = quoteMySqlIdent(sample.collection);
        const keyFields = Object.keys(sample.key);
        const setEntries = Object.entries(sample.set ?? {});
        if (sample.action === 'update' && !setEntries.length) continue;
        const head = sample.action === 'delete' ? `DELETE FROM ${table}` : `UPDATE ${table} SET ${setEntries.map(([f]) => `${quoteMySqlIdent(f)} = ?`).join(', ')}`;
        const lead = sample.action === 'delete' ? [] : setEntries.map(([, v]) => bindValue(v));
        /** WHERE for one key (exact per column; IS NULL for nulls; a value no column can equal: null). */
        const oneKey = (k: Row): { sql: string; params: Param[] } | null => {
          const parts: string[] = [];
          const params: Param[] = [];
          for (const f of keyFields) {
            const c = cols.get(f)!;
            if (isNull(k[f])) { parts.push(`${quoteMySqlIdent(f)} IS NULL`); continue; }
            const vs = valuesFor(c, [k[f]]);
            if (!vs.length) return null;
            const e = exactIn(c, quoteMySqlIdent(f), vs);
            parts.push(e.sql); params.push(...e.params);
          }
          return { sql: parts.join(' AND '), params };
        };
        const perKey = async (list: number[]) => {
          for (const i of list) {
            const w = oneKey(changes[i]!.key);
            credit(i, w ? await this.run(conn, `${head} WHERE ${w.sql}`, [...lead, ...w.params]) : 0);
            await yieldIfDue();
          }
        };
        if (keyFields.length !== 1) { await perKey(idx); continue; }
        const f = keyFields[0]!;
        const c = cols.get(f)!;
        const kf = quoteMySqlIdent(f);
        const valued: number[] = [];
        const nulls: number[] = [];
        for (const i of idx) (isNull(changes[i]!.key[f]) ? nulls : valued).push(i);
        for (const part of chunks(valued)) {
          const named = new Map<string, number[]>(); // canonical key -> changes naming it, in order
          const params: Param[] = [];
          for (const i of part) {
            const v = valuesFor(c, [changes[i]!.key[f]]);
            if (!v.length) continue; // a value this column cannot hold matches nothing (counts 0)
            const key = canon(v[0]);
            const list = named.get(key);
            if (list) list.push(i); else { named.set(key, [i]); params.push(v[0]!); }
          }
          if (!params.length) continue;
          const where = exactIn(c, kf, params);
          const sp = `pd_sp_${++savepoints}`;
          await conn.query(`SAVEPOINT ${sp}`);
          const found = await this.all<{ __k: unknown }>(`SELECT ${kf} AS __k FROM ${table} WHERE ${where.sql} FOR UPDATE`, where.params, conn);
          const hits: number[] = [];
          let mapped = true;
          for (const r of found) {
            const to = named.get(canon(r.__k));
            if (!to) { mapped = false; break; }
            hits.push(to[0]!);
          }
          const affected = mapped ? await this.run(conn, `${head} WHERE ${where.sql}`, [...lead, ...where.params]) : -1;
          if (mapped && affected === hits.length) {
            for (const i of hits) credit(i, 1);
            await conn.query(`RELEASE SAVEPOINT ${sp}`);
          } else {
            if (mapped) await conn.query(`ROLLBACK TO SAVEPOINT ${sp}`);
            await conn.query(`RELEASE SAVEPOINT ${sp}`);
            await perKey([...named.values()].map((to) => to[0]!));
          }
          await yieldIfDue();
        }
        if (nulls.length) credit(nulls[0]!, await this.run(conn, `${head} WHERE ${kf} IS NULL`, lead));
      }
      await conn.query('COMMIT');
      open = false;
    } catch (e) {
      if (open) await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      conn.release();
    }
    let deleted = 0;
    let updated = 0;
    for (const by of Object.values(byCollection)) { deleted += by.deleted; updated += by.updated; }
    return { deleted, updated, byCollection, perChange };
  }

  async sample(collection: string, field: string, limit: number): Promise<unknown[]> {
    await this.checked(collection, [field]);
    const n = Math.max(1, Math.min(1000, Math.floor(limit)));
    const col = quoteMySqlIdent(field);
    const rows = await this.all<{ v: unknown }>(`SELECT ${col} AS v FROM ${quoteMySqlIdent(collection)} WHERE ${col} IS NOT NULL LIMIT ${n}`);
    return rows.map((r) => plainValue(r.v));
  }

  /** All rows of a collection, `batchSize` at a time, keyset-paged on fields[0] (unique, not null). */
  async *scan(collection: string, fields: string[], batchSize = 5000): AsyncIterable<Row[]> {
    await this.checked(collection, fields);
    const cols = fields.map(quoteMySqlIdent).join(', ');
    const table = quoteMySqlIdent(collection);
    const key = quoteMySqlIdent(fields[0]!);
    const n = Math.max(1, Math.floor(batchSize));
    let after: unknown = undefined;
    for (;;) {
      await yieldIfDue();
      const rows = after === undefined
        ? await this.all(`SELECT ${cols} FROM ${table} ORDER BY ${key} LIMIT ${n}`)
        : await this.all(`SELECT ${cols} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ${n}`, [bindValue(after)]);
      if (!rows.length) return;
      after = rows[rows.length - 1]![fields[0]!];
      yield rows.map(plainRow);
      if (rows.length < n) return;
    }
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

/** mysql2 pool options for a parsed URL (TLS, IAM token per new connection, exact dates, UTC session). */
export async function mysqlPoolOptions(c: MySqlConfig, max = 4): Promise<Parameters<typeof createPool>[0]> {
  const ssl = tlsOptions(c);
  let authPlugins: Record<string, unknown> | undefined;
  if (c.auth === 'iam') {
    const m = await import('@aws-sdk/rds-signer');
    const { Signer } = m.default ?? m; // CommonJS: `default` in a split bundle
    const signer = new Signer({ hostname: c.host, port: c.port, username: c.user, ...(c.region ? { region: c.region } : {}) });
    // RDS asks for the cleartext plugin (over TLS); a fresh token for every new connection.
    authPlugins = { mysql_clear_password: () => async () => Buffer.from(`${await signer.getAuthToken()}\0`) };
  }
  return {
    host: c.host, port: c.port, user: c.user, password: c.password, database: c.database,
    connectionLimit: max, maxIdle: max, idleTimeout: 60_000, waitForConnections: true,
    connectTimeout: c.connectTimeout, charset: 'utf8mb4_unicode_ci', dateStrings: true, supportBigNumbers: true, bigNumberStrings: false,
    decimalNumbers: false, multipleStatements: false, maxPreparedStatements: 256,
    ...(ssl ? { ssl: ssl as never } : {}),
    ...(authPlugins ? { authPlugins: authPlugins as never } : {}),
  };
}

/** Open a MySQL / MariaDB system. A bad URL or an unreachable server is a clear error (no password shown). */
export async function openMySqlSource(config: { url: string }, options: { max?: number } = {}): Promise<MySqlDataSource> {
  const c = parseMySqlUrl(config.url);
  const pool = createPool(await mysqlPoolOptions(c, options.max ?? 4));
  // Every new connection: a UTC session (TIMESTAMP values read and written back unchanged).
  pool.on('connection', (conn) => {
    (conn as unknown as { query(sql: string, cb: () => void): void }).query("SET SESSION time_zone = '+00:00'", () => undefined);
  });
  try {
    await pool.query('SELECT 1 AS ok');
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof MySqlConfigError) throw e;
    throw new Error(`cannot connect to MySQL at ${redactMySqlUrl(config.url)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new MySqlDataSource(pool);
}
