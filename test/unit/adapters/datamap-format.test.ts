// The data-map format: our superset, Fides dataset import, the reference graph, categories, and
// validation against a live schema (errors name the table or column).
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as yamlText } from 'yaml';
import {
  crossDatasetReferences, DataMapError, deletionOrder, edgesOf, fieldPaths, importFidesDatasets, isPersonalCollection, linksOf,
  parseDataMap, referenceFields, unsupportedFeatures, validateAgainstSchema, type DataMap, type DataMapInput,
} from '../../../shared/domain/datamap';
import { maskedValue } from '../../../shared/app/datamap/masking';
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
    expect(() => parseDataMap({ dataset: 'x', collections: [{ name: 'a\u0000b', fields: [{ name: 'id' }] }] })).toThrow(/collections\.0\.name.*control/u);
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

// --- Fides dataset features (issue "Exact erasure", part 5): carried over or refused, never dropped.

const FEATURES = `
dataset:
  - fides_key: app_ds
    name: App
    description: every feature PrivacyDesk carries over
    organization_fides_key: default_organization
    tags: [demo]
    retention: No retention or erasure policy
    fides_meta: { resource_id: app, after: [] }
    collections:
      - name: users
        description: people
        fides_meta: { skip_processing: false, after: null, partitioning: null }
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: { primary_key: true, data_type: integer, read_only: null, return_all_elements: null, redact: null }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email, data_type: string, length: 120 }
          - name: tenant
            data_categories: [system.operations]
            fides_meta: { custom_request_field: tenant_id, data_type: string }
          - name: created
            data_categories: [system.operations]
            fides_meta: { read_only: true }
          - name: name
            data_categories: [user.name]
            fides_meta:
              length: 40
              masking_strategy_override: { strategy: random_string_rewrite, configuration: { length: 8 } }
          - name: nickname
            data_categories: [user.name]
            fides_meta: { masking_strategy_override: { strategy: random_string_rewrite } }
          - name: city
            data_categories: [user.contact.address.city]
            fides_meta: { masking_strategy_override: { strategy: string_rewrite, configuration: { rewrite_value: REDACTED } } }
          - name: alt_email
            data_categories: [user.contact.email]
            fides_meta:
              masking_strategy_override:
                strategy: string_rewrite
                configuration: { rewrite_value: masked, format_preservation: { suffix: "@example.com" } }
          - name: phone
            data_categories: [user.contact.phone_number]
            fides_meta: { masking_strategy_override: { strategy: hash, configuration: { algorithm: SHA-256 } } }
          - name: note
            data_categories: [user]
            fidesops_meta: { masking_strategy_override: { strategy: null_rewrite } }
          - name: profile
            fides_meta: { data_type: object }
            fields:
              - name: display name
                data_categories: [user.name]
                fides_meta: { read_only: true }
              - name: workplace
                fields:
                  - name: employer
                    data_categories: [user.workplace]
                    fides_meta: { length: 30, masking_strategy_override: { strategy: null_rewrite } }
                  - name: title
                    data_categories: [user.job_title]
          - name: crm_id
            data_categories: [system.operations]
            fides_meta:
              references:
                - { dataset: crm_ds, field: contacts.id, direction: to }
      - name: sessions
        fides_meta:
          erase_after: [app_ds.users]
          masking_strategy_override: { strategy: delete }
        fields:
          - name: id
            fides_meta: { primary_key: true }
          - name: user_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{ dataset: app_ds, field: users.id, direction: from }]
      - name: audit_trail
        fides_meta: { skip_processing: true }
        fields:
          - name: user_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{ dataset: app_ds, field: users.id, direction: from }]
`;

function importOne(yamlText: string): DataMap {
  const maps = importFidesDatasets(parseYaml(yamlText));
  expect(maps).toHaveLength(1);
  return maps[0]!;
}
const fieldOf = (m: DataMap, c: string, f: string) => m.collections.find((x) => x.name === c)!.fields.find((x) => x.name === f)!;
/** A Fides dataset with one collection "t" of the given field YAML (indented as a list item under fields:). */
const oneField = (fieldYaml: string, extraCollection = '') => `
dataset:
  - fides_key: ds
    collections:
      - name: t
        fields:
          - name: id
            fides_meta: { primary_key: true }
${fieldYaml.replace(/^\n/u, '').split('\n').map((l) => `          ${l}`).join('\n')}
${extraCollection}`;
const err = (fn: () => unknown): string => {
  try { fn(); } catch (e) { expect(e).toBeInstanceOf(DataMapError); return (e as Error).message; }
  throw new Error('expected a DataMapError');
};

describe('Fides dataset features', () => {
  it('carries over read_only, length, custom_request_field, masking overrides, nested fields, skip_processing, erase_after and collection delete', () => {
    const m = importOne(FEATURES);
    expect(fieldOf(m, 'users', 'created').readOnly).toBe(true);
    expect(fieldOf(m, 'users', 'id').readOnly).toBeUndefined();
    expect(fieldOf(m, 'users', 'email')).toMatchObject({ identity: 'email', length: 120 });
    expect(fieldOf(m, 'users', 'tenant')).toMatchObject({ identity: 'tenant_id', customRequestField: 'tenant_id' });
    expect(fieldOf(m, 'users', 'name')).toMatchObject({ length: 40, mask: { strategy: 'random', length: 8 } });
    expect(fieldOf(m, 'users', 'nickname').mask).toEqual({ strategy: 'random', length: 30 }); // Fides' default length
    expect(fieldOf(m, 'users', 'city').mask).toEqual({ strategy: 'fixed', value: 'REDACTED' });
    expect(fieldOf(m, 'users', 'alt_email').mask).toEqual({ strategy: 'fixed', value: 'masked@example.com' });
    expect(fieldOf(m, 'users', 'phone').mask).toEqual({ strategy: 'hash' });
    expect(fieldOf(m, 'users', 'note').mask).toEqual({ strategy: 'null' }); // fidesops_meta, the older name
    const profile = fieldOf(m, 'users', 'profile');
    expect(profile).toMatchObject({ categories: [], dataType: 'object' });
    expect(profile.fields!.map((f) => f.name)).toEqual(['display name', 'workplace']);
    expect(profile.fields![0]).toMatchObject({ categories: ['user.name'], readOnly: true });
    expect(profile.fields![1]!.fields).toEqual([
      { name: 'employer', categories: ['user.workplace'], primaryKey: false, references: [], length: 30, mask: { strategy: 'null' } },
      { name: 'title', categories: ['user.job_title'], primaryKey: false, references: [] },
    ]);
    expect(fieldPaths(m.collections[0]!).map((p) => p.path.join('/'))).toContain('profile/workplace/employer');
    const sessions = m.collections.find((c) => c.name === 'sessions')!;
    expect(sessions).toMatchObject({ erasure: 'delete', eraseAfter: ['app_ds.users'] });
    expect(sessions.skip).toBeUndefined();
    expect(m.collections.find((c) => c.name === 'audit_trail')!.skip).toBe(true);
    expect(m.collections.find((c) => c.name === 'users')!.erasure).toBe('mask');
  });

  it('loses no field: every Fides field, nested ones included, comes in', () => {
    const raw = parseYaml(FEATURES) as { dataset: Array<{ collections: Array<{ name: string; fields: unknown[] }> }> };
    type F = { name: string; fields?: F[] };
    const names = (fs: F[], pre: string): string[] => fs.flatMap((f) => [`${pre}${f.name}`, ...names(f.fields ?? [], `${pre}${f.name}/`)]);
    const want = raw.dataset[0]!.collections.flatMap((c) => names(c.fields as F[], `${c.name}/`));
    const m = importOne(FEATURES);
    expect(m.collections.flatMap((c) => fieldPaths(c).map((p) => `${c.name}/${p.path.join('/')}`))).toEqual(want);
  });

  it('round-trips through parseDataMap (JSON and YAML) unchanged', () => {
    const m = importOne(FEATURES);
    expect(parseDataMap(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(parseDataMap(parseYaml(yamlText({ datamap: m })))).toEqual(m);
  });

  it('keeps references to another dataset and lists them; skipped collections are neither walked nor linked', () => {
    const m = importOne(FEATURES);
    expect(crossDatasetReferences(m)).toEqual([
      { from: { collection: 'users', field: 'crm_id' }, to: { dataset: 'crm_ds', collection: 'contacts', field: 'id' }, direction: 'to' },
    ]);
    expect(edgesOf(m).map((e) => `${e.from.collection}.${e.from.field}->${e.to.collection}.${e.to.field}`)).toEqual(['users.id->sessions.user_id']);
    expect(linksOf(m).map((l) => l.child.collection)).toEqual(['sessions']);
    // join keys stay join keys even when the other end is skipped
    expect(referenceFields(m).has('audit_trail.user_id')).toBe(true);
  });

  it('refuses an unsupported masking strategy or option, naming dataset.collection.field and the strategy', () => {
    const hmac = oneField(`
- name: email
  fides_meta: { masking_strategy_override: { strategy: hmac } }`);
    expect(err(() => importFidesDatasets(parseYaml(hmac)))).toBe('ds.t.email: masking strategy "hmac" is not supported (null_rewrite, string_rewrite, random_string_rewrite, hash)');
    const sha512 = oneField(`
- name: email
  fides_meta: { masking_strategy_override: { strategy: hash, configuration: { algorithm: SHA-512 } } }`);
    expect(err(() => importFidesDatasets(parseYaml(sha512)))).toMatch(/^ds\.t\.email: masking strategy "hash": algorithm "SHA-512" is not supported/u);
    const suffix = oneField(`
- name: email
  fides_meta: { masking_strategy_override: { strategy: random_string_rewrite, configuration: { format_preservation: { suffix: "@x.com" } } } }`);
    expect(err(() => importFidesDatasets(parseYaml(suffix)))).toMatch(/^ds\.t\.email: masking strategy "random_string_rewrite": configuration\.format_preservation is not supported/u);
    const noValue = oneField(`
- name: email
  fides_meta: { masking_strategy_override: { strategy: string_rewrite } }`);
    expect(err(() => importFidesDatasets(parseYaml(noValue)))).toMatch(/ds\.t\.email: masking strategy "string_rewrite" needs configuration\.rewrite_value/u);
    const collection = FEATURES.replace('masking_strategy_override: { strategy: delete }', 'masking_strategy_override: { strategy: truncate }');
    expect(err(() => importFidesDatasets(parseYaml(collection)))).toMatch(/app_ds\.sessions: collection masking strategy "truncate" is not supported/u);
  });

  it('refuses Fides features it cannot honour, and unknown keys, naming each field and feature', () => {
    const yaml = oneField(`
- name: tags
  data_categories: [user]
  fides_meta: { data_type: "string[]", return_all_elements: true, identity: email }
- name: shown
  fides_meta: { redact: name, colour: blue }
- name: misplaced
  masking_strategy_override: { strategy: null_rewrite }`);
    const msg = err(() => importFidesDatasets(parseYaml(yaml)));
    expect(msg).toContain('ds.t.tags: fides_meta.return_all_elements (whole arrays as entry points) is not supported');
    expect(msg).toContain('ds.t.tags: identity on an array field (data_type string[]) is not supported');
    expect(msg).toContain('ds.t.shown: fides_meta.redact (name redaction) is not supported');
    expect(msg).toContain('ds.t.shown: fides_meta.colour is not a Fides dataset feature PrivacyDesk knows');
    expect(msg).toMatch(/ds\.t\.misplaced: masking_strategy_override is not a Fides dataset feature PrivacyDesk knows \(refused rather than ignored\) \(it belongs under fides_meta/u);
    const coll = FEATURES.replace("fides_meta: { skip_processing: false, after: null, partitioning: null }", "data_categories: [user]\n        fides_meta: { after: [app_ds.sessions], partitioning: { field: created } }");
    const cm = err(() => importFidesDatasets(parseYaml(coll)));
    expect(cm).toContain('app_ds.users: collection-level data_categories are not supported');
    expect(cm).toContain('app_ds.users: fides_meta.after (traversal order) is not supported');
    expect(cm).toContain('app_ds.users: fides_meta.partitioning is not supported');
    const ds = FEATURES.replace('fides_meta: { resource_id: app, after: [] }', 'fides_meta: { namespace: { schema: other } }');
    expect(err(() => importFidesDatasets(parseYaml(ds)))).toContain('app_ds: fides_meta.namespace is not supported');
    const typos = oneField(`
- name: email
  data_categories: user.contact.email
  fides_meta: { primary_key: "yes", read_only: 1 }`);
    const tm = err(() => importFidesDatasets(parseYaml(typos)));
    expect(tm).toContain('ds.t.email: data_categories must be a list of data categories');
    expect(tm).toContain('ds.t.email: fides_meta.primary_key must be a boolean (got "yes")');
    expect(tm).toContain('ds.t.email: fides_meta.read_only must be a boolean (got 1)');
    const both = oneField(`
- name: site
  fides_meta: { identity: email, custom_request_field: tenant_id }`);
    expect(err(() => importFidesDatasets(parseYaml(both)))).toContain('ds.t.site: both identity "email" and custom_request_field "tenant_id"');
  });

  it('refuses identity, address parts, keys and references on nested fields at parse time', () => {
    const nestedIdentity = oneField(`
- name: profile
  fields:
    - name: email
      fides_meta: { identity: email }`);
    expect(err(() => importFidesDatasets(parseYaml(nestedIdentity)))).toBe('ds.t.profile.email: identity on a nested field is not supported');
    const nestedRef = oneField(`
- name: profile
  fields:
    - name: owner
      fides_meta: { primary_key: true, references: [{ dataset: ds, field: t.id, direction: from }] }`);
    const nr = err(() => importFidesDatasets(parseYaml(nestedRef)));
    expect(nr).toContain('ds.t.profile.owner: primaryKey on a nested field is not supported');
    expect(nr).toContain('ds.t.profile.owner: references on a nested field is not supported');
    const crf = oneField(`
- name: profile
  fields:
    - name: tenant
      fides_meta: { custom_request_field: tenant_id }`);
    expect(err(() => importFidesDatasets(parseYaml(crf)))).toContain('ds.t.profile.tenant: customRequestField on a nested field is not supported');
    // our own format: the same rules, and deeper levels are named in full
    const ours = (sub: Record<string, unknown>, holder: Record<string, unknown> = {}): DataMapInput => ({
      dataset: 'shop', collections: [{ name: 'customer', fields: [{ name: 'id', primaryKey: true }, { name: 'profile', ...holder, fields: [{ name: 'home', fields: [{ name: 'zip', ...sub }] }] }] }],
    });
    expect(err(() => parseDataMap(ours({ addressPart: 'postalCode' })))).toBe('shop.customer.profile.home.zip: addressPart on a nested field is not supported');
    expect(err(() => parseDataMap(ours({ identity: 'email' })))).toBe('shop.customer.profile.home.zip: identity on a nested field is not supported');
    expect(err(() => parseDataMap(ours({}, { mask: { strategy: 'null' } })))).toBe('shop.customer.profile: mask on a field with nested fields is not supported (set it on its nested fields)');
    expect(err(() => parseDataMap(ours({}, { identity: 'email' })))).toBe('shop.customer.profile: identity on a field with nested fields is not supported (set it on its nested fields)');
    expect(err(() => parseDataMap(ours({}, { dataType: 'string' })))).toBe('shop.customer.profile: data type "string" cannot hold nested fields (object or object[])');
    expect(err(() => parseDataMap({ dataset: 'shop', collections: [{ name: 'c', fields: [{ name: 'p', fields: [{ name: 'a' }, { name: 'a' }] }] }] }))).toBe('shop.c.p.a: duplicate nested field');
    expect(() => parseDataMap(ours({ categories: ['user.contact.address.postal_code'], length: 10, mask: { strategy: 'fixed', value: '00000' } }))).not.toThrow();
  });

  it('refuses a reference into nested fields, and splits dotted names against the known collections', () => {
    const intoNested = oneField(`
- name: profile_ref
  fides_meta: { references: [{ dataset: ds, field: u.profile.email, direction: from }] }`, `      - name: u
        fields:
          - name: profile
            fields:
              - name: email`);
    expect(err(() => importFidesDatasets(parseYaml(intoNested)))).toBe('ds.t.profile_ref: reference to nested field "u.profile.email" is not supported');
    const dotted = `
dataset:
  - fides_key: ds
    collections:
      - name: order.items
        fields:
          - name: id
          - name: customer.id
            fides_meta: { references: [{ dataset: ds, field: customer.id, direction: from }] }
      - name: customer
        fields:
          - name: id
          - name: legacy.id
            fides_meta: { references: [{ dataset: ds, field: order.items.id, direction: to }] }
`;
    const m = importOne(dotted);
    expect(fieldOf(m, 'order.items', 'customer.id').references[0]).toMatchObject({ collection: 'customer', field: 'id' });
    expect(fieldOf(m, 'customer', 'legacy.id').references[0]).toMatchObject({ collection: 'order.items', field: 'id' });
    // "order.items.id" would also be collection "order", field "items.id" if both existed: ambiguous
    const ambiguous = dotted.replace('      - name: customer\n', '      - name: order\n        fields:\n          - name: items.id\n      - name: customer\n');
    expect(err(() => importFidesDatasets(parseYaml(ambiguous)))).toBe('ds.customer."legacy.id": reference field "order.items.id" is ambiguous ("order.items".id or order."items.id")');
    // another dataset not in the file: Fides' own rule, the first dot ends the collection
    const other = oneField(`
- name: crm
  fides_meta: { references: [{ dataset: crm, field: people.legacy.key }] }`);
    expect(crossDatasetReferences(importOne(other))).toEqual([{ from: { collection: 't', field: 'crm' }, to: { dataset: 'crm', collection: 'people', field: 'legacy.key' }, direction: 'both' }]);
    // another dataset in the same file: split against its collections
    const two = `${other}
  - fides_key: crm
    collections:
      - name: people.legacy
        fields:
          - name: key
`;
    expect(crossDatasetReferences(importFidesDatasets(parseYaml(two))[0]!)[0]!.to).toEqual({ dataset: 'crm', collection: 'people.legacy', field: 'key' });
  });

  it('checks custom request fields, read-only fields and eraseAfter', () => {
    const base = (c: Record<string, unknown>, more: Record<string, unknown>[] = []): DataMapInput => ({ dataset: 'shop', collections: [{ name: 'a', fields: [{ name: 'id', primaryKey: true }], ...c }, ...more] as DataMapInput['collections'] });
    const fields = (f: Record<string, unknown>) => base({ fields: [{ name: 'id', primaryKey: true }, { name: 'x', ...f }] });
    expect(err(() => parseDataMap(fields({ customRequestField: 'tenant_id' })))).toBe('shop.a.x: customRequestField "tenant_id" must come with identity: tenant_id (it is looked up like a custom identity key)');
    expect(err(() => parseDataMap(fields({ customRequestField: 'email', identity: 'email' })))).toMatch(/^shop\.a\.x: customRequestField "email" is a built-in identity/u);
    expect(err(() => parseDataMap(fields({ readOnly: true, mask: { strategy: 'hash' } })))).toBe('shop.a.x: mask on a read-only field (a read-only field is never changed)');
    expect(err(() => parseDataMap(base({ fields: [{ name: 'id' }, { name: 'flag', readOnly: true }], optOut: { field: 'flag', value: 1 } })))).toBe('shop.a: optOut field "flag" is read-only');
    expect(err(() => parseDataMap(base({ fields: [{ name: 'id' }, { name: 'flag', readOnly: true }], limit: { field: 'flag', value: 1 } })))).toBe('shop.a: limit field "flag" is read-only');
    expect(err(() => parseDataMap(fields({ mask: { strategy: 'null', length: 4 } })))).toMatch(/collections\.0\.fields\.1\.mask\.length \(shop\.a\.x\): length is only for strategy "random"/u);
    const b = { name: 'b', fields: [{ name: 'id' }] };
    expect(err(() => parseDataMap(base({ eraseAfter: ['shop.nope'] }, [b])))).toBe('shop.a: eraseAfter names unknown collection "nope"');
    expect(err(() => parseDataMap(base({ eraseAfter: ['shop.a'] }, [b])))).toBe('shop.a: eraseAfter names the collection itself');
    expect(err(() => parseDataMap(base({ eraseAfter: ['nodot'] }, [b])))).toBe('shop.a: eraseAfter "nodot" must be "dataset.collection"');
    expect(err(() => parseDataMap(base({ eraseAfter: ['shop.b'] }, [{ ...b, eraseAfter: ['shop.a'] }])))).toBe('shop: eraseAfter cycle a → b → a');
    // a dotted collection name of this dataset: this dataset's key, then the rest
    expect(() => parseDataMap(base({ eraseAfter: ['shop.b.c'] }, [{ name: 'b.c', fields: [{ name: 'id' }] }]))).not.toThrow();
  });

  it('erases in eraseAfter order, children before parents otherwise', () => {
    const m = parseDataMap({
      dataset: 'shop', collections: [
        { name: 'customer', fields: [{ name: 'id', primaryKey: true }] },
        { name: 'orders', fields: [{ name: 'id' }, { name: 'customer_id', references: [{ collection: 'customer', field: 'id', direction: 'from' }] }] },
        { name: 'carts', eraseAfter: ['shop.customer'], fields: [{ name: 'id' }, { name: 'customer_id', references: [{ collection: 'customer', field: 'id', direction: 'from' }] }] },
      ],
    });
    const order = deletionOrder(m);
    expect(order.indexOf('orders')).toBeLessThan(order.indexOf('customer'));
    // carts holds a reference to customer (children first) but must be erased after it: eraseAfter wins
    expect(order.indexOf('customer')).toBeLessThan(order.indexOf('carts'));
  });

  it('counts nested personal fields when deciding whether a collection is personal', () => {
    const m = parseDataMap({ dataset: 'd', collections: [{ name: 'c', fields: [{ name: 'id', primaryKey: true }, { name: 'doc', fields: [{ name: 'email', categories: ['user.contact.email'] }] }] }] });
    expect(isPersonalCollection(m.collections[0]!)).toBe(true);
  });
});

describe('names', () => {
  const withNames = (collection: string, field: string): DataMapInput => ({
    dataset: 'x', collections: [{ name: collection, fields: [{ name: 'id', primaryKey: true }, { name: field, categories: ['user.name'] }], optOut: { field, value: 1 } }],
  });
  it('may hold spaces, quotes, dots and other printable characters', () => {
    for (const [c, f] of [['Order Items', 'Full Name'], ['a"; DROP TABLE x; --', "O'Brien \"nick\""], ['sales.orders', 'ship.to'], ['Bestellungen', 'Straße'], ['顧客', '名前'], ['  padded ', 'tab	inside']] as const) {
      if (f.includes('\t')) { expect(() => parseDataMap(withNames(c, f))).toThrow(/control/u); continue; }
      const m = parseDataMap(withNames(c, f));
      expect(m.collections[0]!.name).toBe(c);
      expect(m.collections[0]!.fields[1]!.name).toBe(f);
    }
  });
  it('refuses empty, blank, control-character, invisible-character and over-long names', () => {
    expect(err(() => parseDataMap(withNames('', 'x')))).toBe('collections.0.name (x.""): collection name must not be empty');
    expect(err(() => parseDataMap(withNames('   ', 'x')))).toMatch(/collection name must not be blank/u);
    expect(err(() => parseDataMap(withNames('a', 'line\nbreak')))).toContain('collections.0.fields.1.name (x.a."line\\nbreak"): field name must not contain control');
    expect(err(() => parseDataMap(withNames('a', 'zero\u200bwidth')))).toMatch(/field name must not contain control or invisible/u);
    expect(err(() => parseDataMap(withNames('a', 'bidi\u202eevil')))).toMatch(/field name must not contain control or invisible/u);
    expect(err(() => parseDataMap(withNames('a'.repeat(129), 'x')))).toMatch(/collection name must be at most 128 characters/u);
    expect(() => parseDataMap(withNames('a'.repeat(128), 'x'))).not.toThrow();
  });
  it('come in from Fides with their spaces and quotes', () => {
    const m = importOne(oneField(`
- name: "Full \\"Nick\\" Name"
  data_categories: [user.name]`).replace('- name: t\n', '- name: "Order Items"\n'));
    expect(m.collections[0]!.name).toBe('Order Items');
    expect(m.collections[0]!.fields[1]!.name).toBe('Full "Nick" Name');
  });
});

describe('validation against the live schema and engines', () => {
  const nested = parseDataMap({
    dataset: 'app', collections: [
      { name: 'users', fields: [{ name: 'id', primaryKey: true }, { name: 'profile', fields: [{ name: 'email', categories: ['user.contact.email'] }, { name: 'home', fields: [{ name: 'city', categories: ['user.contact.address.city'] }] }] }] },
      { name: 'old_users', skip: true, fields: [{ name: 'id' }, { name: 'blob', dataType: 'object[]', fields: [{ name: 'x' }] }] },
    ],
  });
  it('checks top-level columns only; skipped collections are not checked', () => {
    expect(() => validateAgainstSchema(nested, [{ name: 'users', fields: [{ name: 'id', dataType: 'integer', nullable: false, primaryKey: true }, { name: 'profile', dataType: 'jsonb', nullable: true, primaryKey: false }] }])).not.toThrow();
    expect(() => validateAgainstSchema(nested, [{ name: 'users', fields: [{ name: 'id', dataType: 'integer', nullable: false, primaryKey: true }] }])).toThrow(/unknown column "users\.profile"/u);
  });
  it('unsupportedFeatures refuses nested fields on engines whose fields cannot hold objects, naming the field and each nested field', () => {
    for (const engine of ['postgres', 'sqlite', 'dynamodb', 'mysql']) expect(unsupportedFeatures(nested, engine)).toEqual([]);
    for (const engine of ['parquet', 'redshift', 'athena']) {
      expect(unsupportedFeatures(nested, engine)).toEqual([`app.users.profile: nested fields (profile.email, profile.home, profile.home.city) are not supported on engine ${engine} (only on postgres, sqlite, dynamodb, mysql)`]);
    }
    const arr = parseDataMap({ dataset: 'app', collections: [{ name: 'users', fields: [{ name: 'id' }, { name: 'contacts', dataType: 'object[]', fields: [{ name: 'phone' }] }] }] });
    expect(unsupportedFeatures(arr, 'postgres')).toEqual(['app.users.contacts: nested fields in an array of objects (data type object[]) are not supported']);
  });
  it('with the live schema, checks that the column can hold an object', () => {
    const live = (type: string) => [{ name: 'users', fields: [{ name: 'id', dataType: 'integer', nullable: false, primaryKey: true }, { name: 'profile', dataType: type, nullable: true, primaryKey: false }] }];
    expect(unsupportedFeatures(nested, 'postgres', live('jsonb'))).toEqual([]);
    expect(unsupportedFeatures(nested, 'postgres', live('json'))).toEqual([]);
    expect(unsupportedFeatures(nested, 'postgres', live('text'))).toEqual(['app.users.profile: nested fields need a json or jsonb column on postgres (the column is text)']);
    expect(unsupportedFeatures(nested, 'sqlite', live('text'))).toEqual([]);
    expect(unsupportedFeatures(nested, 'sqlite', live('integer'))).toEqual(['app.users.profile: nested fields need a JSON text column on sqlite (the column is integer)']);
    expect(unsupportedFeatures(nested, 'dynamodb', live('ANY'))).toEqual([]);
    expect(unsupportedFeatures(nested, 'dynamodb', live('S'))).toHaveLength(1);
  });
  it('unsupportedFeatures refuses an erasure order across datasets', () => {
    const m = parseDataMap({ dataset: 'app', collections: [{ name: 'a', eraseAfter: ['crm.contacts'], fields: [{ name: 'id' }] }] });
    expect(unsupportedFeatures(m, 'sqlite')).toEqual(['app.a: eraseAfter "crm.contacts" names another dataset (erasure order across systems is not supported)']);
  });
  it('the demo shop and the Fides features map have nothing an SQL engine cannot honour', () => {
    expect(unsupportedFeatures(demoShopDataMap(), 'sqlite')).toEqual([]);
    expect(unsupportedFeatures(importOne(FEATURES), 'postgres')).toEqual([]);
  });
});

describe('masking', () => {
  it('a random mask has the length the map gives', () => {
    const live = { name: 'n', dataType: 'text', nullable: true, primaryKey: false };
    expect(String(maskedValue({ strategy: 'random', length: 8 }, 'Ann', live, (v) => v))).toMatch(/^[0-9a-f]{8}$/u);
    expect(String(maskedValue({ strategy: 'random', length: 7 }, 'Ann', live, (v) => v))).toHaveLength(7);
    expect(String(maskedValue({ strategy: 'random' }, 'Ann', live, (v) => v))).toHaveLength(24);
    expect(String(maskedValue({ strategy: 'random', length: 30 }, 'Ann', { ...live, maxLength: 10 }, (v) => v))).toHaveLength(10);
  });
});
