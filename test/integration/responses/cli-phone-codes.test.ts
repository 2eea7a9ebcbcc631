// Phone codes through the CLI as a real child process on a SQLite file: `codes send ID` for a
// consumer who gave only a phone number (a text, or a call for a fixed line), `--channel sms|voice`,
// the embedded defaults (texts in <data-dir>/sms/messages.jsonl, calls in <data-dir>/calls) and End
// User Messaging configured by PRIVACY_DESK_SMS_* against a local endpoint; STOP by `codes reply`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalAwsEndpoint, type LocalAwsEndpoint } from '../../support/local-aws-endpoint';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
let aws: LocalAwsEndpoint;
function pd(extraEnv: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRIVACY_DESK_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], {
      encoding: 'utf8', env: { ...env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z', PRIVACY_DESK_BUSINESS_NAME: 'Acme', ...extraEnv },
    }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}
const embedded = (...args: string[]) => pd({}, ...args);
const create = async (phone: string) => {
  const c = await embedded('request', 'create', '--type', 'delete', '--jurisdiction', 'CA', '--phone', phone, '--json');
  expect(c.err).toBe('');
  return (JSON.parse(c.out) as { id: string }).id;
};

beforeAll(async () => { dir = mkdtempSync(join(tmpdir(), 'pd-cli-phone-')); aws = await startLocalAwsEndpoint(); });
afterAll(async () => { await aws.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('privacy-desk codes send --channel sms|voice', () => {
  it('a consumer with only a mobile number gets a text (embedded: the SMS file); the code verifies the case by phone code', async () => {
    const id = await create('+33612345678');
    const sent = await embedded('codes', 'send', id);
    expect(sent.err).toBe('');
    expect(sent.out).toMatch(/^code sent to \+3\*{6}5678 by text message, valid until 2026-11-23T18:1\d:\d\d/u);
    const texts = readFileSync(join(dir, 'sms', 'messages.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; body: string });
    expect(texts).toHaveLength(1);
    expect(texts[0]!.to).toBe('+33612345678');
    const code = /^Acme: (\d{6}) is your verification code for privacy request (PD-[A-Z0-9-]+)\. It expires in 10 minutes\. Do not share it\. Reply STOP to opt out\.$/u.exec(texts[0]!.body)!;
    expect(code[2]).toBe(id);
    const ok = await embedded('codes', 'check', id, '--code', code[1]!);
    expect(ok.out).toContain(`code accepted: ${id} verified (reasonable)`);
    const shown = JSON.parse((await embedded('request', 'show', id, '--json')).out) as { verification: { method: string; level: string } };
    expect(shown.verification).toMatchObject({ method: 'phone-code', level: 'reasonable' });
  }, 240_000);

  it('a fixed line gets a call (recorded: the outbound flow attributes); a text to it is refused; an unknown channel is a usage error', async () => {
    const id = await create('+442079460000');
    const refused = await embedded('codes', 'send', id, '--channel', 'sms');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/is a fixed line and cannot take a text; send a voice code/u);
    expect((await embedded('codes', 'send', id, '--channel', 'fax')).code).toBe(2);
    const sent = await embedded('codes', 'send', id);
    expect(sent.out).toMatch(/^code sent to \+4\*{7}0000 in a call \(read out twice\), valid until /u);
    const calls = readFileSync(join(dir, 'calls', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { destination: string; attributes: Record<string, string> });
    const call = calls.at(-1)!;
    expect(call.destination).toBe('+4*******0000');
    expect(call.attributes).toMatchObject({ caseRef: id, purpose: 'verification-code', codeMinutes: '10' });
    const ok = await embedded('codes', 'check', id, '--code', call.attributes.code!);
    expect(ok.code).toBe(0);
  }, 240_000);

  it('texts through End User Messaging when PRIVACY_DESK_SMS_* are set; STOP (codes reply) stops them', async () => {
    const id = await create('+14155550142');
    const sms = {
      PRIVACY_DESK_SMS_ORIGINATION_IDENTITY: 'pool-privacydesk', PRIVACY_DESK_SMS_CONFIG_SET: 'privacydesk-codes', PRIVACY_DESK_SMS_REGION: 'us-west-2',
      PRIVACY_DESK_SMS_ENDPOINT: aws.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
    };
    const sent = await pd(sms, 'codes', 'send', id, '--channel', 'sms', '--json');
    expect(sent.code).toBe(0); // stderr may hold the AWS SDK's Node version notice
    expect(JSON.parse(sent.out)).toMatchObject({ channel: 'sms', messageId: 'sms-0001', sentTo: '+1******0142' });
    expect(aws.requests).toHaveLength(1);
    expect(aws.requests[0]!.target).toBe('PinpointSMSVoiceV2.SendTextMessage');
    expect(aws.requests[0]!.body).toMatchObject({
      DestinationPhoneNumber: '+14155550142', OriginationIdentity: 'pool-privacydesk', ConfigurationSetName: 'privacydesk-codes', MessageType: 'TRANSACTIONAL',
    });
    expect(String(aws.requests[0]!.body.MessageBody)).toMatch(new RegExp(`^Acme: \\d{6} is your verification code for privacy request ${id}\\. It expires in 10 minutes\\. Do not share it\\. Reply STOP to opt out\\.$`, 'u'));
    const stop = await embedded('codes', 'reply', '--from', '+14155550142', '--text', 'STOP');
    expect(stop.out).toBe('opted out of texts\n');
    const again = await pd(sms, 'codes', 'send', id, '--channel', 'sms');
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/opted out of text messages \(STOP\)/u);
    expect(aws.requests).toHaveLength(1);
    expect((await embedded('codes', 'reply', '--from', '+14155550142', '--text', 'start')).out).toBe('opted back in to texts\n');
  }, 240_000);
});
