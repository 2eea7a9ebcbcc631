// Shop 5, the email as a join key: subscriptions.user_email and email_prefs.user_email (its
// primary key) reference customers.email, the identity. Customers and subscriptions are kept and
// masked on erasure, email_prefs rows are deleted. Ann and Anne share a domain and differ by a
// letter; Bo is someone else.
import { parseDataMap } from '../../../shared/domain/datamap';
import type { ShopDef } from './types';

const EMAIL_OWNER: Record<string, string> = { 'ann@example.com': 'ann', 'anne@example.com': 'anne', 'bo@example.org': 'bo' };
const ID_OWNER: Record<number, string> = { 1: 'ann', 2: 'anne', 3: 'bo', 10: 'ann', 11: 'ann', 12: 'anne', 13: 'bo' };

export function emailJoinKeyShop(): ShopDef {
  return {
    name: 'email as join key',
    people: [
      { id: 'ann', name: 'Ann Ito', emails: ['ann@example.com'] },
      { id: 'anne', name: 'Anne Ito', emails: ['anne@example.com'] },
      { id: 'bo', name: 'Bo Li', emails: ['bo@example.org'] },
    ],
    systems: [{
      name: 'shop',
      dataset: 'email_shop',
      tables: [
        {
          name: 'customers', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'varchar(120)', notNull: true }, { name: 'full_name', type: 'text' }, { name: 'created_at', type: 'text', notNull: true }],
          rows: [
            { id: 1, email: 'ann@example.com', full_name: 'Ann Ito', created_at: '2024-01-01' },
            { id: 2, email: 'anne@example.com', full_name: 'Anne Ito', created_at: '2024-01-02' },
            { id: 3, email: 'bo@example.org', full_name: 'Bo Li', created_at: '2024-01-03' },
          ],
        },
        {
          name: 'subscriptions', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'user_email', type: 'varchar(120)', notNull: true }, { name: 'plan', type: 'text', notNull: true }, { name: 'started_at', type: 'text' }],
          rows: [
            { id: 10, user_email: 'ann@example.com', plan: 'monthly', started_at: '2024-02-01' },
            { id: 11, user_email: 'ann@example.com', plan: 'weekly', started_at: '2024-05-01' },
            { id: 12, user_email: 'anne@example.com', plan: 'monthly', started_at: '2024-02-01' },
            { id: 13, user_email: 'bo@example.org', plan: 'yearly', started_at: '2024-03-01' },
          ],
        },
        {
          name: 'email_prefs', primaryKey: ['user_email'],
          columns: [{ name: 'user_email', type: 'varchar(120)', notNull: true }, { name: 'frequency', type: 'text', notNull: true }],
          rows: [
            { user_email: 'ann@example.com', frequency: 'daily' },
            { user_email: 'anne@example.com', frequency: 'weekly' },
            { user_email: 'bo@example.org', frequency: 'never' },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'email_shop',
        collections: [
          {
            name: 'customers', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'full_name', categories: ['user.name'] },
              { name: 'created_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'subscriptions', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'user_email', categories: ['user.contact.email'], references: [{ collection: 'customers', field: 'email', direction: 'from' }] },
              { name: 'plan', categories: ['system.operations'] },
              { name: 'started_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'email_prefs', erasure: 'delete',
            fields: [
              { name: 'user_email', primaryKey: true, categories: ['user.contact.email'], references: [{ collection: 'customers', field: 'email', direction: 'from' }] },
              { name: 'frequency', categories: ['system.operations'] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => {
      if (table === 'email_prefs') { const p = EMAIL_OWNER[String(row.user_email)]; return p ? [p] : []; }
      const p = ID_OWNER[Number(row.id)];
      return p ? [p] : [];
    },
    personal: {
      'shop.customers': [{ path: 'email', category: 'user.contact.email' }, { path: 'full_name', category: 'user.name' }],
      'shop.subscriptions': [{ path: 'user_email', category: 'user.contact.email' }],
      'shop.email_prefs': [{ path: 'user_email', category: 'user.contact.email' }],
    },
  };
}
