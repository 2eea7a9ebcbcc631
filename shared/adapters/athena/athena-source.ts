// The Athena engine: a DataSource for lakes too large to scan locally. Finding runs one Athena
// query per partition for the whole batch of requests (values as execution parameters), and reads
// the rows back from the query's output location (GetQueryResults). Erasing follows S3 Find and
// Forget: Athena names the objects holding matches ("$path"), then the Parquet lake engine rewrites
// only those objects on S3 (write, check, swap), re-checking each row itself with DuckDB.
import { AthenaClient, GetTableMetadataCommand } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AppliedCounts, CollectionSchema, DataSource, FieldMatch, Row, RowChange } from '../port';
import { AppliedTally } from '../applied-counts';
import { matchKind, normalizedValues, type MatchKind } from '../lake/identity-match';
import { ParquetLakeSource, type LakeEraseResult } from '../lake/parquet-lake';
import { AthenaConfigSchema, type AthenaConfig, type AthenaTable } from './config';
import { runQuery, type RunOptions } from './query-runner';

export interface BatchRequest { id: string; matches: FieldMatch[] }

export const PATH_COLUMN = '_athena_path';

export interface AthenaStats { queries: number; partitions: number; bytesScanned: number }

function quoteIdent(name: string): string {
  return `"${name.replace(/"/gu, '""')}"`;
}

function normalizedSql(column: string, kind: MatchKind): string {
  const ref = `CAST(${quoteIdent(column)} AS VARCHAR)`;
  if (kind === 'email') return `lower(trim(${ref}))`;
  if (kind === 'phone') return `regexp_replace(${ref}, '[^0-9]', '')`;
  if (kind === 'postal') return `upper(replace(${ref}, ' ', ''))`;
  return ref;
}

export class AthenaSource implements DataSource {
  readonly engine = 'athena';
  readonly stats: AthenaStats = { queries: 0, partitions: 0, bytesScanned: 0 };
  /** Every query sent (text only; values travel as execution parameters), for the audit and tests. */
  readonly queryLog: string[] = [];
  private readonly meta = new Map<string, { columns: Map<string, string>; partitionKeys: string[] }>();

  constructor(readonly config: AthenaConfig, private readonly client: AthenaClient, private readonly deps: { s3?: S3Client; sleep?: (ms: number) => Promise<void>; ownsClient?: boolean } = {}) {}

  static open(config: unknown, deps: { client?: AthenaClient; s3?: S3Client; sleep?: (ms: number) => Promise<void>; credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): AthenaSource {
    const parsed = AthenaConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`athena config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`);
    const client = deps.client ?? new AthenaClient({ region: parsed.data.region, endpoint: parsed.data.endpoint, credentials: deps.credentials });
    return new AthenaSource(parsed.data, client, { s3: deps.s3, sleep: deps.sleep, ownsClient: !deps.client });
  }

  private table(name: string): AthenaTable {
    const t = this.config.tables.find((x) => x.name === name);
    if (!t) throw new Error(`unknown Athena table "${name}"`);
    return t;
  }

  private runOptions(): RunOptions {
    const c = this.config;
    return { database: c.database, catalog: c.catalog, workgroup: c.workgroup, outputLocation: c.outputLocation, pollMs: c.pollMs, timeoutMs: c.timeoutMs, sleep: this.deps.sleep };
  }

  private async query(sql: string, params: unknown[]) {
    this.stats.queries += 1;
    this.queryLog.push(sql);
    const r = await runQuery(this.client, sql, params, this.runOptions());
    this.stats.bytesScanned += r.bytesScanned;
    return r;
  }

  private async tableMeta(t: AthenaTable) {
    const cached = this.meta.get(t.name);
    if (cached) return cached;
    const r = await this.client.send(new GetTableMetadataCommand({ CatalogName: this.config.catalog, DatabaseName: this.config.database, TableName: t.name }));
    const md = r.TableMetadata;
    if (!md) throw new Error(`Athena table ${this.config.database}.${t.name} not found`);
    const columns = new Map<string, string>([...(md.Columns ?? []), ...(md.PartitionKeys ?? [])].map((c) => [c.Name!, c.Type ?? 'string']));
    const partitionKeys = (md.PartitionKeys ?? []).map((c) => c.Name!);
    for (const id of t.identities) if (!columns.has(id.column)) throw new Error(`Athena table ${t.name}: identity column "${id.column}" does not exist`);
    const out = { columns, partitionKeys };
    this.meta.set(t.name, out);
    return out;
  }

  async introspect(): Promise<CollectionSchema[]> {
    const out: CollectionSchema[] = [];
    for (const t of this.config.tables) {
      const m = await this.tableMeta(t);
      const ids = new Set(t.identities.map((i) => i.column));
      out.push({
        name: t.name,
        fields: [
          ...[...m.columns].map(([name, type]) => ({ name, dataType: type, nullable: true, primaryKey: ids.has(name) })),
          { name: PATH_COLUMN, dataType: 'string', nullable: false, primaryKey: true },
        ],
      });
    }
    return out;
  }

  /** The table's partitions (values per partition key), from the "<table>$partitions" metadata table. */
  async partitions(t: AthenaTable): Promise<Array<Record<string, unknown>>> {
    const m = await this.tableMeta(t);
    if (m.partitionKeys.length === 0) return [{}];
    const r = await this.query(`SELECT * FROM ${quoteIdent(this.config.database)}.${quoteIdent(`${t.name}$partitions`)}`, []);
    return r.rows.map((row) => Object.fromEntries(m.partitionKeys.map((k) => [k, row[k]])));
  }

  /** One query per partition (and per chunk of values) for the whole batch. */
  async findBatch(collection: string, requests: BatchRequest[], options: { pathsOnly?: boolean } = {}): Promise<Map<string, Row[]>> {
    const t = this.table(collection);
    const m = await this.tableMeta(t);
    const matchers = new Map<string, { expr: string; wanted: Map<string, Set<string>> }>();
    for (const req of requests) {
      for (const fm of req.matches) {
        if (!m.columns.has(fm.field)) throw new Error(`Athena table ${t.name} has no column "${fm.field}"`);
        const kind = matchKind(t.identities.find((i) => i.column === fm.field)?.kind, fm.normalize);
        const mkey = `${fm.field}\u0000${kind}`;
        const entry = matchers.get(mkey) ?? { expr: normalizedSql(fm.field, kind), wanted: new Map<string, Set<string>>() };
        for (const v of fm.values) for (const n of normalizedValues(kind, v, this.config.defaultCountry)) entry.wanted.set(n, new Set([...(entry.wanted.get(n) ?? []), req.id]));
        matchers.set(mkey, entry);
      }
    }
    const out = new Map<string, Row[]>(requests.map((r) => [r.id, []]));
    const list = [...matchers.values()].filter((x) => x.wanted.size > 0);
    if (list.length === 0) return out;
    // Chunks of (matcher, values) so no query carries more than valuesPerQuery values.
    const work: Array<Array<{ expr: string; values: string[] }>> = [];
    let current: Array<{ expr: string; values: string[] }> = [];
    let size = 0;
    for (const mt of list) {
      for (const v of mt.wanted.keys()) {
        if (size === this.config.valuesPerQuery) { work.push(current); current = []; size = 0; }
        let slot = current.find((c) => c.expr === mt.expr);
        if (!slot) { slot = { expr: mt.expr, values: [] }; current.push(slot); }
        slot.values.push(v);
        size += 1;
      }
    }
    if (current.length) work.push(current);
    const norms = list.map((mt, i) => `${mt.expr} AS ${quoteIdent(`__n${i}`)}`).join(', ');
    const table = `${quoteIdent(this.config.database)}.${quoteIdent(t.name)}`;
    const parts = await this.partitions(t);
    this.stats.partitions += parts.length;
    const seen = new Map<string, Set<string>>(requests.map((r) => [r.id, new Set()]));
    for (const part of parts) {
      for (const chunk of work) {
        const params: unknown[] = [];
        const conds: string[] = [];
        for (const [k, v] of Object.entries(part)) { conds.push(`${quoteIdent(k)} = ?`); params.push(v); }
        const ors = chunk.map((c) => { params.push(...c.values); return `${c.expr} IN (${c.values.map(() => '?').join(', ')})`; });
        conds.push(`(${ors.join(' OR ')})`);
        const cols = options.pathsOnly ? '' : '*, ';
        const sql = `SELECT ${options.pathsOnly ? 'DISTINCT ' : ''}${cols}"$path" AS ${quoteIdent(PATH_COLUMN)}, ${norms} FROM ${table} WHERE ${conds.join(' AND ')}`;
        const r = await this.query(sql, params);
        for (const row of r.rows) {
          const ids = new Set<string>();
          list.forEach((mt, i) => { for (const id of mt.wanted.get(String(row[`__n${i}`])) ?? []) ids.add(id); });
          const clean: Row = {};
          for (const [k, v] of Object.entries(row)) if (!/^__n\d+$/u.test(k)) clean[k] = v;
          const sig = JSON.stringify(clean);
          for (const id of ids) {
            if (seen.get(id)!.has(sig)) continue;
            seen.get(id)!.add(sig);
            out.get(id)!.push(clean);
          }
        }
      }
    }
    return out;
  }

  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    return (await this.findBatch(collection, [{ id: 'one', matches }])).get('one') ?? [];
  }

  private lakeFor(t: AthenaTable): { lake: ParquetLakeSource; keyOf: (path: string) => string | null } {
    if (!t.location) throw new Error(`Athena table ${t.name}: set its S3 "location" to erase (Athena finds, the lake engine rewrites)`);
    if (!this.deps.s3) throw new Error(`Athena table ${t.name}: erasing needs an S3 client`);
    const loc = t.location.replace(/\/+$/u, '');
    const slash = loc.lastIndexOf('/');
    const parent = loc.slice(0, slash);
    const tablePath = loc.slice(slash + 1);
    if (parent.length <= 's3://'.length || !tablePath) throw new Error(`Athena table ${t.name}: location must be s3://bucket/prefix/table`);
    const lake = ParquetLakeSource.open({
      location: parent, defaultCountry: this.config.defaultCountry,
      tables: [{ name: t.name, path: tablePath, identities: t.identities, erasure: t.erasure }],
    }, { s3: this.deps.s3 });
    return { lake, keyOf: (path) => (path.startsWith(`${parent}/`) ? path.slice(parent.length + 1) : null) };
  }

  /**
   * Find-and-forget for a batch: Athena queries per partition name the objects holding matches, and
   * only those objects are rewritten (each checked again row by row while it is rewritten).
   */
  async eraseBatch(collection: string, requests: BatchRequest[], options: { dryRun?: boolean } = {}): Promise<LakeEraseResult & { objectsFound: number }> {
    const t = this.table(collection);
    const found = await this.findBatch(collection, requests, { pathsOnly: true });
    const paths = new Set<string>();
    for (const rows of found.values()) for (const r of rows) paths.add(String(r[PATH_COLUMN]));
    const { lake, keyOf } = this.lakeFor(t);
    try {
      const keys = new Set<string>();
      for (const p of paths) {
        const k = keyOf(p);
        if (k === null) throw new Error(`Athena table ${t.name}: object outside the table location was returned by the query`);
        keys.add(k);
      }
      if (keys.size === 0) {
        return { table: t.name, dryRun: Boolean(options.dryRun), mode: t.erasure.mode, partitions: 0, filesScanned: 0, rowsScanned: 0, filesAffected: 0, filesRewritten: 0, rowsDeleted: 0, rowsMasked: 0, perRequest: Object.fromEntries(requests.map((r) => [r.id, 0])), files: [], errors: [], objectsFound: 0 };
      }
      const res = await lake.eraseBatch(t.name, requests, { dryRun: options.dryRun, onlyKeys: keys });
      return { ...res, objectsFound: keys.size };
    } finally {
      await lake.close();
    }
  }

  /**
   * Apply a plan's changes. Rows of an Athena table are addressed by their object ("_athena_path")
   * and identity values: a delete removes, an update masks (per the table's erasure config), the
   * rows of that object holding those identity values. Counts are the rows each rewritten object
   * lost or had masked, each credited to the first change (in the order given) that matched it.
   */
  async apply(changes: RowChange[]): Promise<AppliedCounts> {
    const tally = new AppliedTally(changes);
    // Group by table, object and action: each object is rewritten once for all its changes.
    const groups = new Map<string, { t: AthenaTable; path: string; action: RowChange['action']; requests: Array<{ id: string; matches: FieldMatch[] }> }>();
    for (const [index, c] of changes.entries()) {
      const t = this.table(c.collection);
      const path = c.key[PATH_COLUMN];
      if (typeof path !== 'string') throw new Error(`Athena table ${t.name}: a change must name ${PATH_COLUMN}`);
      const matches = t.identities.filter((i) => c.key[i.column] !== undefined && c.key[i.column] !== null).map((i) => ({ field: i.column, values: [c.key[i.column]] }));
      if (matches.length === 0) throw new Error(`Athena table ${t.name}: a change must name at least one identity value`);
      if (c.action === 'update' && t.erasure.mode !== 'mask') throw new Error(`Athena table ${t.name}: updates mask the configured columns; configure erasure mode "mask"`);
      const k = `${t.name}\u0000${path}\u0000${c.action}`;
      const g = groups.get(k) ?? { t, path, action: c.action, requests: [] };
      g.requests.push({ id: String(index), matches });
      groups.set(k, g);
    }
    for (const g of groups.values()) {
      const { lake, keyOf } = this.lakeFor(g.t);
      try {
        const key = keyOf(g.path);
        if (key === null) throw new Error(`Athena table ${g.t.name}: ${PATH_COLUMN} is outside the table location`);
        const r = await lake.eraseBatch(g.t.name, g.requests, {
          onlyKeys: new Set([key]), mode: g.action === 'delete' ? 'delete' : 'mask',
          onErased: (id) => tally.credit(Number(id), 1),
        });
        if (r.errors.length) throw new Error(r.errors.map((e) => e.message).join('; '));
      } finally {
        await lake.close();
      }
    }
    return tally.result();
  }

  /** Distinct normalised identity values of a table, one Athena query per column: what ledger replay hashes. */
  async distinctIdentities(collection: string): Promise<Array<{ column: string; kind: 'email' | 'phone' | 'custom'; values: string[] }>> {
    const t = this.table(collection);
    await this.tableMeta(t);
    const out: Array<{ column: string; kind: 'email' | 'phone' | 'custom'; values: string[] }> = [];
    for (const id of t.identities) {
      const r = await this.query(`SELECT DISTINCT ${normalizedSql(id.column, id.kind)} AS v FROM ${quoteIdent(this.config.database)}.${quoteIdent(t.name)} WHERE ${quoteIdent(id.column)} IS NOT NULL`, []);
      out.push({ column: id.column, kind: id.kind, values: r.rows.map((x) => String(x.v ?? '')).filter((v) => v !== '') });
    }
    return out;
  }

  async sample(collection: string, field: string, limit: number): Promise<unknown[]> {
    const t = this.table(collection);
    const m = await this.tableMeta(t);
    if (!m.columns.has(field)) throw new Error(`Athena table ${t.name} has no column "${field}"`);
    const n = Math.max(0, Math.min(10_000, Math.floor(limit)));
    const r = await this.query(`SELECT ${quoteIdent(field)} AS v FROM ${quoteIdent(this.config.database)}.${quoteIdent(t.name)} WHERE ${quoteIdent(field)} IS NOT NULL LIMIT ${n}`, []);
    return r.rows.map((x) => x.v);
  }

  async close(): Promise<void> {
    if (this.deps.ownsClient) this.client.destroy();
  }
}
