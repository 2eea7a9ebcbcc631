// The exact-erasure shops (./types.ts) on the scale engines: DynamoDB (dynalite, a local DynamoDB,
// through the real AWS SDK client) and a Parquet lake (a local folder of Parquet files written with
// DuckDB). Same flow as ./harness.ts: the shop is loaded into the engine, registered as a system of
// the app (`{ engine: 'dynamodb' | 'parquet', config }`, opened by shared/adapters/lake/engines.ts),
// a dump of every table is taken, one request runs through the case machine (create with
// automatic approval, staff verification, settle: discover -> execute -> check -> respond), the
// contract output is read, a second dump is taken and the generic requirements (./invariants.ts)
// are checked against the dumps, never against what the engine reports. The case store is SQLite.
//
// How a shop maps onto each engine:
// - DynamoDB: one table per shop table (named "<system>-<table>"); the primary key's first column is
//   the partition key, a second one the sort key (int -> N, else S); null cells are left out of the
//   item (DynamoDB has no null columns); JSON cells are maps. The engine config declares the map's
//   identity fields as identities (email / phone / custom; no index: a scan compares in code) and
//   every other field as an attribute; a table without identity fields declares its partition key.
// - Parquet lake: one folder per table, rows split over two files (by row index parity); int ->
//   INTEGER, anything else VARCHAR; primaryKey declared in the lake config (as the shop's).
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createApp, type App } from '../../../shared/app/app';
import { datamapService, type DatamapService } from '../../../shared/app/datamap/service';
import { fromItem, toAttr } from '../../../shared/adapters/dynamodb/attribute-value';
import { DuckSession, plainValue, quoteIdent, quoteLiteral, fileList } from '../../../shared/adapters/lake/duckdb-session';
import type { DataMap } from '../../../shared/domain/datamap';
import type { SystemConnection } from '../../../shared/store/datamap-repo';
import { startDynamo, type LocalDynamo } from '../../integration/lake/dynamo-local';
import type { Dump, TableDump } from './dump';
import { evaluateAccess, evaluateErasure } from './invariants';
import { lines, type Run } from './harness';
import type { ColumnDef, Row, Scenario, ShopDef, SystemDef, TableDef } from './types';

export type ScaleEngine = 'dynamodb' | 'parquet';

export interface ScaleOptions {
  /**
   * DynamoDB: give every email / phone identity attribute a global secondary index ("<attr>-index",
   * projecting all attributes) and declare it in the engine config, so look-ups Query the index
   * instead of scanning. (A key or index look-up is exact: the canonical form and the form as given.)
   */
  dynamoIndexes?: boolean;
  /**
   * Parquet: Hive-partition these tables by one column ("<col>=<value>/part-N.parquet"; the column
   * lives in the folder name, not in the files), table name -> column.
   */
  lakePartitionBy?: Record<string, string>;
}

const meta = { actor: 'staff:test' };
const CLOCK = () => new Date('2026-11-23T18:00:00Z');
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The run of one scenario; `engine` is the scale engine (the Run type of ./harness.ts names SQL engines only). */
export type ScaleRun = Omit<Run, 'engine'> & {
  engine: ScaleEngine;
  /** DynamoDB: the items as DynamoDB holds them (types kept), per system, before and after. */
  rawBefore?: Record<string, RawItems>;
  rawAfter?: Record<string, RawItems>;
};

// --- DynamoDB ----------------------------------------------------------------------------------

function dynamoTableName(sys: SystemDef, t: TableDef): string {
  return `${sys.name}-${t.name}`.replace(/[^A-Za-z0-9_.-]/gu, '_');
}

function keyType(t: TableDef, col: string): 'S' | 'N' {
  return t.columns.find((c) => c.name === col)?.type === 'int' ? 'N' : 'S';
}

function identitiesOf(map: DataMap, table: string): Array<{ name: string; kind: 'email' | 'phone' | 'custom' }> {
  const c = map.collections.find((x) => x.name === table);
  return (c?.fields ?? []).filter((f) => f.identity).map((f) => ({ name: f.name, kind: f.identity === 'email' || f.identity === 'phone' ? f.identity : 'custom' }));
}

/**
 * A cell as given in DynamoDB's own form: `{ [DYNAMO]: { SS: [...] } }` anywhere in a row (at the top
 * or inside a map) is written as that attribute value as is (a string set, a number beyond 2^53,
 * binary), where a plain value would be converted by toAttr.
 */
export const DYNAMO = '$dynamo';

function attrOf(v: unknown): AttributeValue {
  if (v && typeof v === 'object' && !Array.isArray(v) && DYNAMO in (v as object)) return (v as Record<string, AttributeValue>)[DYNAMO]!;
  if (Array.isArray(v)) return { L: v.map(attrOf) };
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return { M: Object.fromEntries(Object.entries(v as Row).map(([k, x]) => [k, attrOf(x)])) };
  return toAttr(v);
}

function dynamoItem(t: TableDef, r: Row): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const c of t.columns) {
    const v = r[c.name];
    if (v === null || v === undefined) continue;
    item[c.name] = (t.primaryKey ?? []).includes(c.name) ? (keyType(t, c.name) === 'N' ? { N: String(v) } : { S: String(v) }) : attrOf(v);
  }
  return item;
}

/** Items exactly as DynamoDB returns them (attribute types kept), per table, by key. */
export type RawItems = Record<string, Record<string, Record<string, AttributeValue>>>;

async function rawDynamo(raw: DynamoDBClient, sys: SystemDef): Promise<RawItems> {
  const out: RawItems = {};
  for (const t of sys.tables) {
    const items: Record<string, Record<string, AttributeValue>> = {};
    let start: Record<string, AttributeValue> | undefined;
    do {
      const res = await raw.send(new ScanCommand({ TableName: dynamoTableName(sys, t), ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) items[JSON.stringify((t.primaryKey ?? []).map((k) => fromItem({ k: item[k]! }).k))] = item;
      start = res.LastEvaluatedKey;
    } while (start);
    out[t.name] = items;
  }
  return out;
}

async function loadDynamo(raw: DynamoDBClient, endpoint: string, sys: SystemDef, map: DataMap, opts: ScaleOptions): Promise<SystemConnection> {
  const tables = [];
  for (const t of sys.tables) {
    const pk = t.primaryKey ?? [];
    if (pk.length < 1 || pk.length > 2) throw new Error(`shop table ${t.name}: DynamoDB needs a primary key of one or two columns`);
    const TableName = dynamoTableName(sys, t);
    const ids = identitiesOf(map, t.name);
    const indexed = opts.dynamoIndexes ? ids.filter((i) => i.kind !== 'custom' && !pk.includes(i.name)).map((i) => i.name) : [];
    await raw.send(new CreateTableCommand({
      TableName, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...pk, ...indexed].map((k) => ({ AttributeName: k, AttributeType: keyType(t, k) })),
      KeySchema: pk.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' as const : 'RANGE' as const })),
      ...(indexed.length ? { GlobalSecondaryIndexes: indexed.map((a) => ({ IndexName: `${a}-index`, KeySchema: [{ AttributeName: a, KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } })) } : {}),
    }));
    for (const r of t.rows) await raw.send(new PutItemCommand({ TableName, Item: dynamoItem(t, r) }));
    const identities = ids.length
      ? ids.map((i) => ({ attribute: i.name, kind: i.kind, ...(indexed.includes(i.name) ? { index: `${i.name}-index` } : {}) }))
      : [{ attribute: pk[0]!, kind: 'custom' as const }];
    const declared = new Set([...pk, ...identities.map((i) => i.attribute)]);
    tables.push({ name: t.name, table: TableName, identities, attributes: t.columns.map((c) => c.name).filter((c) => !declared.has(c)), erasure: { mode: 'delete' as const } });
  }
  return { engine: 'dynamodb', config: { region: 'us-east-1', endpoint, tables } };
}

async function dumpDynamo(raw: DynamoDBClient, sys: SystemDef): Promise<Dump> {
  const out: Dump = {};
  for (const t of [...sys.tables].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rows: Row[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const res = await raw.send(new ScanCommand({ TableName: dynamoTableName(sys, t), ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of res.Items ?? []) rows.push(fromItem(item));
      start = res.LastEvaluatedKey;
    } while (start);
    out[t.name] = sorted({ name: t.name, columns: t.columns.map((c) => c.name), primaryKey: t.primaryKey ?? [], rows });
  }
  return out;
}

// --- Parquet lake ------------------------------------------------------------------------------

function duckType(c: ColumnDef): string {
  if (c.type === 'int') return 'INTEGER';
  if (c.type === 'json') throw new Error(`column ${c.name}: a JSON column has no Parquet shape here (nested fields are refused on parquet)`);
  return 'VARCHAR';
}

function duckLiteral(c: ColumnDef, v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (c.type === 'int') return String(Number(v));
  return quoteLiteral(typeof v === 'string' ? v : JSON.stringify(v));
}

function parquetFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...parquetFiles(p));
    else if (e.name.endsWith('.parquet')) out.push(p);
  }
  return out.sort();
}

async function loadLake(duck: DuckSession, root: string, sys: SystemDef, map: DataMap, opts: ScaleOptions): Promise<SystemConnection> {
  const tables = [];
  for (const t of sys.tables) {
    const partBy = opts.lakePartitionBy?.[t.name];
    const fileCols = t.columns.filter((c) => c.name !== partBy);
    const cols = fileCols.map((c) => `${quoteIdent(c.name)} ${duckType(c)}`).join(', ');
    const groups = partBy
      ? [...new Set(t.rows.map((r) => String(r[partBy])))].map((v) => ({ dir: join(root, t.name, `${partBy}=${v}`), rows: t.rows.filter((r) => String(r[partBy]) === v) }))
      : [{ dir: join(root, t.name), rows: t.rows }];
    for (const [g, group] of groups.entries()) {
      mkdirSync(group.dir, { recursive: true });
      for (const part of [0, 1]) {
        const rows = group.rows.filter((_, i) => i % 2 === part);
        if (rows.length === 0) continue;
        const tmp = `load_${t.name}_${g}_${part}`.replace(/[^A-Za-z0-9_]/gu, '_');
        await duck.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(tmp)} (${cols})`);
        await duck.run(`INSERT INTO ${quoteIdent(tmp)} VALUES ${rows.map((r) => `(${fileCols.map((c) => duckLiteral(c, r[c.name])).join(', ')})`).join(', ')}`);
        await duck.run(`COPY ${quoteIdent(tmp)} TO ${quoteLiteral(join(group.dir, `part-${part}.parquet`))} (FORMAT parquet, COMPRESSION ZSTD)`);
      }
    }
    const ids = identitiesOf(map, t.name);
    const pk = t.primaryKey ?? [];
    const identities = ids.length ? ids.map((i) => ({ column: i.name, kind: i.kind })) : [{ column: pk[0] ?? t.columns[0]!.name, kind: 'custom' as const }];
    tables.push({ name: t.name, path: t.name, partitionBy: partBy ? [partBy] : [], primaryKey: pk, identities, erasure: { mode: 'delete' as const } });
  }
  return { engine: 'parquet', config: { location: root, tables } };
}

async function dumpLake(root: string, sys: SystemDef, opts: ScaleOptions): Promise<Dump> {
  const duck = await DuckSession.open(1);
  try {
    const out: Dump = {};
    for (const t of [...sys.tables].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const files = parquetFiles(join(root, t.name));
      const partBy = opts.lakePartitionBy?.[t.name];
      // The partition column comes from the folder name, as text; typed as the shop's column.
      const typed = (k: string, v: unknown) => (k === partBy && t.columns.find((c) => c.name === k)?.type === 'int' && v !== null ? Number(v) : plainValue(v));
      const rows = files.length
        ? (await duck.all(`SELECT * FROM read_parquet(${fileList(files)}, hive_partitioning = ${partBy ? 'true, hive_types_autocast = false' : 'false'})`))
          .map((r) => Object.fromEntries(t.columns.map((c) => c.name).filter((k) => k in r).map((k) => [k, typed(k, r[k])])))
        : [];
      out[t.name] = sorted({ name: t.name, columns: t.columns.map((c) => c.name), primaryKey: t.primaryKey ?? [], rows });
    }
    return out;
  } finally {
    duck.close();
  }
}

function sorted(t: TableDump): TableDump {
  const k = (r: Row) => JSON.stringify(t.primaryKey.length ? t.primaryKey.map((c) => r[c] ?? null) : r);
  t.rows.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
  return t;
}

// --- one request -------------------------------------------------------------------------------

/** The shop's systems on a scale engine: connections to register and a dump of every table. */
interface Loaded { connections: Map<string, SystemConnection>; dumpAll(): Promise<Record<string, Dump>>; rawAll?(): Promise<Record<string, RawItems>>; close(): Promise<void> }

async function loadShop(engine: ScaleEngine, dir: string, shop: ShopDef, opts: ScaleOptions = {}): Promise<Loaded> {
  const maps = new Map(shop.systems.map((s) => [s.name, s.map()]));
  const connections = new Map<string, SystemConnection>();
  if (engine === 'dynamodb') {
    const local: LocalDynamo = await startDynamo();
    const raw = new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: creds });
    try {
      for (const sys of shop.systems) connections.set(sys.name, await loadDynamo(raw, local.endpoint, sys, maps.get(sys.name)!, opts));
    } catch (e) {
      raw.destroy();
      await local.stop();
      throw e;
    }
    return {
      connections,
      dumpAll: async () => Object.fromEntries(await Promise.all(shop.systems.map(async (s) => [s.name, await dumpDynamo(raw, s)] as const))),
      rawAll: async () => Object.fromEntries(await Promise.all(shop.systems.map(async (s) => [s.name, await rawDynamo(raw, s)] as const))),
      close: async () => { raw.destroy(); await local.stop(); },
    };
  }
  const duck = await DuckSession.open(1);
  try {
    for (const sys of shop.systems) connections.set(sys.name, await loadLake(duck, join(dir, 'lake', sys.name), sys, maps.get(sys.name)!, opts));
  } finally {
    duck.close();
  }
  return {
    connections,
    dumpAll: async () => {
      const out: Record<string, Dump> = {};
      for (const s of shop.systems) out[s.name] = await dumpLake(join(dir, 'lake', s.name), s, opts);
      return out;
    },
    close: async () => undefined,
  };
}

/** The SDK inside the app reads credentials from the environment (dynalite accepts any). */
function withDynamoCredentials(): () => void {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, imds: process.env.AWS_EC2_METADATA_DISABLED };
  process.env.AWS_ACCESS_KEY_ID = creds.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return () => {
    for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_EC2_METADATA_DISABLED', saved.imds]] as const) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  };
}

export async function runScaleScenario(engine: ScaleEngine, shop: ShopDef, s: Scenario, opts: ScaleOptions = {}): Promise<ScaleRun> {
  const dir = mkdtempSync(join(tmpdir(), `pd-exact-erasure-${engine}-`));
  const restore = engine === 'dynamodb' ? withDynamoCredentials() : () => undefined;
  let app: App | null = null;
  let loaded: Loaded | null = null;
  try {
    loaded = await loadShop(engine, dir, shop, opts);
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: CLOCK });
    const svc = datamapService(app.ctx);
    for (const sys of shop.systems) await svc.addSystem({ name: sys.name, connection: loaded.connections.get(sys.name)!, map: sys.map() }, meta.actor);

    const before = await loaded.dumpAll();
    const rawBefore = await loaded.rawAll?.();
    const created = await app.call('cases.create', {
      type: s.type, jurisdiction: 'CA', channel: 'staff', identities: s.identities, strategy: s.strategy ?? 'exact', autoApprove: true,
    }, meta);
    if (s.categories) await svc.setOptions(created.id, { categories: s.categories });
    await app.call('cases.verify', { id: created.id, method: 'staff', note: 'staff attestation (test)', dataPoints: 2 }, meta);
    await app.settle(created.id);
    const out = await svc.output(created.id);
    const after = await loaded.dumpAll();
    const rawAfter = await loaded.rawAll?.();
    const repo = svc.repo as unknown as { check?: (id: string) => Promise<{ ok: boolean } | null> };
    const storedCheck = s.type === 'access' || typeof repo.check !== 'function' ? null : await repo.check(created.id);
    const check = s.type === 'access' ? null : await svc.checkCase(created.id);
    const run: ScaleRun = { engine, shop, scenario: s, caseId: created.id, out, check, storedCheck, before, after, rawBefore, rawAfter, erasure: null, access: null };
    if (s.type === 'access') run.access = evaluateAccess(run as unknown as Run);
    else run.erasure = evaluateErasure(run as unknown as Run);
    return run;
  } finally {
    await app?.close().catch(() => undefined);
    await loaded?.close().catch(() => undefined);
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Register a shop on an engine and return the error (or null): for maps an engine must refuse. */
export async function registrationError(engine: ScaleEngine, shop: ShopDef): Promise<Error | null> {
  const dir = mkdtempSync(join(tmpdir(), `pd-exact-erasure-${engine}-`));
  const restore = engine === 'dynamodb' ? withDynamoCredentials() : () => undefined;
  let app: App | null = null;
  let loaded: Loaded | null = null;
  try {
    // A lake cannot hold the JSON columns of a nested shop: those are written as text.
    const flat: ShopDef = engine === 'parquet'
      ? { ...shop, systems: shop.systems.map((s) => ({ ...s, tables: s.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.type === 'json' ? { ...c, type: 'text' as const } : c)) })) })) }
      : shop;
    loaded = await loadShop(engine, dir, flat);
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: CLOCK });
    const svc = datamapService(app.ctx);
    try {
      for (const sys of flat.systems) await svc.addSystem({ name: sys.name, connection: loaded.connections.get(sys.name)!, map: sys.map() }, meta.actor);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
    return null;
  } finally {
    await app?.close().catch(() => undefined);
    await loaded?.close().catch(() => undefined);
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- the suite ---------------------------------------------------------------------------------

/** The generic requirements, by name (for `known`). */
export type GenericTest = 'answered' | 'othersUnchanged' | 'nothingLeft' | 'honest' | 'counts';

export interface ScenarioOptions {
  /**
   * Generic requirements the engine is known to break in this scenario (an engine problem, reported):
   * each runs as `it.fails`, its title carrying the note, so the suite stays green until the engine is
   * fixed and then tells (an `it.fails` that passes fails). Nothing is left out unjudged.
   */
  known?: Partial<Record<GenericTest, { fails: string }>>;
}

export interface ScaleSuite {
  engine: ScaleEngine;
  scenario(s: Scenario, extra?: (run: () => ScaleRun) => void, opts?: ScenarioOptions): void;
}

/** The generic requirements of ./harness.ts, as tests (same wording, same checks). */
function genericTests(s: Scenario, get: () => ScaleRun, known: ScenarioOptions['known'] = {}): void {
  const test = (which: GenericTest, title: string, fn: () => void) => {
    const k = known[which];
    if (!k) it(title, fn);
    else it.fails(`${title} [known engine problem: ${k.fails}]`, fn);
  };
  test('answered', 'every system answered (no errors)', () => {
    expect(get().out.errors).toEqual([]);
  });
  if (s.type === 'access') {
    it('access finds every row that is the subject\'s', () => {
      const a = get().access!;
      expect(a.missing, `rows of the subject not in the results:${lines(a.missing)}`).toEqual([]);
    });
    it('access returns no row of anyone else unless it is flagged for review as shared', () => {
      const a = get().access!;
      expect(a.foreign, `rows of other people in the results:${lines(a.foreign)}`).toEqual([]);
    });
    it('access changes nothing', () => {
      const r = get();
      expect(JSON.stringify(r.after)).toBe(JSON.stringify(r.before));
    });
    return;
  }
  test('othersUnchanged', 'changes no row that is not the subject\'s alone (other people, shared, nobody\'s)', () => {
    const e = get().erasure!;
    expect(e.othersChanged, `rows that must not change were changed:${lines(e.othersChanged)}`).toEqual([]);
  });
  test('nothingLeft', 'leaves none of the subject\'s personal data, except in rows the output lists as kept with a reason', () => {
    const e = get().erasure!;
    expect(e.leftovers, `the subject's data is still there, not listed as kept:${lines(e.leftovers)}`).toEqual([]);
  });
  test('honest', 'the check and the case status tell the truth (data left behind = check not ok, case not closed)', () => {
    const r = get();
    const left = r.erasure!.leftovers.length > 0;
    const seen = { status: r.out.status, checkOk: r.check?.ok ?? null, ...(r.storedCheck ? { storedCheckOk: r.storedCheck.ok } : {}) };
    if (left) {
      expect(seen.checkOk, `check reported ok although data was left behind:${lines(r.erasure!.leftovers)}`).toBe(false);
      if (r.storedCheck) expect(seen.storedCheckOk, 'the stored check report says ok although data was left behind').toBe(false);
      expect(seen.status, 'the case closed although data was left behind').not.toBe('closed');
    } else {
      expect(seen, 'nothing was left behind: the check must pass and the case close (a false alarm leaves the case stuck in review)')
        .toEqual({ status: 'closed', checkOk: true, ...(r.storedCheck ? { storedCheckOk: true } : {}) });
    }
  });
  test('counts', 'the recorded change counts (output().changes) equal what the before/after dumps show changed', () => {
    const e = get().erasure!;
    expect(e.reportedChanges).toEqual(e.actualChanges);
  });
}

/** One suite on one scale engine; `body` declares the scenarios (each runs once in a beforeAll). */
export function describeScaleShop(title: string, engine: ScaleEngine, shop: () => ShopDef, body: (suite: ScaleSuite) => void, opts: ScaleOptions = {}): void {
  describe(`${title} [${engine}]`, () => {
    body({
      engine,
      scenario(s, extra, scenarioOpts) {
        describe(s.title, () => {
          let run: ScaleRun | null = null;
          let failure: unknown = null;
          beforeAll(async () => {
            try { run = await runScaleScenario(engine, shop(), s, opts); } catch (e) { failure = e; }
          }, 180_000);
          const get = (): ScaleRun => {
            if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
            if (!run) throw new Error('the scenario did not run');
            return run;
          };
          genericTests(s, get, scenarioOpts?.known);
          extra?.(get);
        });
      },
    });
  });
}
