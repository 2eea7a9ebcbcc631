// Migration 050 (console queue indexes) on SQLite and on a real PostgreSQL: the queue's filter +
// sort queries walk an index in order (no sort of every matching row) on both engines.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { startPostgres } from '../../support/postgres';

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
    const pg = await startPostgres();
    cleanups.push(() => pg.stop());
    const dir = tmp();
    const app: App = await createApp({ dataDir: dir, db: { kind: 'postgres', url: pg.url }, runEngine: false });
    cleanups.push(() => app.close());
    const names = (await app.ctx.db.all<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'cases'")).map((r) => r.indexname);
    expect(names).toEqual(expect.arrayContaining(QUEUE_INDEXES));
    const listed = await app.call('cases.list', { status: 'closed', sort: 'receivedAt', order: 'desc' }, { actor: 't' });
    expect(listed).toEqual({ items: [], total: 0 });
  });
});
