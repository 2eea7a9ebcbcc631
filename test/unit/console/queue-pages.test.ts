import { describe, it, expect } from 'vitest';
import { PAGE_SIZE, missingPages, newCache, rowAt } from '../../../renderer/src/screens/queue-pages';
import type { CaseView } from '../../../shared/domain/case';

describe('queue paging', () => {
  it('asks only for pages covering the visible rows that are not loaded or loading', () => {
    const c = newCache('k');
    expect(missingPages(c, 0, 30)).toEqual([0]);
    c.pages.set(0, []);
    c.inflight.add(1);
    expect(missingPages(c, 90, PAGE_SIZE * 3 + 5)).toEqual([2, 3]);
    expect(missingPages(c, 50_000, 50_020)).toEqual([500]);
  });
  it('finds a row by absolute index', () => {
    const c = newCache('k');
    const rows = Array.from({ length: PAGE_SIZE }, (_, i) => ({ id: `PD-${i}` }) as CaseView);
    c.pages.set(3, rows);
    expect(rowAt(c, 3 * PAGE_SIZE + 7)?.id).toBe('PD-7');
    expect(rowAt(c, 7)).toBeUndefined();
  });
});
