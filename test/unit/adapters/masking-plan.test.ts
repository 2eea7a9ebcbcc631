import { createHmac } from 'node:crypto';
// Masking values fit their column; the plan sets shared rows aside, keeps exempt rows, deletes or
// masks per collection, masks only chosen categories for delete_pii, and sets opt-out flags.
import { describe, expect, it } from 'vitest';
import { maskedValue } from '../../../shared/app/datamap/masking';
import { buildPlan, changesOf } from '../../../shared/app/datamap/plan-rows';
import { classifyValues, luhnValid } from '../../../shared/adapters/pii-discovery';
import { demoShopDataMap } from '../../../shared/adapters/demo-shop';
import type { DiscoveryResult } from '../../../shared/domain/discovery';
import type { CollectionSchema } from '../../../shared/adapters/port';

const hash = (v: string) => `h_${v.length}_${'x'.repeat(60)}`;
const col = (name: string, dataType: string, nullable: boolean, maxLength: number | null = null) => ({ name, dataType, nullable, primaryKey: false, maxLength });

describe('masked values', () => {
  it('null where allowed, a valid value of the column type where not', () => {
    expect(maskedValue(undefined, 'x', col('a', 'text', true), hash)).toBeNull();
    expect(String(maskedValue(undefined, 'x', col('a', 'text', false), hash))).toMatch(/^redacted-[0-9a-f]+$/u);
    expect(maskedValue(undefined, 5, col('a', 'integer', false), hash)).toBe(0);
    expect(maskedValue(undefined, true, col('a', 'boolean', false), hash)).toBe(false);
    expect(maskedValue(undefined, '2020-01-01', col('a', 'date', false), hash)).toBe('1970-01-01');
  });

  it('fixed, keyed hash and random fit the column length', () => {
    expect(maskedValue({ strategy: 'fixed', value: 'REDACTED' }, 'x', col('a', 'character varying', false, 4), hash)).toBe('REDA');
    expect(String(maskedValue({ strategy: 'hash' }, 'abc', col('a', 'varchar', true, 10), hash))).toHaveLength(10);
    // "random" is a keyed-hash token: stable for the same original (the check and a re-run after a
    // crash find the same value), different for different originals, never the original itself
    const hmac = (v: string) => createHmac('sha256', 'test-key').update(v).digest('hex');
    const r1 = maskedValue({ strategy: 'random' }, 'abc', col('a', 'text', true), hmac);
    const r2 = maskedValue({ strategy: 'random' }, 'abc', col('a', 'text', true), hmac);
    const r3 = maskedValue({ strategy: 'random' }, 'abd', col('a', 'text', true), hmac);
    expect(r1).toBe(r2);
    expect(r1).not.toBe(r3);
    expect(String(r1)).not.toContain('abc');
    expect(maskedValue({ strategy: 'fixed', value: 'text' }, 5, col('a', 'integer', false), hash)).toBe(0);
  });
});

describe('the plan', () => {
  const map = demoShopDataMap();
  const live: CollectionSchema[] = map.collections.map((c) => ({ name: c.name, fields: c.fields.map((f) => ({ name: f.name, dataType: /id|cents|qty|newsletter|do_not_sell/u.test(f.name) ? 'integer' : 'text', nullable: !['email', 'ip_address', 'first_name'].includes(f.name), primaryKey: f.primaryKey })) }));
  const result: DiscoveryResult = {
    caseId: 'PD-1', strategy: 'exact', at: '2026-01-01T00:00:00Z', systems: ['shop'], errors: [],
    collections: [
      { system: 'shop', dataset: 'demo_shop', collection: 'customers', rows: [
        { key: { id: 1 }, values: { id: 1, email: 'a@example.com', phone: '+14155550101', first_name: 'Ann', last_name: 'Lee', birth_date: null, loyalty_id: 'L-1', created_at: 't' }, categories: {}, via: 'identity:email', shared: null, exempt: null },
      ] },
      { system: 'shop', dataset: 'demo_shop', collection: 'addresses', rows: [
        { key: { id: 10 }, values: { id: 10, line1: '1 Main', city: 'SF', postal_code: '94105', country: 'US' }, categories: {}, via: 'reference:customer_addresses.address_id', shared: { reason: 'also linked from customer_addresses of another person' }, exempt: null },
        { key: { id: 11 }, values: { id: 11, line1: '2 Main', city: 'SF', postal_code: '94105', country: 'US' }, categories: {}, via: 'reference:customer_addresses.address_id', shared: null, exempt: null },
      ] },
      { system: 'shop', dataset: 'demo_shop', collection: 'logins', rows: [
        { key: { id: 500 }, values: { id: 500, customer_id: 1, ip_address: '203.0.113.1', user_agent: 'Firefox', at: 't' }, categories: {}, via: 'reference:customers.id', shared: null, exempt: null },
      ] },
      { system: 'shop', dataset: 'demo_shop', collection: 'invoices', rows: [
        { key: { id: 900 }, values: { id: 900, customer_name: 'Ann Lee' }, categories: {}, via: 'reference:orders.id', shared: null, exempt: { reason: 'retention (tax)' } },
      ] },
      { system: 'shop', dataset: 'demo_shop', collection: 'marketing_consent', rows: [
        { key: { email: 'a@example.com' }, values: { email: 'a@example.com', newsletter: 1, do_not_sell: 0 }, categories: {}, via: 'identity:email', shared: null, exempt: null },
      ] },
    ],
  };
  const opts = { itemId: (s: string, c: string, k: Record<string, unknown>) => `${s}/${c}/${JSON.stringify(k)}`, keyedHash: hash };

  it('delete: rows of delete-mode collections deleted (children first), others masked, shared set aside, exempt kept', async () => {
    const plan = await buildPlan(result, [{ name: 'shop', map, live }], { type: 'delete', ...opts });
    const by = (n: string) => plan.collections.find((c) => c.collection === n)!;
    expect(by('customers').deletes).toEqual([{ id: 1 }]);
    expect(by('logins').deletes).toEqual([{ id: 500 }]);
    expect(by('addresses').setAside).toEqual([{ key: { id: 10 }, reason: 'also linked from customer_addresses of another person' }]);
    expect(by('addresses').updates.map((u) => u.key)).toEqual([{ id: 11 }]);
    expect(by('addresses').updates[0]!.set).toMatchObject({ line1: null, city: null });
    expect(by('invoices').exempt).toHaveLength(1);
    expect(plan.totals).toMatchObject({ deleted: 3, masked: 1, setAside: 1, exempt: 1 });
    const changes = changesOf(plan, 'shop');
    expect(changes.findIndex((c) => c.collection === 'logins')).toBeLessThan(changes.findIndex((c) => c.collection === 'customers'));
  });

  it('an approved shared row is erased; delete_pii masks only the chosen categories', async () => {
    const approved = await buildPlan(result, [{ name: 'shop', map, live }], { type: 'delete', ...opts, decisions: new Map([['shop/addresses/{"id":10}', 'approved']]) });
    expect(approved.collections.find((c) => c.collection === 'addresses')!.updates).toHaveLength(2);
    const pii = await buildPlan(result, [{ name: 'shop', map, live }], { type: 'delete_pii', categories: ['user.device'], ...opts });
    const logins = pii.collections.find((c) => c.collection === 'logins')!;
    expect(logins.deletes).toEqual([]);
    expect(Object.keys(logins.updates[0]!.set).sort()).toEqual(['ip_address', 'user_agent']);
    expect(logins.updates[0]!.set.ip_address).not.toBeNull(); // NOT NULL column
    expect(pii.collections.find((c) => c.collection === 'customers')!.updates).toEqual([]);
  });

  it('correct sets the new value in every field of that category, keys and references untouched', async () => {
    const plan = await buildPlan(result, [{ name: 'shop', map, live }], { type: 'correct', corrections: { 'user.contact.phone_number': '+14155550199' }, ...opts });
    expect(changesOf(plan, 'shop')).toEqual([{ collection: 'customers', key: { id: 1 }, action: 'update', set: { phone: '+14155550199' }, original: { phone: '+14155550101' } }]);
    expect(plan.totals.updated).toBe(1);
  });

  it('opt_out sets the flag and nothing else', async () => {
    const plan = await buildPlan(result, [{ name: 'shop', map, live }], { type: 'opt_out', ...opts });
    const changes = changesOf(plan, 'shop');
    expect(changes).toEqual([{ collection: 'marketing_consent', key: { email: 'a@example.com' }, action: 'update', set: { do_not_sell: 1 }, original: { do_not_sell: 0 } }]);
  });
});

describe('value checks for PII discovery', () => {
  it('Luhn, emails and phones', async () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(classifyValues(['a@example.com', 'b@example.org', null, 'nope'])).toMatchObject({ kind: 'email' });
    expect(classifyValues(['(415) 555-0101', '+1 415 555 0102', '415.555.0103'])).toMatchObject({ kind: 'phone' });
    expect(classifyValues(['4111111111111111', '5500005555555559'])).toMatchObject({ kind: 'card' });
    expect(classifyValues(['hello', 'world', '42']).kind).toBeNull();
  });
});
