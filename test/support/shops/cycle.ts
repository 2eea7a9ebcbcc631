// Shop 2, a reference cycle across two people: accounts.gift_id -> gifts.id (the gift the account
// holder received) and gifts.giver_id -> accounts.id (who gave it), both without a direction.
// Pat received Quinn's gift 20 and Quinn received Pat's gift 10, so the graph runs
// Pat's account -> gift 20 (Quinn's) -> Quinn's account -> gift 10 (Pat's) -> Pat's account.
// A gift is its giver's (the giver's name and message). Rae is outside the cycle.
import { parseDataMap } from '../../../shared/domain/datamap';
import { ownerBy, type ShopDef } from './types';

const ACCOUNT: Record<number, string> = { 1: 'pat', 2: 'quinn', 3: 'rae' };

export function cycleShop(): ShopDef {
  return {
    name: 'cycle',
    people: [
      { id: 'pat', name: 'Pat Kim', emails: ['pat.kim@example.com'] },
      { id: 'quinn', name: 'Quinn Roe', emails: ['quinn.roe@example.com'] },
      { id: 'rae', name: 'Rae Sol', emails: ['rae.sol@example.net'] },
    ],
    systems: [{
      name: 'gifts-app',
      dataset: 'gift_app',
      tables: [
        {
          name: 'accounts', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'email', type: 'text', notNull: true }, { name: 'display_name', type: 'text' }, { name: 'gift_id', type: 'int' }],
          rows: [
            { id: 1, email: 'pat.kim@example.com', display_name: 'Pat Kim', gift_id: 20 },
            { id: 2, email: 'quinn.roe@example.com', display_name: 'Quinn Roe', gift_id: 10 },
            { id: 3, email: 'rae.sol@example.net', display_name: 'Rae Sol', gift_id: null },
          ],
        },
        {
          name: 'gifts', primaryKey: ['id'],
          columns: [{ name: 'id', type: 'int' }, { name: 'giver_id', type: 'int', notNull: true }, { name: 'giver_name', type: 'text' }, { name: 'message', type: 'text' }, { name: 'wrapped', type: 'int', notNull: true }],
          rows: [
            { id: 10, giver_id: 1, giver_name: 'Pat Kim', message: 'Happy birthday!', wrapped: 1 },
            { id: 11, giver_id: 1, giver_name: 'Pat Kim', message: 'See you soon', wrapped: 0 },
            { id: 20, giver_id: 2, giver_name: 'Quinn Roe', message: 'With love', wrapped: 1 },
            { id: 30, giver_id: 3, giver_name: 'Rae Sol', message: 'Thanks!', wrapped: 0 },
          ],
        },
      ],
      map: () => parseDataMap({
        dataset: 'gift_app',
        collections: [
          {
            name: 'accounts', erasure: 'delete',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'email', categories: ['user.contact.email'], identity: 'email' },
              { name: 'display_name', categories: ['user.name'] },
              { name: 'gift_id', categories: ['system.operations'], references: [{ collection: 'gifts', field: 'id' }] },
            ],
          },
          {
            name: 'gifts', erasure: 'mask',
            fields: [
              { name: 'id', primaryKey: true, categories: ['system.operations'] },
              { name: 'giver_id', categories: ['system.operations'], references: [{ collection: 'accounts', field: 'id' }] },
              { name: 'giver_name', categories: ['user.name'] },
              { name: 'message', categories: ['user.content'] },
              { name: 'wrapped', categories: ['system.operations'] },
            ],
          },
        ],
      }),
    }],
    owners: (_sys, table, row) => ownerBy(ACCOUNT, table === 'accounts' ? row.id : row.giver_id),
    personal: {
      'gifts-app.accounts': [{ path: 'email', category: 'user.contact.email' }, { path: 'display_name', category: 'user.name' }],
      'gifts-app.gifts': [{ path: 'giver_name', category: 'user.name' }, { path: 'message', category: 'user.content' }],
    },
  };
}
