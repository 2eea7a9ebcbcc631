// Migrations on a real PostgreSQL server (a new database per test).
import { afterAll, beforeAll } from 'vitest';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from './postgres-harness';
import { migrationsContract } from './migrations-contract';

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

migrationsContract('PostgreSQL', async () => {
  const url = await createDatabase(server);
  const db = new PostgresDb(url);
  return { db, openAnother: async () => new PostgresDb(url), close: () => db.close() };
});
