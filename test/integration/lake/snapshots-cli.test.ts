// privacy-desk snapshots add|list|replays as a real child process against a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pd-snap-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy-desk snapshots', () => {
  it('registers snapshots, lists them per system, and audits the registration', () => {
    const a = pd('snapshots', 'add', '--system', 'warehouse', '--label', 'rs-2026-11-01', '--taken-at', '2026-11-01T02:00:00Z', '--json');
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out)).toMatchObject({ system: 'warehouse', label: 'rs-2026-11-01', kind: 'snapshot', takenAt: '2026-11-01T02:00:00.000Z', registeredBy: 'cli' });
    expect(pd('snapshots', 'add', '--system', 'lake', '--label', 'nightly', '--taken-at', '2026-11-02T03:00:00+01:00', '--kind', 'backup', '--note', 'AWS Backup').code).toBe(0);
    const list = pd('snapshots', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out).map((s: { system: string; label: string; takenAt: string }) => [s.system, s.label, s.takenAt])).toEqual([
      ['lake', 'nightly', '2026-11-02T02:00:00.000Z'], ['warehouse', 'rs-2026-11-01', '2026-11-01T02:00:00.000Z'],
    ]);
    expect(pd('snapshots', 'list', '--system', 'warehouse').out).toBe('warehouse\trs-2026-11-01\tsnapshot\t2026-11-01T02:00:00.000Z\n');
    expect(pd('snapshots', 'replays', '--system', 'warehouse').out).toBe('no replays for warehouse\n');
    const audit = pd('audit', 'verify', '--json');
    expect(audit.code).toBe(0);
  }, 240_000);

  it('refuses bad input with exit 2 and a message naming the field, writing nothing', () => {
    const bad = pd('snapshots', 'add', '--system', 'warehouse', '--label', 'x', '--taken-at', 'last tuesday');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/takenAt: takenAt must be an ISO date-time/u);
    const dup = pd('snapshots', 'add', '--system', 'warehouse', '--label', 'rs-2026-11-01', '--taken-at', '2026-11-01T02:00:00Z');
    expect(dup.code).toBe(2);
    expect(dup.err).toMatch(/already has a snapshot labelled "rs-2026-11-01"/u);
    expect(pd('snapshots', 'add', '--label', 'x').code).toBe(2);
    expect(pd('snapshots', 'add', '--system', 'bad name!', '--label', 'x', '--taken-at', '2026-11-01T02:00:00Z').err).toMatch(/system: letters/u);
    expect(JSON.parse(pd('snapshots', 'list', '--json').out).length).toBe(2);
  }, 240_000);

  it('replay --system --since refuses a missing snapshot or an unregistered system', () => {
    const noSince = pd('snapshots', 'replay', '--system', 'warehouse');
    expect([noSince.code, noSince.err]).toEqual([2, expect.stringMatching(/--since SNAPSHOT/u)]);
    const unknown = pd('snapshots', 'replay', '--system', 'warehouse', '--since', 'nope');
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringMatching(/no snapshot "nope" registered for system warehouse/u)]);
    const unregistered = pd('snapshots', 'replay', '--system', 'warehouse', '--since', 'rs-2026-11-01');
    expect([unregistered.code, unregistered.err]).toEqual([2, expect.stringMatching(/no system named warehouse is registered/u)]);
  }, 240_000);
});
