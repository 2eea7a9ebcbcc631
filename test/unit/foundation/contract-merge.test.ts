// The areas' contracts and handlers are merged by name; a name given twice must fail loudly (an
// object spread let the later area's definition win silently).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mergeDistinct, op } from '../../../shared/app/contract/define';
import { contract } from '../../../shared/app/contract';

describe('merging the areas of the API', () => {
  const a = { 'x.get': op('query', z.object({}), z.null(), 'x') };
  const b = { 'y.get': op('query', z.object({}), z.null(), 'y') };

  it('keeps every operation of every area', () => {
    const m = mergeDistinct('contract', a, b);
    expect(Object.keys(m)).toEqual(['x.get', 'y.get']);
    expect(m['y.get']).toBe(b['y.get']);
  });

  it('throws on an operation declared by two areas, naming it', () => {
    expect(() => mergeDistinct('contract', a, b, { 'x.get': op('command', z.object({}), z.null(), 'again') })).toThrow('contract: operation "x.get" is declared twice');
  });

  it('the real contract merged without a duplicate (it would have thrown at import)', () => {
    expect(Object.keys(contract).length).toBeGreaterThan(50);
  });
});
