// The ownership rules (shared/domain/ownership.ts), pure: rows and links in, one verdict per row
// out. The walk (shared/app/datamap/find-system.ts) and the exact-erasure suite use them over real
// stores; here each rule is shown on its own.
import { describe, expect, it } from 'vitest';
import { parseDataMap, type DataMapCollection } from '../../../shared/domain/datamap';
import { decideOwnership, identityVerdict, type OwnershipInput, type OwnershipLink, type SubjectIdentities } from '../../../shared/domain/ownership';

const MAP = parseDataMap({
  dataset: 'shop',
  collections: [
    { name: 'customers', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] },
      { name: 'referred_by', references: [{ collection: 'customers', field: 'id' }] },
      { name: 'address_id', references: [{ collection: 'addresses', field: 'id' }] }] },
    { name: 'orders', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: [{ collection: 'customers', field: 'id' }] }] },
    { name: 'addresses', fields: [
      { name: 'id', primaryKey: true }, { name: 'street', addressPart: 'line1', categories: ['user.contact.address.street'] },
      { name: 'unit', addressPart: 'line2', categories: ['user.contact.address.street'] },
      { name: 'city', addressPart: 'city', categories: ['user.contact.address.city'] },
      { name: 'state', addressPart: 'state', categories: ['user.contact.address.state'] },
      { name: 'zip', addressPart: 'postalCode', categories: ['user.contact.address.postal_code'] },
      { name: 'country', addressPart: 'country', categories: ['user.contact.address.country'] }] },
  ],
});
const coll = (name: string): DataMapCollection => MAP.collections.find((c) => c.name === name)!;
const LINKS: OwnershipLink[] = [
  { child: { collection: 'customers', field: 'referred_by' }, parent: { collection: 'customers', field: 'id' } },
  { child: { collection: 'customers', field: 'address_id' }, parent: { collection: 'addresses', field: 'id' } },
  { child: { collection: 'orders', field: 'customer_id' }, parent: { collection: 'customers', field: 'id' } },
];
const ANN: SubjectIdentities = { emails: new Set(['ann@example.com']), phones: new Set(), addresses: [], custom: new Map() };
const ELM = { street: '1 Elm St', unit: '', city: 'Springfield', state: 'IL', zip: '12345', country: 'US' };

function input(collection: string, row: Record<string, unknown>, s: SubjectIdentities = ANN): OwnershipInput {
  return { collection, id: String(row.id), row, verdict: identityVerdict(coll(collection), row, s) };
}
async function owners(rows: OwnershipInput[]): Promise<Record<string, string>> {
  const v = await decideOwnership(rows, LINKS);
  return Object.fromEntries(rows.map((r) => { const o = v.get(`${r.collection}\u0000${r.id}`)!; return [`${r.collection}:${r.id}`, o.owner]; }));
}

describe('identity verdicts', () => {
  it('the subject by a normalised email or phone; another person by their own value; nobody without one', () => {
    const s: SubjectIdentities = { ...ANN, phones: new Set(['+14155550101']) };
    expect(identityVerdict(coll('customers'), { id: 1, email: ' ANN@example.com ' }, s)).toEqual({ kind: 'subject', via: 'identity:email' });
    expect(identityVerdict(coll('customers'), { id: 1, email: null, phone: '(415) 555-0101' }, s)).toEqual({ kind: 'subject', via: 'identity:phone' });
    expect(identityVerdict(coll('customers'), { id: 2, email: 'bob@example.com' }, s)).toEqual({ kind: 'other', field: 'email', identity: 'email' });
    expect(identityVerdict(coll('orders'), { id: 9, customer_id: 1 }, s)).toEqual({ kind: 'none' });
  });

  it('a full address group matches by address; a row naming someone else at that address is a conflict', () => {
    const s: SubjectIdentities = { ...ANN, addresses: [{ line1: '1 elm st', city: 'springfield', state: 'il', postalCode: '12345', country: 'US' }] };
    expect(identityVerdict(coll('addresses'), { id: 5, ...ELM }, s)).toEqual({ kind: 'address', person: null, conflict: false });
    expect(identityVerdict(coll('addresses'), { id: 6, ...ELM, street: '2 Oak Ave' }, s)).toEqual({ kind: 'none' });
  });
});

describe('ownership from the graph', () => {
  it('an order belongs to the customer it references: Ann\'s order is hers, Bob\'s is his', async () => {
    expect(await owners([
      input('customers', { id: 1, email: 'ann@example.com' }), input('customers', { id: 2, email: 'bob@example.com' }),
      input('orders', { id: 10, customer_id: 1 }), input('orders', { id: 11, customer_id: 2 }),
    ])).toEqual({ 'customers:1': 'subject', 'customers:2': 'other', 'orders:10': 'subject', 'orders:11': 'other' });
  });

  it('an address referenced by Ann and by Bob is shared; referenced by Ann alone it is hers', async () => {
    expect(await owners([
      input('customers', { id: 1, email: 'ann@example.com', address_id: 5 }), input('customers', { id: 2, email: 'bob@example.com', address_id: 5 }),
      input('addresses', { id: 5, ...ELM }),
    ])).toMatchObject({ 'addresses:5': 'shared' });
    expect(await owners([
      input('customers', { id: 1, email: 'ann@example.com', address_id: 5 }), input('addresses', { id: 5, ...ELM }),
    ])).toMatchObject({ 'addresses:5': 'subject' });
  });

  it('a referral either way changes nobody\'s row: Bob referred by Ann stays Bob\'s, Ann stays hers alone', async () => {
    const v = await owners([
      input('customers', { id: 1, email: 'ann@example.com', referred_by: 2 }), input('customers', { id: 2, email: 'bob@example.com', referred_by: 1 }),
    ]);
    expect(v).toEqual({ 'customers:1': 'subject', 'customers:2': 'other' });
  });

  it('a row reached from another dataset by the subject\'s own values is anchored to the subject', async () => {
    const orphan = { ...input('orders', { id: 12, customer_id: 99 }), external: true };
    expect(await owners([orphan])).toEqual({ 'orders:12': 'subject' });
    expect(await owners([input('orders', { id: 12, customer_id: 99 })])).toEqual({ 'orders:12': 'other' });
  });

  it('the reason of a shared row names the other person\'s row', async () => {
    const rows = [
      input('customers', { id: 1, email: 'ann@example.com', address_id: 5 }), input('customers', { id: 2, email: 'bob@example.com', address_id: 5 }),
      input('addresses', { id: 5, ...ELM }),
    ];
    const v = await decideOwnership(rows, LINKS);
    const o = v.get('addresses\u00005')!;
    expect(o.owner).toBe('shared');
    expect(o.owner === 'shared' ? o.reason : '').toMatch(/another person's customers row/u);
  });
});
