// Shop 6, nested JSON: customers.profile (PostgreSQL jsonb, SQLite JSON text) holds the name and
// the address city next to keys that are not personal (tier, preferences, the postal code is not
// mapped); orders.delivery holds the recipient's name two levels down. The data map declares the
// personal keys as nested fields: { name: 'profile', fields: [{ name: 'name', ... },
// { name: 'address', fields: [{ name: 'city', ... }] }] }.
import { parseDataMap } from '../../../shared/domain/datamap';
import { ownerBy, type ShopDef } from './types';

const CUSTOMER: Record<number, string> = { 1: 'mia', 2: 'noah' };

export const MIA_PROFILE = {
  name: 'Mia Roth',
  address: { city: 'Leipzig', zip: '04109' },
  preferences: { newsletter: true, theme: 'dark' },
  tier: 'gold',
};
export const NOAH_PROFILE = {
  name: 'Noah Berg',
  address: { city: 'Leipzig', zip: '04103' },
  preferences: { theme: 'light' },
  tier: 'silver',
};

export function nestedJsonShop(): ShopDef {
  return {
    name: 'nested JSON',
    people: [
      { id: 'mia', name: 'Mia Roth', emails: ['mia.roth@example.com'] },
      { id: 'noah', name: 'Noah Berg', emails: ['noah.berg@example.com'] },
    ],
    systems: [{
      name: 'crm',
      dataset: 'json_crm',
      tables: [
        {
          name: 'customers', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text' }, { name: 'profile', type: 'json' }, { name: 'updated_at', type: 'text', notNull: true }],
          rows: [
            { id: 1, email: 'mia.roth@example.com', profile: MIA_PROFILE, updated_at: '2024-05-01' },
            { id: 2, email: 'noah.berg@example.com', profile: NOAH_PROFILE, updated_at: '2024-05-02' },
          ],
        },
        {
          name: 'orders', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'customer_id', type: 'int', notNull: true }, { name: 'delivery', type: 'json' }],
          rows: [
            { id: 100, customer_id: 1, delivery: { recipient: { name: 'Mia Roth', floor: 3 }, window: 'am' } },
            { id: 101, customer_id: 2, delivery: { recipient: { name: 'Noah Berg', floor: 1 }, window: 'pm' } },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'json_crm',
        collections: [
          {
            name: 'customers', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              {
                name: 'profile',
                fields: [
                  { name: 'name', categories: ['user.name'] },
                  { name: 'address', fields: [{ name: 'city', categories: ['user.contact.address.city'] }] },
                ],
              },
              { name: 'updated_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'orders', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'customer_id', categories: ['system.operations'], references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
              { name: 'delivery', fields: [{ name: 'recipient', fields: [{ name: 'name', categories: ['user.name'] }] }] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => ownerBy(CUSTOMER, table === 'customers' ? row.id : row.customer_id),
    personal: {
      'crm.customers': [
        { path: 'email', category: 'user.contact.email' },
        { path: 'profile.name', category: 'user.name' },
        { path: 'profile.address.city', category: 'user.contact.address.city' },
      ],
      'crm.orders': [{ path: 'delivery.recipient.name', category: 'user.name' }],
    },
  };
}
