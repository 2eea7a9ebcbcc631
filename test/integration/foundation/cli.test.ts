// The CLI contract (issue "Foundation" §5), run as a real child process against a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
let db: string;
function pd(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', db, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function dbBytes(): string {
  return readdirSync(dir).filter((f) => f.startsWith('cases.sqlite')).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-cli-'));
  db = join(dir, 'cases.sqlite');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy-desk request / audit', () => {
  let id = '';
  it('creates a CA deletion request with its legal clock', () => {
    const r = pd('request', 'create', '--type', 'delete', '--jurisdiction', 'CA', '--email', 'Cli.Person@Example.com ', '--phone', '(415) 555-0142', '--received', '2026-11-20', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out);
    id = c.id;
    expect(id).toMatch(/^PD-\d{8}-[A-Z0-9]{6}$/u);
    expect(c.status).toBe('verifying');
    // 10 business days from Fri 2026-11-20, skipping Thanksgiving (26th; the day after is not a Gov. Code §6700 holiday)
    expect(c.deadlines.acknowledge).toBe('2026-12-07');
    expect(c.deadlines.respond).toBe('2027-01-04');
    expect(c.identitiesMasked.email).toBe('c***@example.com');
  });

  it('keeps no plain email or phone in the database file', () => {
    const bytes = dbBytes();
    expect(bytes).not.toContain('cli.person@example.com');
    expect(bytes.toLowerCase()).not.toContain('cli.person');
    expect(bytes).not.toContain('+14155550142');
    expect(bytes).not.toContain('555-0142');
  });

  it('shows, lists, verifies, extends, holds and resumes', () => {
    expect(JSON.parse(pd('request', 'show', id, '--json').out).id).toBe(id);
    const listed = JSON.parse(pd('request', 'list', '--status', 'verifying', '--json').out);
    expect(listed.map((c: { id: string }) => c.id)).toContain(id);
    const found = JSON.parse(pd('request', 'list', '--search', 'cli.person@example.com', '--json').out);
    expect(found.map((c: { id: string }) => c.id)).toEqual([id]);
    const v = JSON.parse(pd('request', 'verify', id, '--method', 'staff', '--note', 'matched email and phone', '--json').out);
    expect(v.status).toBe('verified');
    expect(v.verification).toMatchObject({ level: 'reasonable', method: 'staff' });
    const e = pd('request', 'extend', id, '--reason', 'records in an archived system', '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.out).deadlines.respond).toBe('2027-02-18');
    const again = pd('request', 'extend', id, '--reason', 'once more', '--json');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/extend/iu);
    const h = pd('request', 'hold', id, '--reason', 'litigation hold from legal', '--json');
    expect(JSON.parse(h.out).status).toBe('on_hold');
    const r = pd('request', 'resume', id, '--json');
    expect(JSON.parse(r.out).status).toBe('verified');
  });

  it('verifies the audit chain', () => {
    const r = pd('audit', 'verify', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, firstBad: null });
    expect(JSON.parse(r.out).entries).toBeGreaterThan(5);
  });

  it.each([
    [['--type', 'delete', '--jurisdiction', 'CA', '--email', 'not-an-email'], /email/u],
    [['--type', 'forget', '--jurisdiction', 'CA', '--email', 'a@example.com'], /type/u],
    [['--type', 'delete', '--jurisdiction', 'CA'], /identities|email|phone/u],
    [['--type', 'delete', '--jurisdiction', 'XX', '--email', 'a@example.com'], /jurisdiction/u],
    [['--type', 'delete', '--jurisdiction', 'CA', '--phone', '12'], /phone/u],
    [['--type', 'delete', '--jurisdiction', 'CA', '--email', 'a@example.com', '--received', '2026-13-45'], /received/u],
    [['--jurisdiction', 'CA', '--email', 'a@example.com'], /--type/u],
  ])('bad input %j exits 2 naming the field and writes nothing', (args, field) => {
    const before = JSON.parse(pd('request', 'list', '--json').out).length;
    const r = pd('request', 'create', ...args, '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(field);
    expect(r.out).toBe('');
    expect(JSON.parse(pd('request', 'list', '--json').out).length).toBe(before);
  });

  it('unknown commands and cases are clear errors', () => {
    expect(pd('nope').code).toBe(2);
    expect(pd('request', 'show', 'PD-00000000-AAAAAA', '--json').code).toBe(2);
  });
});
