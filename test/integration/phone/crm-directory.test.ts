// The CRM directory on real databases: a SQLite file and a private PostgreSQL. Names from the
// configuration are checked against the live schema; values are bound; phones in common stored
// forms are found; verification facts compare in constant time.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CrmDirectory, CrmConfigError, factorEquals, normaliseFactor, phoneCandidates } from '../../../shared/adapters/crm-directory';
import { openCrmConnection, type CrmConnection } from '../../../shared/adapters/crm-connection';
import { DEMO_CRM_COLUMNS, DEMO_CUSTOMERS, writeDemoCrm } from '../../../connect-flows/simulator/sandbox';
import { startPostgres, type PostgresServer } from '../../support/postgres';

const dir = mkdtempSync(join(tmpdir(), 'crm-dir-'));
const file = join(dir, 'crm.sqlite');
let sqlite: CrmConnection;

beforeAll(() => {
  writeDemoCrm(file, [...DEMO_CUSTOMERS, { customerId: 'C-2001', firstName: 'Sam', email: null, phone: '+442071838750', accountNumber: 'AB-1234', dateOfBirth: '1970-07-04' }]);
  sqlite = openCrmConnection({ kind: 'sqlite', file });
});
afterAll(async () => { await sqlite.close(); rmSync(dir, { recursive: true, force: true }); });

describe('CRM directory on SQLite', () => {
  it('finds a caller stored in E.164 and one stored as "(415) 555-0101"', async () => {
    const crm = new CrmDirectory(sqlite, { table: 'customers', columns: DEMO_CRM_COLUMNS });
    const [dana] = await crm.findByPhone('+1 415 555 0100');
    expect(dana).toMatchObject({ customerId: 'C-1001', firstName: 'Dana', email: 'dana@example.com', phone: '+14155550100' });
    expect(dana!.factors).toEqual({ accountNumber: '12345678', dateOfBirth: '01311990', postalCode: '94105' });
    expect((await crm.findByPhone('4155550101')).map((c) => c.customerId)).toEqual(['C-1002']);
    expect((await crm.findByPhone('+44 20 7183 8750')).map((c) => c.customerId)).toEqual(['C-2001']);
    expect(await crm.findByPhone('+12125550000')).toEqual([]);
    expect(await crm.findByPhone('not a number')).toEqual([]);
    expect((await crm.findById('C-1002'))?.firstName).toBe('Lee');
    expect(await crm.findById("C-1002' OR '1'='1")).toBeNull();
  });

  it('refuses a table or column that is not in the live schema, naming the setting', async () => {
    await expect(new CrmDirectory(sqlite, { table: 'clients', columns: DEMO_CRM_COLUMNS }).ready()).rejects.toThrow(/table: "clients" does not exist/u);
    await expect(new CrmDirectory(sqlite, { table: 'customers', columns: { ...DEMO_CRM_COLUMNS, email: 'mail' } }).ready()).rejects.toThrow(/columns\.email: column "mail" does not exist/u);
  });

  it('refuses names that are not plain SQL identifiers before touching the database', () => {
    expect(() => new CrmDirectory(sqlite, { table: 'customers; DROP TABLE customers', columns: DEMO_CRM_COLUMNS })).toThrow(CrmConfigError);
    expect(() => new CrmDirectory(sqlite, { table: 'customers', columns: { ...DEMO_CRM_COLUMNS, phone: 'phone" --' } })).toThrow(/columns\.phone/u);
    expect(() => new CrmDirectory(sqlite, { table: 'customers', columns: { phone: 'phone' } })).toThrow(/customerId/u);
  });

  it('normalises what callers key in and compares in constant time', () => {
    expect(normaliseFactor('dateOfBirth', '1990-01-31')).toBe('01311990');
    expect(normaliseFactor('dateOfBirth', '01/31/1990')).toBe('01311990');
    expect(normaliseFactor('postalCode', '94105-1234')).toBe('94105');
    expect(normaliseFactor('accountNumber', 'ab-1234 ')).toBe('AB1234');
    expect(factorEquals('01311990', '01311990')).toBe(true);
    expect(factorEquals('01311990', '01311991')).toBe(false);
    expect(factorEquals('', '')).toBe(false);
    expect(phoneCandidates('+14155550100')).toEqual(['+14155550100', '4155550100', '14155550100', '(415) 555-0100', '415-555-0100']);
  });
});

describe('CRM directory on PostgreSQL', () => {
  let server: PostgresServer;
  let conn: CrmConnection;
  beforeAll(async () => {
    server = await startPostgres();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE SCHEMA crm');
    await client.query('CREATE TABLE crm.people ("Phone" text, cust_id text primary key, given_name text, dob date)');
    await client.query('INSERT INTO crm.people VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)', ['415-555-0100', 'P-1', 'Dana', '1990-01-31', '+14155550100', 'P-2', 'Dee', '1991-02-01']);
    await client.end();
    conn = openCrmConnection({ kind: 'postgres', url: server.url });
  });
  afterAll(async () => { await conn?.close(); await server?.stop(); });

  it('checks schema-qualified names, quotes mixed-case columns, finds every customer sharing a number', async () => {
    const crm = new CrmDirectory(conn, { table: 'crm.people', columns: { phone: 'Phone', customerId: 'cust_id', firstName: 'given_name', dateOfBirth: 'dob' } });
    const found = await crm.findByPhone('+14155550100');
    expect(found.map((c) => c.customerId)).toEqual(['P-1', 'P-2']);
    expect(found[0]!.factors.dateOfBirth).toBe('01311990');
    expect(crm.factorsAvailable()).toEqual(['dateOfBirth']);
    await expect(new CrmDirectory(conn, { table: 'crm.people', columns: { phone: 'phone', customerId: 'cust_id' } }).ready()).rejects.toThrow(/columns\.phone: column "phone" does not exist/u);
    await expect(new CrmDirectory(conn, { table: 'public.people', columns: { phone: 'Phone', customerId: 'cust_id' } }).ready()).rejects.toThrow(/does not exist/u);
  });
});
