// The MySQL / MariaDB data source (shared/adapters/mysql) against a real MariaDB server
// (../support/mariadb.ts; Debian's mariadb-server, installed by .ci/run): collation-proof matching
// that still uses the index, exact dates and timestamps, truthful AppliedCounts (perChange),
// identifiers checked and backtick-quoted, and `privacy-desk systems add NAME --mysql URL
// --fides-dataset FILE` as a child process. The URL / TLS option checks need no server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, createPool, type Pool } from 'mysql2/promise';
import { MySqlDataSource, mysqlPoolOptions, openMySqlSource } from '../../shared/adapters/mysql/mysql-source';
import { MySqlConfigError, parseMySqlUrl, tlsOptions } from '../../shared/adapters/mysql/config';
import { mariadbMissing, startMariaDb, type MariaDbServer } from '../support/mariadb';

describe('mysql:// URLs (no server)', () => {
  it('reads user, password, host, port, database; TLS off by default, on (verified) with IAM', () => {
    const c = parseMySqlUrl('mysql://app:p%40ss@db.example.com:3307/shop');
    expect(c).toMatchObject({ host: 'db.example.com', port: 3307, user: 'app', password: 'p@ss', database: 'shop', sslMode: 'DISABLED', auth: 'password' });
    expect(tlsOptions(c)).toBeUndefined();
    const iam = parseMySqlUrl('mysql://iam_user@db.abc.us-east-1.rds.amazonaws.com/shop?auth=iam&region=us-east-1&ssl-ca=rds');
    expect(iam).toMatchObject({ port: 3306, auth: 'iam', region: 'us-east-1', sslMode: 'VERIFY_IDENTITY', sslCa: 'rds' });
    expect(tlsOptions(iam)).toBe('Amazon RDS');
    expect(tlsOptions(parseMySqlUrl('mysql://u:p@h/d?ssl-mode=required'))).toEqual({ rejectUnauthorized: false });
    const ca = tlsOptions(parseMySqlUrl('mysql://u:p@h/d?ssl-mode=VERIFY_CA&ssl-ca=/etc/hostname')) as Record<string, unknown>;
    expect(ca.rejectUnauthorized).toBe(true);
    expect(typeof ca.ca).toBe('string');
    expect(typeof ca.checkServerIdentity).toBe('function');
  });

  it('refuses bad URLs and options, naming the option', () => {
    expect(() => parseMySqlUrl('postgres://u:p@h/d')).toThrow(/must start with mysql:\/\//u);
    expect(() => parseMySqlUrl('mysql://u:p@h')).toThrow(/database name/u);
    expect(() => parseMySqlUrl('mysql://u:p@h/d?sslmode=require')).toThrow(MySqlConfigError);
    expect(() => parseMySqlUrl('mysql://u@h/d?auth=iam&ssl-mode=DISABLED')).toThrow(/ssl-mode: IAM authentication needs TLS/u);
    expect(() => parseMySqlUrl('mysql://u@h/d?ssl-mode=REQUIRED&ssl-cert=/a')).toThrow(/ssl-cert and ssl-key go together/u);
    expect(() => tlsOptions(parseMySqlUrl('mysql://u:p@h/d?ssl-mode=VERIFY_CA&ssl-ca=/nonexistent/ca.pem'))).toThrow(/ssl-ca: cannot read/u);
  });

  it('auth=iam: the cleartext password is a fresh RDS IAM token (signed with the AWS credential chain) for each new connection', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTONLY';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-only-secret';
    try {
      const opts = await mysqlPoolOptions(parseMySqlUrl('mysql://pd_iam@shop.abc.us-east-1.rds.amazonaws.com:3306/shop?auth=iam&region=us-east-1&ssl-ca=rds'));
      expect(opts).toMatchObject({ ssl: 'Amazon RDS', user: 'pd_iam', dateStrings: true });
      const plugin = (opts as { authPlugins: Record<string, () => () => Promise<Buffer>> }).authPlugins.mysql_clear_password!;
      const token = (await plugin()()).toString('utf8');
      expect(token.endsWith('\0')).toBe(true);
      expect(token).toMatch(/^shop\.abc\.us-east-1\.rds\.amazonaws\.com:3306\/\?Action=connect&DBUser=pd_iam&X-Amz-/u);
      expect(token).toMatch(/X-Amz-Credential=AKIDTESTONLY%2F\d{8}%2Fus-east-1%2Frds-db%2Faws4_request/u);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('an unreachable server is a clear error without the password', async () => {
    await expect(openMySqlSource({ url: 'mysql://u:secret-pw@127.0.0.1:1/d?connect-timeout=2000' })).rejects.toThrow(/cannot connect to MySQL at mysql:\/\/u:\*\*\*@127\.0\.0\.1:1\/d/u);
    await expect(openMySqlSource({ url: 'mysql://u:secret-pw@127.0.0.1:1/d?connect-timeout=2000' })).rejects.not.toThrow(/secret-pw/u);
  });
});

const missing = mariadbMissing();
if (missing) console.warn(`[mysql] MariaDB source tests skipped: ${missing}`);

describe.skipIf(!!missing)('MySqlDataSource on MariaDB', () => {
  let server: MariaDbServer;
  let url: string;
  let pool: Pool;
  let src: MySqlDataSource;
  const sqlSeen: Array<{ sql: string; params: unknown[] }> = [];

  async function exec(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const [rows] = await pool.query(sql, params);
    return rows as Record<string, unknown>[];
  }

  beforeAll(async () => {
    server = await startMariaDb();
    url = await server.newDatabase('source');
    const setup = await createConnection({ uri: url, multipleStatements: true });
    await setup.query(`
      CREATE TABLE tickets (id INT PRIMARY KEY, code VARCHAR(32), email VARCHAR(255), note TEXT, KEY by_code (code), KEY by_email (email));
      CREATE TABLE loose (code VARCHAR(32), name VARCHAR(64)) COLLATE utf8mb4_general_ci;
      CREATE TABLE times (id INT PRIMARY KEY, d DATE, dt DATETIME(6), ts TIMESTAMP(3) NULL, n DECIMAL(12,4), big BIGINT);
      CREATE TABLE visits (email VARCHAR(100) NOT NULL, at TIMESTAMP(3) NOT NULL, PRIMARY KEY (email, at));
      CREATE TABLE \`odd \`\`name\` (\`e mail\` VARCHAR(100) PRIMARY KEY, \`it's\` INT);`);
    const filler = Array.from({ length: 3000 }, (_, i) => [1000 + i, `F${i}`, `filler${i}@example.org`, 'x']);
    await setup.query('INSERT INTO tickets (id, code, email, note) VALUES ?', [filler]);
    await setup.query(`INSERT INTO tickets (id, code, email, note) VALUES
      (0, 'Z0', 'zero@example.com', 'id zero'),
      (1, 'AB12', 'Ann@Example.com', 'upper'), (2, 'ab12', ' ann@example.com', 'lower, leading space'),
      (3, 'AB12 ', 'ann@example.com  ', 'trailing space'), (4, 'ÁB12', 'anne@example.com', 'accent'),
      (5, 'X1', 'ann@exämple.com', 'accented email'), (6, 'X2', 'ann@example.com.au', 'longer email'),
      (7, 'X3', '     ANN@example.com ', 'five leading spaces')`);
    await setup.query(`INSERT INTO loose VALUES ('K1', 'Ann'), ('K1', 'Ann'), ('k1', 'ann'), ('K2', 'Bob')`);
    await setup.query("SET time_zone = '+05:00'; INSERT INTO times VALUES (1, '2024-03-10', '2024-03-10 02:30:00.123456', '2024-03-10 02:30:00.500', 12.3400, 9007199254740993)");
    await setup.query("SET time_zone = '+00:00'; INSERT INTO visits VALUES ('jo@example.com', '2024-03-01 09:00:00.250'), ('jo@example.com', '2024-03-05 17:30:00.000')");
    await setup.query("INSERT INTO `odd ``name` VALUES ('a@b.c', 1)");
    // A server whose own time zone is not UTC: the source's UTC session must not care.
    await server.admin("SET GLOBAL time_zone = '+05:00'");
    await setup.end();
    pool = createPool(await mysqlPoolOptions(parseMySqlUrl(url), 2));
    pool.on('connection', (c) => { (c as unknown as { query(s: string, cb: () => void): void }).query("SET SESSION time_zone = '+00:00'", () => undefined); });
    // Record every statement the source prepares (to EXPLAIN it).
    const recorder = new Proxy(pool, {
      get(target, prop, recv) {
        if (prop === 'execute') return (sql: string, params: unknown[]) => { sqlSeen.push({ sql, params }); return target.execute(sql, params as never); };
        const v = Reflect.get(target, prop, recv) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    src = new MySqlDataSource(recorder as Pool, false);
  }, 120_000);

  afterAll(async () => {
    await pool?.end().catch(() => undefined);
    await server?.stop();
  }, 60_000);

  async function explainLast(): Promise<Array<{ key: string | null; type: string }>> {
    const last = sqlSeen[sqlSeen.length - 1]!;
    const [rows] = await pool.execute(`EXPLAIN ${last.sql}`, last.params as never);
    return rows as Array<{ key: string | null; type: string }>;
  }

  it('introspects tables, keys, lengths from information_schema', async () => {
    const schema = await src.introspect();
    expect(schema.map((c) => c.name).sort()).toEqual(['loose', 'odd `name', 'tickets', 'times', 'visits']);
    const tickets = schema.find((c) => c.name === 'tickets')!;
    expect(tickets.fields.find((f) => f.name === 'id')).toMatchObject({ primaryKey: true, nullable: false, dataType: 'int' });
    expect(tickets.fields.find((f) => f.name === 'code')).toMatchObject({ primaryKey: false, maxLength: 32, dataType: 'varchar' });
    expect(schema.find((c) => c.name === 'visits')!.fields.filter((f) => f.primaryKey).map((f) => f.name)).toEqual(['email', 'at']);
  });

  it('custom keys match exactly under a _ci collation (no case, accent or trailing-space twins) and use the index', async () => {
    const rows = await src.find('tickets', [{ field: 'code', values: ['AB12'] }]);
    expect(rows.map((r) => r.id)).toEqual([1]);
    const plan = await explainLast();
    expect(plan[0]!.key).toBe('by_code');
    expect((await src.find('tickets', [{ field: 'code', values: ['ab12', 'AB12 '] }])).map((r) => r.id).sort()).toEqual([2, 3]);
  });

  it('emails match ignoring case and surrounding spaces (not accents, not longer addresses) and use the index', async () => {
    const rows = await src.find('tickets', [{ field: 'email', values: ['ann@example.com'], normalize: 'email' }]);
    expect(rows.map((r) => r.id).sort()).toEqual([1, 2, 3, 7]);
    const plan = await explainLast();
    expect(plan[0]!.key).toBe('by_email');
    expect(plan[0]!.type).toBe('range');
  });

  it('a number column never matches text that is not a number (MySQL would read "abc" as 0)', async () => {
    expect(await src.find('tickets', [{ field: 'id', values: ['abc'] }])).toEqual([]);
    expect((await src.find('tickets', [{ field: 'id', values: ['0', 1] }])).map((r) => r.id).sort()).toEqual([0, 1]);
  });

  it('dates and timestamps read as the server text, exactly, and a timestamp key finds its row', async () => {
    const [t] = await src.find('times', [{ field: 'id', values: [1] }]);
    // Written in a +05:00 session: the TIMESTAMP is that instant, read in UTC.
    expect(t).toEqual({ id: 1, d: '2024-03-10', dt: '2024-03-10 02:30:00.123456', ts: '2024-03-09 21:30:00.500', n: '12.3400', big: '9007199254740993' });
    const visits = await src.find('visits', [{ field: 'email', values: ['jo@example.com'], normalize: 'email' }]);
    // (prepared statements send a zero fraction as none: the same value)
    expect(visits.map((v) => v.at).sort()).toEqual(['2024-03-01 09:00:00.250', '2024-03-05 17:30:00']);
    const r = await src.apply(visits.map((v) => ({ collection: 'visits', key: { email: v.email, at: v.at }, action: 'delete' as const })));
    expect(r.perChange).toEqual([1, 1]);
    expect(await exec('SELECT COUNT(*) AS n FROM visits')).toEqual([{ n: 0 }]);
    const u = await src.apply([{ collection: 'times', key: { id: 1 }, action: 'update', set: { dt: t!.dt, ts: t!.ts } }]);
    expect(u.perChange).toEqual([1]);
    const [again] = await src.find('times', [{ field: 'id', values: [1] }]);
    expect(again).toEqual(t);
  });

  it('AppliedCounts are what the server changed: a missing row 0, a key named twice credited once, a keyless match counts every duplicate', async () => {
    const r = await src.apply([
      { collection: 'tickets', key: { id: 1 }, action: 'update', set: { note: 'masked' } },
      { collection: 'tickets', key: { id: 999_999 }, action: 'update', set: { note: 'masked' } },
      { collection: 'tickets', key: { id: 1 }, action: 'update', set: { note: 'masked' } },
      { collection: 'tickets', key: { id: 6 }, action: 'delete' },
      { collection: 'tickets', key: { id: 'abc' }, action: 'delete' },
      { collection: 'loose', key: { code: 'K1', name: 'Ann' }, action: 'delete' },
    ]);
    expect(r.perChange).toEqual([1, 0, 0, 1, 0, 2]);
    expect(r.byCollection).toEqual({ tickets: { deleted: 1, updated: 1 }, loose: { deleted: 2, updated: 0 } });
    expect({ deleted: r.deleted, updated: r.updated }).toEqual({ deleted: 3, updated: 1 });
    // The case twin of the keyless rows and id 0 (what "abc" would have hit) are untouched.
    expect(await exec('SELECT code, name FROM loose ORDER BY name COLLATE utf8mb4_bin')).toEqual([{ code: 'K2', name: 'Bob' }, { code: 'k1', name: 'ann' }]);
    expect(await exec('SELECT id FROM tickets WHERE id IN (0, 6) ORDER BY id')).toEqual([{ id: 0 }]);
  });

  it('a text key changes only its byte-equal row under a _ci collation', async () => {
    const r = await src.apply([{ collection: 'tickets', key: { code: 'AB12' }, action: 'update', set: { note: 'hit' } }]);
    expect(r.perChange).toEqual([1]);
    expect(await exec("SELECT id FROM tickets WHERE note = 'hit' ORDER BY id")).toEqual([{ id: 1 }]);
  });

  it('a batch is one transaction: a failing change leaves nothing changed', async () => {
    await expect(src.apply([
      { collection: 'tickets', key: { id: 2 }, action: 'delete' },
      { collection: 'tickets', key: { id: 3 }, action: 'update', set: { id: 0 } },
    ])).rejects.toThrow(/Duplicate entry/u);
    expect(await exec('SELECT id FROM tickets WHERE id IN (2, 3) ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('identifiers are checked against information_schema and quoted with backticks', async () => {
    expect(await src.find('odd `name', [{ field: 'e mail', values: ['a@b.c'], normalize: 'email' }])).toEqual([{ 'e mail': 'a@b.c', "it's": 1 }]);
    expect(await src.sample('odd `name', "it's", 5)).toEqual([1]);
    await expect(src.find('tickets`; DROP TABLE tickets; --', [{ field: 'id', values: [1] }])).rejects.toThrow(/unknown table/u);
    await expect(src.find('tickets', [{ field: 'id` OR 1=1 --', values: [1] }])).rejects.toThrow(/unknown column "tickets\.id` OR 1=1 --"/u);
    const pages: number[] = [];
    for await (const page of src.scan('tickets', ['id', 'email'], 1000)) pages.push(page.length);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(Number((await exec('SELECT COUNT(*) AS n FROM tickets'))[0]!.n));
  });

  it('privacy-desk systems add NAME --mysql URL --fides-dataset FILE registers it; DSR access and delete answer from it; ledger replay re-erases a re-imported row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-mysql-cli-'));
    try {
      const shopUrl = await server.newDatabase('cli_shop');
      const c = await createConnection({ uri: shopUrl, multipleStatements: true });
      await c.query(`CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100), KEY (email));
        INSERT INTO customer VALUES (1, 'Alice@Example.com', 'Alice'), (2, 'bob@example.com', 'Bob');`);
      await c.end();
      writeFileSync(join(dir, 'shop.yml'), `dataset:
  - fides_key: mysql_shop
    name: shop
    collections:
      - name: customer
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: { primary_key: true }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email, data_type: string }
          - name: name
            data_categories: [user.name]
`);
      const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
      const pd = (...args: string[]) => {
        const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z' } });
        return { code: r.status, out: r.stdout, err: r.stderr };
      };
      expect(pd('systems', 'add', 'shop', '--mysql', 'postgres://x@y/z', '--fides-dataset', join(dir, 'shop.yml')).code).toBe(2);
      const add = pd('systems', 'add', 'shop', '--mysql', shopUrl, '--fides-dataset', join(dir, 'shop.yml'), '--json');
      expect(add.err).toBe('');
      expect(add.code).toBe(0);
      expect(JSON.parse(add.out)).toMatchObject({ name: 'shop', engine: 'mysql', dataset: 'mysql_shop' });
      const access = pd('dsr', 'access', '--email', 'alice@example.com', '--json');
      expect(access.code).toBe(0);
      const out = JSON.parse(access.out) as { results: Record<string, Array<{ id: number; name: string }>>; errors: unknown[] };
      expect(out.errors).toEqual([]);
      expect(out.results['mysql_shop:customer']).toEqual([{ id: 1, email: 'Alice@Example.com', name: 'Alice' }]);

      // Erasure, then the row comes back (a re-import): the deletion ledger's replay finds it by
      // keyed hash (scan keyset-paged on MariaDB) and erases it again; a second replay finds nothing.
      const del = pd('dsr', 'delete', '--email', 'ALICE@example.com', '--json');
      expect(del.code).toBe(0);
      expect((JSON.parse(del.out) as { changes: Record<string, { deleted: number; masked: number }> }).changes['mysql_shop:customer']).toEqual({ deleted: 1, masked: 0 });
      const db = await createConnection({ uri: shopUrl });
      try {
        // (the id is a personal key, user.unique_id: the row is deleted)
        expect((await db.query('SELECT id FROM customer ORDER BY id'))[0]).toEqual([{ id: 2 }]);
        await db.query("INSERT INTO customer VALUES (3, ' alice@EXAMPLE.com', 'Alice again')");
        const replay = pd('ledger', 'replay', '--json');
        expect(replay.err).toBe('');
        expect(replay.code).toBe(0);
        expect((JSON.parse(replay.out) as { systems: Array<{ system: string; matched: number; deleted: number; masked: number; error: string | null }> }).systems)
          .toEqual([expect.objectContaining({ system: 'shop', matched: 1, deleted: 1, masked: 0, error: null })]);
        expect((await db.query('SELECT id FROM customer ORDER BY id'))[0]).toEqual([{ id: 2 }]);
        const second = JSON.parse(pd('ledger', 'replay', '--json').out) as { systems: Array<{ matched: number }> };
        expect(second.systems.map((x) => x.matched)).toEqual([0]);
        const [[bob]] = await db.query('SELECT email, name FROM customer WHERE id = 2') as unknown as [[{ email: string; name: string }]];
        expect(bob).toEqual({ email: 'bob@example.com', name: 'Bob' });
      } finally {
        await db.end();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
