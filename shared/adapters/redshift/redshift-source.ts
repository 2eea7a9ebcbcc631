// The Redshift engine: a DataSource over Redshift tables through `pg` (Redshift speaks the
// PostgreSQL wire protocol), with SQL in Redshift's dialect (dialect.ts). Finding is set-based: one
// SELECT per table for a whole batch of requests. Erasing follows each table's mode: DELETE, UPDATE
// to mask, or seed 001's pattern: UPDATE the forgotten flag at request time (rows then count as
// erased: finds skip them, downstream jobs respect the flag) and purgeForgotten() deletes the
// flagged rows in one periodic batch (monthly, per seed 001).
import pg from 'pg';
import type { AppliedCounts, CollectionSchema, DataSource, FieldMatch, Row, RowChange } from '../port';
import { AppliedTally } from '../applied-counts';
import { matchKind, normalizedValues } from '../lake/identity-match';
import { exactTypes } from '../../store/pg-exact-types';
import { RedshiftConfigSchema, type RedshiftConfig, type RedshiftTable } from './config';
import { chunks, normalizedColumn, placeholders, qualified, quoteIdent } from './dialect';

export interface BatchRequest { id: string; matches: FieldMatch[] }

type Queryable = Pick<pg.PoolClient, 'query'>;

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

export class RedshiftSource implements DataSource {
  readonly engine = 'redshift';
  private columns = new Map<string, Map<string, string>>();

  constructor(readonly config: RedshiftConfig, private readonly pool: pg.Pool, private readonly ownsPool = true) {}

  static open(config: unknown, deps: { pool?: pg.Pool } = {}): RedshiftSource {
    const parsed = RedshiftConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`redshift config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`);
    if (!deps.pool && !parsed.data.url) throw new Error('redshift config: url: a connection URL is required');
    // Dates and times as the cluster's text (timestamptz in UTC), not JS Dates in the process time
    // zone, so a primary key holding a timestamp matches its row when written back.
    const pool = deps.pool ?? new pg.Pool({ connectionString: parsed.data.url, max: 2, types: exactTypes() });
    // An idle connection dropped by the cluster must not crash the process; the next query reconnects.
    if (!deps.pool) pool.on('error', () => {});
    return new RedshiftSource(parsed.data, pool, !deps.pool);
  }

  private table(name: string): RedshiftTable {
    const t = this.config.tables.find((x) => x.name === name);
    if (!t) throw new Error(`unknown Redshift table "${name}"`);
    return t;
  }

  /** Live columns of a table (information_schema, which Redshift and PostgreSQL both have), checked against the config. */
  private async cols(t: RedshiftTable): Promise<Map<string, string>> {
    const cached = this.columns.get(t.name);
    if (cached) return cached;
    const r = await this.pool.query('SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [this.config.schema, t.name]);
    if (r.rows.length === 0) throw new Error(`Redshift table ${this.config.schema}.${t.name} does not exist`);
    const map = new Map<string, string>(r.rows.map((x: { column_name: string; data_type: string }) => [x.column_name, x.data_type]));
    const need = [
      ...t.identities.map((i) => ['identity', i.column] as const), ...t.primaryKey.map((c) => ['primary key', c] as const),
      ...(t.erasure.mode === 'mask' ? Object.keys(t.erasure.columns).map((c) => ['mask', c] as const) : []),
      ...(t.erasure.mode === 'forget' ? [['forgotten flag', t.erasure.flagColumn] as const] : []),
    ];
    for (const [what, c] of need) if (!map.has(c)) throw new Error(`Redshift table ${t.name}: ${what} column "${c}" does not exist`);
    this.columns.set(t.name, map);
    return map;
  }

  async introspect(): Promise<CollectionSchema[]> {
    const out: CollectionSchema[] = [];
    for (const t of this.config.tables) {
      const cols = await this.cols(t);
      out.push({ name: t.name, fields: [...cols].map(([name, type]) => ({ name, dataType: type, nullable: !t.primaryKey.includes(name), primaryKey: t.primaryKey.includes(name) })) });
    }
    return out;
  }

  /** WHERE clause (and its values) matching any request of the batch; flagged rows excluded. */
  private async where(t: RedshiftTable, requests: BatchRequest[], firstParam = 1): Promise<{ sql: string; params: unknown[]; exprs: Array<{ expr: string; wanted: Map<string, Set<string>> }> }> {
    const cols = await this.cols(t);
    const byField = new Map<string, { expr: string; wanted: Map<string, Set<string>> }>();
    for (const req of requests) {
      for (const m of req.matches) {
        if (!cols.has(m.field)) throw new Error(`Redshift table ${t.name} has no column "${m.field}"`);
        const kind = matchKind(t.identities.find((i) => i.column === m.field)?.kind, m.normalize);
        const mkey = `${m.field}\u0000${kind}`;
        const entry = byField.get(mkey) ?? { expr: normalizedColumn(m.field, kind), wanted: new Map<string, Set<string>>() };
        for (const v of m.values) for (const n of normalizedValues(kind, v, this.config.defaultCountry)) entry.wanted.set(n, new Set([...(entry.wanted.get(n) ?? []), req.id]));
        byField.set(mkey, entry);
      }
    }
    const params: unknown[] = [];
    const ors: string[] = [];
    for (const { expr, wanted } of byField.values()) {
      for (const part of chunks([...wanted.keys()])) {
        ors.push(`${expr} IN (${placeholders(firstParam + params.length, part.length)})`);
        params.push(...part);
      }
    }
    let sql = ors.length ? `(${ors.join(' OR ')})` : '1 = 0';
    if (t.erasure.mode === 'forget') {
      sql += ` AND (${quoteIdent(t.erasure.flagColumn)} IS NULL OR ${quoteIdent(t.erasure.flagColumn)} <> $${firstParam + params.length})`;
      params.push(t.erasure.flagValue);
    }
    return { sql, params, exprs: [...byField.values()] };
  }

  async findBatch(collection: string, requests: BatchRequest[]): Promise<Map<string, Row[]>> {
    const t = this.table(collection);
    const { sql, params, exprs } = await this.where(t, requests);
    const norms = exprs.map((e, i) => `${e.expr} AS ${quoteIdent(`__n${i}`)}`);
    const r = await this.pool.query(`SELECT *${norms.length ? `, ${norms.join(', ')}` : ''} FROM ${qualified(this.config.schema, t.name)} WHERE ${sql}`, params);
    const out = new Map<string, Row[]>(requests.map((q) => [q.id, []]));
    for (const row of r.rows as Row[]) {
      const ids = new Set<string>();
      exprs.forEach((e, i) => { for (const id of e.wanted.get(String(row[`__n${i}`])) ?? []) ids.add(id); });
      const clean: Row = {};
      for (const [k, v] of Object.entries(row)) if (!/^__n\d+$/u.test(k)) clean[k] = plain(v);
      for (const id of ids) out.get(id)!.push(clean);
    }
    return out;
  }

  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    return (await this.findBatch(collection, [{ id: 'one', matches }])).get('one') ?? [];
  }

  private async inTx<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * Apply plan changes by primary key in one transaction, one statement per change, each counted by
   * the row count Redshift reports (a key no row holds counts 0; Redshift does not enforce primary
   * keys, so a key two rows share counts 2). A delete on a "forget" table sets the flag on rows not
   * already flagged (a row forgotten before is already erased and counts 0).
   */
  async apply(changes: RowChange[]): Promise<AppliedCounts> {
    for (const c of changes) await this.cols(this.table(c.collection));
    const tally = new AppliedTally(changes);
    await this.inTx(async (client) => {
      for (const [index, c] of changes.entries()) {
        const t = this.table(c.collection);
        const cols = this.columns.get(t.name)!;
        const keyVals = t.primaryKey.map((k) => {
          if (c.key[k] === undefined || c.key[k] === null) throw new Error(`Redshift table ${t.name}: a change must name primary key column "${k}"`);
          return c.key[k];
        });
        const table = qualified(this.config.schema, t.name);
        if (c.action === 'delete') {
          if (t.erasure.mode === 'forget') {
            const flag = quoteIdent(t.erasure.flagColumn);
            const keyWhere = t.primaryKey.map((k, i) => `${quoteIdent(k)} = $${i + 2}`).join(' AND ');
            const r = await client.query(`UPDATE ${table} SET ${flag} = $1 WHERE ${keyWhere} AND (${flag} IS NULL OR ${flag} <> $${keyVals.length + 2})`,
              [t.erasure.flagValue, ...keyVals, t.erasure.flagValue]);
            tally.credit(index, r.rowCount ?? 0);
          } else {
            const r = await client.query(`DELETE FROM ${table} WHERE ${t.primaryKey.map((k, i) => `${quoteIdent(k)} = $${i + 1}`).join(' AND ')}`, keyVals);
            tally.credit(index, r.rowCount ?? 0);
          }
          continue;
        }
        const set = Object.entries(c.set ?? {});
        for (const [col] of set) if (!cols.has(col)) throw new Error(`Redshift table ${t.name} has no column "${col}"`);
        if (set.length === 0) continue;
        const r = await client.query(
          `UPDATE ${table} SET ${set.map(([col], i) => `${quoteIdent(col)} = $${i + 1}`).join(', ')} WHERE ${t.primaryKey.map((k, i) => `${quoteIdent(k)} = $${set.length + i + 1}`).join(' AND ')}`,
          [...set.map(([, v]) => v), ...keyVals],
        );
        tally.credit(index, r.rowCount ?? 0);
      }
    });
    return tally.result();
  }

  /** Set-based erasure of a whole batch: one statement per table, per the table's erasure mode. */
  async eraseBatch(collection: string, requests: BatchRequest[], options: { dryRun?: boolean } = {}): Promise<{ matched: number; deleted: number; masked: number; flagged: number }> {
    const t = this.table(collection);
    const table = qualified(this.config.schema, t.name);
    if (options.dryRun) {
      const { sql, params } = await this.where(t, requests);
      const r = await this.pool.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${sql}`, params);
      return { matched: Number(r.rows[0].n), deleted: 0, masked: 0, flagged: 0 };
    }
    return this.inTx(async (client) => {
      if (t.erasure.mode === 'delete') {
        const { sql, params } = await this.where(t, requests);
        const n = (await client.query(`DELETE FROM ${table} WHERE ${sql}`, params)).rowCount ?? 0;
        return { matched: n, deleted: n, masked: 0, flagged: 0 };
      }
      if (t.erasure.mode === 'forget') {
        const { sql, params } = await this.where(t, requests, 2);
        const n = (await client.query(`UPDATE ${table} SET ${quoteIdent(t.erasure.flagColumn)} = $1 WHERE ${sql}`, [t.erasure.flagValue, ...params])).rowCount ?? 0;
        return { matched: n, deleted: 0, masked: 0, flagged: n };
      }
      const sets = Object.entries(t.erasure.columns);
      const { sql, params } = await this.where(t, requests, sets.length + 1);
      const n = (await client.query(
        `UPDATE ${table} SET ${sets.map(([c], i) => `${quoteIdent(c)} = $${i + 1}`).join(', ')} WHERE ${sql}`,
        [...sets.map(([, s]) => (s === 'null' ? null : '[redacted]')), ...params],
      )).rowCount ?? 0;
      return { matched: n, deleted: 0, masked: n, flagged: 0 };
    });
  }

  /**
   * Every row of a table (only `fields`), keyset-paged on fields[0] (a unique key), forgotten rows
   * left out: the port's optional scan, for ledger replay and discovery.
   */
  async *scan(collection: string, fields: string[], batchSize = 5000): AsyncIterable<Row[]> {
    const t = this.table(collection);
    const cols = await this.cols(t);
    if (fields.length === 0) throw new Error('scan needs at least one field');
    for (const f of fields) if (!cols.has(f)) throw new Error(`Redshift table ${t.name} has no column "${f}"`);
    const n = Math.max(1, Math.min(100_000, Math.floor(batchSize)));
    const key = quoteIdent(fields[0]!);
    const flag = t.erasure.mode === 'forget' ? `(${quoteIdent(t.erasure.flagColumn)} IS NULL OR ${quoteIdent(t.erasure.flagColumn)} <> $1)` : '';
    const base = t.erasure.mode === 'forget' ? [t.erasure.flagValue] : [];
    let last: unknown;
    for (;;) {
      const conds = [flag, last === undefined ? '' : `${key} > $${base.length + 1}`].filter(Boolean);
      const r = await this.pool.query(`SELECT ${fields.map(quoteIdent).join(', ')} FROM ${qualified(this.config.schema, t.name)}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY ${key} LIMIT ${n}`,
        last === undefined ? base : [...base, last]);
      if (r.rows.length === 0) return;
      yield r.rows.map((row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
      if (r.rows.length < n) return;
      last = r.rows[r.rows.length - 1][fields[0]!];
    }
  }

  /** Distinct normalised identity values of a table (flagged rows excluded): what ledger replay hashes. */
  async distinctIdentities(collection: string): Promise<Array<{ column: string; kind: 'email' | 'phone' | 'custom'; values: string[] }>> {
    const t = this.table(collection);
    await this.cols(t);
    const out: Array<{ column: string; kind: 'email' | 'phone' | 'custom'; values: string[] }> = [];
    for (const id of t.identities) {
      const flag = t.erasure.mode === 'forget' ? ` AND (${quoteIdent(t.erasure.flagColumn)} IS NULL OR ${quoteIdent(t.erasure.flagColumn)} <> $1)` : '';
      const r = await this.pool.query(`SELECT DISTINCT ${normalizedColumn(id.column, id.kind)} AS v FROM ${qualified(this.config.schema, t.name)} WHERE ${quoteIdent(id.column)} IS NOT NULL${flag}`,
        t.erasure.mode === 'forget' ? [t.erasure.flagValue] : []);
      out.push({ column: id.column, kind: id.kind, values: r.rows.map((x: { v: unknown }) => String(x.v)).filter((v: string) => v !== '') });
    }
    return out;
  }

  /** Rows flagged forgotten and not yet purged, per "forget" table. */
  async pendingPurge(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of this.config.tables) {
      if (t.erasure.mode !== 'forget') continue;
      await this.cols(t);
      const r = await this.pool.query(`SELECT COUNT(*) AS n FROM ${qualified(this.config.schema, t.name)} WHERE ${quoteIdent(t.erasure.flagColumn)} = $1`, [t.erasure.flagValue]);
      out[t.name] = Number(r.rows[0].n);
    }
    return out;
  }

  /** The periodic batch delete of seed 001: DELETE FROM t WHERE forgotten_flag = 'Yes', per "forget" table, in one transaction. */
  async purgeForgotten(): Promise<Record<string, number>> {
    for (const t of this.config.tables) await this.cols(t);
    return this.inTx(async (client) => {
      const out: Record<string, number> = {};
      for (const t of this.config.tables) {
        if (t.erasure.mode !== 'forget') continue;
        const r = await client.query(`DELETE FROM ${qualified(this.config.schema, t.name)} WHERE ${quoteIdent(t.erasure.flagColumn)} = $1`, [t.erasure.flagValue]);
        out[t.name] = r.rowCount ?? 0;
      }
      return out;
    });
  }

  async sample(collection: string, field: string, limit: number): Promise<unknown[]> {
    const t = this.table(collection);
    const cols = await this.cols(t);
    if (!cols.has(field)) throw new Error(`Redshift table ${t.name} has no column "${field}"`);
    const n = Math.max(0, Math.min(10_000, Math.floor(limit)));
    const r = await this.pool.query(`SELECT ${quoteIdent(field)} AS v FROM ${qualified(this.config.schema, t.name)} WHERE ${quoteIdent(field)} IS NOT NULL LIMIT ${n}`);
    return r.rows.map((x: { v: unknown }) => plain(x.v));
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
