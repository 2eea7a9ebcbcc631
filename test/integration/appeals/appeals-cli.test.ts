// `privacy-desk request appeal` / `appeal-extend` / `appeal-decide` as a real child process on a
// real SQLite file (issue 14 item 2): a Colorado deletion denied, appealed on a given receipt date
// (45 days: deadlines.respond in the JSON), extended by 60 days, upheld; usage errors named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(clock: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: clock } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pd-appeal-cli-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy-desk request appeal', () => {
  it('files, extends and decides an appeal with the state\'s dates', () => {
    const c = pd('2027-01-12T18:00:00Z', 'request', 'create', '--type', 'delete', '--jurisdiction', 'CO', '--email', 'cli.appeal@example.com', '--received', '2027-01-11', '--json');
    expect(c.err).toBe('');
    const id = JSON.parse(c.out).id as string;
    expect(pd('2027-01-20T18:00:00Z', 'request', 'deny', id, '--reason', 'unverifiable', '--note', 'no match').code).toBe(0);

    const noReason = pd('2027-03-02T18:00:00Z', 'request', 'appeal', id);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason is required');
    const badDate = pd('2027-03-02T18:00:00Z', 'request', 'appeal', id, '--received', '1 March', '--reason', 'x');
    expect(badDate.err).toContain('--received: must be a date YYYY-MM-DD');

    const a = pd('2027-03-02T18:00:00Z', 'request', 'appeal', id, '--received', '2027-03-01', '--reason', 'I sent my order number', '--json');
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    const filed = JSON.parse(a.out);
    expect(filed).toMatchObject({ caseId: id, status: 'open', receivedOn: '2027-03-01', deadlines: { respond: '2027-04-15' }, reason: 'I sent my order number' });
    expect(filed.attorneyGeneral.office).toContain('Colorado Attorney General');

    const text = pd('2027-03-02T18:00:00Z', 'request', 'appeal', id, '--reason', 'again');
    expect(text.code).not.toBe(0);
    expect(text.err).toContain('appealed already');

    const e = JSON.parse(pd('2027-04-01T18:00:00Z', 'request', 'appeal-extend', id, '--reason', 'archived orders', '--json').out);
    expect(e.deadlines).toEqual({ respond: '2027-06-14', respondOriginal: '2027-04-15' });

    const both = pd('2027-04-02T18:00:00Z', 'request', 'appeal-decide', id, '--granted', '--upheld', '--note', 'x');
    expect(both.code).toBe(2);
    expect(both.err).toContain('one of --granted');
    const d = pd('2027-04-02T18:00:00Z', 'request', 'appeal-decide', id, '--upheld', '--note', 'Still no match');
    expect(d.err).toBe('');
    expect(d.out).toMatch(new RegExp(`^${id}  appeal AP-[0-9a-f-]+  CO  received 2027-03-01  upheld 2027-04-02T18:00:[0-9.]+Z\\n$`, 'u'));
  });
});
