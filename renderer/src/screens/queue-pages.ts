// Server-side paging for the virtualised queue: pages of rows fetched on demand as the list
// scrolls, cached per query; a new query (filter/sort/search) starts a fresh cache.
import type { CaseView } from '../../../shared/domain/case';

export const PAGE_SIZE = 100;

export interface PageCache {
  key: string;
  total: number | null;
  pages: Map<number, CaseView[]>;
  inflight: Set<number>;
}

export function newCache(key: string): PageCache {
  return { key, total: null, pages: new Map(), inflight: new Set() };
}

/** Pages covering rows [first, last] that are neither loaded nor being loaded. */
export function missingPages(cache: PageCache, first: number, last: number): number[] {
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(Math.max(0, last) / PAGE_SIZE); p += 1) {
    if (!cache.pages.has(p) && !cache.inflight.has(p)) out.push(p);
  }
  return out;
}

export function rowAt(cache: PageCache, index: number): CaseView | undefined {
  return cache.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
}
