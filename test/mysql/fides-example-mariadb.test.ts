// The Fides example shop (../shared/fixtures/fides-postgres-example: Fides' dataset YAML and its
// SQL) loaded into MariaDB and into PostgreSQL gives the same access and erasure results: the same
// rows returned per collection, the same review items, the same recorded counts and the same rows
// deleted or rewritten (compared by primary key; values differ only in type spelling: MONEY vs
// DECIMAL, boolean vs 1). The SQL is PostgreSQL's; for MariaDB `public.` goes, MONEY becomes
// DECIMAL, TIMESTAMP DATETIME, the sequences and the backup schema are left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createApp } from '../../shared/app/app';
import { datamapService, type ContractOutput, type DatamapService } from '../../shared/app/datamap/service';
import { loadFidesDatasetFile } from '../../shared/adapters/datamap-file';
import type { SystemConnection } from '../../shared/store/datamap-repo';
import { PostgresDb } from '../../shared/store/postgres-db';
import { verifyAsStaff } from '../support/verify-staff';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { mariadbMissing, startMariaDb, type MariaDbServer } from '../support/mariadb';
import { dumpDatabase, keyOf, type Dump } from '../support/shops/dump';

const FIXTURE = join('..', 'shared', 'fixtures', 'fides-postgres-example');
const meta = { actor: 'staff:test' };
const why = mariadbMissing() ?? (existsSync(join(FIXTURE, 'postgres_sample.sql')) ? null : `the Fides fixture ${FIXTURE} is not here`);
if (why) console.warn(`[mysql] Fides example on MariaDB vs PostgreSQL skipped: ${why}`);

type Kind = 'postgres' | 'mysql';
interface Outcome { out: ContractOutput; status: string; changed: Record<string, { deleted: string[]; rewritten: string[] }> }

function mysqlSql(pgSql: string): string {
  return pgSql.split('CREATE SCHEMA backup_schema')[0]!
    .replace(/public\./gu, '')
    .replace(/^ALTER SEQUENCE.*$/gmu, '')
    .replace(/\bMONEY\b/gu, 'DECIMAL(12,2)')
    .replace(/\bTIMESTAMP\b/gu, 'DATETIME')
    .replace(/'\$(\d)/gu, "'$1");
}

/** Primary keys of the rows deleted and of the rows rewritten, per table. */
function changedKeys(before: Dump, after: Dump): Outcome['changed'] {
  const out: Outcome['changed'] = {};
  for (const [name, t] of Object.entries(before)) {
    const a = after[name]!;
    const now = new Map(a.rows.map((r) => [keyOf(a, r)!, JSON.stringify(r)]));
    const deleted: string[] = [];
    const rewritten: string[] = [];
    for (const r of t.rows) {
      const k = keyOf(t, r)!;
      if (!now.has(k)) deleted.push(k);
      else if (now.get(k) !== JSON.stringify(r)) rewritten.push(k);
    }
    // A rewritten key (a pseudonymised email in visit's key) shows as deleted + a new row.
    const added = a.rows.filter((r) => !t.rows.some((x) => keyOf(t, x) === keyOf(a, r))).length;
    if (deleted.length || rewritten.length || added) out[name] = { deleted: deleted.sort(), rewritten: rewritten.sort() };
  }
  return out;
}

describe.skipIf(!!why)('Fides example shop: MariaDB gives the same results as PostgreSQL', () => {
  let pg: PostgresServer;
  let maria: MariaDbServer;
  let n = 0;

  beforeAll(async () => {
    [pg, maria] = await Promise.all([startPostgres(), startMariaDb()]);
  }, 180_000);
  afterAll(async () => { await Promise.allSettled([pg?.stop(), maria?.stop()]); }, 60_000);

  async function freshShop(kind: Kind): Promise<SystemConnection> {
    const sql = readFileSync(join(FIXTURE, 'postgres_sample.sql'), 'utf8');
    n += 1;
    if (kind === 'mysql') {
      const url = await maria.newDatabase(`fides_${n}`);
      const c = await createConnection({ uri: url, multipleStatements: true });
      try { await c.query(mysqlSql(sql)); } finally { await c.end(); }
      return { engine: 'mysql', url };
    }
    const name = `fides_${process.pid}_${n}`;
    const admin = new PostgresDb(pg.url, { max: 1 });
    try { await admin.exec(`CREATE DATABASE ${name}`); } finally { await admin.close(); }
    const url = pg.url.replace(/\/[^/]+$/u, `/${name}`);
    const db = new PostgresDb(url, { max: 1 });
    try { await db.exec(sql); await db.exec('DROP SCHEMA backup_schema CASCADE'); } finally { await db.close(); }
    return { engine: 'postgres', url };
  }

  async function run(kind: Kind, type: 'access' | 'delete' | 'delete_pii', email: string, categories?: string[]): Promise<Outcome> {
    const dir = mkdtempSync(join(tmpdir(), `pd-fides-${kind}-`));
    const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: true }, { clock: () => new Date('2026-11-23T18:00:00Z') });
    try {
      const svc = datamapService(app.ctx);
      const connection = await freshShop(kind);
      await svc.addSystem({ name: 'fides-example', connection, map: loadFidesDatasetFile(join(FIXTURE, 'postgres_example_test_dataset.yml')) }, meta.actor);
      const before = await dumpDatabase(connection as never);
      const c = await app.call('cases.create', { type, jurisdiction: 'CA', channel: 'staff', identities: { email }, strategy: 'exact', autoApprove: true }, meta);
      if (categories) await svc.setOptions(c.id, { categories });
      await verifyAsStaff(app, c.id, type, meta);
      await app.settle(c.id);
      const out = await svc.output(c.id);
      const status = (await app.call('cases.get', { id: c.id }, meta)).status;
      return { out, status, changed: changedKeys(before, await dumpDatabase(connection as never)) };
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** What must be equal across engines: rows per collection by key, review, counts, status, rows changed. */
  function comparable(o: Outcome) {
    const keyed = (rows: Array<Record<string, unknown>>) => rows.map((r) => String(r.id ?? `${String(r.email)}|${String(r.last_visit)}|${String(r.order_id)}|${String(r.item_no)}|${String(r.id_a)}|${String(r.id_b)}`)).sort();
    return {
      status: o.status,
      errors: o.out.errors,
      results: Object.fromEntries(Object.entries(o.out.results ?? {}).map(([k, v]) => [k, keyed(v)])),
      review: o.out.review.map((r) => `${r.collection} ${JSON.stringify(r.primaryKey)} ${r.decision}`).sort(),
      changes: Object.fromEntries(Object.entries(o.out.changes ?? {}).map(([k, c]) => [k, { deleted: c.deleted, masked: c.masked }])),
      changed: o.changed,
    };
  }

  for (const [title, type, email, categories] of [
    ['access for customer-1', 'access', 'customer-1@example.com', undefined],
    ['access for Customer-2 (another spelling of the email)', 'access', 'CUSTOMER-2@example.com', undefined],
    ['delete for customer-1', 'delete', 'customer-1@example.com', undefined],
    ['delete_pii of user.name for customer-1', 'delete_pii', 'customer-1@example.com', ['user.name']],
  ] as const) {
    it(title, async () => {
      const [onPg, onMy] = await Promise.all([run('postgres', type, email, categories ? [...categories] : undefined), run('mysql', type, email, categories ? [...categories] : undefined)]);
      expect(onPg.out.errors).toEqual([]);
      if (type === 'access') expect(Object.values(onPg.out.results ?? {}).flat().length).toBeGreaterThan(0);
      else expect(Object.keys(onPg.changed).length).toBeGreaterThan(0);
      expect(comparable(onMy)).toEqual(comparable(onPg));
    }, 240_000);
  }
});
