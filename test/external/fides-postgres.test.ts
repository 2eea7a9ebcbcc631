// The Fides PostgreSQL example (../shared/fixtures/fides-postgres-example, written outside this
// project): its SQL loaded into a real PostgreSQL, its dataset YAML imported as is, and the facts
// its README lists checked through the whole request (createApp, case machine, data map).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { createApp, type App } from '../../shared/app/app';
import { datamapService, type DatamapService } from '../../shared/app/datamap/service';
import { loadFidesDatasetFile } from '../../shared/adapters/datamap-file';
import { fieldPaths, unsupportedFeatures } from '../../shared/domain/datamap';
import { parse as parseYaml } from 'yaml';
import { PostgresDb } from '../../shared/store/postgres-db';
import { verifyAsStaff } from '../support/verify-staff';

const FIXTURE = join('..', 'shared', 'fixtures', 'fides-postgres-example');
const meta = { actor: 'staff:external' };
let pg: PostgresServer;
let shop: PostgresDb;
let dir: string;
let app: App;
let svc: DatamapService;

async function run(type: 'access' | 'delete_pii', email: string, categories?: string[]) {
  const c = await app.call('cases.create', { type, jurisdiction: 'CA', channel: 'staff', identities: { email }, strategy: 'exact', autoApprove: true }, meta);
  if (categories) await svc.setOptions(c.id, { categories });
  await verifyAsStaff(app, c.id, type, meta);
  await app.settle(c.id);
  return svc.output(c.id);
}
const rows = (sql: string) => shop.all<Record<string, unknown>>(sql);

beforeAll(async () => {
  pg = await startPostgres();
  shop = new PostgresDb(pg.url);
  await shop.exec(readFileSync(join(FIXTURE, 'postgres_sample.sql'), 'utf8'));
  dir = mkdtempSync(join(tmpdir(), 'pd-fides-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
  svc = datamapService(app.ctx);
  const map = loadFidesDatasetFile(join(FIXTURE, 'postgres_example_test_dataset.yml'));
  await svc.addSystem({ name: 'fides-example', connection: { engine: 'postgres', url: pg.url }, map }, meta.actor);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await shop?.close();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Fides PostgreSQL example', () => {
  it('imports the dataset as is: categories, identities, primary keys, references with direction', () => {
    const map = loadFidesDatasetFile(join(FIXTURE, 'postgres_example_test_dataset.yml'));
    expect(map.dataset).toBe('postgres_example_test_dataset');
    const customer = map.collections.find((c) => c.name === 'customer')!;
    expect(customer.fields.find((f) => f.name === 'email')).toMatchObject({ identity: 'email', categories: ['user.contact.email'] });
    expect(customer.fields.find((f) => f.name === 'id')!.primaryKey).toBe(true);
    const orders = map.collections.find((c) => c.name === 'orders')!;
    expect(orders.fields.find((f) => f.name === 'customer_id')!.references[0]).toMatchObject({ collection: 'customer', field: 'id', direction: 'from' });
    expect(customer.fields.find((f) => f.name === 'name')!.length).toBe(40);
  });

  it('loses no field of the dataset: every collection and field of the YAML comes in', () => {
    type F = { name: string; fields?: F[] };
    const names = (fs: F[], pre: string): string[] => fs.flatMap((f) => [`${pre}${f.name}`, ...names(f.fields ?? [], `${pre}${f.name}.`)]);
    const raw = parseYaml(readFileSync(join(FIXTURE, 'postgres_example_test_dataset.yml'), 'utf8')) as { dataset: Array<{ collections: Array<{ name: string; fields: F[] }> }> };
    const want = raw.dataset[0]!.collections.flatMap((c) => names(c.fields, `${c.name}.`));
    const map = loadFidesDatasetFile(join(FIXTURE, 'postgres_example_test_dataset.yml'));
    expect(map.collections.flatMap((c) => fieldPaths(c).map((p) => `${c.name}.${p.path.join('.')}`))).toEqual(want);
    expect(want).toHaveLength(48);
    expect(unsupportedFeatures(map, 'postgres')).toEqual([]);
  });

  it('access for customer-1@example.com returns data from 11 collections; customer and visit rows carry the email', async () => {
    const out = await run('access', 'customer-1@example.com');
    expect(out.errors).toEqual([]);
    const withRows = Object.entries(out.results!).filter(([, r]) => r.length > 0).map(([k]) => k.split(':')[1]).sort();
    // Every one of the dataset's 11 collections is in the result (as in Fides, where employee and
    // report come back empty for this customer); 9 of them hold customer-1's rows.
    expect(Object.keys(out.results!)).toHaveLength(11);
    expect(withRows).toEqual(['address', 'customer', 'login', 'order_item', 'orders', 'payment_card', 'product', 'service_request', 'visit']);
    expect(out.results!['postgres_example_test_dataset:payment_card']!.map((r) => r.id)).toEqual(['pay_aaa-aaa']);
    expect(out.results!['postgres_example_test_dataset:login']).toHaveLength(6);
    expect(out.results!['postgres_example_test_dataset:customer']!.map((r) => r.email)).toEqual(['customer-1@example.com']);
    expect(out.results!['postgres_example_test_dataset:visit']!.map((r) => r.email)).toEqual(['customer-1@example.com']);
    // Orders ship to each other's homes: customer-1's home (1) also receives customer-2's order and
    // customer-2's home (2) receives one of customer-1's orders. Both are listed for review (shared),
    // never erased automatically. (The dataset does not map orders.payment_card_id, so the card on
    // another customer's order is not reached through it.)
    const review = out.review.map((r) => `${r.collection.split(':')[1]}:${JSON.stringify(r.primaryKey)}`);
    expect(review).toContain('address:{"id":1}');
    expect(review).toContain('address:{"id":2}');
  });

  it('erasing user.name for customer-1 nulls customer.name for that customer only', async () => {
    const out = await run('delete_pii', 'customer-1@example.com', ['user.name']);
    expect(out.errors).toEqual([]);
    expect(await rows('SELECT id, name FROM customer ORDER BY id')).toEqual([
      { id: 1, name: null }, { id: 2, name: 'Jill Customer' }, { id: 3, name: 'Jane Customer' },
    ]);
    expect(await rows('SELECT email FROM customer WHERE id = 1')).toEqual([{ email: 'customer-1@example.com' }]);
  });

  it('erasing user.contact for customer-2 nulls that email, keeps the name and every other email', async () => {
    const out = await run('delete_pii', 'customer-2@example.com', ['user.contact']);
    expect(out.errors).toEqual([]);
    expect(await rows('SELECT id, email, name FROM customer ORDER BY id')).toEqual([
      { id: 1, email: 'customer-1@example.com', name: null },
      { id: 2, email: null, name: 'Jill Customer' },
      { id: 3, email: 'jane@example.com', name: 'Jane Customer' },
    ]);
  });

  it('erasing user.financial for customer-1 nulls that customer\'s card number, code and name', async () => {
    const out = await run('delete_pii', 'customer-1@example.com', ['user.financial']);
    expect(out.errors).toEqual([]);
    expect(await rows("SELECT id, name, ccn, code FROM payment_card ORDER BY id")).toEqual([
      { id: 'pay_aaa-aaa', name: null, ccn: null, code: null },
      { id: 'pay_bbb-bbb', name: 'Example Card 2', ccn: 987654321, code: 123 },
      { id: 'pay_ccc-ccc', name: 'Example Card 3', ccn: 373719391, code: 222 },
    ]);
  });
});
