import { describe, it, expect } from 'vitest';
import { retentionCutoff } from '../../../shared/store/retention';

describe('retentionCutoff', () => {
  it.each([
    ['2028-06-15T10:00:00.000Z', 24, '2026-06-15T10:00:00.000Z'],
    ['2028-02-29T00:00:00.000Z', 24, '2026-02-28T00:00:00.000Z'], // no 29 Feb in 2026
    ['2028-03-31T12:00:00.000Z', 1, '2028-02-29T12:00:00.000Z'],
    ['2027-01-10T00:00:00.000Z', 24, '2025-01-10T00:00:00.000Z'],
    ['2027-01-31T00:00:00.000Z', 2, '2026-11-30T00:00:00.000Z'],
  ])('%s minus %i months is %s', (now, months, cutoff) => {
    expect(retentionCutoff(new Date(now), months).toISOString()).toBe(cutoff);
  });
  it('refuses a nonsensical period', () => {
    expect(() => retentionCutoff(new Date(), 0)).toThrow(/at least 1/u);
  });
});
