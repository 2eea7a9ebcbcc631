// SqlDataSource.scan on PostgreSQL asks for the next page before handing out the current one (the
// ledger replay matches a page while the server reads the next): every row once, in key order, and
// a caller that stops early leaves no failing query behind, even when the source closes at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { openSqlSource } from '../../../shared/adapters/sql-source';
import { PostgresDb } from '../../../shared/store/postgres-db';

describe('SqlDataSource.scan on PostgreSQL, one page ahead', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
    const db = new PostgresDb(server.url);
    await db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO people SELECT i, 'p' || i || '@example.com' FROM generate_series(1, 100) AS g(i)");
    await db.close();
  }, 120_000);
  afterAll(async () => { await server?.stop(); });

  it('gives every row once, in key order, for page sizes that do and do not divide the table', async () => {
    for (const size of [1, 7, 10, 100, 101]) {
      const src = await openSqlSource({ engine: 'postgres', url: server.url });
      try {
        const ids: unknown[] = [];
        const pages: number[] = [];
        for await (const rows of src.scan('people', ['id', 'email'], size)) { pages.push(rows.length); ids.push(...rows.map((r) => r.id)); }
        expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
        expect(pages.length).toBe(Math.ceil(100 / size));
      } finally {
        await src.close();
      }
    }
  });

  it('a caller that stops after the first page, then closes the source at once, leaves nothing failing', async () => {
    const src = await openSqlSource({ engine: 'postgres', url: server.url });
    let first: unknown[] = [];
    for await (const rows of src.scan('people', ['id', 'email'], 10)) { first = rows.map((r) => r.id); break; }
    await src.close();
    expect(first).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await new Promise((r) => setTimeout(r, 50)); // an unobserved rejection would be reported by now
  });
});
