// Shop 7, two datasets in two systems (two databases), written as Fides dataset files: `crm`
// (contacts, found by email) and `billing` (accounts -> crm.contacts.id across datasets with
// fides_meta.references `dataset: crm`, payments -> accounts.id). The subject's billing rows can
// only be found through the crm contact. Account ids are not contact ids: account 1 is Tom's
// (contact 2), account 2 is Sara's (contact 1). Sara's email at another domain is Saga's.
import { parse as parseYaml } from 'yaml';
import { importFidesDatasets } from '../../../shared/domain/datamap';
import { ownerBy, type ShopDef } from './types';

export const CRM_FIDES_YAML = `
dataset:
  - fides_key: crm
    collections:
      - name: contacts
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: true, data_type: integer }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email, data_type: string }
          - name: full_name
            data_categories: [user.name]
          - name: phone
            data_categories: [user.contact.phone_number]
`;

export const BILLING_FIDES_YAML = `
dataset:
  - fides_key: billing
    collections:
      - name: accounts
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: true, data_type: integer }
          - name: crm_contact_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - dataset: crm
                  field: contacts.id
                  direction: from
          - name: holder_name
            data_categories: [user.name]
          - name: iban
            data_categories: [user.financial.bank_account]
      - name: payments
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: true }
          - name: account_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - dataset: billing
                  field: accounts.id
                  direction: from
          - name: amount_cents
            data_categories: [system.operations]
          - name: card_name
            data_categories: [user.financial]
`;

const CONTACT: Record<number, string> = { 1: 'sara', 2: 'tom', 3: 'saga' };
const ACCOUNT: Record<number, string> = { 1: 'tom', 2: 'sara', 3: 'saga' };

export function crossDatasetShop(): ShopDef {
  return {
    name: 'two datasets',
    people: [
      { id: 'sara', name: 'Sara Lind', emails: ['sara.lind@example.com'], phones: ['+14155550177'] },
      { id: 'tom', name: 'Tom Hale', emails: ['tom.hale@example.com'] },
      { id: 'saga', name: 'Saga Lindqvist', emails: ['sara.lind@example.net'] },
    ],
    systems: [
      {
        name: 'crm',
        dataset: 'crm',
        tables: [{
          name: 'contacts', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'full_name', type: 'text' }, { name: 'phone', type: 'text' }],
          rows: [
            { id: 1, email: 'sara.lind@example.com', full_name: 'Sara Lind', phone: '415-555-0177' },
            { id: 2, email: 'tom.hale@example.com', full_name: 'Tom Hale', phone: null },
            { id: 3, email: 'sara.lind@example.net', full_name: 'Saga Lindqvist', phone: null },
          ],
        }],
        map: () => importFidesDatasets(parseYaml(CRM_FIDES_YAML))[0]!,
      },
      {
        name: 'billing',
        dataset: 'billing',
        tables: [
          {
            name: 'accounts', primaryKey: ['id'],
            columns: [{ name: 'id', type: 'int' }, { name: 'crm_contact_id', type: 'int', notNull: true }, { name: 'holder_name', type: 'text' }, { name: 'iban', type: 'text' }],
            rows: [
              { id: 1, crm_contact_id: 2, holder_name: 'Tom Hale', iban: 'GB33BUKB20201555555555' },
              { id: 2, crm_contact_id: 1, holder_name: 'Sara Lind', iban: 'DE44500105175407324931' },
              { id: 3, crm_contact_id: 3, holder_name: 'Saga Lindqvist', iban: 'SE4550000000058398257466' },
            ],
          },
          {
            name: 'payments', primaryKey: ['id'],
            columns: [{ name: 'id', type: 'int' }, { name: 'account_id', type: 'int', notNull: true }, { name: 'amount_cents', type: 'int', notNull: true }, { name: 'card_name', type: 'text' }],
            rows: [
              { id: 9001, account_id: 2, amount_cents: 1200, card_name: 'SARA LIND' },
              { id: 9002, account_id: 2, amount_cents: 800, card_name: 'SARA LIND' },
              { id: 9003, account_id: 1, amount_cents: 500, card_name: 'TOM HALE' },
              { id: 9004, account_id: 3, amount_cents: 700, card_name: 'SAGA LINDQVIST' },
            ],
          },
        ],
        map: () => importFidesDatasets(parseYaml(BILLING_FIDES_YAML))[0]!,
      },
    ],
    owners: (sys, table, row) => {
      if (sys === 'crm') return ownerBy(CONTACT, row.id);
      return ownerBy(ACCOUNT, table === 'accounts' ? row.id : row.account_id);
    },
    personal: {
      'crm.contacts': [{ path: 'email', category: 'user.contact.email' }, { path: 'full_name', category: 'user.name' }, { path: 'phone', category: 'user.contact.phone_number' }],
      'billing.accounts': [{ path: 'holder_name', category: 'user.name' }, { path: 'iban', category: 'user.financial.bank_account' }],
      'billing.payments': [{ path: 'card_name', category: 'user.financial' }],
    },
  };
}
