// The Parquet data-lake engine: a DataSource (shared/adapters/port.ts) over tables of Parquet files
// in a local folder or an S3 prefix, queried with DuckDB on local files. Adds the batch methods a
// lake needs: findBatch / eraseBatch run one scan per partition for all queued requests, then
// rewrite only the files that hold matching rows (see rewrite.ts for the write-then-swap).
import type { S3Client } from '@aws-sdk/client-s3';
import type { AppliedCounts, CollectionSchema, DataSource, FieldMatch, Row, RowChange } from '../port';
import { AppliedTally } from '../applied-counts';
import { DuckSession, fileList, plainValue, quoteIdent, quoteLiteral } from './duckdb-session';
import { matchKind, normalizedSql, normalizedValues } from './identity-match';
import { LocalFolderStore } from './local-store';
import { ObjectChangedError, type FetchedObject, type ObjectStore, type StoredObject } from './object-store';
import { groupByPartition } from './partitions';
import { rewriteFile, type RewriteObserver, type RewriteResult, type RowEdit } from './rewrite';
import { S3PrefixStore } from './s3-store';
import { RESERVED_COLUMNS, scanFiles, type Matcher, type ScanFile, type ScanHit } from './scan';
import {
  FILE_COLUMN, LakeConfigSchema, PSEUDO_COLUMNS, ROW_COLUMN, VERSION_COLUMN, parseLocation,
  type LakeConfig, type LakeTable, type MaskStrategy,
} from './table-spec';

export interface BatchRequest { id: string; matches: FieldMatch[] }

export interface LakeEraseResult {
  table: string;
  dryRun: boolean;
  mode: 'delete' | 'mask';
  partitions: number;
  filesScanned: number;
  rowsScanned: number;
  filesAffected: number;
  filesRewritten: number;
  rowsDeleted: number;
  rowsMasked: number;
  /** Matched rows per request id. */
  perRequest: Record<string, number>;
  files: RewriteResult[];
  /** Files that could not be rewritten (the rest were); run the erasure again for them. */
  errors: Array<{ key: string; message: string }>;
}

interface TableShape { columns: Array<{ name: string; type: string }>; partitionColumns: string[] }

const MASK_TEXT: Record<Exclude<MaskStrategy, 'null'>, string> = { redacted: '[redacted]', empty: '' };

export class ParquetLakeSource implements DataSource {
  readonly engine = 'parquet';
  private duck: DuckSession | undefined;
  private readonly shapes = new Map<string, TableShape>();
  private cleaned = false;

  constructor(readonly config: LakeConfig, private readonly store: ObjectStore, private readonly observe?: RewriteObserver) {}

  /** Validate a lake config (zod) and open it on a local folder or, with an S3 client, an S3 prefix. */
  static open(config: unknown, deps: { s3?: S3Client; observe?: RewriteObserver; scratchDir?: string } = {}): ParquetLakeSource {
    const parsed = LakeConfigSchema.safeParse(config);
    if (!parsed.success) {
      throw new Error(`lake config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`);
    }
    const loc = parseLocation(parsed.data.location);
    let store: ObjectStore;
    if (loc.kind === 'local') store = new LocalFolderStore(loc.dir);
    else {
      if (!deps.s3) throw new Error('lake config: an S3 location needs an S3 client');
      store = new S3PrefixStore(deps.s3, loc.bucket, loc.prefix, deps.scratchDir);
    }
    return new ParquetLakeSource(parsed.data, store, deps.observe);
  }

  private async session(): Promise<DuckSession> {
    if (!this.duck) this.duck = await DuckSession.open();
    if (!this.cleaned) {
      this.cleaned = true;
      for (const t of this.config.tables) await this.store.cleanupScratch(t.path);
    }
    return this.duck;
  }

  table(name: string): LakeTable {
    const t = this.config.tables.find((x) => x.name === name);
    if (!t) throw new Error(`unknown lake table "${name}"`);
    return t;
  }

  private async files(t: LakeTable): Promise<StoredObject[]> {
    return this.store.list(t.path);
  }

  private async shape(t: LakeTable): Promise<TableShape> {
    const cached = this.shapes.get(t.name);
    if (cached) return cached;
    const duck = await this.session();
    const files = await this.files(t);
    if (files.length === 0) throw new Error(`lake table "${t.name}" has no Parquet files under ${t.path}`);
    const first = await this.store.fetch(files[0]!.key);
    try {
      const own = await duck.all(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(first.path)}, hive_partitioning = false)`);
      const columns = own.map((c) => ({ name: String(c.column_name), type: String(c.column_type) }));
      const rel = files[0]!.key.slice(t.path.replace(/\/+$/u, '').length + 1);
      const partitionColumns = rel.split('/').slice(0, -1).filter((s) => s.includes('=')).map((s) => s.slice(0, s.indexOf('=')));
      for (const c of columns) {
        if (RESERVED_COLUMNS.includes(c.name) || (PSEUDO_COLUMNS as readonly string[]).includes(c.name)) {
          throw new Error(`lake table "${t.name}": column "${c.name}" collides with a name the lake engine uses`);
        }
      }
      const known = new Set([...columns.map((c) => c.name), ...partitionColumns]);
      for (const id of t.identities) if (!known.has(id.column)) throw new Error(`lake table "${t.name}": identity column "${id.column}" is not in its Parquet schema`);
      for (const k of t.primaryKey) if (!known.has(k)) throw new Error(`lake table "${t.name}": primary key column "${k}" is not in its Parquet schema`);
      if (t.erasure.mode === 'mask') {
        for (const [c, strategy] of Object.entries(t.erasure.columns)) {
          const col = columns.find((x) => x.name === c);
          if (!col) throw new Error(`lake table "${t.name}": mask column "${c}" is not in its Parquet schema (partition columns cannot be masked)`);
          if (strategy !== 'null' && col.type !== 'VARCHAR') throw new Error(`lake table "${t.name}": mask column "${c}" is ${col.type}; only text columns take "${strategy}", use "null"`);
        }
      }
      const shape = { columns, partitionColumns };
      this.shapes.set(t.name, shape);
      return shape;
    } finally {
      await first.release();
    }
  }

  async introspect(): Promise<CollectionSchema[]> {
    const out: CollectionSchema[] = [];
    for (const t of this.config.tables) {
      const s = await this.shape(t);
      const pk = new Set(t.primaryKey);
      const fields = [
        ...s.columns.map((c) => ({ name: c.name, dataType: c.type, nullable: !pk.has(c.name), primaryKey: pk.has(c.name) })),
        ...s.partitionColumns.map((c) => ({ name: c, dataType: 'VARCHAR', nullable: false, primaryKey: pk.has(c) })),
      ];
      if (t.primaryKey.length === 0) {
        fields.push({ name: FILE_COLUMN, dataType: 'VARCHAR', nullable: false, primaryKey: true });
        fields.push({ name: ROW_COLUMN, dataType: 'BIGINT', nullable: false, primaryKey: true });
        fields.push({ name: VERSION_COLUMN, dataType: 'VARCHAR', nullable: false, primaryKey: true });
      }
      out.push({ name: t.name, fields });
    }
    return out;
  }

  /** Matchers for a batch: one per field asked for, each with its wanted normalised values. */
  private async matchers(t: LakeTable, requests: BatchRequest[]): Promise<Matcher[]> {
    const s = await this.shape(t);
    const known = new Set([...s.columns.map((c) => c.name), ...s.partitionColumns]);
    const byField = new Map<string, Matcher>();
    for (const req of requests) {
      for (const m of req.matches) {
        if (!known.has(m.field)) throw new Error(`lake table "${t.name}" has no column "${m.field}"`);
        const idCol = { column: m.field, kind: matchKind(t.identities.find((i) => i.column === m.field)?.kind, m.normalize) };
        const mkey = `${m.field}\u0000${idCol.kind}`;
        let matcher = byField.get(mkey);
        if (!matcher) {
          matcher = { expr: normalizedSql(idCol), wanted: new Map() };
          byField.set(mkey, matcher);
        }
        for (const v of m.values) {
          for (const n of normalizedValues(idCol.kind, v, this.config.defaultCountry)) {
            const set = matcher.wanted.get(n) ?? new Set<string>();
            set.add(req.id);
            matcher.wanted.set(n, set);
          }
        }
      }
    }
    return [...byField.values()];
  }

  private toRow(t: LakeTable, hit: ScanHit): Row {
    const row: Row = { ...hit.values };
    if (t.primaryKey.length === 0) {
      row[FILE_COLUMN] = hit.key;
      row[ROW_COLUMN] = hit.row;
      row[VERSION_COLUMN] = hit.version;
    }
    return row;
  }

  /**
   * Visit each partition once: fetch its files, scan them for all requests, hand the hits to
   * `each` (which may rewrite files while they are fetched), then release them.
   */
  private async perPartition(
    t: LakeTable, requests: BatchRequest[], withValues: boolean,
    each: (hits: ScanHit[], fetched: Map<string, FetchedObject>) => Promise<void>,
    onlyKeys?: ReadonlySet<string>,
  ): Promise<{ partitions: number; filesScanned: number; rowsScanned: number }> {
    const duck = await this.session();
    const matchers = await this.matchers(t, requests);
    const listed = await this.files(t);
    const parts = groupByPartition(t.path, onlyKeys ? listed.filter((f) => onlyKeys.has(f.key)) : listed);
    let filesScanned = 0;
    let rowsScanned = 0;
    for (const p of parts) {
      const fetched = new Map<string, FetchedObject>();
      try {
        for (const f of p.files) fetched.set(f.key, await this.store.fetch(f.key));
        const scanList: ScanFile[] = p.files.map((f) => ({ key: f.key, version: fetched.get(f.key)!.version, path: fetched.get(f.key)!.path }));
        const { hits, rowsScanned: n } = await scanFiles(duck, scanList, matchers, withValues);
        filesScanned += p.files.length;
        rowsScanned += n;
        await each(hits, fetched);
      } finally {
        for (const f of fetched.values()) await f.release();
      }
    }
    return { partitions: parts.length, filesScanned, rowsScanned };
  }

  /**
   * Rows of every request in one pass over the table (one scan per partition). On a table without
   * a primary key a request may instead match only row-address pseudo-columns (`_lake_file IN
   * (...)`, `_lake_row`, `_lake_version`): the rows where any holds, with their current addresses
   * (only the files named are read when every match is on `_lake_file`). The check re-reads
   * planned rows that way (./row-address.ts).
   */
  async findBatch(collection: string, requests: BatchRequest[]): Promise<Map<string, Row[]>> {
    const t = this.table(collection);
    const out = new Map<string, Row[]>(requests.map((r) => [r.id, []]));
    const pseudo = new Set<string>(t.primaryKey.length === 0 ? PSEUDO_COLUMNS : []);
    const byAddress = requests.filter((r) => r.matches.length > 0 && r.matches.every((m) => pseudo.has(m.field)));
    const byValue = byAddress.length ? requests.filter((r) => !byAddress.includes(r)) : requests;
    if (byValue.length) {
      await this.perPartition(t, byValue, true, async (hits) => {
        for (const h of hits) for (const id of h.requestIds) out.get(id)!.push(this.toRow(t, h));
      });
    }
    if (byAddress.length) await this.findByAddress(t, byAddress, out);
    return out;
  }

  private async findByAddress(t: LakeTable, requests: BatchRequest[], out: Map<string, Row[]>): Promise<void> {
    const onlyFiles = requests.every((r) => r.matches.every((m) => m.field === FILE_COLUMN));
    const named = new Set(requests.flatMap((r) => r.matches.flatMap((m) => m.values.map((v) => String(v)))));
    const files = (await this.files(t)).filter((f) => !onlyFiles || named.has(f.key));
    const every: Matcher = { expr: "'*'", wanted: new Map([['*', new Set(['*'])]]) };
    const duck = await this.session();
    for (const f of files) {
      const got = await this.store.fetch(f.key);
      try {
        const { hits } = await scanFiles(duck, [{ key: f.key, version: got.version, path: got.path }], [every], true);
        for (const h of hits) {
          const row = this.toRow(t, h);
          for (const r of requests) if (r.matches.some((m) => m.values.some((v) => String(v) === String(row[m.field])))) out.get(r.id)!.push(row);
        }
      } finally {
        await got.release();
      }
    }
  }

  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    const res = await this.findBatch(collection, [{ id: 'one', matches }]);
    return res.get('one') ?? [];
  }

  private maskSet(t: LakeTable): Row {
    if (t.erasure.mode !== 'mask') return {};
    return Object.fromEntries(Object.entries(t.erasure.columns).map(([c, s]) => [c, s === 'null' ? null : MASK_TEXT[s]]));
  }

  /**
   * Erase every row matching any request of the batch: one scan per partition, then each affected
   * file rewritten once for the whole batch (rows removed, or the table's mask columns masked).
   * A dry run scans and counts but writes nothing. `onlyKeys` limits the work to files already
   * known to hold matches (found by Athena, say): the others are not even read. `onErased`, when
   * given, is told of each row a rewritten file removed or masked, with the first request (in batch
   * order) that matched it.
   */
  async eraseBatch(collection: string, requests: BatchRequest[], options: { dryRun?: boolean; mode?: 'delete' | 'mask'; onlyKeys?: ReadonlySet<string>; onErased?: (requestId: string) => void } = {}): Promise<LakeEraseResult> {
    const t = this.table(collection);
    const mode = options.mode ?? t.erasure.mode;
    if (mode === 'mask' && t.erasure.mode !== 'mask') throw new Error(`lake table "${t.name}" has no mask columns configured`);
    const set = this.maskSet(t);
    const duck = await this.session();
    const result: LakeEraseResult = {
      table: t.name, dryRun: Boolean(options.dryRun), mode, partitions: 0, filesScanned: 0, rowsScanned: 0,
      filesAffected: 0, filesRewritten: 0, rowsDeleted: 0, rowsMasked: 0,
      perRequest: Object.fromEntries(requests.map((r) => [r.id, 0])), files: [], errors: [],
    };
    const order = new Map(requests.map((r, i) => [r.id, i]));
    const firstRequest = (ids: string[]): string => ids.reduce((a, b) => ((order.get(b) ?? Infinity) < (order.get(a) ?? Infinity) ? b : a));
    const stats = await this.perPartition(t, requests, false, async (hits, fetched) => {
      const byFile = new Map<string, RowEdit[]>();
      const origin = new Map<RowEdit, string>(); // edit -> the first request that matched its row
      for (const h of hits) {
        for (const id of h.requestIds) result.perRequest[id] = (result.perRequest[id] ?? 0) + 1;
        const list = byFile.get(h.key) ?? [];
        const edit: RowEdit = mode === 'delete' ? { row: h.row, action: 'delete' } : { row: h.row, action: 'update', set };
        if (h.requestIds.length) origin.set(edit, firstRequest(h.requestIds));
        list.push(edit);
        byFile.set(h.key, list);
      }
      result.filesAffected += byFile.size;
      if (options.dryRun) {
        for (const edits of byFile.values()) {
          if (mode === 'delete') result.rowsDeleted += edits.length; else result.rowsMasked += edits.length;
        }
        return;
      }
      for (const [key, edits] of byFile) {
        try {
          const r = await rewriteFile(duck, this.store, key, edits, {
            fetched: fetched.get(key), observe: this.observe,
            applied: options.onErased ? (rows) => { for (const e of rows.values()) { const id = origin.get(e); if (id !== undefined) options.onErased!(id); } } : undefined,
          });
          result.files.push(r);
          result.filesRewritten += 1;
          result.rowsDeleted += r.deleted;
          result.rowsMasked += r.updated;
        } catch (e) {
          result.errors.push({ key, message: e instanceof Error ? e.message : String(e) });
        }
      }
    }, options.onlyKeys);
    Object.assign(result, stats);
    return result;
  }

  /**
   * Apply row changes from a plan. Rows are addressed by primary key, or by file + row + file version.
   * Counts are the rows each rewritten file lost or had masked, credited to the change they came
   * from (a key no row holds any more counts 0; a key two rows share counts 2).
   */
  async apply(changes: RowChange[]): Promise<AppliedCounts> {
    const duck = await this.session();
    const tally = new AppliedTally(changes);
    const byTable = new Map<string, number[]>();
    changes.forEach((c, i) => {
      const list = byTable.get(c.collection);
      if (list) list.push(i); else byTable.set(c.collection, [i]);
    });
    for (const [name, list] of byTable) {
      const t = this.table(name);
      const byFile = new Map<string, { version: string; edits: RowEdit[] }>();
      const origin = new Map<RowEdit, number>(); // edit -> index of its change
      const add = (key: string, version: string, edit: RowEdit): void => {
        const entry = byFile.get(key) ?? { version, edits: [] };
        if (entry.version !== version) throw new ObjectChangedError(key);
        entry.edits.push(edit);
        byFile.set(key, entry);
      };
      const editOf = (i: number, row: number): RowEdit => {
        const c = changes[i]!;
        const edit: RowEdit = c.action === 'delete' ? { row, action: 'delete' } : { row, action: 'update', set: c.set ?? {} };
        origin.set(edit, i);
        return edit;
      };
      if (t.primaryKey.length === 0) {
        for (const i of list) {
          const c = changes[i]!;
          const key = c.key[FILE_COLUMN];
          const row = Number(c.key[ROW_COLUMN]);
          const version = c.key[VERSION_COLUMN];
          if (typeof key !== 'string' || typeof version !== 'string' || !Number.isInteger(row)) {
            throw new Error(`lake table "${t.name}": a change must name ${FILE_COLUMN}, ${ROW_COLUMN} and ${VERSION_COLUMN}`);
          }
          add(key, version, editOf(i, row));
        }
      } else {
        // Locate the keyed rows with one scan, then edit them by row number.
        const keyExpr = `concat_ws(chr(31), ${t.primaryKey.map((k) => `CAST(t.${quoteIdent(k)} AS VARCHAR)`).join(', ')})`;
        const wanted = new Map<string, Set<string>>();
        for (const i of list) {
          const c = changes[i]!;
          const parts = t.primaryKey.map((k) => {
            const v = c.key[k];
            if (v === undefined || v === null) throw new Error(`lake table "${t.name}": a change must name primary key column "${k}"`);
            return String(v);
          });
          const k = parts.join('\u001f');
          wanted.set(k, new Set([...(wanted.get(k) ?? []), String(i)]));
        }
        const files = await this.files(t);
        const fetched = await Promise.all(files.map((f) => this.store.fetch(f.key)));
        try {
          const { hits } = await scanFiles(duck, files.map((f, i) => ({ key: f.key, version: fetched[i]!.version, path: fetched[i]!.path })), [{ expr: keyExpr, wanted }], false);
          for (const h of hits) for (const id of h.requestIds.map(Number).sort((a, b) => a - b)) add(h.key, h.version, editOf(id, h.row));
        } finally {
          for (const f of fetched) await f.release();
        }
      }
      const current = new Map((await this.files(t)).map((f) => [f.key, f.version]));
      for (const [key, { version }] of byFile) if (current.get(key) !== version) throw new ObjectChangedError(key);
      for (const [key, { edits }] of byFile) {
        await rewriteFile(duck, this.store, key, edits, {
          observe: this.observe,
          applied: (rows) => { for (const e of rows.values()) tally.credit(origin.get(e)!, 1); },
        });
      }
    }
    return tally.result();
  }

  async sample(collection: string, field: string, limit: number): Promise<unknown[]> {
    const t = this.table(collection);
    const s = await this.shape(t);
    if (!s.columns.some((c) => c.name === field) && !s.partitionColumns.includes(field)) throw new Error(`lake table "${t.name}" has no column "${field}"`);
    const n = Math.max(0, Math.min(10_000, Math.floor(limit)));
    const files = (await this.files(t)).slice(0, 4);
    const fetched = await Promise.all(files.map((f) => this.store.fetch(f.key)));
    try {
      const duck = await this.session();
      const rows = await duck.all(`SELECT ${quoteIdent(field)} AS v FROM read_parquet(${fileList(fetched.map((f) => f.path))}, hive_partitioning = true) WHERE ${quoteIdent(field)} IS NOT NULL LIMIT ${n}`);
      return rows.map((r) => plainValue(r.v));
    } finally {
      for (const f of fetched) await f.release();
    }
  }

  /**
   * Every row of a table (only `fields`), file by file, in batches: for the data-map layer's ledger
   * replay and discovery. Row-address pseudo-columns may be asked for.
   */
  async *scan(collection: string, fields: string[], batchSize = 5000): AsyncIterable<Row[]> {
    const t = this.table(collection);
    const s = await this.shape(t);
    const known = new Set([...s.columns.map((c) => c.name), ...s.partitionColumns]);
    const pseudo = t.primaryKey.length === 0 ? new Set<string>(PSEUDO_COLUMNS) : new Set<string>();
    for (const f of fields) if (!known.has(f) && !pseudo.has(f)) throw new Error(`lake table "${t.name}" has no column "${f}"`);
    const real = fields.filter((f) => known.has(f));
    const duck = await this.session();
    let batch: Row[] = [];
    for (const obj of await this.files(t)) {
      const got = await this.store.fetch(obj.key);
      try {
        const cols = [...real.map((f) => `t.${quoteIdent(f)}`), 't.file_row_number'].join(', ');
        const rows = await duck.all(`SELECT ${cols} FROM read_parquet(${quoteLiteral(got.path)}, file_row_number = true, hive_partitioning = true) t`);
        for (const r of rows) {
          const row: Row = {};
          for (const f of fields) {
            if (f === FILE_COLUMN) row[f] = obj.key;
            else if (f === ROW_COLUMN) row[f] = Number(r.file_row_number);
            else if (f === VERSION_COLUMN) row[f] = got.version;
            else row[f] = plainValue(r[f]);
          }
          batch.push(row);
          if (batch.length >= batchSize) { yield batch; batch = []; }
        }
      } finally {
        await got.release();
      }
    }
    if (batch.length) yield batch;
  }

  /**
   * The distinct identity values of a table, normalised as finds compare them (email trimmed and
   * lower-cased, phone digits, custom text), one partition at a time: what ledger replay hashes.
   */
  async distinctIdentities(collection: string): Promise<Array<{ column: string; kind: 'email' | 'phone' | 'custom'; values: string[] }>> {
    const t = this.table(collection);
    await this.shape(t);
    const duck = await this.session();
    const out = t.identities.map((i) => ({ column: i.column, kind: i.kind, values: new Set<string>() }));
    for (const p of groupByPartition(t.path, await this.files(t))) {
      const fetched: FetchedObject[] = [];
      try {
        for (const f of p.files) fetched.push(await this.store.fetch(f.key));
        const src = `read_parquet(${fileList(fetched.map((f) => f.path))}, hive_partitioning = true) t`;
        for (const [i, id] of t.identities.entries()) {
          const rows = await duck.all(`SELECT DISTINCT ${normalizedSql(id)} AS v FROM ${src} WHERE t.${quoteIdent(id.column)} IS NOT NULL`);
          for (const r of rows) if (r.v !== null && r.v !== '') out[i]!.values.add(String(r.v));
        }
      } finally {
        for (const f of fetched) await f.release();
      }
    }
    return out.map((o) => ({ column: o.column, kind: o.kind, values: [...o.values] }));
  }

  /** Total rows and files of a table (for verification and reports). */
  async stats(collection: string): Promise<{ files: number; rows: number; bytes: number }> {
    const t = this.table(collection);
    const files = await this.files(t);
    let rows = 0;
    const duck = await this.session();
    for (const f of files) {
      const got = await this.store.fetch(f.key);
      try {
        const [m] = await duck.all(`SELECT num_rows FROM parquet_file_metadata(${quoteLiteral(got.path)})`);
        rows += Number(m?.num_rows ?? 0);
      } finally {
        await got.release();
      }
    }
    return { files: files.length, rows, bytes: files.reduce((a, f) => a + f.size, 0) };
  }

  async close(): Promise<void> {
    this.duck?.close();
    this.duck = undefined;
    const closable = this.store as { close?: () => Promise<void> };
    if (typeof closable.close === 'function') await closable.close();
  }
}
