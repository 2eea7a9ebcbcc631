// The data-map CLI contract (issue 4 §5), run as real child processes against a real SQLite case
// store and the demo shop: systems add/list, dsr access/delete (--dry-run changes nothing), the JSON
// shape, exit codes (0 ran, 1 a system failed, 2 bad input), ledger replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createDemoShop } from '../../../shared/adapters/demo-shop';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
let shop: { sqliteFile: string; datamapFile: string };

function pd(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], {
    encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z' }, timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function shopSnapshot(): string {
  const db = new Database(shop.sqliteFile, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all()));
  } finally { db.close(); }
}
function shopAll(sql: string): unknown[] {
  const db = new Database(shop.sqliteFile, { readonly: true });
  try { return db.prepare(sql).all(); } finally { db.close(); }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-datamap-cli-'));
  shop = await createDemoShop(join(dir, 'shop'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each step spawns the CLI (a cold start of the app): generous time on a loaded machine.
describe('privacy-desk systems / dsr / ledger', { timeout: 240_000 }, () => {
  it('systems add refuses a data map naming a column the database lacks (exit 2, names it) and registers nothing', () => {
    const bad = join(dir, 'bad.datamap.yml');
    writeFileSync(bad, readFileSync(shop.datamapFile, 'utf8').replace('- { name: birth_date,', '- { name: birth_dat,'));
    const r = pd('systems', 'add', 'shop', '--sqlite', shop.sqliteFile, '--datamap', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/customers\.birth_dat/u);
    expect(JSON.parse(pd('systems', 'list', '--json').out)).toEqual([]);
  });

  it('systems add + list', () => {
    const r = pd('systems', 'add', 'shop', '--sqlite', shop.sqliteFile, '--datamap', shop.datamapFile);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(pd('systems', 'list', '--json').out) as Array<{ name: string; dataset: string }>;
    expect(list.map((s) => [s.name, s.dataset])).toEqual([['shop', 'demo_shop']]);
  });

  it('dsr access prints the contract JSON', () => {
    const r = pd('dsr', 'access', '--email', 'ANN.LEE@example.com', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['caseId', 'status', 'results', 'review', 'exempt', 'errors']));
    expect(out.caseId).toMatch(/^PD-/u);
    expect(out.results['demo_shop:customers']).toEqual([expect.objectContaining({ id: 1, first_name: 'Ann' })]);
    expect(out.review.map((x: { collection: string; primaryKey: unknown }) => `${x.collection}:${JSON.stringify(x.primaryKey)}`).sort())
      .toEqual(['demo_shop:addresses:{"id":10}']); // the home Bob shares; Ann's card is hers (Carol's order only points at it)
    expect(out.review[0]).toEqual(expect.objectContaining({ reason: expect.any(String) }));
    expect(out.exempt.length).toBe(2);
    expect(out.errors).toEqual([]);
  });

  it('dsr delete --dry-run prints the plan and changes nothing', () => {
    const before = shopSnapshot();
    const r = pd('dsr', 'delete', '--email', 'ann.lee@example.com', '--dry-run', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.changes['demo_shop:customers']).toEqual({ deleted: 1, masked: 0 });
    expect(shopSnapshot()).toBe(before);
  });

  it('bad input exits 2 naming the field, and creates no case', () => {
    const casesBefore = pd('request', 'list', '--json').out;
    const a = pd('dsr', 'delete', '--email', 'not-an-email', '--json');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/email/iu);
    const b = pd('dsr', 'access', '--email', 'ann.lee@example.com', '--strategy', 'everything');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--strategy/u);
    const c = pd('dsr', 'access', '--email', 'ann.lee@example.com', '--categories', 'user.name');
    expect(c.code).toBe(2);
    expect(pd('request', 'list', '--json').out).toBe(casesBefore);
  });

  it('dsr delete of sensitive data verified only to the reasonable level does not execute, and says why', () => {
    const r = pd('dsr', 'delete', '--email', 'bob.lee@example.com', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.status).toBe('in_review');
    expect(out.changes ?? {}).toEqual({});
    expect(r.err).toMatch(/not executed: discovery found sensitive personal information.*high level.*7062\(d\).*--signed-name/u);
    expect(shopAll('SELECT id FROM customers WHERE id = 2')).toHaveLength(1);
    expect(pd('dsr', 'delete', '--email', 'bob.lee@example.com', '--signed-name', 'Bob Lee', '--json').code).toBe(2);
  });

  it('dsr delete erases Ann, keeps shared and exempt rows; ledger replay erases her again after a restore', () => {
    // Ann's customer row holds a government id: the high level (3 data points and a stored signed declaration).
    const r = pd('dsr', 'delete', '--email', 'ann.lee@example.com', '--signed-name', 'Ann Lee', '--signed-on', '2026-11-20', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.status).toBe('closed');
    expect(out.changes['demo_shop:customers']).toEqual({ deleted: 1, masked: 0 });
    expect(shopAll('SELECT id FROM customers ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }]);
    expect(shopAll('SELECT id FROM addresses WHERE id = 10')).toHaveLength(1);
    // a restore brings her back
    const db = new Database(shop.sqliteFile);
    db.prepare("INSERT INTO customers VALUES (1, 'ann.lee@example.com', NULL, 'Ann', 'Lee', NULL, 'L-1001', '2024-01-05T10:00:00Z')").run();
    db.close();
    const replay = pd('ledger', 'replay', '--json');
    expect(replay.code).toBe(0);
    const rep = JSON.parse(replay.out);
    expect(rep.systems[0]).toEqual(expect.objectContaining({ system: 'shop', error: null }));
    expect(rep.systems[0].deleted).toBeGreaterThanOrEqual(1);
    expect(shopAll('SELECT id FROM customers WHERE id = 1')).toEqual([]);
    expect(JSON.stringify(rep).toLowerCase()).not.toContain('ann.lee');
  });

  it('a failing system: exit 1, the error names the system, the other system still answers', () => {
    // a second system on a copy of the shop, whose file then disappears
    const other = join(dir, 'other.datamap.yml');
    writeFileSync(other, readFileSync(shop.datamapFile, 'utf8').replace('dataset: demo_shop', 'dataset: other_shop'));
    const moved = `${shop.sqliteFile}.copy`;
    writeFileSync(moved, readFileSync(shop.sqliteFile));
    expect(pd('systems', 'add', 'other', '--sqlite', moved, '--datamap', other).code).toBe(0);
    rmSync(moved);
    const r = pd('dsr', 'access', '--email', 'bob.lee@example.com', '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    expect(out.errors).toEqual([expect.objectContaining({ system: 'other' })]);
    expect(out.results['demo_shop:customers']).toEqual([expect.objectContaining({ id: 2 })]);
  });
});
