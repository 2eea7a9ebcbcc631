// The phone Lambdas on least-privilege database users (issue 15 item 7): connect-flows/db-users.sql
// applied to an embedded PostgreSQL case store, crm-lookup answering a caller's open case with the
// SELECT-only user (the store opened read-only: start-up migrates nothing, records no key, keys no
// audit segment, runs no step; a write is refused by PostgreSQL itself), and opt-out recording and
// applying an opt-out with the narrowly granted user. Plus the read-only start-up on SQLite, which
// must leave the database, WAL and SHM files byte for byte as they were, and the schema check of a
// store that was never opened read-write.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createApp } from '../../../shared/app/app';
import { connectEvent } from '../../../connect-flows/simulator/simulate';
import { envRuntime, installRuntime } from '../../../lambdas/common/runtime';
import { setLogSink } from '../../../lambdas/common/log';
import { handler as crmLookup } from '../../../lambdas/crm-lookup/handler';
import { handler as optOut } from '../../../lambdas/opt-out/handler';

const DANA = '+14155550100';
const COLUMNS = { phone: 'phone', customerId: 'customer_id', firstName: 'first_name', email: 'email', accountNumber: 'account_number', dateOfBirth: 'date_of_birth' };
const meta = { actor: 'test' };

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

describe('phone Lambdas on least-privilege database users (PostgreSQL)', () => {
  let server: PostgresServer;
  let dataDir: string;
  let caseId: string;
  const logs: string[] = [];
  const owner = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };
  const counts = () => owner(async (c) => (await c.query('SELECT (SELECT COUNT(*) FROM cases)::int AS cases, (SELECT COUNT(*) FROM audit_log)::int AS audit, (SELECT COUNT(*) FROM store_keys)::int AS keys, (SELECT seq FROM audit_head)::int AS head')).rows[0] as Record<string, number>);
  const lambdaEnv = (url: string, extra: Record<string, string> = {}) => ({
    PRIVACY_DESK_DATA_DIR: dataDir, PRIVACY_DESK_DATABASE_URL: url, PRIVACY_DESK_CRM_DATABASE_URL: server.url,
    PRIVACY_DESK_CRM_TABLE: 'customers', PRIVACY_DESK_CRM_COLUMNS: JSON.stringify(COLUMNS), ...extra,
  });

  beforeAll(async () => {
    server = await startPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'pd-dbusers-'));
    // The console (the tables' owner) creates and migrates the store and opens a phone case.
    const app = await createApp({ dataDir, db: { kind: 'postgres', url: server.url }, runEngine: false });
    caseId = (await app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: DANA } }, meta)).id;
    await app.settle(caseId);
    await app.close();
    await owner(async (c) => {
      await c.query('CREATE TABLE customers (customer_id text PRIMARY KEY, phone text, first_name text, email text, account_number text, date_of_birth text)');
      await c.query("INSERT INTO customers VALUES ('C-1', $1, 'Dana', 'dana@example.com', '12345678', '1990-01-31')", [DANA]);
      await c.query(readFileSync(join(process.cwd(), 'connect-flows', 'db-users.sql'), 'utf8'));
      await c.query("ALTER ROLE privacy_desk_lookup PASSWORD 'lookup-test-password'");
      await c.query("ALTER ROLE privacy_desk_opt_out PASSWORD 'opt-out-test-password'");
      // Applying the file twice changes nothing (idempotent, for upgrades).
      await c.query(readFileSync(join(process.cwd(), 'connect-flows', 'db-users.sql'), 'utf8'));
    });
    setLogSink((l) => logs.push(l));
  }, 120_000);
  afterAll(async () => {
    setLogSink(null);
    installRuntime(null);
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('crm-lookup answers the open case with the SELECT-only user and writes nothing', async () => {
    const before = await counts();
    const rt = envRuntime(lambdaEnv(withUser(server.url, 'privacy_desk_lookup', 'lookup-test-password'), { PRIVACY_DESK_DATABASE_READ_ONLY: 'true' }));
    installRuntime(rt);
    try {
      const r = await crmLookup(connectEvent({ contactId: 'ro-1', caller: DANA, attributes: {} }, { lookup: 'crm+cases' }));
      expect(r, logs.join('\n')).toMatchObject({ found: 'true', customerId: 'C-1', openCase: 'true', caseReference: caseId });
      // The read-only app refuses a write: PostgreSQL itself (read-only session, SELECT-only grants).
      const app = await rt.app();
      await expect(app.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550199' } }, meta))
        .rejects.toThrow(/read-only transaction|permission denied/u);
      await app.close();
    } finally {
      installRuntime(null);
    }
    expect(await counts()).toEqual(before);
  });

  it('opt-out records and applies an opt-out with the narrowly granted user', async () => {
    const before = await counts();
    const rt = envRuntime(lambdaEnv(withUser(server.url, 'privacy_desk_opt_out', 'opt-out-test-password')));
    installRuntime(rt);
    try {
      const r = await optOut(connectEvent({ contactId: 'oo-1', caller: DANA, attributes: {} }, { customerId: 'C-1' }));
      const trail = await owner(async (c) => (await c.query('SELECT action, detail FROM audit_log WHERE case_id = $1 ORDER BY seq', [r.caseReference])).rows as Array<{ action: string; detail: string }>);
      expect(trail.filter((e) => e.action === 'step.failed' || e.action === 'case.error')).toEqual([]);
      expect(trail.filter((e) => e.action === 'step.completed').length).toBeGreaterThan(0);
      expect(r, logs.join('\n')).toMatchObject({ result: 'recorded' });
      // The Lambda's case store opened two connections at most (poolMax in the runtime).
      const opened = await owner(async (c) => Number((await c.query("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE usename = 'privacy_desk_opt_out'")).rows[0].n));
      expect(opened).toBeGreaterThan(0);
      expect(opened).toBeLessThanOrEqual(2);
      await (await rt.app()).close();
    } finally {
      installRuntime(null);
    }
    const after = await counts();
    expect(after.cases).toBe(before.cases + 1);
    expect(after.keys).toBe(before.keys);
    // The narrow user cannot delete a case, truncate or change the schema.
    const narrow = new pg.Client({ connectionString: withUser(server.url, 'privacy_desk_opt_out', 'opt-out-test-password') });
    await narrow.connect();
    try {
      await expect(narrow.query('DELETE FROM cases')).rejects.toThrow(/permission denied/u);
      await expect(narrow.query('DROP TABLE customers')).rejects.toThrow(/must be owner|permission denied/u);
      await expect(narrow.query("UPDATE store_keys SET check_value = 'x'")).rejects.toThrow(/permission denied/u);
    } finally {
      await narrow.end();
    }
  });
});

describe('read-only start-up (SQLite)', () => {
  const EMPTY = createHash('sha256').digest('hex');
  const digest = (f: string) => (existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : null);

  it('opens an existing store without writing a byte and refuses a store never opened read-write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-ro-sqlite-'));
    try {
      const file = join(dir, 'cases.sqlite');
      const rw = await createApp({ dataDir: dir, db: { kind: 'sqlite', file }, runEngine: false });
      const id = (await rw.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: DANA } }, meta)).id;
      await rw.settle(id);
      await rw.close();
      const files = [file, `${file}-wal`, `${file}-shm`];
      const before = files.map(digest);
      const ro = await createApp({ dataDir: dir, db: { kind: 'sqlite', file, readOnly: true }, runEngine: false, work: 'none' });
      const list = await ro.call('cases.list', { search: DANA }, meta);
      expect(list.items.map((c) => c.id)).toEqual([id]);
      await expect(ro.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+14155550199' } }, meta))
        .rejects.toThrow(/readonly|read-only/iu);
      await ro.close();
      // The database file unchanged; SQLite may create the WAL index files a WAL reader needs, with nothing in the log.
      const after = files.map(digest);
      expect(after[0]).toBe(before[0]);
      expect([before[1], EMPTY]).toContain(after[1]);

      // A store that was never opened read-write: the read-only open says what to do, creates nothing.
      const fresh = join(dir, 'fresh', 'cases.sqlite');
      await expect(createApp({ dataDir: join(dir, 'fresh'), db: { kind: 'sqlite', file: fresh, readOnly: true }, runEngine: false, work: 'none' }))
        .rejects.toThrow(/open it once read-write/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
