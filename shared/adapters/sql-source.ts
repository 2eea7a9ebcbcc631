// A DataSource over a SQL database (SQLite file or PostgreSQL URL), written once against the Db
// port (shared/store/db.ts). Identifiers are checked against the live schema and then quoted;
// values are always bound parameters. Set-based: one query per collection per call, IN-lists in
// chunks; apply() groups changes by collection and by identical SET so a batch costs one
// statement per chunk instead of one per row. Between chunks and pages the long loops give the
// event loop a turn when one is due (./event-loop.ts: better-sqlite3 is synchronous).
import { existsSync } from 'node:fs';
import type { Db, SqlValue } from '../store/db';
import { SqliteDb } from '../store/sqlite-db';
import { PostgresDb, redactUrl } from '../store/postgres-db';
import type { CollectionSchema, DataSource, FieldMatch, Row, RowChange } from './port';
import { yieldIfDue } from './event-loop';
import { createIndexSql, emailSql, lookupsOf, lookupSql, phoneDigitsSql, postalSql, quoteIdent, servedByIndex, type LookupIndex } from './lookup-indexes';
import { phoneLookupForms } from '../domain/phone-forms';
import type { DataMap } from '../domain/datamap';

const CHUNK = 2000;

export class UnknownIdentifierError extends Error {
  constructor(message: string) { super(message); this.name = 'UnknownIdentifierError'; }
}

export { quoteIdent };

/** A value read from a driver as plain JSON-able data (dates as ISO text, bytes as base64). */
export function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

/** A row as plain JSON-able data (see plainValue): the driver's own object when nothing needs converting. */
function plainRow(r: Record<string, unknown>): Row {
  for (const k in r) {
    const v = r[k];
    if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) {
      const plain: Row = {};
      for (const [key, value] of Object.entries(r)) plain[key] = plainValue(value);
      return plain;
    }
  }
  return r;
}

function bindValue(v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Uint8Array) return v;
  return JSON.stringify(v);
}

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const TEXT_TYPE = /char|text|string|clob/u;

/** The written forms of the numbers behind a phone match's digit strings (../domain/phone-forms.ts), cached. */
const formsCache = new Map<string, string[]>();
function storedPhoneForms(values: readonly unknown[]): string[] {
  const key = values.map(String).join(',');
  let forms = formsCache.get(key);
  if (!forms) {
    forms = [...new Set(values.flatMap((v) => phoneLookupForms(v)))];
    if (formsCache.size >= 256) formsCache.clear();
    formsCache.set(key, forms);
  }
  return forms;
}

/** How a phone field is looked up: digits through the expression (indexed or scanned) or the written forms through a plain index. */
type PhonePlan = 'digits' | 'forms';

export class SqlDataSource implements DataSource {
  readonly engine: string;
  private schema: Map<string, Map<string, CollectionSchema['fields'][number]>> | null = null;
  private listing: CollectionSchema[] | null = null;
  private readonly phonePlans = new Map<string, Promise<PhonePlan>>();
  /** Caches of find()'s SQL text: expressions by field, statements by shape, key columns by table. */
  private readonly exprs = new Map<string, string>();
  private readonly selects = new Map<string, string>();
  private readonly keys = new Map<string, string[]>();
  /** Primary keys are the store's own constraints (port.ts). */
  readonly enforcedKeys = true;
  /** PostgreSQL: a pool (openSqlSource opens 4 connections), so a walk's round is sent at once; SQLite answers one at a time. */
  readonly concurrentFinds: number;

  constructor(private readonly db: Db, private readonly ownsDb = true) {
    this.engine = db.dialect;
    this.concurrentFinds = db.dialect === 'postgres' ? 4 : 1;
  }

  /**
   * The live schema, read once and kept for the life of this source. Sources are kept open per
   * system between operations (./source-pool.ts), so this can be older than the database: the pool
   * reopens a SQLite file that was replaced and drops a source whose operation failed, and
   * registering a system again evicts its sources, so the schema is read afresh then.
   */
  async introspect(): Promise<CollectionSchema[]> {
    if (this.listing) return this.listing;
    const out: CollectionSchema[] = [];
    if (this.db.dialect === 'sqlite') {
      const tables = await this.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
      for (const t of tables) {
        const cols = await this.db.all<{ name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info(${quoteIdent(t.name)})`);
        out.push({ name: t.name, fields: cols.map((c) => ({ name: c.name, dataType: (c.type || 'TEXT').toLowerCase(), nullable: !c.notnull && !c.pk, primaryKey: c.pk > 0 })) });
      }
    } else {
      const cols = await this.db.all<{ table_name: string; column_name: string; data_type: string; is_nullable: string; max_len: number | null; pk: number }>(
        `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.character_maximum_length AS max_len,
           CASE WHEN EXISTS (
             -- pg_catalog, not information_schema.table_constraints: the latter hides the keys of
             -- tables a read-only (SELECT-only) role does not own
             SELECT 1 FROM pg_catalog.pg_index i
             JOIN pg_catalog.pg_class r ON r.oid = i.indrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
             JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum = ANY(i.indkey)
             WHERE i.indisprimary AND n.nspname = c.table_schema AND r.relname = c.table_name AND a.attname = c.column_name
           ) THEN 1 ELSE 0 END AS pk
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
         WHERE c.table_schema = current_schema()
         ORDER BY c.table_name, c.ordinal_position`);
      const by = new Map<string, CollectionSchema>();
      for (const c of cols) {
        let t = by.get(c.table_name);
        if (!t) { t = { name: c.table_name, fields: [] }; by.set(c.table_name, t); out.push(t); }
        t.fields.push({ name: c.column_name, dataType: c.data_type, nullable: c.is_nullable === 'YES', primaryKey: Number(c.pk) === 1, maxLength: c.max_len === null ? null : Number(c.max_len) });
      }
    }
    this.schema = new Map(out.map((c) => [c.name, new Map(c.fields.map((f) => [f.name, f]))]));
    this.listing = out;
    return out;
  }

  private async checked(collection: string, fields: readonly string[]): Promise<void> {
    if (!this.schema) await this.introspect();
    const cols = this.schema!.get(collection);
    if (!cols) throw new UnknownIdentifierError(`unknown table "${collection}"`);
    for (const f of fields) if (!cols.has(f)) throw new UnknownIdentifierError(`unknown column "${collection}.${f}"`);
  }

  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    if (!this.schema) await this.introspect();
    const cols = this.schema!.get(collection);
    if (!cols) throw new UnknownIdentifierError(`unknown table "${collection}"`);
    for (const m of matches) if (!cols.has(m.field)) throw new UnknownIdentifierError(`unknown column "${collection}.${m.field}"`);
    // PostgreSQL text can never hold a NUL character: such a value matches nothing (and would be
    // refused by the server), so it is dropped here rather than failing the whole system.
    const pg = this.db.dialect === 'postgres';
    const usable = (v: unknown) => !(pg && typeof v === 'string' && v.includes('\u0000'));
    // The usual look-up (one field, not a phone, one chunk) goes straight to its statement.
    if (matches.length === 1 && matches[0]!.normalize !== 'phone' && matches[0]!.values.length <= CHUNK) {
      const m = matches[0]!;
      const values = pg ? m.values.filter(usable) : m.values;
      if (!values.length) return [];
      const clause = [{ expr: this.lookupExpr(m.field, m.normalize, false), params: values.map(bindValue) }];
      const rows = await this.db.all(this.selectSql(collection, clause), clause[0]!.params);
      const keyed = this.keyColumns(collection);
      const distinct = rows.length <= 1 || (keyed.length > 0 && rows.every((r) => keyed.every((k) => r[k] !== null && r[k] !== undefined)));
      if (distinct) return rows.map(plainRow);
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const r of rows) {
        const plain = plainRow(r);
        const key = JSON.stringify(plain);
        if (!seen.has(key)) { seen.add(key); out.push(plain); }
      }
      return out;
    }
    // One query per collection when the values fit (matches OR-ed); larger lists in chunks.
    // Rows are de-duplicated by their full content.
    const clauses: Array<{ expr: string; params: SqlValue[] }> = [];
    for (const m of matches) {
      const values = pg ? m.values.filter(usable) : m.values;
      if (!values.length) continue;
      const forms = m.normalize === 'phone' && (await this.phonePlan(collection, m.field)) === 'forms';
      const expr = this.lookupExpr(m.field, m.normalize, forms);
      const all = forms ? storedPhoneForms(values) : values;
      if (all.length <= CHUNK) clauses.push({ expr, params: all.map(bindValue) });
      else for (const part of chunks(all)) clauses.push({ expr, params: part.map(bindValue) });
    }
    if (!clauses.length) return [];
    const batches: Array<typeof clauses> = [];
    let batch: typeof clauses = [];
    let n = 0;
    for (const c of clauses) {
      if (n + c.params.length > CHUNK && batch.length) { batches.push(batch); batch = []; n = 0; }
      batch.push(c); n += c.params.length;
    }
    batches.push(batch);
    const seen = new Set<string>();
    const out: Row[] = [];
    // Rows of one SELECT are distinct rows of the table; with a primary key they differ in it, so
    // only rows of several SELECTs (or of a table without a key) are compared by content.
    const keyed = batches.length === 1 ? this.keyColumns(collection) : null;
    for (let b = 0; b < batches.length; b += 1) {
      if (b > 0) await yieldIfDue();
      const part = batches[b]!;
      const params = part.length === 1 ? part[0]!.params : part.flatMap((c) => c.params);
      const rows = await this.db.all(this.selectSql(collection, part), params);
      const distinct = rows.length <= 1 || (keyed !== null && keyed.length > 0 && rows.every((r) => keyed.every((k) => r[k] !== null && r[k] !== undefined)));
      for (const r of rows) {
        const plain = plainRow(r);
        if (!distinct || batches.length > 1) {
          const key = JSON.stringify(plain);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        out.push(plain);
      }
    }
    return out;
  }

  /** The SQL expression a match compares, by field and normalisation (cached). */
  private lookupExpr(field: string, normalize: FieldMatch['normalize'], forms: boolean): string {
    const k = `${field}\u0000${normalize ?? ''}\u0000${forms ? 1 : 0}`;
    let e = this.exprs.get(k);
    if (e === undefined) {
      const col = quoteIdent(field);
      e = normalize === 'email' ? emailSql(col)
        : normalize === 'phone' ? (forms ? col : phoneDigitsSql(col))
          : normalize === 'postal' ? postalSql(col) : col;
      if (this.exprs.size >= 1000) this.exprs.clear();
      this.exprs.set(k, e);
    }
    return e;
  }

  /** `SELECT * FROM table WHERE expr IN (?, ...) OR ...` for these clauses (cached by shape, so the Db's statement cache finds the same text). */
  private selectSql(collection: string, part: ReadonlyArray<{ expr: string; params: readonly SqlValue[] }>): string {
    let k = collection;
    for (const c of part) k += `\u0000${c.expr}\u0000${c.params.length}`;
    let sql = this.selects.get(k);
    if (sql === undefined) {
      sql = `SELECT * FROM ${quoteIdent(collection)} WHERE ${part.map((c) => `${c.expr} IN (${marks(c.params.length)})`).join(' OR ')}`;
      if (this.selects.size >= 1000) this.selects.clear();
      this.selects.set(k, sql);
    }
    return sql;
  }

  /** The live primary key's columns of a table (empty: none), from the schema read by introspect(). */
  private keyColumns(collection: string): string[] {
    let k = this.keys.get(collection);
    if (!k) {
      k = [...(this.schema?.get(collection)?.values() ?? [])].filter((f) => f.primaryKey).map((f) => f.name);
      this.keys.set(collection, k);
    }
    return k;
  }

  /**
   * A phone field is looked up by its digits through an index on the punctuation-insensitive
   * expression when one serves it; else, when a plain index on a text column does, by the written
   * forms of the number through it; else by its digits over the whole column (./lookup-indexes.ts).
   * Asked of the database once per field for the life of this source.
   */
  private phonePlan(collection: string, field: string): Promise<PhonePlan> {
    const k = `${collection}\u0000${field}`;
    let p = this.phonePlans.get(k);
    if (!p) {
      p = (async (): Promise<PhonePlan> => {
        const type = this.schema?.get(collection)?.get(field)?.dataType ?? '';
        if (!TEXT_TYPE.test(type.toLowerCase()) && type !== '') return 'digits';
        const col = quoteIdent(field);
        if (await servedByIndex(this.db, collection, phoneDigitsSql(col))) return 'digits';
        return (await servedByIndex(this.db, collection, col)) ? 'forms' : 'digits';
      })();
      this.phonePlans.set(k, p);
    }
    return p;
  }

  /** The walk's look-ups for this map, whether an index serves each, and the index to create where none does. */
  async lookupIndexes(map: DataMap): Promise<LookupIndex[]> {
    await this.introspect();
    const out: LookupIndex[] = [];
    for (const l of lookupsOf(map)) {
      if (!this.schema!.get(l.collection)?.has(l.field)) continue;
      const col = quoteIdent(l.field);
      const exact = await servedByIndex(this.db, l.collection, lookupSql(l.lookup, col));
      let served: LookupIndex['served'] = exact === null ? 'unknown' : exact ? 'index' : 'scan';
      if (l.lookup === 'phone' && served !== 'index' && (await this.phonePlan(l.collection, l.field)) === 'forms') served = 'phone-forms';
      out.push({ ...l, served, createIndex: served === 'index' || served === 'unknown' ? null : createIndexSql(l.collection, l.field, l.lookup) });
    }
    return out;
  }

  async apply(changes: RowChange[]): ReturnType<DataSource['apply']> {
    for (const ch of changes) await this.checked(ch.collection, [...Object.keys(ch.key), ...Object.keys(ch.set ?? {})]);
    // Counts are what the database reports, never the number of changes: each per-key statement's
    // row count, and for a grouped IN-list statement the rows it RETURNs (their key column), each
    // credited to the first change of the chunk naming that key. (SQLite has RETURNING since 3.35.)
    // A returned key that maps to no change (a collation or type the JS comparison does not share)
    // undoes that chunk (its savepoint) and runs it again one key at a time, so perChange stays exact.
    // The tally is inline (not ./applied-counts): only this method of this file is ours to edit.
    const perChange = changes.map(() => 0);
    const byCollection: Record<string, { deleted: number; updated: number }> = {};
    for (const ch of changes) byCollection[ch.collection] ??= { deleted: 0, updated: 0 };
    const credit = (i: number, rows: number): void => {
      perChange[i]! += rows;
      const by = byCollection[changes[i]!.collection]!;
      if (changes[i]!.action === 'delete') by.deleted += rows; else by.updated += rows;
    };
    const canon = (v: unknown): string => {
      const p = plainValue(v);
      return typeof p === 'string' ? p : typeof p === 'number' || typeof p === 'bigint' || typeof p === 'boolean' ? String(p) : JSON.stringify(p);
    };
    const isNull = (v: unknown): boolean => v === null || v === undefined;
    const unmapped = new Error('a returned key matches no change');
    // Turns of the event loop taken inside this transaction are safe: SqliteDb runs every other
    // caller of this connection (another case's discovery on the same system, a PII sample) after
    // the commit (its promise-queue mutex), so nothing reads or writes the half-applied batch;
    // PostgreSQL isolates the transaction's own connection.
    await this.db.tx(async () => {
      // Group by collection + key shape + action + (for updates) identical SET values.
      const groups = new Map<string, { sample: RowChange; idx: number[] }>();
      changes.forEach((ch, i) => {
        const g = `${ch.action}\u0000${ch.collection}\u0000${Object.keys(ch.key).join(',')}\u0000${ch.action === 'update' ? JSON.stringify(ch.set ?? {}) : ''}`;
        let e = groups.get(g);
        if (!e) { e = { sample: ch, idx: [] }; groups.set(g, e); }
        e.idx.push(i);
      });
      for (const { sample, idx } of groups.values()) {
        const table = quoteIdent(sample.collection);
        const keyFields = Object.keys(sample.key);
        const setEntries = Object.entries(sample.set ?? {});
        if (sample.action === 'update' && !setEntries.length) continue;
        const head = sample.action === 'delete' ? `DELETE FROM ${table}` : `UPDATE ${table} SET ${setEntries.map(([f]) => `${quoteIdent(f)} = ?`).join(', ')}`;
        const lead = sample.action === 'delete' ? [] : setEntries.map(([, v]) => bindValue(v));
        if (keyFields.length === 1) {
          const f = keyFields[0]!;
          const kf = quoteIdent(f);
          const valued: number[] = [];
          const nulls: number[] = [];
          for (const i of idx) (isNull(changes[i]!.key[f]) ? nulls : valued).push(i);
          for (const part of chunks(valued)) {
            const named = new Map<string, number[]>(); // canonical key -> changes naming it, in order
            for (const i of part) {
              const c = canon(changes[i]!.key[f]);
              const list = named.get(c);
              if (list) list.push(i); else named.set(c, [i]);
            }
            const params = part.map((i) => bindValue(changes[i]!.key[f]));
            const hits = await this.db.tx(async () => {
              const rows = await this.db.all<{ __k: unknown }>(`${head} WHERE ${kf} IN (${marks(part.length)}) RETURNING ${kf} AS "__k"`, [...lead, ...params]);
              return rows.map((r) => {
                const to = named.get(canon(r.__k));
                if (!to) throw unmapped;
                return to[0]!;
              });
            }).catch((e: unknown) => {
              if (e === unmapped || (e instanceof Error && /RETURNING/u.test(e.message))) return null;
              throw e;
            });
            if (hits) for (const i of hits) credit(i, 1);
            else {
              for (const to of named.values()) {
                const r = await this.db.run(`${head} WHERE ${kf} = ?`, [...lead, bindValue(changes[to[0]!]!.key[f])]);
                credit(to[0]!, r.changes);
              }
            }
            await yieldIfDue();
          }
          // A null key (a table without a primary key, matched by value) matches rows by IS NULL.
          if (nulls.length) credit(nulls[0]!, (await this.db.run(`${head} WHERE ${kf} IS NULL`, lead)).changes);
        } else {
          // One statement per key; `= ?` (indexable) for values, IS NULL for nulls.
          for (const i of idx) {
            const k = changes[i]!.key;
            const where = keyFields.map((kfield) => (isNull(k[kfield]) ? `${quoteIdent(kfield)} IS NULL` : `${quoteIdent(kfield)} = ?`)).join(' AND ');
            const params = keyFields.filter((kfield) => !isNull(k[kfield])).map((kfield) => bindValue(k[kfield]));
            credit(i, (await this.db.run(`${head} WHERE ${where}`, [...lead, ...params])).changes);
            await yieldIfDue();
          }
        }
      }
    });
    let deleted = 0;
    let updated = 0;
    for (const by of Object.values(byCollection)) { deleted += by.deleted; updated += by.updated; }
    return { deleted, updated, byCollection, perChange };
  }

  async sample(collection: string, field: string, limit: number): Promise<unknown[]> {
    await this.checked(collection, [field]);
    const n = Math.max(1, Math.min(1000, Math.floor(limit)));
    const col = quoteIdent(field);
    const rows = await this.db.all<{ v: unknown }>(`SELECT ${col} AS v FROM ${quoteIdent(collection)} WHERE ${col} IS NOT NULL LIMIT ${n}`);
    return rows.map((r) => plainValue(r.v));
  }

  /**
   * All rows of a collection, `batchSize` at a time, keyset-paged on fields[0] (which must be unique
   * and not null). On PostgreSQL the next page is asked for before this one is handed out, so the
   * server reads it (on its own process) while the caller works through this one.
   */
  async *scan(collection: string, fields: string[], batchSize = 5000): AsyncIterable<Row[]> {
    await this.checked(collection, fields);
    const cols = fields.map(quoteIdent).join(', ');
    const table = quoteIdent(collection);
    const key = quoteIdent(fields[0]!);
    const n = Math.max(1, Math.floor(batchSize));
    const page = (after: unknown) => (after === undefined
      ? this.db.all(`SELECT ${cols} FROM ${table} ORDER BY ${key} LIMIT ${n}`)
      : this.db.all(`SELECT ${cols} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ${n}`, [bindValue(after)]));
    const ahead = this.db.dialect === 'postgres';
    let next: Promise<Record<string, unknown>[]> | null = null;
    let after: unknown = undefined;
    try {
      for (;;) {
        await yieldIfDue();
        const rows = await (next ?? page(after));
        next = null;
        if (!rows.length) return;
        after = rows[rows.length - 1]![fields[0]!];
        if (ahead && rows.length === n) {
          next = page(after);
          next.catch(() => undefined); // awaited above on the next round; a caller that stops early leaves it unobserved
        }
        // The driver's row objects as they are, unless a value needs converting (plainRow): no copy per row.
        for (let i = 0; i < rows.length; i += 1) rows[i] = plainRow(rows[i]!);
        yield rows as Row[];
        if (rows.length < n) return;
      }
    } finally {
      // A caller that stopped early: let the page asked for ahead finish before the source may close.
      if (next) await next.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}

export type SourceConfig = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/** Open a registered system's store. A missing SQLite file or an unreachable server is a clear error (no password shown). */
export async function openSqlSource(config: SourceConfig): Promise<SqlDataSource> {
  if (config.engine === 'sqlite') {
    if (!existsSync(config.file)) throw new Error(`SQLite file not found: ${config.file}`);
    return new SqlDataSource(new SqliteDb(config.file));
  }
  const db = new PostgresDb(config.url, { max: 4, applicationName: 'privacy-desk-datamap' });
  try {
    await db.get('SELECT 1 AS ok');
  } catch (e) {
    await db.close().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(config.url)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new SqlDataSource(db);
}
