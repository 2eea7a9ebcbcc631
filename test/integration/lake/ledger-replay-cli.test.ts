// `privacy-desk ledger replay --system NAME --since SNAPSHOT` as a real child process: the demo shop
// (a SQLite system) is backed up, a deletion runs, the backup is restored, and the replay limited to
// that system and snapshot erases the rows that came back; a replay since a later snapshot does nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pd-ledger-since-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ledger replay --system --since', () => {
  it('re-applies, after a restore, only the erasures made after the snapshot, to that system only', () => {
    const demo = pd('systems', 'demo', '--dir', join(dir, 'shop'), '--json');
    expect(demo.code).toBe(0);
    const shop = JSON.parse(demo.out) as { system: string; sqliteFile: string };
    copyFileSync(shop.sqliteFile, join(dir, 'shop-backup.sqlite'));
    expect(pd('snapshots', 'add', '--system', shop.system, '--label', 'nightly', '--taken-at', '2026-11-23T17:00:00Z').code).toBe(0);
    expect(pd('snapshots', 'add', '--system', shop.system, '--label', 'later', '--taken-at', '2026-11-23T19:00:00Z').code).toBe(0);

    const del = pd('dsr', 'delete', '--email', 'ann.lee@example.com', '--signed-name', 'Ann Lee', '--signed-on', '2026-11-22', '--json');
    expect(del.code).toBe(0);
    const erased = Object.values((JSON.parse(del.out) as { changes: Record<string, { deleted: number; masked: number }> }).changes).reduce((a, c) => a + c.deleted + c.masked, 0);
    expect(erased).toBeGreaterThan(0);

    copyFileSync(join(dir, 'shop-backup.sqlite'), shop.sqliteFile); // restore the snapshot
    const none = pd('ledger', 'replay', '--system', shop.system, '--since', 'later', '--json');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out)).toMatchObject({ system: shop.system, snapshot: { label: 'later' }, matched: 0, deleted: 0, masked: 0 });

    const r = pd('ledger', 'replay', '--system', shop.system, '--since', 'nightly', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { matched: number; deleted: number; masked: number; snapshot: { takenAt: string } };
    expect(out.snapshot.takenAt).toBe('2026-11-23T17:00:00.000Z');
    expect(out.matched).toBeGreaterThan(0);
    expect(out.deleted + out.masked).toBeGreaterThan(0);
    expect(r.out).not.toContain('ann.lee');

    const history = JSON.parse(pd('snapshots', 'replays', '--system', shop.system, '--json').out) as Array<{ rowsChanged: number }>;
    expect(history.map((h) => h.rowsChanged > 0)).toEqual([false, true]);
  }, 600_000);
});
