// The data-map format: our superset, Fides dataset import, the reference graph, categories, and
// validation against a live schema (errors name the table or column).
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  DataMapError, deletionOrder, edgesOf, importFidesDatasets, parseDataMap, validateAgainstSchema,
} from '../../../shared/domain/datamap';
import { anyCovered, categoryFromColumnName, ccpaCategoryOf, covers, isPersonal } from '../../../shared/domain/categories';
import { demoShopDataMap } from '../../../shared/adapters/demo-shop';

const FIDES = `
dataset:
  - fides_key: shop_ds
    name: Shop
    collections:
      - name: customer
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: { primary_key: True }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email, data_type: string }
          - name: phone
            data_categories: [user.contact.phone_number]
            fides_meta: { identity: phone_number }
          - name: address_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - { dataset: shop_ds, field: address.id, direction: to }
      - name: address
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: True }
          - name: city
            data_categories: [user.contact.address.city]
      - name: orders
        fields:
          - name: id
            data_categories: [system.operations]
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references:
                - { dataset: shop_ds, field: customer.id, direction: from }
`;

describe('Fides dataset import', () => {
  it('keeps categories, identities, primary keys, references and their direction', () => {
    const [map] = importFidesDatasets(parseYaml(FIDES));
    expect(map!.dataset).toBe('shop_ds');
    const customer = map!.collections.find((c) => c.name === 'customer')!;
    expect(customer.fields.find((f) => f.name === 'email')).toMatchObject({ identity: 'email', categories: ['user.contact.email'], dataType: 'string' });
    expect(customer.fields.find((f) => f.name === 'phone')!.identity).toBe('phone');
    expect(customer.fields.find((f) => f.name === 'id')!.primaryKey).toBe(true);
    expect(customer.erasure).toBe('mask');
    const edges = edgesOf(map!).map((e) => `${e.from.collection}.${e.from.field}->${e.to.collection}.${e.to.field}`).sort();
    expect(edges).toEqual(['customer.address_id->address.id', 'customer.id->orders.customer_id']);
    // children (holding the referencing field) are deleted before their parents
    const order = deletionOrder(map!);
    expect(order.indexOf('orders')).toBeLessThan(order.indexOf('customer'));
    expect(order.indexOf('customer')).toBeLessThan(order.indexOf('address'));
  });

  it('rejects a reference to an unknown collection or field, naming it', () => {
    const bad = FIDES.replace('field: address.id', 'field: address.nope');
    expect(() => importFidesDatasets(parseYaml(bad))).toThrow(/unknown field "address\.nope"/u);
    expect(() => importFidesDatasets({ dataset: [] })).toThrow(DataMapError);
  });
});

describe('our format', () => {
  it('parses the demo shop map with erasure modes, retention, opt-out and address parts', () => {
    const m = demoShopDataMap();
    expect(m.collections.find((c) => c.name === 'invoices')!.retention!.reason).toBe('tax');
    expect(m.collections.find((c) => c.name === 'marketing_consent')!.optOut).toEqual({ field: 'do_not_sell', value: 1 });
    expect(m.collections.find((c) => c.name === 'customers')!.erasure).toBe('delete');
    expect(m.collections.find((c) => c.name === 'addresses')!.fields.filter((f) => f.addressPart).length).toBe(6);
  });

  it('names the field in errors and refuses unsafe names', () => {
    expect(() => parseDataMap({ dataset: 'x', collections: [{ name: 'a', fields: [{ name: 'id', categories: ['Not A Category'] }] }] }))
      .toThrow(/collections\.0\.fields\.0\.categories\.0/u);
    expect(() => parseDataMap({ dataset: 'x', collections: [{ name: 'a"; DROP TABLE x; --', fields: [{ name: 'id' }] }] })).toThrow(/collections\.0\.name/u);
    expect(() => parseDataMap({ dataset: 'x', collections: [{ name: 'a', optOut: { field: 'nope', value: 1 }, fields: [{ name: 'id' }] }] })).toThrow(/optOut field "nope"/u);
  });

  it('validation against the live schema names every unknown table and column', () => {
    const m = demoShopDataMap();
    const live = m.collections.filter((c) => c.name !== 'logins').map((c) => ({
      name: c.name, fields: c.fields.filter((f) => !(c.name === 'customers' && f.name === 'phone')).map((f) => ({ name: f.name, dataType: 'text', nullable: true, primaryKey: false })),
    }));
    expect(() => validateAgainstSchema(m, live)).toThrow(/unknown table "logins".*unknown column "customers\.phone"|unknown column "customers\.phone".*unknown table "logins"/u);
  });
});

describe('categories', () => {
  it('are hierarchical', () => {
    expect(covers('user.contact', 'user.contact.address.city')).toBe(true);
    expect(covers('user.contact', 'user.contactless')).toBe(false);
    expect(anyCovered(['user.financial'], ['user.financial.bank_account'])).toBe(true);
    expect(isPersonal('system.operations')).toBe(false);
  });

  it('map onto the CCPA categories A-L', () => {
    expect(ccpaCategoryOf('user.contact.email')).toBe('A');
    expect(ccpaCategoryOf('user.financial.credit_card')).toBe('L');
    expect(ccpaCategoryOf('user.commercial.purchase')).toBe('D');
    expect(ccpaCategoryOf('user.location.imprecise')).toBe('G');
  });

  it('are proposed from column names, keys of other tables excepted', () => {
    expect(categoryFromColumnName('Email_Address')).toBe('user.contact.email');
    expect(categoryFromColumnName('ip_address')).toBe('user.device.ip_address');
    expect(categoryFromColumnName('address_id')).toBeNull();
    expect(categoryFromColumnName('customer_id')).toBe('user.unique_id');
    expect(categoryFromColumnName('sku')).toBeNull();
  });
});
