// The CLI as a real child process on a SQLite file, with the real SES v2 client against
// aws-ses-v2-local and the real Connect client against a local endpoint recording
// StartOutboundVoiceContact (both configured through PRIVACY_DESK_* variables, as in production):
// `request extend / hold / deny` send their notices by themselves; a provider that is down fails
// no command; an access request with only a phone number waits for staff delivery, shows why,
// and closes with `report deliver` (through `request ...` and through `dsr access`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSesEmulator, type SesEmulator } from '../../support/ses-emulator';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
let ses: SesEmulator;
let connect: Server;
let connectUrl: string;
const contacts: Array<{ Attributes: Record<string, string>; DestinationPhoneNumber: string }> = [];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the CLI without blocking this process (the emulators answer from here). */
function pd(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRIVACY_DESK_') && !k.startsWith('AWS_')));
  const child = spawn(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], {
    env: {
      ...env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z', PRIVACY_DESK_BUSINESS_NAME: 'Acme',
      PRIVACY_DESK_SES_ENDPOINT: ses.endpoint, PRIVACY_DESK_SES_REGION: 'us-east-1', PRIVACY_DESK_SES_FROM: 'privacy@acme.test',
      PRIVACY_DESK_CONNECT_INSTANCE_ID: 'inst-1', PRIVACY_DESK_CONNECT_CONTACT_FLOW_ID: 'flow-outbound',
      PRIVACY_DESK_CONNECT_SOURCE_PHONE: '+18005550100', PRIVACY_DESK_CONNECT_ENDPOINT: connectUrl,
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...extraEnv,
    },
  });
  let out = ''; let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString('utf8'); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}
const idOf = (r: { out: string }) => (JSON.parse(r.out) as { id: string }).id;
const subjectsTo = async (to: string) => (await ses.emails()).filter((e) => e.destination.to.includes(to)).map((e) => e.subject);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-cli-notices-'));
  ses = await startSesEmulator();
  const byToken = new Map<string, string>();
  connect = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = JSON.parse(text || '{}') as (typeof contacts)[number] & { ClientToken: string };
      contacts.push(body);
      const id = byToken.get(body.ClientToken) ?? `contact-${byToken.size + 1}`;
      byToken.set(body.ClientToken, id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ContactId: id }));
    });
  });
  await new Promise<void>((r) => connect.listen(0, '127.0.0.1', () => r()));
  connectUrl = `http://127.0.0.1:${(connect.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await ses?.stop();
  await new Promise<void>((r) => connect.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('privacy-desk: automatic notices and reports awaiting staff delivery', () => {
  it('request extend / hold / deny email their notices by themselves', async () => {
    const email = 'cli.notice@example.com';
    const c = await pd(['request', 'create', '--type', 'delete', '--jurisdiction', 'CA', '--email', email, '--json']);
    expect(c.code).toBe(0);
    const id = idOf(c);
    const ext = await pd(['request', 'extend', id, '--reason', 'records in archived backups must be restored to search them']);
    expect(ext.code).toBe(0);
    expect(ext.out).toContain('[extended]');
    expect(await subjectsTo(email)).toEqual([`We received your privacy request ${id}`, `We need more time for request ${id}`]);
    expect((await pd(['request', 'hold', id, '--kind', 'awaiting_consumer', '--reason', 'Please send the account number on your statement.'])).code).toBe(0);
    expect((await pd(['request', 'deny', id, '--reason', 'unverifiable', '--note', 'No account matched.'])).code).toBe(0);
    expect(await subjectsTo(email)).toEqual([
      `We received your privacy request ${id}`, `We need more time for request ${id}`, `Your request ${id} is on hold`, `Decision on your request ${id}`,
    ]);
    const list = await pd(['messages', 'list', id]);
    expect(list.out).toMatch(/email\s+extension-notice\s+sent/u);
    expect(list.out).toMatch(/email\s+denial\s+sent/u);
    expect(list.out).not.toContain(email);
    const sweep = await pd(['messages', 'sweep']);
    expect(sweep.out).toContain('notices sent 0, skipped (no email) 0, failed 0');
    expect(await subjectsTo(email)).toHaveLength(4);
  }, 240_000);

  it('a denial while the email provider is down still denies (exit 0); the notice waits failed until the sweep', async () => {
    const email = 'cli.down@example.com';
    const id = idOf(await pd(['request', 'create', '--type', 'delete', '--jurisdiction', 'CA', '--email', email, '--json']));
    const down = { PRIVACY_DESK_SES_ENDPOINT: 'http://127.0.0.1:9' }; // nothing listens there
    const deny = await pd(['request', 'deny', id, '--reason', 'duplicate', '--json'], down);
    expect(deny.code).toBe(0);
    expect((JSON.parse(deny.out) as { status: string }).status).toBe('denied');
    const attention = await pd(['messages', 'attention']);
    expect(attention.out).toMatch(new RegExp(`${id}\\s+email\\s+denial\\s+failed`, 'u'));
    expect(await subjectsTo(email)).toEqual([`We received your privacy request ${id}`]);
    expect((await pd(['messages', 'sweep'])).out).toContain('notices sent 1, skipped (no email) 0, failed 0');
    expect(await subjectsTo(email)).toEqual([`We received your privacy request ${id}`, `Decision on your request ${id}`]);
    expect((await pd(['messages', 'attention'])).out).not.toContain(id);
  }, 240_000);

  it('an access request with only a phone number: a status call, waiting in the attention list, closed by report deliver', async () => {
    const id = idOf(await pd(['request', 'create', '--type', 'access', '--jurisdiction', 'CA', '--channel', 'phone', '--phone', '+14155550123', '--json']));
    expect((await pd(['request', 'verify', id, '--method', 'knowledge', '--note', 'order number and ZIP matched on the call'])).code).toBe(0);
    expect((await pd(['request', 'discover', id])).code).toBe(0);
    const approved = await pd(['request', 'approve', id]);
    expect(approved.code).toBe(0);
    expect(approved.out).toMatch(new RegExp(`${id}\\s+access\\s+CA\\s+responding`, 'u'));
    expect(approved.out).toMatch(/waiting: awaiting staff delivery: no email address on the case/u);
    const calls = contacts.filter((c) => c.Attributes.caseRef === id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ DestinationPhoneNumber: '+14155550123', Attributes: { purpose: 'status', caseStatus: 'report_ready' } });
    const attention = await pd(['messages', 'attention']);
    expect(attention.out).toMatch(new RegExp(`${id}\\s+post\\s+access-report\\s+pending .*to do: no email address on the case`, 'u'));
    expect((await pd(['request', 'show', id])).out).toContain('waiting: awaiting staff delivery');
    expect((await pd(['report', 'deliver', id, '--method', 'post'])).code).toBe(2); // --note is required
    const delivered = await pd(['report', 'deliver', id, '--method', 'post', '--note', 'printed report sent by first-class mail']);
    expect(delivered.code).toBe(0);
    expect(delivered.out).toBe(`${id}: report delivery recorded (post), status closed\n`);
    expect((await pd(['request', 'show', id])).out).toMatch(new RegExp(`${id}\\s+access\\s+CA\\s+closed`, 'u'));
    expect((await pd(['messages', 'attention'])).out).not.toContain(id);
    expect(contacts.filter((c) => c.Attributes.caseRef === id)).toHaveLength(1);
    expect((await pd(['audit', 'verify', '--json'])).out).toContain('"ok": true');
  }, 240_000);

  it('request extend --category: a phone caller without email hears the extension and the category\'s phrase, never the reason text', async () => {
    const id = idOf(await pd(['request', 'create', '--type', 'delete', '--jurisdiction', 'CA', '--channel', 'phone', '--phone', '+14155550125', '--json']));
    const bad = await pd(['request', 'extend', id, '--reason', 'x', '--category', 'busy']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--category: one of complexity, many_systems, volume, archived_records/u);
    const ext = await pd(['request', 'extend', id, '--reason', 'Lee asked about 3 old accounts in archived backups', '--category', 'archived_records', '--json']);
    expect(ext.code).toBe(0);
    const calls = contacts.filter((c) => c.Attributes.caseRef === id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      DestinationPhoneNumber: '+14155550125',
      Attributes: { purpose: 'status', caseStatus: 'extended', emailed: 'false', extensionReason: 'some of your information is in archives that we must restore first' },
    });
    expect(JSON.stringify(calls[0])).not.toContain('Lee');
    expect((await pd(['messages', 'list', id])).out).toMatch(/voice\s+call-status\s+sent/u);
  }, 240_000);

  it('dsr access with only a phone number ends waiting for staff delivery, not stuck in silence', async () => {
    const r = await pd(['dsr', 'access', '--phone', '+14155550124', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { caseId: string; status: string };
    expect(out.status).toBe('responding');
    expect((await pd(['messages', 'attention'])).out).toMatch(new RegExp(`${out.caseId}\\s+post\\s+access-report\\s+pending`, 'u'));
    const delivered = await pd(['report', 'deliver', out.caseId, '--method', 'in_person', '--note', 'collected at the store, ID checked']);
    expect(delivered.out).toContain('status closed');
  }, 240_000);
});
