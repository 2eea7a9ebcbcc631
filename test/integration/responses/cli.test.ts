// The Responses CLI groups as a real child process on a SQLite file, embedded defaults (no AWS
// settings): codes go to .eml files in <data-dir>/outbox, calls are recorded in <data-dir>/calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRIVACY_DESK_')));
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], {
    encoding: 'utf8', env: { ...env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z', PRIVACY_DESK_BUSINESS_NAME: 'Acme' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pd-cli-resp-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy-desk codes / calls / messages / processors / report', () => {
  let id = '';
  it('sends an email code to the outbox and a correct code verifies the case', async () => {
    const c = pd('request', 'create', '--type', 'access', '--jurisdiction', 'CA', '--email', 'cli.code@example.com', '--phone', '+14155550142', '--json');
    expect(c.code).toBe(0);
    id = (JSON.parse(c.out) as { id: string }).id;
    const sent = pd('codes', 'send', id);
    expect(sent.err).toBe('');
    expect(sent.out).toMatch(/^code sent to c\*\*\*@example\.com, valid until /u);
    const outbox = join(dir, 'outbox');
    const emls = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(emls.map(async (f) => simpleParser(readFileSync(join(outbox, f)))));
    const codeMail = mails.find((m) => m.subject?.startsWith('Your verification code'))!;
    const code = /verification code is: (\d{6})/u.exec(codeMail.text!)![1]!;
    const wrong = pd('codes', 'check', id, '--code', code === '000000' ? '111111' : '000000');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('code not accepted: wrong (2 attempt(s) left)');
    const ok = pd('codes', 'check', id, '--code', code);
    expect(ok.out).toContain(`code accepted: ${id} verified (reasonable), status verified`);
    expect(ok.code).toBe(0);
    expect(pd('codes', 'status', id).out).toMatch(/3 attempt\(s\) left; codes issued 1; active code none/u);
  }, 240_000);

  it('records a status call and lists the messages of the case (masked)', () => {
    const call = pd('calls', 'place', id, '--purpose', 'status');
    expect(call.code).toBe(0);
    expect(call.out).toMatch(/voice\s+call-status\s+sent\s+\+1\*+0142\s+recorded-/u);
    const calls = readFileSync(join(dir, 'calls', 'calls.jsonl'), 'utf8');
    expect(calls).not.toContain('4155550142');
    const list = pd('messages', 'list', id, '--json');
    const msgs = JSON.parse(list.out) as Array<{ template: string; recipient: string }>;
    expect(msgs.map((m) => m.template)).toEqual(expect.arrayContaining(['verification-code', 'call-status']));
    expect(list.out).not.toContain('cli.code@example.com');
  }, 240_000);

  it('registers processors, shows the attention list and previews the report', () => {
    const add = pd('processors', 'add', '--name', 'Mailer Inc', '--system', 'crm', '--channel', 'email', '--address', 'dpo@mailer.test');
    expect(add.code).toBe(0);
    expect(pd('processors', 'list').out).toMatch(/crm\s+Mailer Inc\s+email\s+dpo@mailer\.test/u);
    const bad = pd('processors', 'add', '--name', 'X', '--system', 'crm', '--channel', 'fax', '--address', 'y');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--channel: email or webhook');
    expect(pd('messages', 'attention').out).toContain('cases locked for verification: 0');
    const out = join(dir, 'report.html');
    expect(pd('report', 'preview', id, '--out', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Categories of personal information');
    expect(pd('codes', 'check', id).code).toBe(2);
  }, 240_000);
});
