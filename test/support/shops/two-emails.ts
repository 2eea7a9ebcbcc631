// Shop 9, a person with two emails: customers.email and customers.alt_email are both identity
// email. Ivy's tickets and newsletter row use either address; Kai's work address shares Ivy's alt
// email's domain; Jon is someone else.
import { parseDataMap } from '../../../shared/domain/datamap';
import { ownerBy, type ShopDef } from './types';

const CUSTOMER: Record<number, string> = { 1: 'ivy', 2: 'jon', 3: 'kai' };
const TICKET: Record<number, string> = { 70: 'ivy', 71: 'ivy', 72: 'kai', 73: 'jon' };
const EMAIL: Record<string, string> = { 'ivy.chen@example.com': 'ivy', 'ivy@chenfamily.org': 'ivy', 'jon.chen@example.com': 'jon', 'kai@chenfamily.org': 'kai', 'kai.chen@example.com': 'kai' };

export function twoEmailsShop(): ShopDef {
  return {
    name: 'two emails',
    people: [
      { id: 'ivy', name: 'Ivy Chen', emails: ['ivy.chen@example.com', 'ivy@chenfamily.org'], phones: ['+14155550190'] },
      { id: 'jon', name: 'Jon Chen', emails: ['jon.chen@example.com'] },
      { id: 'kai', name: 'Kai Chen', emails: ['kai@chenfamily.org', 'kai.chen@example.com'] },
    ],
    systems: [{
      name: 'desk',
      dataset: 'help_desk',
      tables: [
        {
          name: 'customers', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'alt_email', type: 'text' }, { name: 'full_name', type: 'text' }, { name: 'phone', type: 'text' }],
          rows: [
            { id: 1, email: 'ivy.chen@example.com', alt_email: 'Ivy@ChenFamily.org', full_name: 'Ivy Chen', phone: '415 555 0190' },
            { id: 2, email: 'jon.chen@example.com', alt_email: null, full_name: 'Jon Chen', phone: null },
            { id: 3, email: 'kai@chenfamily.org', alt_email: 'kai.chen@example.com', full_name: 'Kai Chen', phone: null },
          ],
        },
        {
          name: 'support_tickets', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'subject', type: 'text', notNull: true }, { name: 'body', type: 'text' }],
          rows: [
            { id: 70, email: 'ivy.chen@example.com', subject: 'Refund', body: 'Please refund order 80. Ivy' },
            { id: 71, email: 'IVY@chenfamily.org', subject: 'New address', body: 'We moved, Ivy Chen' },
            { id: 72, email: 'kai@chenfamily.org', subject: 'Invoice', body: 'Kai here' },
            { id: 73, email: 'jon.chen@example.com', subject: 'Hello', body: 'Jon' },
          ],
        },
        {
          name: 'newsletter', primaryKey: ['email'],
          columns: [{ name: 'email', type: 'text', notNull: true }, { name: 'opted_in_at', type: 'text', notNull: true }],
          rows: [
            { email: 'ivy@chenfamily.org', opted_in_at: '2024-01-01' },
            { email: 'kai@chenfamily.org', opted_in_at: '2024-01-02' },
            { email: 'jon.chen@example.com', opted_in_at: '2024-01-03' },
          ],
        },
        {
          name: 'orders', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'customer_id', type: 'int', notNull: true }, { name: 'ship_name', type: 'text' }],
          rows: [
            { id: 80, customer_id: 1, ship_name: 'Ivy Chen' },
            { id: 81, customer_id: 2, ship_name: 'Jon Chen' },
            { id: 82, customer_id: 3, ship_name: 'Kai Chen' },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'help_desk',
        collections: [
          {
            name: 'customers', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'alt_email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'full_name', categories: ['user.name'] },
              { name: 'phone', categories: ['user.contact.phone_number'], identity: 'phone' },
            ],
          },
          {
            name: 'support_tickets', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'subject', categories: ['system.operations'] },
              { name: 'body', categories: ['user.content'] },
            ],
          },
          {
            name: 'newsletter', erasure: 'delete',
            fields: [
              { name: 'email', primaryKey: true, categories: ['user.contact.email'], identity: 'email' },
              { name: 'opted_in_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'orders', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'customer_id', categories: ['system.operations'], references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
              { name: 'ship_name', categories: ['user.name'] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => {
      if (table === 'customers') return ownerBy(CUSTOMER, row.id);
      if (table === 'support_tickets') return ownerBy(TICKET, row.id);
      if (table === 'orders') return ownerBy(CUSTOMER, row.customer_id);
      return ownerBy(EMAIL, String(row.email).trim().toLowerCase());
    },
    personal: {
      'desk.customers': [
        { path: 'email', category: 'user.contact.email' }, { path: 'alt_email', category: 'user.contact.email' },
        { path: 'full_name', category: 'user.name' }, { path: 'phone', category: 'user.contact.phone_number' },
      ],
      'desk.support_tickets': [{ path: 'email', category: 'user.contact.email' }, { path: 'body', category: 'user.content' }],
      'desk.newsletter': [{ path: 'email', category: 'user.contact.email' }],
      'desk.orders': [{ path: 'ship_name', category: 'user.name' }],
    },
  };
}
