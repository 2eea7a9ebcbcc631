// Queue: every case, filtered/sorted/searched on the server (search by case id or identity via
// its keyed hash), shown in a virtualised list that fetches pages as it scrolls. Stays instant at
// 100k cases: the page never holds more than the rows around the viewport.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { CASE_STATUSES, CASE_TYPES, CHANNELS, JURISDICTIONS, type CaseStatus, type CaseType, type Channel, type Jurisdiction } from '../../../shared/domain/case-values';
import { useApi } from '../api/context';
import { useDebounced } from '../hooks';
import { CHANNEL_LABEL, STATUS_LABEL, TYPE_LABEL, formatDay } from '../format';
import { navigate } from '../router';
import { DaysLeft, ErrorNote, StatusBadge } from '../components/ui';
import { OpenAppealsPanel } from './OpenAppealsPanel';
import { PAGE_SIZE, missingPages, newCache, rowAt, type PageCache } from './queue-pages';

type Sort = 'respondBy' | 'receivedAt' | 'status' | 'type' | 'id';
interface Filters {
  status: CaseStatus | ''; type: CaseType | ''; channel: Channel | ''; jurisdiction: Jurisdiction | '';
  overdue: boolean; search: string; sort: Sort; order: 'asc' | 'desc';
}
const INITIAL: Filters = { status: '', type: '', channel: '', jurisdiction: '', overdue: false, search: '', sort: 'respondBy', order: 'asc' };
const ROW_HEIGHT = 44;

export function QueueScreen() {
  const { client } = useApi();
  const [filters, setFilters] = useState<Filters>(INITIAL);
  const [appealsOnly, setAppealsOnly] = useState(false);
  const search = useDebounced(filters.search, 250);
  const query = useMemo(() => ({
    status: filters.status || undefined, type: filters.type || undefined, channel: filters.channel || undefined,
    jurisdiction: filters.jurisdiction || undefined, overdue: filters.overdue || undefined,
    search: search.trim() || undefined, sort: filters.sort, order: filters.order,
  }), [filters.status, filters.type, filters.channel, filters.jurisdiction, filters.overdue, search, filters.sort, filters.order]);
  const key = JSON.stringify(query);
  const cacheRef = useRef<PageCache>(newCache(key));
  const [, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  // How long the last query change took until its first rows were on screen (data-filter-ms, read
  // by bench/console-queue.ts; data-query-seq counts the queries measured).
  const [shown, setShown] = useState<{ seq: number; ms: number } | null>(null);
  const measured = useRef<PageCache | null>(null);
  const [countShown, setCountShown] = useState<{ seq: number; ms: number } | null>(null);
  const countMeasured = useRef<PageCache | null>(null);
  const started = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);

  if (cacheRef.current.key !== key) { cacheRef.current = newCache(key); started.current = performance.now(); }
  const cache = cacheRef.current;

  // Rows (cases.page) and the total (cases.count, once per query) are asked for apart: the first
  // rows show without waiting for a count over every matching case (up to 10^6 index entries).
  const load = useCallback((pages: number[]) => {
    const c = cacheRef.current;
    for (const p of pages) {
      c.inflight.add(p);
      client.call('cases.page', { ...query, offset: p * PAGE_SIZE, limit: PAGE_SIZE }).then((r) => {
        if (cacheRef.current !== c) return;
        c.inflight.delete(p);
        c.pages.set(p, r.items);
        if (p === 0 && r.items.length < PAGE_SIZE) c.total = r.items.length; // the whole list is in this page
        setError(null);
        setVersion((v) => v + 1);
      }, (e: unknown) => {
        c.inflight.delete(p);
        if (cacheRef.current === c) { setError(e); setVersion((v) => v + 1); }
      });
    }
  }, [client, query]);

  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
    const c = cacheRef.current;
    load([0]);
    const { sort: _sort, order: _order, ...filtersOnly } = query;
    client.call('cases.count', filtersOnly).then((r) => {
      if (cacheRef.current !== c) return;
      c.total = r.total;
      setVersion((v) => v + 1);
    }, (e: unknown) => {
      if (cacheRef.current === c) { setError(e); setVersion((v) => v + 1); }
    });
  }, [key, load, client, query]);

  // After the commit that put the first page's rows on screen: the time since the query changed
  // (and, once, the mark `pd-queue-rows`: the first rows after the page loaded).
  const firstPageShown = cache.pages.has(0);
  useEffect(() => {
    if (!firstPageShown || measured.current === cache) return;
    const firstEver = measured.current === null;
    measured.current = cache;
    if (firstEver) performance.mark('pd-queue-rows');
    const ms = Math.max(1, Math.round(performance.now() - started.current));
    setShown((s) => ({ seq: (s?.seq ?? 0) + 1, ms }));
  }, [cache, firstPageShown]);
  // The same for the total (data-count-ms, data-count-seq).
  const counted = cache.total !== null;
  useEffect(() => {
    if (!counted || countMeasured.current === cache) return;
    countMeasured.current = cache;
    const ms = Math.max(1, Math.round(performance.now() - started.current));
    setCountShown((s) => ({ seq: (s?.seq ?? 0) + 1, ms }));
  }, [cache, counted]);

  // Until the count comes: the rows of the first page (the list shows them; the count says
  // "Counting…" and the table's aria-rowcount is -1, unknown, never the first page's length).
  const total = cache.total ?? cache.pages.get(0)?.length ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (cache.total === null) return;
    const need = missingPages(cache, first, last);
    if (need.length) load(need);
  }, [cache, first, last, load]);

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const sortBy = (s: Sort) => setFilters((f) => ({ ...f, sort: s, order: f.sort === s && f.order === 'asc' ? 'desc' : 'asc' }));
  const onRowKey = (e: React.KeyboardEvent, index: number) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const next = Math.min(total - 1, Math.max(0, index + (e.key === 'ArrowDown' ? 1 : -1)));
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() => (scroller.current?.querySelector(`[data-index="${next}"] a`) as HTMLElement | null)?.focus());
  };
  const sortHeader = (s: Sort, label: string) => (
    <button type="button" className="th-sort" onClick={() => sortBy(s)} aria-label={`Sort by ${label}`}
      aria-pressed={filters.sort === s}>{label}{filters.sort === s ? (filters.order === 'asc' ? ' ▲' : ' ▼') : ''}</button>
  );

  return (
    <div className="queue">
      <header className="page-head">
        <h1>Queue</h1>
        <p className="muted" aria-live="polite" data-testid="queue-count" data-filter-ms={shown?.ms ?? ''} data-query-seq={shown?.seq ?? 0}
          data-count-ms={countShown?.ms ?? ''} data-count-seq={countShown?.seq ?? 0}>
          {cache.total === null ? (cache.pages.has(0) ? 'Counting…' : 'Loading…') : `${total.toLocaleString('en-US')} case${total === 1 ? '' : 's'}`}
        </p>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field grow">
          <label htmlFor="q-search">Search case id, email or phone</label>
          <input id="q-search" type="search" placeholder="PD-…, 3K9F2Q or jane@example.com" value={filters.search} autoComplete="off"
            onChange={(e) => set('search', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="q-status">Status</label>
          <select id="q-status" value={filters.status} onChange={(e) => set('status', e.target.value as CaseStatus | '')}>
            <option value="">Any</option>{CASE_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABEL[s]}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-type">Type</label>
          <select id="q-type" value={filters.type} onChange={(e) => set('type', e.target.value as CaseType | '')}>
            <option value="">Any</option>{CASE_TYPES.map((s) => <option key={s} value={s}>{TYPE_LABEL[s]}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-channel">Channel</label>
          <select id="q-channel" value={filters.channel} onChange={(e) => set('channel', e.target.value as Channel | '')}>
            <option value="">Any</option>{CHANNELS.map((s) => <option key={s} value={s}>{CHANNEL_LABEL[s]}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-jur">Jurisdiction</label>
          <select id="q-jur" value={filters.jurisdiction} onChange={(e) => set('jurisdiction', e.target.value as Jurisdiction | '')}>
            <option value="">Any</option>{JURISDICTIONS.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <div className="field check">
          <input id="q-overdue" type="checkbox" checked={filters.overdue} onChange={(e) => set('overdue', e.target.checked)} />
          <label htmlFor="q-overdue">Overdue only</label>
        </div>
        <div className="field check">
          <input id="q-appeals" type="checkbox" checked={appealsOnly} onChange={(e) => setAppealsOnly(e.target.checked)} />
          <label htmlFor="q-appeals">Open appeals</label>
        </div>
        <button type="button" className="btn ghost" onClick={() => setFilters(INITIAL)}>Clear</button>
      </form>
      <ErrorNote error={error} />
      {appealsOnly && <OpenAppealsPanel />}
      <div className="qtable" hidden={appealsOnly} role="table" aria-label="Cases" aria-rowcount={cache.total === null ? -1 : total + 1}>
        <div className="qrow qhead" role="row">
          <span role="columnheader">{sortHeader('id', 'Case')}</span>
          <span role="columnheader">{sortHeader('type', 'Type')}</span>
          <span role="columnheader">Channel</span>
          <span role="columnheader">Jur.</span>
          <span role="columnheader">{sortHeader('status', 'Status')}</span>
          <span role="columnheader">{sortHeader('respondBy', 'Due')}</span>
          <span role="columnheader">{sortHeader('receivedAt', 'Received')}</span>
          <span role="columnheader">Assignee</span>
        </div>
        <div className="qbody" ref={scroller} data-testid="queue-scroll">
          {cache.total === 0 && (search.trim() ? (
            <div className="empty" data-testid="search-hint">
              <p>No case matches &ldquo;{search.trim()}&rdquo;{filters.status || filters.type || filters.channel || filters.jurisdiction || filters.overdue ? ' with these filters' : ''}.</p>
              <p className="small">Case ids look like <code>PD-20261202-3K9F2Q</code>: search by the start of the id, its date (<code>20261202</code>), or the start or end of its six-character code (<code>3K9F</code>, <code>F2Q</code>). Emails and phone numbers must be typed in full (they are matched by keyed hash, never as text).</p>
            </div>
          ) : <p className="empty">No cases match these filters.</p>)}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const c = rowAt(cache, v.index);
              return (
                <div key={v.key} data-index={v.index} className="qrow" role="row" aria-rowindex={v.index + 2}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}>
                  {c ? (<>
                    <span role="cell"><a href={`#/case/${c.id}`} onKeyDown={(e) => onRowKey(e, v.index)} className="case-link">{c.id}</a></span>
                    <span role="cell">{TYPE_LABEL[c.type]}</span>
                    <span role="cell">{CHANNEL_LABEL[c.channel]}</span>
                    <span role="cell">{c.jurisdiction}</span>
                    <span role="cell"><StatusBadge status={c.status} /></span>
                    <span role="cell"><DaysLeft daysLeft={c.daysLeft} status={c.status} paused={c.deadlines.paused} /></span>
                    <span role="cell" className="muted">{formatDay(c.receivedAt)}</span>
                    <span role="cell">{c.assignee ?? <span className="muted">—</span>}</span>
                  </>) : <span role="cell" className="muted loading-row">Loading…</span>}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <p className="muted small">Tip: ↑/↓ move between cases, Enter opens one. <button type="button" className="linklike" onClick={() => navigate({ screen: 'new' })}>New request</button></p>
    </div>
  );
}
