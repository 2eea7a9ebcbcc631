// privacy-desk store status / reencrypt, as a real child process against a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pd-store-cli-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy-desk store', () => {
  it('reports the store and re-encrypts every PII value, keeping the audit chain intact', () => {
    expect(pd('request', 'create', '--type', 'access', '--jurisdiction', 'CA', '--email', 'cli.store@example.com', '--json').code).toBe(0);
    const s = pd('store', 'status', '--json');
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ dialect: 'sqlite', pendingMigrations: [], keySource: 'raw-aes', cases: 1, purgedCases: 0 });
    const r = pd('store', 'reencrypt', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ cases: 1, values: 1 });
    const v = pd('audit', 'verify', '--json');
    expect(JSON.parse(v.out)).toMatchObject({ ok: true, firstBad: null });
    expect(pd('store', 'status', '--bogus').code).toBe(2);
  });
});
