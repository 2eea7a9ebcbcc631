// Shop 3, PII in a key: Fides' `visit` table - email + last_visit (a timestamp) form the composite
// primary key, and email is the identity (fides_meta.identity: email). Written here as a Fides
// dataset file and imported the way `systems add --fides-dataset` does (collections come in with
// erasure: mask). Jo has three visits, one stored with an upper-case email; Kim has two; Jody's
// email differs from Jo's only in the top-level domain.
import { parse as parseYaml } from 'yaml';
import { importFidesDatasets } from '../../../shared/domain/datamap';
import type { Row, ShopDef } from './types';

export const VISIT_FIDES_YAML = `
dataset:
  - fides_key: fides_example
    name: Fides-style example (customer + visit)
    collections:
      - name: customer
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta:
              primary_key: true
          - name: email
            data_categories: [user.contact.email]
            fides_meta:
              identity: email
              data_type: string
          - name: name
            data_categories: [user.name]
            fides_meta:
              data_type: string
          - name: created
            data_categories: [system.operations]
      - name: visit
        fields:
          - name: email
            data_categories: [user.contact.email]
            fides_meta:
              identity: email
              data_type: string
          - name: last_visit
            data_categories: [system.operations]
            fides_meta:
              data_type: string
`;

const EMAIL_OWNER: Record<string, string> = { 'jo.doe@example.com': 'jo', 'kim.li@example.com': 'kim', 'jo.doe@example.co': 'jody' };
const ownerOfEmail = (v: unknown): string[] => {
  const p = typeof v === 'string' ? EMAIL_OWNER[v.trim().toLowerCase()] : undefined;
  return p ? [p] : [];
};
/** Visits by time (each time is one person's): identifies a visit whatever its email became. */
export const VISIT_OWNER_BY_TIME: Record<string, string> = {
  '2024-03-01 09:00:00': 'jo', '2024-03-05 17:30:00': 'jo', '2024-04-11 08:15:00': 'jo',
  '2024-03-02 10:00:00': 'kim', '2024-03-09 12:45:00': 'kim',
  '2024-03-03 11:00:00': 'jody',
};
/** "2024-03-01 09:00:00" whatever the driver made of the timestamp. */
export function visitTime(v: unknown): string {
  return String(v).replace('T', ' ').replace(/(\.\d+)?Z?$/u, '');
}

export function piiInKeyShop(): ShopDef {
  const visits: Row[] = [
    { email: 'jo.doe@example.com', last_visit: '2024-03-01 09:00:00' },
    { email: 'jo.doe@example.com', last_visit: '2024-03-05 17:30:00' },
    { email: 'Jo.Doe@Example.com', last_visit: '2024-04-11 08:15:00' },
    { email: 'kim.li@example.com', last_visit: '2024-03-02 10:00:00' },
    { email: 'kim.li@example.com', last_visit: '2024-03-09 12:45:00' },
    { email: 'jo.doe@example.co', last_visit: '2024-03-03 11:00:00' },
  ];
  return {
    name: 'pii in a key (Fides visit)',
    people: [
      { id: 'jo', name: 'Jo Doe', emails: ['jo.doe@example.com'] },
      { id: 'kim', name: 'Kim Li', emails: ['kim.li@example.com'] },
      { id: 'jody', name: 'Jody Doe', emails: ['jo.doe@example.co'] },
    ],
    systems: [{
      name: 'fides-pg',
      dataset: 'fides_example',
      tables: [
        {
          name: 'customer', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'varchar(100)' }, { name: 'name', type: 'text' }, { name: 'created', type: 'timestamp' }],
          rows: [
            { id: 1, email: 'jo.doe@example.com', name: 'Jo Doe', created: '2023-12-01 10:00:00' },
            { id: 2, email: 'kim.li@example.com', name: 'Kim Li', created: '2023-12-02 10:00:00' },
            { id: 3, email: 'jo.doe@example.co', name: 'Jody Doe', created: '2023-12-03 10:00:00' },
          ],
        },
        {
          name: 'visit', primaryKey: ['email', 'last_visit'],
          columns: [{ name: 'email', type: 'varchar(100)', notNull: true }, { name: 'last_visit', type: 'timestamp', notNull: true }],
          rows: visits,
        },
      ],
      map: () => importFidesDatasets(parseYaml(VISIT_FIDES_YAML))[0]!,
    }],
    owners: (_sys, table, row) => {
      if (table === 'visit') { const p = VISIT_OWNER_BY_TIME[visitTime(row.last_visit)]; return p ? [p] : []; }
      return ownerOfEmail(row.email);
    },
    personal: {
      'fides-pg.customer': [{ path: 'email', category: 'user.contact.email' }, { path: 'name', category: 'user.name' }],
      'fides-pg.visit': [{ path: 'email', category: 'user.contact.email' }],
    },
  };
}
