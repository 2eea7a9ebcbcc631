import { describe, it, expect } from 'vitest';
import { canonicalJson } from '../../../shared/store/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"x":null,"z":1}]},"b":1}');
  });
  it('gives the same text for the same value built in any order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });
  it('encodes dates, bigints, booleans and escapes', () => {
    expect(canonicalJson([new Date('2026-01-01T00:00:00Z'), 12n, true, 'a"b\n'])).toBe('["2026-01-01T00:00:00.000Z","12",true,"a\\"b\\n"]');
  });
  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/u);
    expect(() => canonicalJson(Symbol('s'))).toThrow(/symbol/u);
  });
});
