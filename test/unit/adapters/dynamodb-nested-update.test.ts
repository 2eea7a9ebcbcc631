import { describe, expect, it } from 'vitest';
import { PathNames, isNestedChange, nestedOps, samePlain } from '../../../shared/adapters/dynamodb/nested-update';

describe('DynamoDB nested map changes as document paths (shared/adapters/dynamodb/nested-update.ts)', () => {
  const before = {
    name: 'Mia Roth', 'display name': 'Mia R.', tier: 'gold', tags: ['vip', 'beta'], loyalty_no: '12345678901234567890',
    address: { city: 'Leipzig', zip: '04109' }, preferences: { sms: true },
  };

  it('only the leaves that change are written; unchanged siblings (sets, big numbers read as text) are not', () => {
    const after = { ...before, name: null, 'display name': 'h-0a1b', address: { ...before.address, city: 'redacted-1' } };
    expect(nestedOps('profile', before, after)).toEqual({
      sets: [{ path: ['profile', 'display name'], value: 'h-0a1b' }, { path: ['profile', 'address', 'city'], value: 'redacted-1' }],
      removes: [['profile', 'name']],
    });
  });

  it('a key the masked map no longer has is removed; a new key is set; a changed list is set whole', () => {
    const { name: _n, ...without } = before;
    expect(nestedOps('p', before, { ...without, tags: ['vip'], extra: 1 })).toEqual({
      sets: [{ path: ['p', 'tags'], value: ['vip'] }, { path: ['p', 'extra'], value: 1 }],
      removes: [['p', 'name']],
    });
    expect(nestedOps('p', before, before)).toEqual({ sets: [], removes: [] });
  });

  it('a map replaced by a scalar (or the reverse) is set at its path', () => {
    expect(nestedOps('p', { a: { b: 1 } }, { a: 'x' })).toEqual({ sets: [{ path: ['p', 'a'], value: 'x' }], removes: [] });
  });

  it('nested changes only between two maps', () => {
    expect(isNestedChange({}, { a: 1 })).toBe(true);
    expect(isNestedChange('{"a":1}', { a: 1 })).toBe(false);
    expect(isNestedChange({ a: 1 }, [1])).toBe(false);
    expect(isNestedChange(null, { a: 1 })).toBe(false);
  });

  it('plain deep equality (undefined keys ignored, null equal to undefined)', () => {
    expect(samePlain({ a: [1, { b: 'x' }], c: undefined }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(samePlain({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(samePlain(null, undefined)).toBe(true);
    expect(samePlain(1, '1')).toBe(false);
  });

  it('one expression attribute name per distinct segment, spaces and reserved words included', () => {
    const pn = new PathNames();
    expect(pn.path(['profile', 'display name'])).toBe('#n0.#n1');
    expect(pn.path(['profile', 'address', 'select'])).toBe('#n0.#n2.#n3');
    expect(pn.names).toEqual({ '#n0': 'profile', '#n1': 'display name', '#n2': 'address', '#n3': 'select' });
  });
});
