// Shop 8, partial addresses. `addresses` and `catalog_requests` map all six parts of an address
// group (address, address2, city, state, postal, country - Amperity's column names); store_pickups
// maps only city + postal and regional_leads only state + country. Everyone lives at 12 Oak St,
// Springfield IL 62701: Dan and Eve share Apt 4 (address 10), Frank has Apt 5 (11), Gina's Apt 4 is
// in another country (12). Hank and Ivy have only partial addresses. A request gives an email and
// a full address.
import { parseDataMap } from '../../../shared/domain/datamap';
import type { Address } from '../../../shared/domain/identity';
import { ownerBy, type ShopDef } from './types';

export const DAN_ADDRESS: Address = { line1: '12 Oak St', line2: 'Apt 4', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
export const FRANK_ADDRESS: Address = { line1: '12 Oak St', line2: 'Apt 5', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };

const CUSTOMER: Record<number, string> = { 1: 'dan', 2: 'eve', 3: 'frank', 4: 'gina', 5: 'hank' };
const CATALOG: Record<number, string> = { 30: 'dan', 31: 'frank', 33: 'gina', 34: 'eve' };
const PICKUP: Record<number, string> = { 40: 'hank', 41: 'ivy' };
const LEAD: Record<number, string> = { 50: 'hank', 51: 'ivy' };

const addrCols = [
  { name: 'address', type: 'text' as const }, { name: 'address2', type: 'text' as const }, { name: 'city', type: 'text' as const },
  { name: 'state', type: 'text' as const }, { name: 'postal', type: 'text' as const }, { name: 'country', type: 'text' as const },
];
const addrFields = [
  { name: 'address', categories: ['user.contact.address.street'], addressPart: 'line1' },
  { name: 'address2', categories: ['user.contact.address.street'], addressPart: 'line2' },
  { name: 'city', categories: ['user.contact.address.city'], addressPart: 'city' },
  { name: 'state', categories: ['user.contact.address.state'], addressPart: 'state' },
  { name: 'postal', categories: ['user.contact.address.postal_code'], addressPart: 'postalCode' },
  { name: 'country', categories: ['user.contact.address.country'], addressPart: 'country' },
];
const addrPersonal = [
  { path: 'address', category: 'user.contact.address.street' }, { path: 'address2', category: 'user.contact.address.street' },
  { path: 'city', category: 'user.contact.address.city' }, { path: 'postal', category: 'user.contact.address.postal_code' },
];

export function partialAddressShop(): ShopDef {
  const oak = { address: '12 Oak St', city: 'Springfield', state: 'IL', postal: '62701', country: 'US' };
  return {
    name: 'partial addresses',
    people: [
      { id: 'dan', name: 'Dan Ruiz', emails: ['dan.ruiz@example.com'] },
      { id: 'eve', name: 'Eve Park', emails: ['eve.park@example.com'] },
      { id: 'frank', name: 'Frank Ode', emails: ['frank.ode@example.com'] },
      { id: 'gina', name: 'Gina Sato', emails: ['gina.sato@example.com'] },
      { id: 'hank', name: 'Hank Mo', emails: ['hank.mo@example.com'] },
      { id: 'ivy', name: 'Ivy Chen', emails: [] },
    ],
    systems: [{
      name: 'shop',
      dataset: 'addr_shop',
      tables: [
        {
          name: 'customers', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'full_name', type: 'text' }, { name: 'address_id', type: 'int' }],
          rows: [
            { id: 1, email: 'dan.ruiz@example.com', full_name: 'Dan Ruiz', address_id: 10 },
            { id: 2, email: 'eve.park@example.com', full_name: 'Eve Park', address_id: 10 },
            { id: 3, email: 'frank.ode@example.com', full_name: 'Frank Ode', address_id: 11 },
            { id: 4, email: 'gina.sato@example.com', full_name: 'Gina Sato', address_id: 12 },
            { id: 5, email: 'hank.mo@example.com', full_name: 'Hank Mo', address_id: null },
          ],
        },
        {
          name: 'addresses', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, ...addrCols],
          rows: [
            { id: 10, ...oak, address2: 'Apt 4' },
            { id: 11, ...oak, address2: 'Apt 5' },
            { id: 12, ...oak, address2: 'Apt 4', country: 'CA' },
          ],
        },
        {
          name: 'catalog_requests', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'recipient', type: 'text' }, ...addrCols, { name: 'requested_at', type: 'text', notNull: true }],
          rows: [
            // Dan's own, typed differently: matches his address once normalised
            { id: 30, recipient: 'Dan Ruiz', address: '12  OAK ST ', address2: 'apt 4', city: 'springfield', state: 'il', postal: '62701', country: 'us', requested_at: '2024-01-10' },
            { id: 31, recipient: 'Frank Ode', ...oak, address2: 'Apt 5', requested_at: '2024-01-11' },
            // no apartment: not Dan's (nor anyone's in particular)
            { id: 32, recipient: 'Current Resident', ...oak, address2: null, requested_at: '2024-01-12' },
            { id: 33, recipient: 'Gina Sato', ...oak, address2: 'Apt 4', country: 'CA', requested_at: '2024-01-13' },
            // Eve's, at the address she shares with Dan
            { id: 34, recipient: 'Eve Park', ...oak, address2: 'Apt 4', requested_at: '2024-01-14' },
          ],
        },
        {
          name: 'store_pickups', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'pickup_name', type: 'text' }, { name: 'city', type: 'text' }, { name: 'postal', type: 'text' }, { name: 'picked_up_at', type: 'text', notNull: true }],
          rows: [
            { id: 40, pickup_name: 'Hank Mo', city: 'Springfield', postal: '62701', picked_up_at: '2024-02-01' },
            { id: 41, pickup_name: 'Ivy Chen', city: 'Springfield', postal: '62701', picked_up_at: '2024-02-02' },
          ],
        },
        {
          name: 'regional_leads', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'lead_name', type: 'text' }, { name: 'state', type: 'text' }, { name: 'country', type: 'text' }],
          rows: [
            { id: 50, lead_name: 'Hank Mo', state: 'IL', country: 'US' },
            { id: 51, lead_name: 'Ivy Chen', state: 'IL', country: 'US' },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'addr_shop',
        collections: [
          {
            name: 'customers', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'full_name', categories: ['user.name'] },
              { name: 'address_id', categories: ['system.operations'], references: [{ collection: 'addresses', field: 'id', direction: 'to' }] },
            ],
          },
          { name: 'addresses', erasure: 'mask', fields: [{ name: 'id', primaryKey: true, categories: ['system.operations'] }, ...addrFields] },
          {
            name: 'catalog_requests', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'recipient', categories: ['user.name'] },
              ...addrFields,
              { name: 'requested_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'store_pickups', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'pickup_name', categories: ['user.name'] },
              { name: 'city', categories: ['user.contact.address.city'], addressPart: 'city' },
              { name: 'postal', categories: ['user.contact.address.postal_code'], addressPart: 'postalCode' },
              { name: 'picked_up_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'regional_leads', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'lead_name', categories: ['user.name'] },
              { name: 'state', categories: ['user.contact.address.state'], addressPart: 'state' },
              { name: 'country', categories: ['user.contact.address.country'], addressPart: 'country' },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => {
      switch (table) {
        case 'customers': return ownerBy(CUSTOMER, row.id);
        case 'addresses': return row.id === 10 ? ['dan', 'eve'] : row.id === 11 ? ['frank'] : row.id === 12 ? ['gina'] : [];
        case 'catalog_requests': return ownerBy(CATALOG, row.id);
        case 'store_pickups': return ownerBy(PICKUP, row.id);
        case 'regional_leads': return ownerBy(LEAD, row.id);
        default: return [];
      }
    },
    personal: {
      'shop.customers': [{ path: 'email', category: 'user.contact.email' }, { path: 'full_name', category: 'user.name' }],
      'shop.addresses': addrPersonal,
      'shop.catalog_requests': [{ path: 'recipient', category: 'user.name' }, ...addrPersonal],
      'shop.store_pickups': [{ path: 'pickup_name', category: 'user.name' }, { path: 'city', category: 'user.contact.address.city' }, { path: 'postal', category: 'user.contact.address.postal_code' }],
      'shop.regional_leads': [{ path: 'lead_name', category: 'user.name' }],
    },
  };
}
