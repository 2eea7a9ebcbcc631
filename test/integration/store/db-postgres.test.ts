// The Db port on a real PostgreSQL server, plus connection errors that never print the password.
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { openDb } from '../../../shared/store/open-db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from './postgres-harness';
import { dbContract } from './db-contract';

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

dbContract('PostgreSQL', async () => {
  const db = new PostgresDb(await createDatabase(server));
  return { db, close: () => db.close() };
});

describe('openDb (PostgreSQL)', () => {
  it('connects to a URL', async () => {
    const db = await openDb({ kind: 'postgres', url: server.url });
    try {
      expect(db.dialect).toBe('postgres');
      expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });

  it('fails with a clear message that hides the password', async () => {
    const u = new URL(server.url);
    u.password = 'sup3r-s3cret-pw';
    const err = (await openDb({ kind: 'postgres', url: u.toString() }).then(() => new Error('connected'), (e: unknown) => e as Error));
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/u);
    expect(err.message).not.toContain('sup3r-s3cret-pw');
  });
});
