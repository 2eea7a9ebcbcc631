// The DynamoDB engine: a DataSource (shared/adapters/port.ts) over DynamoDB tables through the AWS
// SDK client. A person is found by the cheapest path each identity allows: the table's partition key
// (BatchGetItem / Query), a global secondary index keyed on the attribute (Query, then BatchGetItem
// when the index does not project every attribute), else one paginated Scan for the whole batch.
// A key or index Query is exact, so an email / phone is tried as given and lower-cased / in its
// common formats; on a table under the scan bound (scanLookupBelowItems, by DescribeTable
// ItemCount) emails and phones are compared ignoring case and format by the Scan instead, and above
// it lookupLimits() names the exact-only look-ups for review.
// Erasure: DeleteItem (16 in flight) or UpdateItem (REMOVE / SET; a masked nested field of a map is
// written on its document path, nested-update.ts, so the map's other keys keep their DynamoDB types),
// each guarded by attribute_exists so an item already gone counts 0 and an erased item is never re-created; counts are the writes
// DynamoDB accepted (BatchWriteItem cannot say whether an item was there, so it is not used).
// Throttling is retried with exponential backoff and jitter (retry.ts). DynamoDB Local stand-ins
// such as dynalite lack TransactWriteItems, so the erasure is not atomic: it is idempotent instead
// (re-running finds only what is left).
import {
  BatchGetItemCommand, DeleteItemCommand, GetItemCommand, DescribeTableCommand, DynamoDBClient, QueryCommand, ScanCommand, UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { AppliedCounts, CollectionSchema, DataSource, FieldMatch, LookupLimit, Row, RowChange } from '../port';
import { phoneLookupForms } from '../../domain/phone-forms';
import { AppliedTally } from '../applied-counts';
import { fromItem, keyAttr, toAttr, type Item } from './attribute-value';
import { DynamoConfigSchema, type DynamoConfig, type DynamoTable } from './config';
import { PathNames, isNestedChange, nestedOps } from './nested-update';
import { DEFAULT_RETRY, RetryStats, withRetry, type RetryPolicy } from './retry';

export interface BatchRequest { id: string; matches: FieldMatch[] }

interface TableInfo {
  hashKey: string;
  rangeKey?: string;
  types: Record<string, 'S' | 'N' | 'B'>;
  indexes: Map<string, { name: string; projectsAll: boolean }>; // attribute -> GSI keyed on it
  /** DescribeTable ItemCount (approximate: DynamoDB refreshes it about every six hours). */
  itemCount: number;
}

export interface DynamoStats { batchGets: number; queries: number; scans: number; scannedItems: number; deletes: number; updates: number; retries: number }

const BATCH_GET = 100;
/** Key / index Queries of one look-up in flight at once (a phone is tried in its common formats). */
const QUERY_CONCURRENCY = 8;
/** Conditional DeleteItem calls in flight at once. */
const DELETE_CONCURRENCY = 16;

function chunks<T>(list: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

/** fn over every item, at most `limit` at a time; after a failure no new item starts, and the first failure is thrown once all running calls have ended. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { e: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try { await fn(item); } catch (e) { failure ??= { e }; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.e;
}

export class DynamoDbSource implements DataSource {
  readonly engine = 'dynamodb';
  readonly stats: DynamoStats = { batchGets: 0, queries: 0, scans: 0, scannedItems: 0, deletes: 0, updates: 0, retries: 0 };
  private readonly infos = new Map<string, TableInfo>();
  private readonly retryStats = new RetryStats();

  constructor(readonly config: DynamoConfig, private readonly client: DynamoDBClient, private readonly retry: RetryPolicy = DEFAULT_RETRY, private readonly ownsClient = false) {}

  static open(config: unknown, deps: { client?: DynamoDBClient; retry?: RetryPolicy; credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): DynamoDbSource {
    const parsed = DynamoConfigSchema.safeParse(config);
    if (!parsed.success) throw new Error(`dynamodb config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`);
    const client = deps.client ?? new DynamoDBClient({
      region: parsed.data.region, endpoint: parsed.data.endpoint, credentials: deps.credentials,
      maxAttempts: 1, // retries are ours (retry.ts), so throttling is visible and bounded
    });
    return new DynamoDbSource(parsed.data, client, deps.retry ?? DEFAULT_RETRY, !deps.client);
  }

  private send<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, this.retry, this.retryStats).finally(() => { this.stats.retries = this.retryStats.retries; });
  }

  private table(name: string): DynamoTable {
    const t = this.config.tables.find((x) => x.name === name);
    if (!t) throw new Error(`unknown DynamoDB collection "${name}"`);
    return t;
  }

  private async info(t: DynamoTable): Promise<TableInfo> {
    const cached = this.infos.get(t.name);
    if (cached) return cached;
    const d = await this.send(() => this.client.send(new DescribeTableCommand({ TableName: t.table })));
    const desc = d.Table;
    if (!desc?.KeySchema) throw new Error(`DynamoDB table ${t.table} has no key schema`);
    const hashKey = desc.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName!;
    const rangeKey = desc.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    const types = Object.fromEntries((desc.AttributeDefinitions ?? []).map((a) => [a.AttributeName!, a.AttributeType as 'S' | 'N' | 'B']));
    const indexes = new Map<string, { name: string; projectsAll: boolean }>();
    for (const g of desc.GlobalSecondaryIndexes ?? []) {
      const h = g.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
      if (h && g.IndexName) indexes.set(h, { name: g.IndexName, projectsAll: g.Projection?.ProjectionType === 'ALL' });
    }
    for (const id of t.identities) {
      if (id.index && ![...indexes.values()].some((i) => i.name === id.index)) {
        throw new Error(`DynamoDB table ${t.table}: index "${id.index}" (for ${id.attribute}) does not exist`);
      }
      if (id.index && indexes.get(id.attribute)?.name !== id.index) throw new Error(`DynamoDB table ${t.table}: index "${id.index}" is not keyed on ${id.attribute}`);
    }
    const info = { hashKey, rangeKey, types, indexes, itemCount: Number(desc.ItemCount ?? 0) };
    this.infos.set(t.name, info);
    return info;
  }

  async introspect(): Promise<CollectionSchema[]> {
    const out: CollectionSchema[] = [];
    for (const t of this.config.tables) {
      const info = await this.info(t);
      const keys = [info.hashKey, ...(info.rangeKey ? [info.rangeKey] : [])];
      const names = [...new Set([...keys, ...t.identities.map((i) => i.attribute), ...t.attributes,
        ...(t.erasure.mode === 'mask' ? Object.keys(t.erasure.attributes) : [])])];
      out.push({
        name: t.name,
        fields: names.map((n) => ({ name: n, dataType: info.types[n] ?? 'ANY', nullable: !keys.includes(n), primaryKey: keys.includes(n) })),
      });
    }
    return out;
  }

  private kindOf(t: DynamoTable, attribute: string, normalize?: string): 'email' | 'phone' | 'custom' {
    const declared = t.identities.find((i) => i.attribute === attribute)?.kind;
    if (declared) return declared;
    return normalize === 'email' || normalize === 'phone' ? normalize : 'custom';
  }

  /** The canonical form used to compare an item's value with a request's value. */
  private canonical(kind: 'email' | 'phone' | 'custom', v: unknown): string | null {
    if (v === null || v === undefined) return null;
    const s = String(v);
    if (kind === 'email') return s.trim().toLowerCase();
    if (kind === 'phone') {
      const p = parsePhoneNumberFromString(s.trim(), this.config.defaultCountry as CountryCode);
      return p?.isValid() ? p.number : s.replace(/[^0-9+]/gu, '');
    }
    return s;
  }

  /**
   * The exact values to look up by key or index: for an email the form as given and lower-cased;
   * for a phone its common written forms (shared/domain/phone-forms.ts: E.164, national,
   * international, punctuated); else as given.
   */
  private lookupValues(kind: 'email' | 'phone' | 'custom', v: unknown): string[] {
    const given = String(v ?? '').trim();
    if (kind === 'phone') return phoneLookupForms(given, this.config.defaultCountry as CountryCode);
    const c = this.canonical(kind, v);
    return [...new Set([given, c].filter((x): x is string => Boolean(x)))];
  }

  /** Whether an email / phone look-up on this table scans (compared ignoring case and format) instead of trusting an exact key or index Query. */
  private scansIdentities(info: TableInfo): boolean {
    return info.itemCount < this.config.scanLookupBelowItems;
  }

  /**
   * Identity attributes whose look-up is exact only (a key or index Query on a table at or above
   * the scan bound): an email stored in another letter case, a phone in an unusual format, is not
   * found there. The engine lists these for review and its check does not pass on them.
   */
  async lookupLimits(): Promise<LookupLimit[]> {
    const out: LookupLimit[] = [];
    for (const t of this.config.tables) {
      const info = await this.info(t);
      if (this.scansIdentities(info)) continue;
      for (const id of t.identities) {
        if (id.kind === 'custom') continue;
        const via = id.attribute === info.hashKey ? 'the table key' : info.indexes.get(id.attribute) ? `index ${info.indexes.get(id.attribute)!.name}` : null;
        if (!via) continue; // no key or index: a Scan compares in code
        const forms = id.kind === 'email' ? 'as given and lower-cased' : 'in its common formats (E.164, national, international, punctuated)';
        out.push({
          collection: t.name, field: id.attribute,
          reason: `DynamoDB table ${t.table} holds about ${info.itemCount} items, not under the scan bound of ${this.config.scanLookupBelowItems} (scanLookupBelowItems): ${id.attribute} is looked up exactly through ${via}, ${forms}, so a${id.kind === 'email' ? 'n email' : ' phone number'} stored in another ${id.kind === 'email' ? 'letter case' : 'format'} is not found there; check that table by hand or raise the bound`,
        });
      }
    }
    return out;
  }

  private itemKey(info: TableInfo, item: Item): string {
    return JSON.stringify([item[info.hashKey], info.rangeKey ? item[info.rangeKey] : null]);
  }

  private async batchGet(t: DynamoTable, keys: Item[]): Promise<Item[]> {
    const out: Item[] = [];
    for (const part of chunks(keys, BATCH_GET)) {
      let pending: Item[] = part;
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= this.retry.maxAttempts) throw new Error(`DynamoDB ${t.table}: ${pending.length} keys still unprocessed after ${attempt} attempts`);
        if (attempt > 0) await (this.retry.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(Math.min(this.retry.capMs, this.retry.baseMs * 2 ** attempt));
        this.stats.batchGets += 1;
        const keysNow = pending;
        const res = await this.send(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [t.table]: { Keys: keysNow, ConsistentRead: true } } })));
        out.push(...(res.Responses?.[t.table] ?? []));
        pending = (res.UnprocessedKeys?.[t.table]?.Keys ?? []) as Item[];
      }
    }
    return out;
  }

  private async query(t: DynamoTable, attribute: string, value: AttributeValue, indexName?: string): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      this.stats.queries += 1;
      const from = start;
      const res = await this.send(() => this.client.send(new QueryCommand({
        TableName: t.table, IndexName: indexName, KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': attribute }, ExpressionAttributeValues: { ':v': value }, ExclusiveStartKey: from,
      })));
      out.push(...((res.Items ?? []) as Item[]));
      start = res.LastEvaluatedKey as Item | undefined;
    } while (start);
    return out;
  }

  private async scanTable(t: DynamoTable, each: (item: Item) => void, limit = Infinity, projection?: string, consistent = false): Promise<void> {
    let start: Item | undefined;
    let seen = 0;
    do {
      this.stats.scans += 1;
      const from = start;
      const res = await this.send(() => this.client.send(new ScanCommand({
        TableName: t.table, ExclusiveStartKey: from, ...(consistent ? { ConsistentRead: true } : {}),
        ...(projection ? { ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': projection } } : {}),
        ...(Number.isFinite(limit) ? { Limit: Math.min(1000, limit - seen) } : {}),
      })));
      for (const item of (res.Items ?? []) as Item[]) {
        seen += 1;
        this.stats.scannedItems += 1;
        each(item);
      }
      start = res.LastEvaluatedKey as Item | undefined;
    } while (start && seen < limit);
  }

  /** Items of every request, by key or index where possible, with at most one scan for the rest. */
  async findBatch(collection: string, requests: BatchRequest[]): Promise<Map<string, Row[]>> {
    const t = this.table(collection);
    const info = await this.info(t);
    const known = new Set([info.hashKey, ...(info.rangeKey ? [info.rangeKey] : []), ...t.identities.map((i) => i.attribute), ...t.attributes]);
    const found = new Map<string, Map<string, Item>>(requests.map((r) => [r.id, new Map()]));
    const add = (id: string, item: Item) => found.get(id)!.set(this.itemKey(info, item), item);
    const scanWanted = new Map<string, { kind: 'email' | 'phone' | 'custom'; byValue: Map<string, Set<string>> }>(); // attribute -> canonical value -> request ids
    const getKeys: Array<{ id: string; key: Item }> = [];
    const queries: Array<{ id: string; field: string; value: AttributeValue; index?: { name: string; projectsAll: boolean } }> = [];
    const scans = this.scansIdentities(info);
    for (const req of requests) {
      for (const m of req.matches) {
        if (!known.has(m.field)) throw new Error(`DynamoDB collection "${t.name}" has no attribute "${m.field}" in its config`);
        const kind = this.kindOf(t, m.field, m.normalize);
        const viaIndex = info.indexes.get(m.field);
        // An exact Query misses "Bob.Ray@example.com" for "bob.ray@example.com": on a table small
        // enough, emails and phones are compared ignoring case and format by the one Scan instead.
        const exact = kind === 'custom' || !scans;
        for (const v of m.values) {
          if (exact && (m.field === info.hashKey || viaIndex)) {
            const type = info.types[m.field] ?? 'S';
            for (const lv of this.lookupValues(kind, v)) {
              if (type === 'N' && !Number.isFinite(Number(lv))) continue;
              const attr = keyAttr(lv, type);
              if (m.field === info.hashKey && !info.rangeKey) getKeys.push({ id: req.id, key: { [info.hashKey]: attr } });
              else queries.push({ id: req.id, field: m.field, value: attr, ...(m.field === info.hashKey ? {} : { index: viaIndex }) });
            }
          } else {
            const c = this.canonical(kind, v);
            if (c === null) continue;
            const entry = scanWanted.get(m.field) ?? { kind, byValue: new Map<string, Set<string>>() };
            entry.byValue.set(c, new Set([...(entry.byValue.get(c) ?? []), req.id]));
            scanWanted.set(m.field, entry);
          }
        }
      }
    }
    await eachLimited(queries, QUERY_CONCURRENCY, async (q) => {
      const items = await this.query(t, q.field, q.value, q.index?.name);
      if (!q.index || q.index.projectsAll) items.forEach((i) => add(q.id, i));
      else getKeys.push(...items.map((i) => ({ id: q.id, key: { [info.hashKey]: i[info.hashKey]!, ...(info.rangeKey ? { [info.rangeKey]: i[info.rangeKey]! } : {}) } })));
    });
    if (getKeys.length > 0) {
      const unique = new Map<string, Item>();
      for (const g of getKeys) unique.set(this.itemKey(info, g.key), g.key);
      const items = new Map((await this.batchGet(t, [...unique.values()])).map((i) => [this.itemKey(info, i), i]));
      for (const g of getKeys) {
        const item = items.get(this.itemKey(info, g.key));
        if (item) add(g.id, item);
      }
    }
    if (scanWanted.size > 0) {
      await this.scanTable(t, (item) => {
        for (const [attr, { kind, byValue }] of scanWanted) {
          const a = item[attr];
          if (!a) continue;
          const c = this.canonical(kind, fromItem({ v: a }).v);
          for (const id of (c !== null ? byValue.get(c) : undefined) ?? []) add(id, item);
        }
      }, Infinity, undefined, true); // consistent: the check's re-read right after an erasure must not see a stale item
    }
    return new Map([...found].map(([id, items]) => [id, [...items.values()].map(fromItem)]));
  }

  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    return (await this.findBatch(collection, [{ id: 'one', matches }])).get('one') ?? [];
  }

  /**
   * Apply plan changes, counting what DynamoDB reports: each UpdateItem and DeleteItem is guarded by
   * attribute_exists on the partition key, so an item that is already gone fails its condition and
   * counts 0 (and is never re-created); a call that succeeds changed exactly that one item. Deletes
   * run DELETE_CONCURRENCY at a time (BatchWriteItem cannot take a condition nor say whether an item
   * was there). The same key deleted twice in one call is sent once: the first change gets it.
   */
  async apply(changes: RowChange[]): Promise<AppliedCounts> {
    const tally = new AppliedTally(changes);
    const deletes: Array<{ t: DynamoTable; info: TableInfo; key: Item; index: number }> = [];
    const queued = new Set<string>();
    for (const [index, c] of changes.entries()) {
      const t = this.table(c.collection);
      const info = await this.info(t);
      const key: Item = {};
      for (const k of [info.hashKey, ...(info.rangeKey ? [info.rangeKey] : [])]) {
        if (c.key[k] === undefined || c.key[k] === null) throw new Error(`DynamoDB collection "${t.name}": a change must name key attribute "${k}"`);
        key[k] = keyAttr(c.key[k], info.types[k] ?? 'S');
      }
      if (c.action === 'delete') {
        const id = JSON.stringify([t.table, key[info.hashKey], info.rangeKey ? key[info.rangeKey] : null]);
        if (!queued.has(id)) { queued.add(id); deletes.push({ t, info, key, index }); }
        continue;
      }
      const set = Object.entries(c.set ?? {});
      if (set.some(([a]) => a === info.hashKey || a === info.rangeKey)) throw new Error(`DynamoDB collection "${t.name}": key attributes cannot be changed in place`);
      if (set.length === 0) continue;
      // The values the plan read (changesOf passes them); without them a map change is compared with the item as it is now.
      const original = c.original ?? (set.some(([, v]) => isNestedChange(v, v)) ? await this.current(t, key) : {});
      const pn = new PathNames();
      const pk = pn.path([info.hashKey]);
      const values: Item = {};
      const sets: string[] = [];
      const removes: string[] = [];
      const parents = new Map<string, string>(); // a nested path's parent must still be there (else the write is refused)
      const setAt = (path: string[], v: unknown) => {
        const ph = `:v${Object.keys(values).length}`;
        values[ph] = toAttr(v);
        sets.push(`${pn.path(path)} = ${ph}`);
      };
      const needParent = (path: string[]) => { if (path.length > 1) { const e = pn.path(path.slice(0, -1)); parents.set(e, `attribute_exists(${e})`); } };
      for (const [a, v] of set) {
        const before = original[a];
        if (isNestedChange(before, v)) {
          // Only the nested leaves that change are written: the map's other keys keep their DynamoDB types.
          const ops = nestedOps(a, before as Record<string, unknown>, v as Record<string, unknown>);
          for (const s of ops.sets) { needParent(s.path); setAt(s.path, s.value); }
          for (const r of ops.removes) { needParent(r); removes.push(pn.path(r)); }
        } else if (v === null || v === undefined) removes.push(pn.path([a]));
        else setAt([a], v);
      }
      if (sets.length === 0 && removes.length === 0) continue;
      const expr = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
      this.stats.updates += 1;
      const done = await this.conditional(() => this.client.send(new UpdateItemCommand({
        TableName: t.table, Key: key, UpdateExpression: expr, ConditionExpression: [`attribute_exists(${pk})`, ...parents.values()].join(' AND '),
        ExpressionAttributeNames: pn.names, ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      })));
      if (done) tally.credit(index, 1); // else the item is already gone: nothing to mask
    }
    await eachLimited(deletes, DELETE_CONCURRENCY, async ({ t, info, key, index }) => {
      this.stats.deletes += 1;
      const done = await this.conditional(() => this.client.send(new DeleteItemCommand({
        TableName: t.table, Key: key, ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': info.hashKey },
      })));
      if (done) tally.credit(index, 1);
    });
    this.stats.retries = this.retryStats.retries;
    return tally.result();
  }

  /** The item's current plain values (a consistent read), for a nested change given without the values the plan read. */
  private async current(t: DynamoTable, key: Item): Promise<Row> {
    const res = await this.send(() => this.client.send(new GetItemCommand({ TableName: t.table, Key: key, ConsistentRead: true })));
    return res.Item ? fromItem(res.Item as Item) : {};
  }

  /** True when a conditional write went through, false when its condition failed (the item was not there). */
  private async conditional(fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.send(fn);
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  /** Find and erase every request of a batch (delete items or mask attributes, per the table's config). */
  async eraseBatch(collection: string, requests: BatchRequest[], options: { dryRun?: boolean } = {}): Promise<{ matched: number; deleted: number; updated: number; perRequest: Record<string, number> }> {
    const t = this.table(collection);
    const info = await this.info(t);
    const found = await this.findBatch(collection, requests);
    const perRequest = Object.fromEntries([...found].map(([id, rows]) => [id, rows.length]));
    const unique = new Map<string, Row>();
    for (const rows of found.values()) for (const r of rows) unique.set(JSON.stringify([r[info.hashKey], info.rangeKey ? r[info.rangeKey] : null]), r);
    if (options.dryRun) return { matched: unique.size, deleted: 0, updated: 0, perRequest };
    const keyOf = (r: Row): Row => ({ [info.hashKey]: r[info.hashKey], ...(info.rangeKey ? { [info.rangeKey]: r[info.rangeKey] } : {}) });
    const changes: RowChange[] = [...unique.values()].map((r) => (t.erasure.mode === 'delete'
      ? { collection, key: keyOf(r), action: 'delete' as const }
      : { collection, key: keyOf(r), action: 'update' as const, set: Object.fromEntries(Object.entries(t.erasure.attributes).map(([a, s]) => [a, s === 'remove' ? null : '[redacted]'])) }));
    const res = await this.apply(changes);
    return { matched: unique.size, deleted: res.deleted, updated: res.updated, perRequest };
  }

  /** Every item of a table (only `fields`), page by page (the port's optional scan: ledger replay, discovery). */
  async *scan(collection: string, fields: string[], batchSize = 1000): AsyncIterable<Row[]> {
    const t = this.table(collection);
    await this.info(t);
    let start: Item | undefined;
    const names = Object.fromEntries(fields.map((f, i) => [`#f${i}`, f]));
    do {
      this.stats.scans += 1;
      const from = start;
      const res = await this.send(() => this.client.send(new ScanCommand({
        TableName: t.table, ExclusiveStartKey: from, Limit: Math.max(1, Math.min(1000, batchSize)),
        ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names,
      })));
      const items = ((res.Items ?? []) as Item[]);
      this.stats.scannedItems += items.length;
      if (items.length) yield items.map((i) => Object.fromEntries(fields.map((f) => [f, i[f] ? fromItem({ v: i[f]! }).v : null])));
      start = res.LastEvaluatedKey as Item | undefined;
    } while (start);
  }

  /** Distinct identity values of a table in canonical form (one scan): what ledger replay hashes. */
  async distinctIdentities(collection: string): Promise<Array<{ column: string; kind: 'email' | 'phone' | 'custom'; values: string[] }>> {
    const t = this.table(collection);
    const sets = t.identities.map((i) => ({ column: i.attribute, kind: i.kind, values: new Set<string>() }));
    await this.scanTable(t, (item) => {
      for (const s of sets) {
        const a = item[s.column];
        if (!a) continue;
        const c = this.canonical(s.kind, fromItem({ v: a }).v);
        if (c) s.values.add(c);
      }
    });
    return sets.map((s) => ({ column: s.column, kind: s.kind, values: [...s.values] }));
  }

  async sample(collection: string, field: string, limit: number): Promise<unknown[]> {
    const t = this.table(collection);
    const out: unknown[] = [];
    const n = Math.max(0, Math.min(10_000, Math.floor(limit)));
    if (n === 0) return out;
    await this.scanTable(t, (item) => {
      if (out.length < n && item[field]) out.push(fromItem({ v: item[field]! }).v);
    }, n * 4, field);
    return out.slice(0, n);
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}
