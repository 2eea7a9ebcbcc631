// Proves test/support/postgres.ts: two private servers start side by side, accept queries, and
// stop() removes them.
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startPostgres } from '../../support/postgres';

describe('startPostgres', () => {
  it('starts two private servers in parallel, each queryable, and stop() removes them', async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    try {
      expect(a.dir).not.toBe(b.dir);
      expect(existsSync(a.dir)).toBe(true);
      expect(a.port).not.toBe(b.port);
      for (const s of [a, b]) {
        const client = new pg.Client({ connectionString: s.url });
        await client.connect();
        const r = await client.query<{ v: string; db: string }>('SELECT current_setting(\'server_version_num\') AS v, current_database() AS db');
        await client.end();
        expect(Number(r.rows[0]!.v)).toBeGreaterThanOrEqual(180000);
        expect(r.rows[0]!.db).toBe('privacydesk');
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const client = new pg.Client({ connectionString: a.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
    expect(existsSync(a.dir)).toBe(false);
    expect(existsSync(b.dir)).toBe(false);
  });
});
