// Shop 1, self-reference: customers.referred_by -> customers.id. Bob was referred by Ann, Cleo by
// Bob; Dan by nobody. Each has orders and (but Dan) a subscription. A walk that follows
// referred_by as if the referrer's row were the subject's erases Ann when Bob asks; a walk that
// takes "someone else's row points at mine" as "my row is shared" misses Ann's own orders.
// `direction`: the reference as a Fides map usually writes a foreign key ("to": from referred_by
// to the referrer) or without a direction (both ways).
import { parseDataMap } from '../../../shared/domain/datamap';
import { ownerBy, type ShopDef } from './types';

export const SELF_REF_PEOPLE = {
  ann: { id: 'ann', name: 'Ann Lee', emails: ['ann.lee@example.com'], phones: ['+14155550101'] },
  bob: { id: 'bob', name: 'Bob Ray', emails: ['bob.ray@example.com'], phones: ['+14155550102'] },
  cleo: { id: 'cleo', name: 'Cleo Park', emails: ['cleo.park@example.com'] },
  dan: { id: 'dan', name: 'Dan Wu', emails: ['dan.wu@example.org'] },
};
const CUSTOMER: Record<number, string> = { 1: 'ann', 2: 'bob', 3: 'cleo', 4: 'dan' };

export function selfReferenceShop(direction: 'to' | 'both'): ShopDef {
  const ref = direction === 'to' ? { collection: 'customers', field: 'id', direction: 'to' as const } : { collection: 'customers', field: 'id' };
  return {
    name: `self-reference (${direction})`,
    people: Object.values(SELF_REF_PEOPLE),
    systems: [{
      name: 'shop',
      dataset: 'referral_shop',
      tables: [
        {
          name: 'customers', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'first_name', type: 'text' }, { name: 'last_name', type: 'text' },
            { name: 'phone', type: 'text' }, { name: 'referred_by', type: 'int' }],
          rows: [
            { id: 1, email: 'ann.lee@example.com', first_name: 'Ann', last_name: 'Lee', phone: '+1 415 555 0101', referred_by: null },
            { id: 2, email: 'Bob.Ray@example.com', first_name: 'Bob', last_name: 'Ray', phone: '(415) 555-0102', referred_by: 1 },
            { id: 3, email: 'cleo.park@example.com', first_name: 'Cleo', last_name: 'Park', phone: null, referred_by: 2 },
            { id: 4, email: 'dan.wu@example.org', first_name: 'Dan', last_name: 'Wu', phone: null, referred_by: null },
          ],
        },
        {
          name: 'orders', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'customer_id', type: 'int', notNull: true }, { name: 'ship_name', type: 'text' }, { name: 'ship_note', type: 'text' }, { name: 'total_cents', type: 'int', notNull: true }],
          rows: [
            { id: 100, customer_id: 1, ship_name: 'Ann Lee', ship_note: 'leave at the door', total_cents: 2500 },
            { id: 101, customer_id: 1, ship_name: 'Ann Lee', ship_note: null, total_cents: 1200 },
            { id: 102, customer_id: 2, ship_name: 'Bob Ray', ship_note: 'ring twice', total_cents: 900 },
            { id: 103, customer_id: 3, ship_name: 'Cleo Park', ship_note: null, total_cents: 4000 },
            { id: 104, customer_id: 4, ship_name: 'Dan Wu', ship_note: 'back porch', total_cents: 300 },
          ],
        },
        {
          name: 'subscriptions', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'customer_id', type: 'int', notNull: true }, { name: 'plan', type: 'text', notNull: true }, { name: 'card_holder', type: 'text' }, { name: 'renews_on', type: 'text' }],
          rows: [
            { id: 20, customer_id: 1, plan: 'gold', card_holder: 'ANN LEE', renews_on: '2027-01-01' },
            { id: 21, customer_id: 2, plan: 'basic', card_holder: 'BOB RAY', renews_on: '2027-02-01' },
            { id: 22, customer_id: 3, plan: 'basic', card_holder: 'CLEO PARK', renews_on: '2027-03-01' },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'referral_shop',
        collections: [
          {
            name: 'customers', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'first_name', categories: ['user.name'] },
              { name: 'last_name', categories: ['user.name'] },
              { name: 'phone', categories: ['user.contact.phone_number'], identity: 'phone' },
              { name: 'referred_by', categories: ['system.operations'], references: [ref] },
            ],
          },
          {
            name: 'orders', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'customer_id', categories: ['system.operations'], references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
              { name: 'ship_name', categories: ['user.name'] },
              { name: 'ship_note', categories: ['user.content'] },
              { name: 'total_cents', categories: ['system.operations'] },
            ],
          },
          {
            name: 'subscriptions', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'customer_id', categories: ['system.operations'], references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
              { name: 'plan', categories: ['system.operations'] },
              { name: 'card_holder', categories: ['user.financial'] },
              { name: 'renews_on', categories: ['system.operations'] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => ownerBy(CUSTOMER, table === 'customers' ? row.id : row.customer_id),
    personal: {
      'shop.customers': [
        { path: 'email', category: 'user.contact.email' }, { path: 'first_name', category: 'user.name' },
        { path: 'last_name', category: 'user.name' }, { path: 'phone', category: 'user.contact.phone_number' },
      ],
      'shop.orders': [{ path: 'ship_name', category: 'user.name' }, { path: 'ship_note', category: 'user.content' }],
      'shop.subscriptions': [{ path: 'card_holder', category: 'user.financial' }],
    },
  };
}
