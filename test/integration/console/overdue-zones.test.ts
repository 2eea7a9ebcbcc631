// "Overdue" is decided per case, in its own jurisdiction's time zone: an EU case due on 2 March is
// overdue from midnight in Brussels, a California case due the same day only from midnight in Los
// Angeles, nine hours later. cases.list { overdue: true } (the queue's filter, the CLI's --overdue)
// and the dashboard agree with each case's own view, on SQLite and on PostgreSQL, and the query
// stays a server-side page read through the queue index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { AppConfig } from '../../../shared/app/context';
import type { SqlValue } from '../../../shared/store/db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

const staff = { actor: 'staff:ann' };
let pg: PostgresServer;
const dirs: string[] = [];
beforeAll(async () => { pg = await startPostgres(); }, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(['sqlite', 'postgres'] as const)('overdue per jurisdiction time zone (%s)', (kind) => {
  let app: App;
  const now = { t: Date.parse('2026-03-02T20:00:00.000Z') };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `pd-overdue-${kind}-`));
    dirs.push(dir);
    const config: AppConfig = kind === 'sqlite'
      ? { dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'c.sqlite') } }
      : { dataDir: dir, db: { kind: 'postgres', url: await createDatabase(pg) } };
    app = await createApp(config, { clock: () => new Date(now.t) });
    // Both due Monday 2 March 2026: EU access received 2 February (one month), CA access received
    // 16 January (45 days). Received at noon UTC: the same calendar day in both zones.
    const eu = await app.call('cases.create', { type: 'access', jurisdiction: 'EU', identities: { email: 'eu.overdue@example.eu' }, receivedAt: '2026-02-02T12:00:00Z' }, staff);
    const ca = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'ca.overdue@example.com' }, receivedAt: '2026-01-16T12:00:00Z' }, staff);
    // A third, UK, due the day before: overdue at every instant below.
    const uk = await app.call('cases.create', { type: 'access', jurisdiction: 'UK', identities: { email: 'uk.overdue@example.co.uk' }, receivedAt: '2026-01-30T12:00:00Z' }, staff);
    for (const c of [eu, ca, uk]) await app.settle(c.id);
    Object.assign(ids, { eu: eu.id, ca: ca.id, uk: uk.id });
    expect([eu.deadlines.respond, ca.deadlines.respond, uk.deadlines.respond]).toEqual(['2026-03-02', '2026-03-02', '2026-03-02']);
  });
  afterAll(async () => { await app?.close(); });

  const overdueIds = async () => {
    const r = await app.call('cases.list', { overdue: true, limit: 100 }, staff);
    expect(r.total).toBe(r.items.length);
    const mine = Object.entries(ids).filter(([, id]) => r.items.some((c) => c.id === id)).map(([k]) => k).sort();
    // The queue's filter agrees with each case's own "overdue" (days left in its zone).
    for (const [k, id] of Object.entries(ids)) expect((await app.call('cases.get', { id }, staff)).overdue, k).toBe(mine.includes(k));
    return mine;
  };

  it('no case is overdue on its due date, anywhere', async () => {
    // UK: due 2 March too (30 January + 1 month = 28 February, a Saturday, rolled to Monday 2 March).
    now.t = Date.parse('2026-03-02T22:59:00.000Z'); // Brussels 23:59, London 22:59, Los Angeles 14:59
    expect(await overdueIds()).toEqual([]);
  });

  it('EU is overdue from midnight in Brussels while CA still has its due date', async () => {
    now.t = Date.parse('2026-03-02T23:01:00.000Z'); // Brussels 00:01 on 3 March
    expect(await overdueIds()).toEqual(['eu']);
    const dash = await app.call('console.dashboard', {}, staff);
    expect(dash.overdue).toBe(1);
    now.t = Date.parse('2026-03-03T00:01:00.000Z'); // London 00:01 on 3 March
    expect(await overdueIds()).toEqual(['eu', 'uk']);
    now.t = Date.parse('2026-03-03T07:59:00.000Z'); // Los Angeles 23:59 on 2 March (PST, UTC-8)
    expect(await overdueIds()).toEqual(['eu', 'uk']);
  });

  it('CA is overdue from midnight in Los Angeles', async () => {
    now.t = Date.parse('2026-03-03T08:01:00.000Z'); // Los Angeles 00:01 on 3 March
    expect(await overdueIds()).toEqual(['ca', 'eu', 'uk']);
    expect((await app.call('console.dashboard', {}, staff)).overdue).toBe(3);
    // Combined with the other filters, paged on the server.
    expect((await app.call('cases.list', { overdue: true, jurisdiction: 'CA' }, staff)).items.map((c) => c.id)).toEqual([ids.ca]);
    const page = await app.call('cases.list', { overdue: true, limit: 1, offset: 1, sort: 'id' }, staff);
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.id)).toEqual([[ids.ca, ids.eu, ids.uk].sort()[1]]);
  });

  it.runIf(kind === 'sqlite')('the overdue page is an index range search (open statuses, respond_by below the latest "today"), never a table scan', async () => {
    now.t = Date.parse('2026-03-02T23:30:00.000Z'); // two distinct "todays": the per-zone form of the query
    const seen: Array<{ sql: string; params: readonly SqlValue[] }> = [];
    const db = app.ctx.db;
    const all = db.all.bind(db);
    db.all = (async (sql: string, params?: readonly SqlValue[]) => {
      if (/FROM cases/u.test(sql)) seen.push({ sql, params: params ?? [] });
      return all(sql, params);
    }) as typeof db.all;
    try {
      await app.call('cases.list', { overdue: true, limit: 100 }, staff);
    } finally { db.all = all; }
    const q = seen.find((x) => /ORDER BY respond_by/u.test(x.sql))!;
    expect(q.sql).toMatch(/jurisdiction IN/u);
    const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`, q.params)).map((r) => r.detail).join(' | ');
    // Only open cases past the latest zone's date are read from the index (and then ordered): the
    // same plan as the single-date filter had.
    expect(plan).toMatch(/SEARCH cases USING (COVERING )?INDEX cases_queue_status_respond_idx \(status=\? AND respond_by<\?\)/u);
    expect(plan).not.toMatch(/SCAN cases/u);
  });
});
