import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { fromItem } from '../../../shared/adapters/dynamodb/attribute-value';
import { DynamoDbSource } from '../../../shared/adapters/dynamodb/dynamodb-source';
import { startDynamo, type LocalDynamo } from './dynamo-local';

let local: LocalDynamo;
let raw: DynamoDBClient;
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
const fastRetry = { maxAttempts: 6, baseMs: 1, capMs: 4 };

// The look-ups of these tests are the exact ones (key / index Queries): the scan bound is 0, so no
// table is scanned instead (the scan bound has its own test below).
function config(erasure: unknown = { mode: 'delete' }) {
  return {
    endpoint: local.endpoint,
    scanLookupBelowItems: 0,
    tables: [
      {
        name: 'customers', table: 'Customers', attributes: ['name', 'tier'], erasure,
        identities: [
          { attribute: 'customer_id', kind: 'custom' },
          { attribute: 'email', kind: 'email', index: 'email-index' },
          { attribute: 'phone', kind: 'phone', index: 'phone-index' },
          { attribute: 'loyalty_no', kind: 'custom' },
        ],
      },
      { name: 'orders', table: 'Orders', attributes: ['payload'], identities: [{ attribute: 'customer_id', kind: 'custom' }] },
    ],
  };
}

async function seed(): Promise<void> {
  await raw.send(new CreateTableCommand({
    TableName: 'Customers', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'customer_id', AttributeType: 'S' }, { AttributeName: 'email', AttributeType: 'S' }, { AttributeName: 'phone', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'customer_id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      { IndexName: 'email-index', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      { IndexName: 'phone-index', KeySchema: [{ AttributeName: 'phone', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
  }));
  await raw.send(new CreateTableCommand({
    TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'customer_id', AttributeType: 'S' }, { AttributeName: 'order_id', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'customer_id', KeyType: 'HASH' }, { AttributeName: 'order_id', KeyType: 'RANGE' }],
  }));
  const customers = Array.from({ length: 120 }, (_, i) => ({
    customer_id: { S: `c${i}` }, email: { S: `user${i}@example.com` }, phone: { S: `+1415555${String(1000 + i)}` },
    loyalty_no: { S: `L-${i}` }, name: { S: `Customer ${i}` }, tier: { N: String(i % 3) },
  }));
  for (let i = 0; i < customers.length; i += 25) {
    await raw.send(new BatchWriteItemCommand({ RequestItems: { Customers: customers.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  // c1 has enough large orders that a Query needs several pages (1 MB per page)
  for (let o = 0; o < 30; o += 1) {
    await raw.send(new PutItemCommand({ TableName: 'Orders', Item: { customer_id: { S: 'c1' }, order_id: { N: String(o) }, payload: { S: 'x'.repeat(60_000) } } }));
  }
  await raw.send(new PutItemCommand({ TableName: 'Orders', Item: { customer_id: { S: 'c2' }, order_id: { N: '1' }, payload: { S: 'y' } } }));
}

beforeAll(async () => {
  local = await startDynamo();
  raw = new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: creds });
  await seed();
});
afterAll(async () => {
  raw?.destroy();
  await local?.stop();
});

describe('DynamoDB engine (real SDK client against dynalite)', () => {
  it('introspects keys, identity attributes and declared attributes', async () => {
    const src = DynamoDbSource.open(config(), { credentials: creds, retry: fastRetry });
    const [c, o] = await src.introspect();
    expect(c!.fields.filter((f) => f.primaryKey).map((f) => f.name)).toEqual(['customer_id']);
    expect(c!.fields.map((f) => f.name)).toEqual(['customer_id', 'email', 'phone', 'loyalty_no', 'name', 'tier']);
    expect(o!.fields.filter((f) => f.primaryKey).map((f) => f.name)).toEqual(['customer_id', 'order_id']);
    await src.close();
  });

  it('looks up by partition key, by GSI (ALL and KEYS_ONLY), by scan, and pages through a large Query', async () => {
    const src = DynamoDbSource.open(config(), { credentials: creds, retry: fastRetry });
    expect((await src.find('customers', [{ field: 'email', values: ['  USER7@Example.com'] }])).map((r) => r.customer_id)).toEqual(['c7']);
    expect(src.stats).toMatchObject({ queries: 2, scans: 0 }); // the form as given and lower-cased
    expect((await src.find('customers', [{ field: 'phone', values: ['(415) 555-1008'] }])).map((r) => [r.customer_id, r.name])).toEqual([['c8', 'Customer 8']]);
    expect(src.stats.batchGets).toBe(1);
    expect((await src.find('customers', [{ field: 'loyalty_no', values: ['L-9'] }])).map((r) => r.customer_id)).toEqual(['c9']);
    expect(src.stats.scans).toBeGreaterThanOrEqual(1);
    expect((await src.find('customers', [{ field: 'customer_id', values: ['c10', 'nope', "' OR 1=1 --"] }])).map((r) => r.tier)).toEqual([1]);
    const queriesBefore = src.stats.queries;
    const orders = await src.find('orders', [{ field: 'customer_id', values: ['c1'] }]);
    expect(orders.length).toBe(30);
    expect(src.stats.queries - queriesBefore).toBeGreaterThan(1);
    await expect(src.find('customers', [{ field: 'ssn', values: ['1'] }])).rejects.toThrow(/no attribute "ssn"/u);
    await src.close();
  });

  it('finds a batch with one scan for all non-indexed identities', async () => {
    const src = DynamoDbSource.open(config(), { credentials: creds, retry: fastRetry });
    const res = await src.findBatch('customers', Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, matches: [{ field: 'loyalty_no', values: [`L-${i + 50}`] }] })));
    expect([...res.values()].every((rows) => rows.length === 1)).toBe(true);
    expect(res.get('r3')![0]!.customer_id).toBe('c53');
    expect(src.stats.queries).toBe(0);
    expect(src.stats.scannedItems).toBe(120);
    await src.close();
  });

  it('erases a batch with conditional DeleteItem calls, and leaves neighbours alone', async () => {
    const src = DynamoDbSource.open(config(), { credentials: creds, retry: fastRetry });
    const requests = Array.from({ length: 60 }, (_, i) => ({ id: `r${i}`, matches: [{ field: 'email', values: [`user${i + 60}@example.com`] }] }));
    const dry = await src.eraseBatch('customers', requests, { dryRun: true });
    expect(dry).toMatchObject({ matched: 60, deleted: 0 });
    const res = await src.eraseBatch('customers', requests);
    expect(res).toMatchObject({ matched: 60, deleted: 60, updated: 0 });
    expect(src.stats.deletes).toBe(60);
    expect((await raw.send(new GetItemCommand({ TableName: 'Customers', Key: { customer_id: { S: 'c60' } } }))).Item).toBeUndefined();
    expect((await raw.send(new GetItemCommand({ TableName: 'Customers', Key: { customer_id: { S: 'c59' } } }))).Item).toBeDefined();
    expect(await src.find('customers', [{ field: 'email', values: ['user61@example.com'] }])).toEqual([]);
    await src.close();
  });

  it('masks attributes with UpdateItem and never re-creates an erased item', async () => {
    const src = DynamoDbSource.open(config({ mode: 'mask', attributes: { name: 'redacted', loyalty_no: 'remove' } }), { credentials: creds, retry: fastRetry });
    const res = await src.eraseBatch('customers', [{ id: 'a', matches: [{ field: 'email', values: ['user5@example.com'] }] }]);
    expect(res).toMatchObject({ matched: 1, updated: 1, deleted: 0 });
    const item = (await raw.send(new GetItemCommand({ TableName: 'Customers', Key: { customer_id: { S: 'c5' } } }))).Item!;
    expect(item.name).toEqual({ S: '[redacted]' });
    expect(item.loyalty_no).toBeUndefined();
    expect(item.email).toEqual({ S: 'user5@example.com' });
    expect(await src.apply([{ collection: 'customers', key: { customer_id: 'c61' }, action: 'update', set: { name: 'x' } }]))
      .toEqual({ deleted: 0, updated: 0, byCollection: { customers: { deleted: 0, updated: 0 } }, perChange: [0] });
    expect((await raw.send(new GetItemCommand({ TableName: 'Customers', Key: { customer_id: { S: 'c61' } } }))).Item).toBeUndefined();
    await src.close();
  });

  it('counts what DynamoDB reports: a missing item counts 0, per table and per change', async () => {
    const src = DynamoDbSource.open(config({ mode: 'mask', attributes: { name: 'redacted' } }), { credentials: creds, retry: fastRetry });
    local.faults.calls.length = 0;
    const res = await src.apply([
      { collection: 'customers', key: { customer_id: 'c30' }, action: 'delete' },
      { collection: 'customers', key: { customer_id: 'c60' }, action: 'delete' }, // erased by an earlier test: not there
      { collection: 'customers', key: { customer_id: 'c30' }, action: 'delete' }, // the same item again
      { collection: 'customers', key: { customer_id: 'c31' }, action: 'update', set: { name: '[redacted]' } },
      { collection: 'customers', key: { customer_id: 'c62' }, action: 'update', set: { name: '[redacted]' } }, // not there
      { collection: 'orders', key: { customer_id: 'c2', order_id: 1 }, action: 'delete' },
      { collection: 'orders', key: { customer_id: 'c2', order_id: 99 }, action: 'delete' }, // no such order
    ]);
    expect(res).toEqual({
      deleted: 2, updated: 1,
      byCollection: { customers: { deleted: 1, updated: 1 }, orders: { deleted: 1, updated: 0 } },
      perChange: [1, 0, 0, 1, 0, 1, 0],
    });
    expect(local.faults.calls.filter((c) => c === 'DeleteItem').length).toBe(4); // the repeated key is sent once
    expect(local.faults.calls).not.toContain('PutItem');
    expect((await raw.send(new GetItemCommand({ TableName: 'Customers', Key: { customer_id: { S: 'c62' } } }))).Item).toBeUndefined();
    expect((await raw.send(new GetItemCommand({ TableName: 'Orders', Key: { customer_id: { S: 'c2' }, order_id: { N: '99' } } }))).Item).toBeUndefined();
    await src.close();
  });

  it('retries throttled calls with backoff, deletes included', async () => {
    const src = DynamoDbSource.open(config(), { credentials: creds, retry: fastRetry });
    local.faults.throttleNext = 3;
    expect((await src.find('customers', [{ field: 'email', values: ['user20@example.com'] }])).length).toBe(1);
    expect(src.stats.retries).toBe(3);
    local.faults.throttleNext = 2;
    local.faults.calls.length = 0;
    expect(await src.apply([{ collection: 'customers', key: { customer_id: 'c20' }, action: 'delete' }]))
      .toEqual({ deleted: 1, updated: 0, byCollection: { customers: { deleted: 1, updated: 0 } }, perChange: [1] });
    expect(local.faults.calls.filter((c) => c === 'DeleteItem').length).toBe(3);
    expect(src.stats.retries).toBe(5);
    expect((await raw.send(new GetItemCommand({ TableName: 'Customers', Key: { customer_id: { S: 'c20' } } }))).Item).toBeUndefined();
    await src.close();

    const impatient = DynamoDbSource.open(config(), { credentials: creds, retry: { maxAttempts: 2, baseMs: 1, capMs: 2 } });
    local.faults.throttleNext = 5;
    await expect(impatient.find('customers', [{ field: 'email', values: ['user21@example.com'] }])).rejects.toThrow(/throttled/u);
    local.faults.throttleNext = 0;
    await impatient.close();
  });

  it('scans every item page by page (the port\'s optional scan)', async () => {
    const src = DynamoDbSource.open(config(), { credentials: creds, retry: fastRetry });
    const rows: Array<Record<string, unknown>> = [];
    let pages = 0;
    for await (const b of src.scan('customers', ['customer_id', 'email'], 25)) { pages += 1; rows.push(...b); }
    expect(rows.length).toBe(120 - 60 - 1 - 1); // c60..c119 by the batch, c30 by the counts test, c20 by the retry test
    expect(pages).toBeGreaterThan(2);
    expect(Object.keys(rows[0]!).sort()).toEqual(['customer_id', 'email']);
    const ids = await src.distinctIdentities('customers');
    expect(ids.find((i) => i.column === 'email')!.values.length).toBe(58);
    await src.close();
  });

  it('rejects a bad config naming the field', () => {
    expect(() => DynamoDbSource.open({ tables: [{ name: 'x', table: 'T', identities: [] }] })).toThrow(/tables\.0\.table: .*; tables\.0\.identities: a table needs at least one identity attribute/u);
  });

  it('finds an email or phone stored in another case / format: by one consistent Scan under the scan bound; above it by the forms tried, the limit named', async () => {
    await raw.send(new CreateTableCommand({
      TableName: 'People', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'email', AttributeType: 'S' }, { AttributeName: 'phone', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'email-index', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'phone-index', KeySchema: [{ AttributeName: 'phone', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      ],
    }));
    await raw.send(new PutItemCommand({ TableName: 'People', Item: { id: { S: 'bob' }, email: { S: 'Bob.Ray@Example.com' }, phone: { S: '(415) 555-0102' } } }));
    await raw.send(new PutItemCommand({ TableName: 'People', Item: { id: { S: 'ann' }, email: { S: 'ann.lee@example.com' }, phone: { S: '+14155550101' } } }));
    const people = (bound?: number) => ({
      endpoint: local.endpoint, ...(bound === undefined ? {} : { scanLookupBelowItems: bound }),
      tables: [{ name: 'people', table: 'People', identities: [{ attribute: 'email', kind: 'email', index: 'email-index' }, { attribute: 'phone', kind: 'phone', index: 'phone-index' }] }],
    });
    // Under the bound (default 10,000; dynalite's ItemCount is 0): one Scan, compared ignoring case and punctuation.
    const small = DynamoDbSource.open(people(), { credentials: creds, retry: fastRetry });
    expect((await small.find('people', [{ field: 'email', values: ['bob.ray@example.com'] }])).map((r) => r.id)).toEqual(['bob']);
    expect((await small.find('people', [{ field: 'phone', values: ['415.555.0102'], normalize: 'phone' }])).map((r) => r.id)).toEqual(['bob']);
    expect(small.stats).toMatchObject({ queries: 0, scans: 2 });
    expect(await small.lookupLimits()).toEqual([]);
    await small.close();
    // At or above the bound: exact Queries only. A phone is tried in its common formats and found; an
    // email in another letter case is not, and lookupLimits names both attributes for review.
    const big = DynamoDbSource.open(people(0), { credentials: creds, retry: fastRetry });
    expect((await big.find('people', [{ field: 'phone', values: ['415.555.0102'], normalize: 'phone' }])).map((r) => r.id)).toEqual(['bob']);
    expect(big.stats.scans).toBe(0);
    console.log(`phone 415.555.0102 looked up exactly in ${big.stats.queries} forms (index Queries)`);
    expect(await big.find('people', [{ field: 'email', values: ['bob.ray@example.com'] }])).toEqual([]);
    expect((await big.find('people', [{ field: 'email', values: ['ann.lee@example.com'] }])).map((r) => r.id)).toEqual(['ann']);
    const limits = await big.lookupLimits();
    expect(limits.map((l) => [l.collection, l.field])).toEqual([['people', 'email'], ['people', 'phone']]);
    expect(limits[0]!.reason).toMatch(/scanLookupBelowItems.*index email-index.*an email stored in another letter case is not found/u);
    await big.close();
  });

  it('masks nested fields of a map on their document paths: the other keys keep their DynamoDB types (string set, big number, binary)', async () => {
    await raw.send(new CreateTableCommand({
      TableName: 'Profiles', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    const profile = (name: string) => ({ M: {
      name: { S: name }, 'display name': { S: `${name} R.` }, tags: { SS: ['vip', 'beta'] }, loyalty_no: { N: '12345678901234567890' },
      avatar: { B: Buffer.from(`${name}-avatar`) }, address: { M: { city: { S: 'Leipzig' }, zip: { S: '04109' } } }, 'select': { BOOL: true },
    } });
    for (const [id, name] of [[1, 'Mia'], [2, 'Noah']] as const) await raw.send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { N: String(id) }, email: { S: `${name}@x.example` }, profile: profile(name) } }));
    await raw.send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { N: '3' }, email: { S: 'nomap@x.example' } } }));
    const src = DynamoDbSource.open({ endpoint: local.endpoint, tables: [{ name: 'profiles', table: 'Profiles', identities: [{ attribute: 'email', kind: 'email' }], attributes: ['profile'] }] }, { credentials: creds, retry: fastRetry });
    const [read] = await src.find('profiles', [{ field: 'email', values: ['mia@x.example'] }]);
    const original = { profile: read!.profile };
    const masked = (p: Record<string, unknown>) => ({ ...p, name: null, 'display name': 'h-1234', address: { ...(p.address as object), city: null } });
    const res = await src.apply([
      // as the plan sends it: the values it read next to the masked ones
      { collection: 'profiles', key: { id: 1 }, action: 'update', set: { profile: masked(read!.profile as Record<string, unknown>) }, original },
      // without them: compared with the item as it is now
      { collection: 'profiles', key: { id: 2 }, action: 'update', set: { profile: masked(fromItem(profile('Noah').M) as Record<string, unknown>) } },
      // the map is not there (any more): nothing to mask, counts 0, nothing created
      { collection: 'profiles', key: { id: 3 }, action: 'update', set: { profile: { address: { city: null, zip: '04109' } } }, original: { profile: { address: { city: 'Leipzig', zip: '04109' } } } },
    ]);
    expect(res.perChange).toEqual([1, 1, 0]);
    for (const [id, name] of [[1, 'Mia'], [2, 'Noah']] as const) {
      const p = (await raw.send(new GetItemCommand({ TableName: 'Profiles', Key: { id: { N: String(id) } } }))).Item!.profile!.M!;
      const want = profile(name).M;
      expect(p.name).toBeUndefined();
      expect(p['display name']).toEqual({ S: 'h-1234' });
      expect(p.address).toEqual({ M: { zip: { S: '04109' } } });
      for (const k of ['tags', 'loyalty_no', 'select'] as const) expect(p[k], k).toEqual(want[k]);
      expect(Buffer.from(p.avatar!.B!).toString(), 'avatar: binary, B').toBe(`${name}-avatar`);
    }
    expect((await raw.send(new GetItemCommand({ TableName: 'Profiles', Key: { id: { N: '3' } } }))).Item).toEqual({ id: { N: '3' }, email: { S: 'nomap@x.example' } });
    await src.close();
  });
});
