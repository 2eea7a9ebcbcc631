// CLI output (issue 13, part 6): a 5 MB result piped into another program arrives whole (the
// process no longer exits before stdout drains), control characters in echoed input are escaped,
// and the data folder, database and key files are private (0700 / 0600).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../shared/app/app';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
const db = () => join(dir, 'data', 'cases.sqlite');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-cliout-'));
  const app = await createApp({ dataDir: join(dir, 'data'), db: { kind: 'sqlite', file: db() }, runEngine: false });
  try {
    const pad = 'x'.repeat(200);
    for (let b = 0; b < 10; b++) {
      await app.ctx.audit.appendMany!(Array.from({ length: 2000 }, (_, i) => ({ caseId: null, actor: 'test', action: 'test.bulk', detail: { b, i, pad }, at: new Date() })));
    }
  } finally {
    await app.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI output', () => {
  it('a 5 MB result piped into wc -c arrives whole', async () => {
    const r = await new Promise<{ out: string; code: number }>((resolveRun) => {
      execFile('/bin/sh', ['-c', `"${process.execPath}" "${bin}" --db "${db()}" --data-dir "${join(dir, 'data')}" audit export | wc -c; exit "\${PIPESTATUS:-0}"`], { encoding: 'utf8', maxBuffer: 1 << 20 }, (e, out) => resolveRun({ out, code: e ? 1 : 0 }));
    });
    expect(r.code).toBe(0);
    const bytes = Number(r.out.trim());
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    // The same bytes as read whole (no cut at 64 KiB, nothing lost at the end).
    const whole = spawnSync(process.execPath, [bin, '--db', db(), '--data-dir', join(dir, 'data'), 'audit', 'export'], { maxBuffer: 64 << 20 });
    expect(whole.status).toBe(0);
    expect(whole.stdout.length).toBe(bytes);
    const lines = whole.stdout.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20_000);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ seq: 20_000, action: 'test.bulk' });
  }, 120_000);

  it('escapes control characters echoed back from the arguments', () => {
    const r = spawnSync(process.execPath, [bin, '--db', db(), '--data-dir', join(dir, 'data'), 'req\u001b]0;owned\u0007uest', 'x'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('req\\x1b]0;owned\\x07uest');
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/u);
  });

  it('keeps the data folder 0700 and the database, its WAL and the key files 0600', () => {
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(join(dir, 'data'))).toBe(0o700);
    expect(mode(join(dir, 'data', 'keys'))).toBe(0o700);
    for (const f of readdirSync(join(dir, 'data')).filter((n) => n.startsWith('cases.sqlite'))) expect([f, mode(join(dir, 'data', f))]).toEqual([f, 0o600]);
    for (const f of readdirSync(join(dir, 'data', 'keys'))) expect([f, mode(join(dir, 'data', 'keys', f))]).toEqual([f, 0o600]);
  });
});
