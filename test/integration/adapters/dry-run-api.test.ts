// datamap.dryRun through the app API (what `dsr ... --dry-run` now calls): on the demo shop it finds
// Ann's rows and counts what a deletion would change, creates no case and changes nothing; bad
// options are refused with the field named; a viewer may not read the rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp, type App } from '../../../shared/app/app';
import { ApiInputError } from '../../../shared/app/api';
import { contract } from '../../../shared/app/contract';
import { requiredRole } from '../../../shared/domain/roles';

const meta = { actor: 'cli' };
let dir: string;
let app: App;
let shopFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-dry-run-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
  shopFile = (await app.call('datamap.demo.register', {}, meta)).sqliteFile;
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

const customers = () => { const db = new Database(shopFile, { readonly: true }); try { return (db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n; } finally { db.close(); } };

describe('datamap.dryRun', () => {
  it('counts what a deletion would change and changes nothing; no case', async () => {
    const before = customers();
    const out = await app.call('datamap.dryRun', { type: 'delete', identities: { email: 'ann.lee@example.com' } }, meta);
    expect(out).toMatchObject({ caseId: null, dryRun: true });
    expect(out.errors).toEqual([]);
    const planned = Object.values(out.changes ?? {}).reduce((a, c) => a + c.deleted + c.masked, 0);
    expect(planned).toBeGreaterThan(0);
    expect(out.review.length).toBeGreaterThan(0); // the shared address
    expect(customers()).toBe(before);
    expect((await app.call('cases.list', {}, meta)).total).toBe(0);
  });

  it('refuses options that do not fit the type, naming the field; needs an analyst', async () => {
    await expect(app.call('datamap.dryRun', { type: 'delete', identities: { email: 'ann.lee@example.com' }, categories: ['user.contact.email'] }, meta)).rejects.toThrow(/categories: only for a delete_pii request/u);
    await expect(app.call('datamap.dryRun', { type: 'delete_pii', identities: { email: 'ann.lee@example.com' }, categories: ['not a category!'] }, meta)).rejects.toBeInstanceOf(ApiInputError);
    await expect(app.call('datamap.dryRun', { type: 'delete', identities: {} }, meta)).rejects.toBeInstanceOf(ApiInputError);
    expect(requiredRole('datamap.dryRun', contract['datamap.dryRun'].kind)).toBe('analyst');
  });
});
