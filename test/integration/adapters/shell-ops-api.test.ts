// The operations the CLI's remaining commands now go through (issue 20 item 3): datamap.draft /
// validate / convert (`datamap discover|validate|convert`), datamap.systems.add with the look-ups
// no index serves, requests.import (an approver's without review), store.status / reencrypt and
// audit.anchor / export (an administrator's). Real SQLite stores and the real CLI command functions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CliGlobals, CliIO } from '../../../cli/command';
import { datamap } from '../../../cli/commands/datamap';
import { openApp } from '../../../cli/open-app';
import { ApiForbiddenError, ApiInputError } from '../../../shared/app/api';

const FIDES = join(process.cwd(), '..', 'shared', 'fixtures', 'fides-postgres-example', 'postgres_example_test_dataset.yml');

let dir: string;
let globals: CliGlobals;
function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = []; const err: string[] = [];
  return { out, err, stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, isTTY: false };
}

/** A small shop: customers (email, phone; no index on either) and their orders. */
function makeShop(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, full_name TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL);`);
  const ins = db.prepare('INSERT INTO customers (email, phone, full_name) VALUES (?, ?, ?)');
  for (let i = 0; i < 30; i += 1) ins.run(`person${i}@example.com`, `+1415555${String(1000 + i)}`, `Person ${i}`);
  db.prepare('INSERT INTO orders (customer_id, total) VALUES (1, 9.5)').run();
  db.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-shell-ops-'));
  globals = { db: join(dir, 'cases.sqlite'), dataDir: dir };
  makeShop(join(dir, 'shop.sqlite'));
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('data-map tools over the API', () => {
  it('discover writes a draft that validate accepts; a map naming a missing column is refused by name; convert reads a Fides dataset', async () => {
    const out = join(dir, 'draft.yml');
    const d = io();
    expect(await datamap.discover!(['--sqlite', join(dir, 'shop.sqlite'), '--out', out, '--json'], globals, d)).toBe(0);
    const summary = JSON.parse(d.out.join('')) as { collections: number; findings: Array<{ collection: string; field: string; category: string }> };
    expect(summary.collections).toBe(2);
    expect(summary.findings).toEqual(expect.arrayContaining([expect.objectContaining({ collection: 'customers', field: 'email', category: 'user.contact.email' })]));
    // The draft holds names and categories, never a sampled value.
    expect(readFileSync(out, 'utf8')).not.toMatch(/person\d+@example\.com/u);

    const ok = io();
    expect(await datamap.validate!(['--sqlite', join(dir, 'shop.sqlite'), '--datamap', out], globals, ok)).toBe(0);
    expect(ok.out.join('')).toMatch(/^ok: .* \(2 collections\) matches the database/u);

    writeFileSync(join(dir, 'bad.yml'), readFileSync(out, 'utf8').replace(/name: full_name/u, 'name: full_nam'));
    const bad = io();
    expect(await datamap.validate!(['--sqlite', join(dir, 'shop.sqlite'), '--datamap', join(dir, 'bad.yml')], globals, bad)).toBe(1);
    expect(bad.err.join('')).toMatch(/full_nam/u);

    const conv = io();
    expect(await datamap.convert!(['--fides-dataset', FIDES, '--out', join(dir, 'fides.yml')], globals, conv)).toBe(0);
    expect(conv.out.join('')).toMatch(/^wrote .*fides\.yml \(\d+ collections\)/u);
    expect(readFileSync(join(dir, 'fides.yml'), 'utf8')).toMatch(/^datamap:/u);
  });

  it('datamap.draft and datamap.validate open a connection the caller names: an administrator\'s', async () => {
    const app = await openApp(globals, { runEngine: false });
    try {
      await app.call('users.add', { name: 'ana', role: 'analyst', password: 'ana-correct-horse' }, { actor: 'cli' });
      await expect(app.call('datamap.draft', { engine: 'sqlite', location: join(dir, 'shop.sqlite') }, { actor: 'staff:ana', user: 'ana' })).rejects.toBeInstanceOf(ApiForbiddenError);
      await expect(app.call('datamap.draft', { engine: 'sqlite', location: join(dir, 'nope', 'x.sqlite') }, { actor: 'cli' })).rejects.toBeInstanceOf(ApiInputError);
    } finally { await app.close(); }
  });
});

describe('datamap.systems.add', () => {
  it('registers a system from a data-map text and lists the look-ups no index serves, with the index to create', async () => {
    const app = await openApp(globals, { runEngine: false });
    try {
      const text = `datamap:
  dataset: shop
  collections:
    - name: customers
      erasure: delete
      fields:
        - { name: id, primaryKey: true }
        - { name: email, identity: email, categories: [user.contact.email] }
        - { name: phone, identity: phone, categories: [user.contact.phone_number] }
        - { name: full_name, categories: [user.name] }
`;
      const r = await app.call('datamap.systems.add', { name: 'shop', engine: 'sqlite', location: join(dir, 'shop.sqlite'), datamapText: text }, { actor: 'cli' });
      expect(r).toMatchObject({ name: 'shop', engine: 'sqlite', dataset: 'shop' });
      const email = r.lookupsWithoutIndex.find((l) => l.field === 'email');
      expect(email).toMatchObject({ collection: 'customers', lookup: 'email', served: 'scan' });
      expect(email!.createIndex).toMatch(/^CREATE INDEX/u);
      // Created as told, the warning goes away.
      const db = new Database(join(dir, 'shop.sqlite'));
      db.exec(email!.createIndex);
      db.close();
      const again = await app.call('datamap.systems.add', { name: 'shop', engine: 'sqlite', location: join(dir, 'shop.sqlite'), datamapText: text }, { actor: 'cli' });
      expect(again.lookupsWithoutIndex.find((l) => l.field === 'email')).toBeUndefined();
      // A location for a scale engine, or no map, is refused naming the field.
      await expect(app.call('datamap.systems.add', { name: 'lake', engine: 'parquet', location: dir, datamapText: text }, { actor: 'cli' })).rejects.toThrow(/engineConfig|location/u);
      await expect(app.call('datamap.systems.add', { name: 'x', engine: 'sqlite', location: join(dir, 'shop.sqlite') }, { actor: 'cli' })).rejects.toThrow(/exactly one of datamap/u);
    } finally { await app.close(); }
  });
});

describe('requests.import', () => {
  const CSV = 'id,type,strategy,email\nR-1,access,exact,person1@example.com\nR-2,delete,exact,person2@example.com\nR-3,delete,exact,not-an-email\n';
  it('imports idempotently, names refused lines without their values, and importing without review is an approver\'s', async () => {
    const app = await openApp(globals, { runEngine: false });
    try {
      await app.call('users.add', { name: 'ana', role: 'analyst', password: 'ana-correct-horse' }, { actor: 'cli' });
      const ana = { actor: 'staff:ana', user: 'ana' };
      await expect(app.call('requests.import', { datasource: 'in.csv', csv: CSV }, ana)).rejects.toBeInstanceOf(ApiForbiddenError);
      const r = await app.call('requests.import', { datasource: 'in.csv', csv: CSV, review: true }, ana);
      expect(r.imported.map((x) => x.requestId)).toEqual(['R-1', 'R-2']);
      expect(r.refused).toEqual([{ line: 4, problems: [expect.objectContaining({ column: 'email' })] }]);
      expect(JSON.stringify(r.refused)).not.toContain('not-an-email');
      const again = await app.call('requests.import', { datasource: 'in.csv', csv: CSV, review: true }, ana);
      expect(again.imported).toEqual([]);
      expect(again.alreadyImported.map((x) => x.caseId)).toEqual(r.imported.map((x) => x.caseId));
      await expect(app.call('requests.import', { datasource: 'h.csv', csv: 'id,emial\nR-9,a@example.com\n' }, { actor: 'cli' })).rejects.toThrow(/unknown column "emial".*nothing imported/u);
    } finally { await app.close(); }
  });
});

describe('store and audit-log operations', () => {
  it('are an administrator\'s; audit.export pages through every entry in order', async () => {
    const app = await openApp(globals, { runEngine: false });
    try {
      await app.call('users.add', { name: 'adam', role: 'admin', password: 'adam-correct-horse' }, { actor: 'cli' });
      await app.call('users.add', { name: 'ana', role: 'analyst', password: 'ana-correct-horse' }, { actor: 'cli' });
      const ana = { actor: 'staff:ana', user: 'ana' };
      const adam = { actor: 'staff:adam', user: 'adam' };
      for (const op of ['store.status', 'store.reencrypt', 'audit.anchor'] as const) await expect(app.call(op, {}, ana)).rejects.toBeInstanceOf(ApiForbiddenError);
      await expect(app.call('audit.export', {}, ana)).rejects.toBeInstanceOf(ApiForbiddenError);
      const status = await app.call('store.status', {}, adam);
      expect(status).toMatchObject({ dialect: 'sqlite', pendingMigrations: [] });
      const seqs: number[] = [];
      for (let after = 0; ;) {
        const { entries } = await app.call('audit.export', { after, limit: 2 }, adam);
        if (!entries.length) break;
        seqs.push(...entries.map((e) => e.seq));
        after = entries[entries.length - 1]!.seq;
      }
      expect(seqs.length).toBe(status.auditEntries);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const { anchor } = await app.call('audit.anchor', {}, adam);
      expect(await app.call('audit.verify', { anchor }, ana)).toMatchObject({ ok: true });
      await expect(app.call('audit.anchor', { to: 'http://nope' }, adam)).rejects.toBeInstanceOf(ApiInputError);
    } finally { await app.close(); }
  });
});
