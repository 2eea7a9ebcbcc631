// Migrations 050 and 051 (console queue indexes) on SQLite and on a real PostgreSQL: the queue's
// filter + sort queries walk an index in order (no sort of every matching row) on both engines, and
// sorting by due date lists open cases before closed and denied ones in both directions (051).
// Migration 144 (the remaining sorts and the counts from an index) and the queue's two operations,
// cases.page (rows) and cases.count (their total), through the app API: the same cases as
// cases.list, the same role rule (a viewer's query), the same input validation.
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { loadDemoDataIfEmpty } from '../../../shared/app/demo-data';
import type { CaseView } from '../../../shared/domain/case';
import { migrate } from '../../../shared/store/migrate';
import { ApiAuthError, ApiInputError } from '../../../shared/app/api';
import type { SqlValue } from '../../../shared/store/db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

/** One PostgreSQL server for the file, started by the first test that needs it. */
let pgServer: Promise<PostgresServer> | undefined;
const postgres = () => (pgServer ??= startPostgres());
afterAll(async () => { if (pgServer) await (await pgServer).stop(); }, 60_000);

const QUEUE_INDEXES = [
  'cases_queue_respond_idx', 'cases_queue_received_idx', 'cases_queue_status_respond_idx', 'cases_queue_status_received_idx',
  'cases_queue_type_respond_idx', 'cases_queue_type_received_idx', 'cases_queue_status_type_idx',
];

describe('migration 050: console queue indexes', () => {
  const dirs: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'pd-idx-')); dirs.push(d); return d; };

  it('lets SQLite serve filtered, sorted pages straight from an index', async () => {
    const dir = tmp();
    const app: App = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'c.sqlite') }, runEngine: false });
    cleanups.push(() => app.close());
    const names = (await app.ctx.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'")).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(QUEUE_INDEXES));
    const plan = async (sql: string) => (await app.ctx.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)).map((r) => r.detail).join(' | ');
    for (const sql of [
      'SELECT * FROM cases ORDER BY respond_by ASC, id ASC LIMIT 100 OFFSET 50000',
      "SELECT * FROM cases WHERE status = 'closed' ORDER BY respond_by ASC, id ASC LIMIT 100",
      "SELECT * FROM cases WHERE status = 'closed' ORDER BY received_at DESC, id DESC LIMIT 100",
      "SELECT * FROM cases WHERE type = 'delete' ORDER BY received_at ASC, id ASC LIMIT 100",
      "SELECT * FROM cases WHERE status = 'closed' AND type = 'access' ORDER BY respond_by ASC, id ASC LIMIT 100",
    ]) {
      const p = await plan(sql);
      expect(p, sql).toMatch(/USING (COVERING )?INDEX cases_queue_/u);
      expect(p, sql).not.toMatch(/TEMP B-TREE/u);
    }
  });

  it('creates the same indexes on PostgreSQL', async () => {
    const pg = await postgres();
    const dir = tmp();
    const app: App = await createApp({ dataDir: dir, db: { kind: 'postgres', url: pg.url }, runEngine: false });
    cleanups.push(() => app.close());
    const names = (await app.ctx.db.all<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'cases'")).map((r) => r.indexname);
    expect(names).toEqual(expect.arrayContaining(QUEUE_INDEXES));
    const listed = await app.call('cases.list', { status: 'closed', sort: 'receivedAt', order: 'desc' }, { actor: 't' });
    expect(listed).toEqual({ items: [], total: 0 });
  });
});

const OPEN_FIRST_INDEXES = [
  'cases_queue_done_respond_idx', 'cases_queue_done_respond_desc_idx', 'cases_queue_type_done_respond_idx', 'cases_queue_type_done_respond_desc_idx',
];
const done = (c: CaseView) => c.status === 'closed' || c.status === 'denied';

describe.each(['sqlite', 'postgres'] as const)('migration 051: by due date, open cases first (%s)', (kind) => {
  let app: App;
  const staff = { actor: 'staff:ann' };
  const dirs: string[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `pd-open-first-${kind}-`));
    dirs.push(dir);
    app = await createApp(kind === 'sqlite'
      ? { dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'c.sqlite') } }
      : { dataDir: dir, db: { kind: 'postgres', url: await createDatabase(await postgres()) } },
    { clock: () => new Date('2026-11-24T00:39:00Z') });
    await loadDemoDataIfEmpty(app); // open cases, closed ones (some due before open ones) and a denied one
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const list = async (q: Record<string, unknown>) => (await app.call('cases.list', { limit: 1000, ...q }, staff));
  const expectOpenFirst = (items: CaseView[], order: 'asc' | 'desc') => {
    const firstDone = items.findIndex(done);
    expect(firstDone, 'some open and some closed/denied cases').toBeGreaterThan(0);
    expect(items.slice(firstDone).every(done), 'no open case after a closed/denied one').toBe(true);
    for (const part of [items.slice(0, firstDone), items.slice(firstDone)]) {
      const keys = part.map((c) => `${c.deadlines.respond} ${c.id}`);
      expect(keys).toEqual([...keys].sort((a, b) => (order === 'asc' ? (a < b ? -1 : 1) : (a < b ? 1 : -1))));
    }
  };

  it('the migration applies to a database already holding cases', async () => {
    const db = app.ctx.db;
    for (const name of OPEN_FIRST_INDEXES) await db.exec(`DROP INDEX ${name}`);
    await db.run('DELETE FROM schema_migrations WHERE version = ?', [51]);
    expect((await migrate(db)).applied).toEqual([{ version: 51, name: 'queue-open-first' }]);
    const names = kind === 'sqlite'
      ? (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'")).map((r) => r.name)
      : (await db.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'cases'")).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(OPEN_FIRST_INDEXES));
  });

  it('sorted by due date, both directions list open cases before closed and denied ones', async () => {
    const all = await list({});
    // The demo holds closed cases due before open ones: the plain respond_by order interleaved them.
    const byDue = [...all.items].sort((a, b) => (a.deadlines.respond < b.deadlines.respond ? -1 : a.deadlines.respond > b.deadlines.respond ? 1 : a.id < b.id ? -1 : 1));
    expect(byDue.findIndex(done)).toBeLessThan(byDue.length - all.items.filter(done).length);
    expectOpenFirst(all.items, 'asc');
    const desc = await list({ sort: 'respondBy', order: 'desc' });
    expectOpenFirst(desc.items, 'desc');
    expect(desc.total).toBe(all.total);
    // Pages of 3 put together are the same list (server-side paging keeps the order).
    const paged: CaseView[] = [];
    for (let offset = 0; offset < all.total; offset += 3) paged.push(...(await list({ order: 'desc', limit: 3, offset })).items);
    expect(paged.map((c) => c.id)).toEqual(desc.items.map((c) => c.id));
    // With the type filter too.
    const type = all.items.find(done)!.type;
    for (const order of ['asc', 'desc'] as const) {
      const r = await list({ type, order });
      expect(r.items.every((c) => c.type === type)).toBe(true);
      if (r.items.some((c) => !done(c))) expectOpenFirst(r.items, order);
    }
    // Other sorts are unchanged: received date only.
    const received = (await list({ sort: 'receivedAt' })).items.map((c) => c.receivedAt);
    expect(received).toEqual([...received].sort());
  });

  it.runIf(kind === 'sqlite')('SQLite walks an index in that order: no temporary sort, deep pages included', async () => {
    const seen: Array<{ sql: string; params: readonly SqlValue[] }> = [];
    const db = app.ctx.db;
    const all = db.all.bind(db);
    db.all = (async (sql: string, params?: readonly SqlValue[]) => {
      if (/ORDER BY/u.test(sql)) seen.push({ sql, params: params ?? [] });
      return all(sql, params);
    }) as typeof db.all;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ order: 'asc', offset: 50_000 }, /SCAN cases USING INDEX cases_queue_done_respond_idx/u],
      [{ order: 'desc', offset: 50_000 }, /SCAN cases USING INDEX cases_queue_done_respond_desc_idx/u],
      [{ type: 'delete', order: 'asc' }, /SEARCH cases USING INDEX cases_queue_type_done_respond_idx \(type=\?\)/u],
      [{ type: 'delete', order: 'desc' }, /SEARCH cases USING INDEX cases_queue_type_done_respond_desc_idx \(type=\?\)/u],
      // One status, or overdue (open only): the flag is left out and migration 050's indexes serve.
      [{ status: 'closed', order: 'desc' }, /SEARCH cases USING INDEX cases_queue_status_(respond|type)_idx \(status=\?\)/u],
      // (the overdue rows, open statuses past their date, are few and then sorted: as before 051)
      [{ overdue: true }, /SEARCH cases USING (COVERING )?INDEX cases_queue_status_respond_idx \(status=\? AND respond_by<\?\)/u],
    ];
    try {
      for (const [q, expected] of cases) {
        seen.length = 0;
        await list({ sort: 'respondBy', limit: 100, ...q });
        const { sql, params } = seen.find((x) => /FROM cases/u.test(x.sql))!;
        const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(' | ');
        expect(plan, JSON.stringify(q)).toMatch(expected);
        expect(plan, JSON.stringify(q)).not.toMatch(q.overdue ? /SCAN cases/u : /TEMP B-TREE|SCAN cases(?! USING)/u);
      }
    } finally { db.all = all; }
  });

  it.runIf(kind === 'postgres')('PostgreSQL can serve that order from the indexes (no Sort node)', async () => {
    const seen: Array<{ sql: string; params: readonly SqlValue[] }> = [];
    const db = app.ctx.db;
    const all = db.all.bind(db);
    db.all = (async (sql: string, params?: readonly SqlValue[]) => {
      if (/ORDER BY/u.test(sql)) seen.push({ sql, params: params ?? [] });
      return all(sql, params);
    }) as typeof db.all;
    try {
      for (const [q, index] of [
        [{ order: 'asc' }, 'cases_queue_done_respond_idx'], [{ order: 'desc' }, 'cases_queue_done_respond_desc_idx'],
        [{ type: 'delete', order: 'asc' }, 'cases_queue_type_done_respond_idx'], [{ type: 'delete', order: 'desc' }, 'cases_queue_type_done_respond_desc_idx'],
      ] as const) {
        seen.length = 0;
        await list({ sort: 'respondBy', limit: 100, ...q });
        const { sql, params } = seen.find((x) => /FROM cases/u.test(x.sql))!;
        // A dozen rows: make the planner show whether an index can give the order at all.
        const plan = await db.tx(async (t) => {
          await t.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off');
          return (await t.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
        });
        expect(plan, JSON.stringify(q)).toContain(index);
        expect(plan, JSON.stringify(q)).not.toMatch(/\bSort\b/u);
      }
    } finally { db.all = all; }
  });
});

const SORT_COUNT_INDEXES = [
  'cases_queue_status_id_idx', 'cases_queue_type_id_idx', 'cases_queue_status_type_id_idx', 'cases_queue_type_status_id_idx', 'cases_queue_channel_done_respond_idx', 'cases_queue_jurisdiction_done_respond_idx',
  'cases_queue_channel_done_respond_desc_idx', 'cases_queue_jurisdiction_done_respond_desc_idx',
];

describe.each(['sqlite', 'postgres'] as const)('migration 144: queue sorts and counts at 1M cases (%s)', (kind) => {
  let app: App;
  const staff = { actor: 'staff:ann' };
  const dirs: string[] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `pd-q144-${kind}-`));
    dirs.push(dir);
    app = await createApp(kind === 'sqlite'
      ? { dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'c.sqlite') } }
      : { dataDir: dir, db: { kind: 'postgres', url: await createDatabase(await postgres()) } },
    { clock: () => new Date('2026-11-24T00:39:00Z') });
    await loadDemoDataIfEmpty(app);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const names = async () => (kind === 'sqlite'
    ? (await app.ctx.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'"))
    : (await app.ctx.db.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'cases'"))).map((r) => r.name);

  it('applies to a database already holding cases', async () => {
    const db = app.ctx.db;
    expect(await names()).toEqual(expect.arrayContaining(SORT_COUNT_INDEXES));
    for (const name of SORT_COUNT_INDEXES) await db.exec(`DROP INDEX ${name}`);
    await db.run('DELETE FROM schema_migrations WHERE version = ?', [144]);
    expect((await migrate(db)).applied).toEqual([{ version: 144, name: 'queue-sort-and-count-indexes' }]);
    expect(await names()).toEqual(expect.arrayContaining(SORT_COUNT_INDEXES));
  });

  it('the queue lists the same cases: cases.page is cases.list without the total, cases.count its total', async () => {
    const queries: Array<Record<string, unknown>> = [
      {}, { order: 'desc' }, { status: 'closed', sort: 'id' }, { type: 'access', sort: 'status', order: 'desc' }, { sort: 'type' },
      { channel: 'web' }, { channel: 'email', order: 'desc' }, { jurisdiction: 'CA', sort: 'receivedAt' }, { overdue: true }, { search: 'PD-' },
    ];
    const all = (await app.call('cases.list', { limit: 1000 }, staff)).items;
    for (const q of queries) {
      const list = await app.call('cases.list', { limit: 1000, ...q }, staff);
      const page = await app.call('cases.page', { limit: 1000, ...q }, staff);
      const { sort: _s, order: _o, ...filters } = q;
      const count = await app.call('cases.count', filters, staff);
      expect(page.items.map((c) => c.id), JSON.stringify(q)).toEqual(list.items.map((c) => c.id));
      expect(count.total, JSON.stringify(q)).toBe(list.total);
      expect(list.total, JSON.stringify(q)).toBe(list.items.length);
      // The filter keeps exactly the matching cases, in an order by the sort key, then id.
      const match = all.filter((c) => (q.channel === undefined || c.channel === q.channel) && (q.jurisdiction === undefined || c.jurisdiction === q.jurisdiction)
        && (q.status === undefined || c.status === q.status) && (q.type === undefined || c.type === q.type));
      if (!q.overdue && !q.search) expect(new Set(list.items.map((c) => c.id)), JSON.stringify(q)).toEqual(new Set(match.map((c) => c.id)));
    }
    const some = all.find((c) => c.channel === 'web') ?? all[0]!;
    const byId = await app.call('cases.page', { search: some.id.slice(0, 12), limit: 1000 }, staff);
    expect(byId.items.map((c) => c.id)).toContain(some.id);
    expect(byId.items.every((c) => c.id.startsWith(some.id.slice(0, 12)))).toBe(true);
    // Pages put together are the list (a channel filter, open cases first in both directions).
    for (const order of ['asc', 'desc'] as const) {
      const full = await app.call('cases.list', { channel: some.channel, order, limit: 1000 }, staff);
      const paged: string[] = [];
      for (let offset = 0; offset < full.total; offset += 2) paged.push(...(await app.call('cases.page', { channel: some.channel, order, limit: 2, offset }, staff)).items.map((c) => c.id));
      expect(paged).toEqual(full.items.map((c) => c.id));
    }
  });

  it('cases.page and cases.count: a viewer may call them, an unknown user may not; their input is validated as cases.list\'s', async () => {
    await app.call('users.add', { name: `vera-${kind}`, role: 'viewer', password: 'vera-correct-horse' }, staff);
    const vera = { actor: 'ignored', user: `vera-${kind}` };
    const list = await app.call('cases.list', { status: 'closed', limit: 3 }, vera);
    expect((await app.call('cases.page', { status: 'closed', limit: 3 }, vera)).items.map((c) => c.id)).toEqual(list.items.map((c) => c.id));
    expect((await app.call('cases.count', { status: 'closed' }, vera)).total).toBe(list.total);
    expect(list.total).toBeGreaterThan(0);
    await expect(app.call('cases.page', {}, { actor: 'x', user: 'nobody' })).rejects.toBeInstanceOf(ApiAuthError);
    await expect(app.call('cases.count', {}, { actor: 'x', user: 'nobody' })).rejects.toBeInstanceOf(ApiAuthError);
    for (const bad of [{ limit: 1001 }, { limit: 0 }, { offset: -1 }, { status: 'lost' }, { sort: 'name' }, { extra: 1 }]) {
      await expect(app.call('cases.page', bad as never, staff), JSON.stringify(bad)).rejects.toBeInstanceOf(ApiInputError);
    }
    // A count has no order and no page: those keys are refused, not ignored.
    for (const bad of [{ sort: 'id' }, { order: 'desc' }, { offset: 0 }, { limit: 10 }, { status: 'lost' }, { overdue: 'yes' }]) {
      await expect(app.call('cases.count', bad as never, staff), JSON.stringify(bad)).rejects.toBeInstanceOf(ApiInputError);
    }
    // The page shows the overdue filter's cases and its count says how many (the demo data has one).
    const overdue = await app.call('cases.list', { overdue: true }, staff);
    expect((await app.call('cases.count', { overdue: true }, staff)).total).toBe(overdue.total);
    expect(overdue.total).toBeGreaterThan(0);
  });

  it.runIf(kind === 'sqlite')('SQLite serves these orders and counts from an index (no temporary sort, no table scan)', async () => {
    const seen: Array<{ sql: string; params: readonly SqlValue[] }> = [];
    const db = app.ctx.db;
    const all = db.all.bind(db);
    const get = db.get.bind(db);
    db.all = (async (sql: string, params?: readonly SqlValue[]) => { seen.push({ sql, params: params ?? [] }); return all(sql, params); }) as typeof db.all;
    db.get = (async (sql: string, params?: readonly SqlValue[]) => { seen.push({ sql, params: params ?? [] }); return get(sql, params); }) as typeof db.get;
    try {
      for (const q of [
        { status: 'in_review', sort: 'id' }, { status: 'closed', sort: 'status', order: 'desc' }, { type: 'delete', sort: 'id' }, { type: 'delete', sort: 'type' },
        { sort: 'status' }, { sort: 'type', order: 'desc' }, { channel: 'web' }, { channel: 'gpc', order: 'desc' }, { jurisdiction: 'TX' }, { jurisdiction: 'CA', order: 'desc' },
        { jurisdiction: 'CA', sort: 'type' }, { channel: 'web', sort: 'receivedAt' },
        { status: 'closed', sort: 'type' }, { status: 'closed', sort: 'type', order: 'desc' }, { type: 'delete', sort: 'status' }, { type: 'access', sort: 'status', order: 'desc' },
        { status: 'closed', type: 'access', sort: 'id' },
      ] as Array<Record<string, unknown>>) {
        seen.length = 0;
        await app.call('cases.list', { limit: 100, ...q }, staff);
        for (const { sql, params } of seen.filter((x) => /FROM cases/u.test(x.sql))) {
          const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(' | ');
          expect(plan, `${JSON.stringify(q)}: ${sql}`).not.toMatch(/TEMP B-TREE|SCAN cases(?! USING)/u);
        }
      }
      // A case-id search walks the primary key over the prefix's range (SQLite's LIKE alone cannot).
      seen.length = 0;
      await app.call('cases.list', { limit: 100, search: 'PD-2026' }, staff);
      for (const { sql, params } of seen.filter((x) => /FROM cases/u.test(x.sql))) {
        const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join(' | ');
        expect(plan, sql).toMatch(/SEARCH cases USING (COVERING )?INDEX sqlite_autoindex_cases_1 \(id>\? AND id<\?\)/u);
      }
    } finally { db.all = all; db.get = get; }
  });
});
