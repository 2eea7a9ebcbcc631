// Generated shops for the property-based invariant test (test/integration/exact-erasure/
// generated-shops.test.ts): from a seed, random people (names that repeat, emails sharing a
// domain or differing by a letter, stored in upper/mixed case, a few phones in assorted formats),
// customers (some people have two accounts), addresses (some shared: two people linked to the same
// home, an order shipped to someone else's address), orders, order items and referrals (random,
// including self-references and cycles, both as customers.referred_by and as a referrals table).
// The generator knows whose every row is: that is the ground truth the invariants check.
// The data map's reference directions and one erasure mode are drawn from the seed as well.
import { parseDataMap } from '../../../shared/domain/datamap';
import type { Person, Row, Scenario, ShopDef } from './types';

/** mulberry32: a small, fast, seeded PRNG (no dependency). */
export class Prng {
  private s: number;
  constructor(seed: number) { this.s = (seed >>> 0) ^ 0x9e3779b9; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]!; }
}

const FIRST = ['ann', 'anne', 'bob', 'jo', 'joan', 'lee', 'mia', 'max', 'sam', 'kim', 'noor', 'eli'];
const LAST = ['lee', 'park', 'smith', 'ng', 'diaz', 'ray', 'ito'];
const DOMAINS = ['example.com', 'example.org', 'mail.test', 'example.co'];
const STREETS = ['Oak St', 'Main St', 'Pine Ave', 'Elm Rd', 'Lake Dr'];
const CITIES = ['Springfield', 'Riverton', 'Fairview', 'Salem'];
const SKUS = ['TEE-S', 'TEE-M', 'MUG', 'CAP', 'SOCKS'];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface Generated {
  shop: ShopDef;
  scenario: Scenario;
  /** One line about what was generated (for failure messages). */
  summary: string;
}

export function generatedShop(seed: number): Generated {
  const rnd = new Prng(seed);
  const people: Person[] = [];
  const seenEmails = new Set<string>();
  const n = rnd.int(6, 9);
  for (let i = 0; i < n; i += 1) {
    const first = rnd.pick(FIRST);
    const last = rnd.pick(LAST);
    let email = `${first}.${last}@${rnd.pick(DOMAINS)}`;
    // emails differing by a letter or a domain happen by chance; identical ones are made unique
    for (let k = 2; seenEmails.has(email); k += 1) email = `${first}.${last}${k}@${rnd.pick(DOMAINS)}`;
    seenEmails.add(email);
    const phone = rnd.chance(0.35) ? `+1415555${String(100 + i).padStart(4, '0')}` : undefined;
    people.push({ id: `p${i}`, name: `${cap(first)} ${cap(last)}`, emails: [email], ...(phone ? { phones: [phone] } : {}) });
  }
  const phoneText = (e164: string) => {
    const d = e164.slice(2);
    return rnd.pick([`(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`, `+1 ${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, d, e164]);
  };
  const emailText = (e: string) => rnd.pick([e, e, e.toUpperCase(), ` ${e}`, e.replace(/^./u, (c) => c.toUpperCase()), e.replace(/@.*/u, (d) => d.toUpperCase())]);

  // customers: one account per person, some a second one (same email in another case)
  const customers: Row[] = [];
  const personOfCustomer = new Map<number, string>();
  for (const p of people) {
    const accounts = rnd.chance(0.2) ? 2 : 1;
    for (let k = 0; k < accounts; k += 1) {
      const id = customers.length + 1;
      const [first, last] = p.name.split(' ');
      customers.push({ id, email: emailText(p.emails[0]!), first_name: first, last_name: last, phone: p.phones && rnd.chance(0.8) ? phoneText(p.phones[0]!) : null, referred_by: null });
      personOfCustomer.set(id, p.id);
    }
  }
  for (const c of customers) if (rnd.chance(0.45)) c.referred_by = rnd.int(1, customers.length); // self-references and cycles included

  // addresses: a home per person, a few spare; some people share a home
  const addresses: Row[] = [];
  for (let i = 0; i < people.length + 2; i += 1) {
    addresses.push({ id: 100 + i, line1: `${rnd.int(1, 999)} ${rnd.pick(STREETS)}`, city: rnd.pick(CITIES), postal_code: String(rnd.int(10000, 99999)), country: 'US' });
  }
  const customerAddresses: Row[] = [];
  const linked = new Map<number, number[]>();
  const link = (customerId: number, addressId: number) => {
    const l = linked.get(customerId) ?? [];
    if (l.includes(addressId)) return;
    l.push(addressId);
    linked.set(customerId, l);
    customerAddresses.push({ customer_id: customerId, address_id: addressId, kind: l.length === 1 ? 'home' : 'other' });
  };
  for (const c of customers) {
    const pi = people.findIndex((p) => p.id === personOfCustomer.get(Number(c.id)));
    link(Number(c.id), rnd.chance(0.25) ? rnd.pick(addresses).id as number : 100 + pi);
    if (rnd.chance(0.3)) link(Number(c.id), rnd.pick(addresses).id as number);
  }

  // orders and items; 20% ship to an address that is not the customer's own
  const orders: Row[] = [];
  const items: Row[] = [];
  let note = 0;
  for (const c of customers) {
    const mine = linked.get(Number(c.id)) ?? [];
    for (let k = rnd.int(0, 3); k > 0; k -= 1) {
      const id = 1000 + orders.length;
      const ship = rnd.chance(0.2) || !mine.length ? rnd.pick(addresses).id : rnd.pick(mine);
      orders.push({ id, customer_id: c.id, shipping_address_id: ship, ship_name: `${String(c.first_name)} ${String(c.last_name)}`, gift_note: rnd.chance(0.4) ? `note-${seed}-${(note += 1)}` : null, total_cents: rnd.int(100, 9000) });
      for (let j = rnd.int(1, 3); j > 0; j -= 1) {
        items.push({ id: 5000 + items.length, order_id: id, sku: rnd.pick(SKUS), qty: rnd.int(1, 4), engraving: rnd.chance(0.3) ? `engr-${seed}-${(note += 1)}` : null });
      }
    }
  }

  // referrals: random pairs, some self-referrals, some answered the other way round (cycles)
  const referrals: Row[] = [];
  for (let k = rnd.int(0, 6); k > 0; k -= 1) {
    const a = rnd.int(1, customers.length);
    const b = rnd.chance(0.2) ? a : rnd.int(1, customers.length);
    referrals.push({ id: 700 + referrals.length, referrer_id: a, referred_id: b, note: rnd.chance(0.7) ? `ref-${seed}-${(note += 1)}` : null });
    if (a !== b && rnd.chance(0.3)) referrals.push({ id: 700 + referrals.length, referrer_id: b, referred_id: a, note: `ref-${seed}-${(note += 1)}` });
  }

  // ground truth
  const ofCustomer = (id: unknown) => { const p = personOfCustomer.get(Number(id)); return p ? [p] : []; };
  const orderCustomer = new Map(orders.map((o) => [Number(o.id), Number(o.customer_id)]));
  const addressOwners = new Map<number, Set<string>>();
  const own = (addressId: unknown, p: string | undefined) => {
    if (!p) return;
    const s = addressOwners.get(Number(addressId)) ?? new Set<string>();
    s.add(p);
    addressOwners.set(Number(addressId), s);
  };
  for (const ca of customerAddresses) own(ca.address_id, personOfCustomer.get(Number(ca.customer_id)));
  for (const o of orders) own(o.shipping_address_id, personOfCustomer.get(Number(o.customer_id)));

  const refByDir = rnd.pick(['to', undefined] as const);
  const referralDir = rnd.pick(['from', undefined] as const);
  const itemsErasure = rnd.pick(['mask', 'delete'] as const);
  const withDir = <T extends object>(r: T, d: 'to' | 'from' | undefined) => (d ? { ...r, direction: d } : r);

  const subject = rnd.pick(people);
  const identities: Scenario['identities'] = { email: rnd.pick([subject.emails[0]!, subject.emails[0]!.toUpperCase(), ` ${subject.emails[0]!} `]) };
  if (subject.phones && rnd.chance(0.4)) identities.phone = phoneText(subject.phones[0]!);

  const shop: ShopDef = {
    name: `generated #${seed}`,
    people,
    systems: [{
      name: 'gen',
      dataset: 'gen_shop',
      tables: [
        {
          name: 'customers', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'first_name', type: 'text' }, { name: 'last_name', type: 'text' }, { name: 'phone', type: 'text' }, { name: 'referred_by', type: 'int' }],
          rows: customers,
        },
        {
          name: 'addresses', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'line1', type: 'text', notNull: true }, { name: 'city', type: 'text', notNull: true }, { name: 'postal_code', type: 'varchar(10)', notNull: true }, { name: 'country', type: 'varchar(2)', notNull: true }],
          rows: addresses,
        },
        {
          name: 'customer_addresses', primaryKey: ['customer_id', 'address_id'],
          columns: [{ name: 'customer_id', type: 'int', notNull: true }, { name: 'address_id', type: 'int', notNull: true }, { name: 'kind', type: 'text', notNull: true }],
          rows: customerAddresses,
        },
        {
          name: 'orders', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'customer_id', type: 'int', notNull: true }, { name: 'shipping_address_id', type: 'int' }, { name: 'ship_name', type: 'text' }, { name: 'gift_note', type: 'text' }, { name: 'total_cents', type: 'int', notNull: true }],
          rows: orders,
        },
        {
          name: 'order_items', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'order_id', type: 'int', notNull: true }, { name: 'sku', type: 'text', notNull: true }, { name: 'qty', type: 'int', notNull: true }, { name: 'engraving', type: 'text' }],
          rows: items,
        },
        {
          name: 'referrals', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'referrer_id', type: 'int', notNull: true }, { name: 'referred_id', type: 'int', notNull: true }, { name: 'note', type: 'text' }],
          rows: referrals,
        },
      ],
      map: () => parseDataMap({
        dataset: 'gen_shop',
        collections: [
          {
            name: 'customers', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'first_name', categories: ['user.name'] },
              { name: 'last_name', categories: ['user.name'] },
              { name: 'phone', categories: ['user.contact.phone_number'], identity: 'phone' },
              { name: 'referred_by', categories: ['system.operations'], references: [withDir({ collection: 'customers', field: 'id' }, refByDir)] },
            ],
          },
          {
            name: 'addresses', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'line1', categories: ['user.contact.address.street'], addressPart: 'line1' },
              { name: 'city', categories: ['user.contact.address.city'], addressPart: 'city' },
              { name: 'postal_code', categories: ['user.contact.address.postal_code'], addressPart: 'postalCode' },
              { name: 'country', categories: ['user.contact.address.country'], addressPart: 'country' },
            ],
          },
          {
            name: 'customer_addresses', erasure: 'delete',
            fields: [
              { name: 'customer_id', primaryKey: true, categories: ['system.operations'], references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
              { name: 'address_id', primaryKey: true, categories: ['system.operations'], references: [{ collection: 'addresses', field: 'id', direction: 'to' }] },
              { name: 'kind', categories: ['system.operations'] },
            ],
          },
          {
            name: 'orders', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'customer_id', categories: ['system.operations'], references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
              { name: 'shipping_address_id', categories: ['system.operations'], references: [{ collection: 'addresses', field: 'id', direction: 'to' }] },
              { name: 'ship_name', categories: ['user.name'] },
              { name: 'gift_note', categories: ['user.content'] },
              { name: 'total_cents', categories: ['system.operations'] },
            ],
          },
          {
            name: 'order_items', erasure: itemsErasure,
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'order_id', categories: ['system.operations'], references: [{ collection: 'orders', field: 'id', direction: 'from' }] },
              { name: 'sku', categories: ['system.operations'] },
              { name: 'qty', categories: ['system.operations'] },
              { name: 'engraving', categories: ['user.content'] },
            ],
          },
          {
            name: 'referrals', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'referrer_id', categories: ['system.operations'], references: [withDir({ collection: 'customers', field: 'id' }, referralDir)] },
              { name: 'referred_id', categories: ['system.operations'], references: [withDir({ collection: 'customers', field: 'id' }, referralDir)] },
              { name: 'note', categories: ['user.content'] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => {
      switch (table) {
        case 'customers': return ofCustomer(row.id);
        case 'customer_addresses': return ofCustomer(row.customer_id);
        case 'addresses': return [...(addressOwners.get(Number(row.id)) ?? [])].sort();
        case 'orders': return ofCustomer(row.customer_id);
        case 'order_items': return ofCustomer(orderCustomer.get(Number(row.order_id)));
        case 'referrals': return [...new Set([...ofCustomer(row.referrer_id), ...ofCustomer(row.referred_id)])].sort();
        default: return [];
      }
    },
    personal: {
      'gen.customers': [
        { path: 'email', category: 'user.contact.email' }, { path: 'first_name', category: 'user.name' },
        { path: 'last_name', category: 'user.name' }, { path: 'phone', category: 'user.contact.phone_number' },
      ],
      'gen.addresses': [
        { path: 'line1', category: 'user.contact.address.street' }, { path: 'city', category: 'user.contact.address.city' },
        { path: 'postal_code', category: 'user.contact.address.postal_code' },
      ],
      'gen.orders': [{ path: 'ship_name', category: 'user.name' }, { path: 'gift_note', category: 'user.content' }],
      'gen.order_items': [{ path: 'engraving', category: 'user.content' }],
      'gen.referrals': [{ path: 'note', category: 'user.content' }],
    },
  };
  const shared = [...addressOwners.values()].filter((s) => s.size > 1).length;
  const selfRefs = customers.filter((c) => c.referred_by === c.id).length + referrals.filter((r) => r.referrer_id === r.referred_id).length;
  const summary = `seed ${seed}: ${people.length} people, ${customers.length} customers, ${orders.length} orders, ${items.length} items, `
    + `${shared} shared addresses, ${customers.filter((c) => c.referred_by !== null).length} referred_by (${selfRefs} self), ${referrals.length} referrals; `
    + `referred_by ${refByDir ?? 'both ways'}, referrals ${referralDir ?? 'both ways'}, order_items ${itemsErasure}; subject ${subject.id} by ${identities.phone ? 'email + phone' : 'email'}`;
  return { shop, scenario: { title: `seed ${seed}`, type: 'delete', subject: subject.id, identities, strategy: 'exact' }, summary };
}
