// Shop 4, tables without a primary key: newsletter_log (erasure: mask) and bounce_log (erasure:
// delete) hold the email and a name, nothing identifies a row but its values, and some rows are
// exact duplicates. Lia's rows must be changed by value match (every duplicate included); Liam's
// email differs from Lia's by one letter; Ola is someone else.
import { parseDataMap } from '../../../shared/domain/datamap';
import type { ShopDef } from './types';

const EMAIL_OWNER: Record<string, string> = { 'lia.moss@example.com': 'lia', 'liam.moss@example.com': 'liam', 'ola.berg@example.org': 'ola' };
const ownerOfEmail = (v: unknown): string[] => {
  const p = typeof v === 'string' ? EMAIL_OWNER[v.trim().toLowerCase()] : undefined;
  return p ? [p] : [];
};
const NAME_OWNER: Record<string, string> = { 'Lia Moss': 'lia', 'Lia M.': 'lia', 'Liam Moss': 'liam', 'Ola Berg': 'ola' };

export function noPrimaryKeyShop(): ShopDef {
  return {
    name: 'tables without a primary key',
    people: [
      { id: 'lia', name: 'Lia Moss', emails: ['lia.moss@example.com'] },
      { id: 'liam', name: 'Liam Moss', emails: ['liam.moss@example.com'] },
      { id: 'ola', name: 'Ola Berg', emails: ['ola.berg@example.org'] },
    ],
    systems: [{
      name: 'mailer',
      dataset: 'mailer',
      tables: [
        {
          name: 'contacts', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'name', type: 'text' }],
          rows: [
            { id: 1, email: 'lia.moss@example.com', name: 'Lia Moss' },
            { id: 2, email: 'liam.moss@example.com', name: 'Liam Moss' },
            { id: 3, email: 'ola.berg@example.org', name: 'Ola Berg' },
          ],
        },
        {
          name: 'newsletter_log',
          columns: [{ name: 'email', type: 'text' }, { name: 'full_name', type: 'text' }, { name: 'campaign', type: 'text', notNull: true }, { name: 'sent_at', type: 'text', notNull: true }],
          rows: [
            { email: 'lia.moss@example.com', full_name: 'Lia Moss', campaign: 'spring', sent_at: '2024-03-01T08:00:00Z' },
            { email: 'lia.moss@example.com', full_name: 'Lia Moss', campaign: 'spring', sent_at: '2024-03-01T08:00:00Z' },
            { email: ' LIA.MOSS@example.com', full_name: 'Lia Moss', campaign: 'summer', sent_at: '2024-06-01T08:00:00Z' },
            { email: 'liam.moss@example.com', full_name: 'Liam Moss', campaign: 'spring', sent_at: '2024-03-01T08:00:00Z' },
            { email: 'ola.berg@example.org', full_name: 'Ola Berg', campaign: 'spring', sent_at: '2024-03-01T08:00:00Z' },
            { email: 'ola.berg@example.org', full_name: 'Ola Berg', campaign: 'summer', sent_at: '2024-06-01T08:00:00Z' },
          ],
        },
        {
          name: 'bounce_log',
          columns: [{ name: 'email', type: 'text', notNull: true }, { name: 'display_name', type: 'text' }, { name: 'reason', type: 'text' }, { name: 'at', type: 'text', notNull: true }],
          rows: [
            { email: 'lia.moss@example.com', display_name: 'Lia M.', reason: 'mailbox full', at: '2024-03-01T08:01:00Z' },
            { email: 'lia.moss@example.com', display_name: 'Lia M.', reason: 'mailbox full', at: '2024-03-01T08:01:00Z' },
            { email: 'ola.berg@example.org', display_name: 'Ola Berg', reason: 'unknown user', at: '2024-03-01T08:01:00Z' },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'mailer',
        collections: [
          {
            name: 'contacts', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'name', categories: ['user.name'] },
            ],
          },
          {
            name: 'newsletter_log', erasure: 'mask',
            fields: [
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'full_name', categories: ['user.name'] },
              { name: 'campaign', categories: ['system.operations'] },
              { name: 'sent_at', categories: ['system.operations'] },
            ],
          },
          {
            name: 'bounce_log', erasure: 'delete',
            fields: [
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'display_name', categories: ['user.name'] },
              { name: 'reason', categories: ['system.operations'] },
              { name: 'at', categories: ['system.operations'] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => {
      const byEmail = ownerOfEmail(row.email);
      if (byEmail.length) return byEmail;
      // a masked row (after) is matched back by the dumps; before, every row has its email
      const name = table === 'newsletter_log' ? row.full_name : table === 'bounce_log' ? row.display_name : row.name;
      const p = typeof name === 'string' ? NAME_OWNER[name] : undefined;
      return p ? [p] : [];
    },
    personal: {
      'mailer.contacts': [{ path: 'email', category: 'user.contact.email' }, { path: 'name', category: 'user.name' }],
      'mailer.newsletter_log': [{ path: 'email', category: 'user.contact.email' }, { path: 'full_name', category: 'user.name' }],
      'mailer.bounce_log': [{ path: 'email', category: 'user.contact.email' }, { path: 'display_name', category: 'user.name' }],
    },
  };
}
