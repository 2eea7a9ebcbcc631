// One-time codes by text message and by voice call, through the real SDK clients against a local
// endpoint that records each request and answers like the service: End User Messaging SMS
// SendTextMessage (origination identity, configuration set, TRANSACTIONAL, the text as sent) and
// Connect StartOutboundVoiceContact (the outbound flow's attributes) for fixed lines. The same
// rules as email codes: expiry, attempts, the lock and the staff notice, one code per purpose,
// rate limits per case and per number, STOP honoured, nothing personal in the audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { OutboxSender } from '../../../shared/channels/email/outbox-sender';
import { Mailer } from '../../../shared/channels/email/mailer';
import { VerificationCodes, CodeError, codeText, type CodeChannel, type CodeMethod } from '../../../shared/channels/codes';
import { EndUserMessagingSender } from '../../../shared/channels/sms/end-user-messaging-sender';
import { SmsOutboxSender } from '../../../shared/channels/sms/outbox-sms-sender';
import { createSmsSender } from '../../../shared/channels/sms/config';
import { TextMessages } from '../../../shared/channels/sms/texts';
import { keywordOf } from '../../../shared/channels/sms/opt-outs';
import { codeChannelFor, lineType } from '../../../shared/channels/sms/phone-line';
import type { SmsSender } from '../../../shared/channels/sms/sender';
import { ConnectCaller } from '../../../shared/channels/voice/connect-caller';
import { OutboundCalls } from '../../../shared/channels/voice/calls';
import { responsesEnv, type ResponsesEnv } from '../../support/responses-env';
import { startLocalAwsEndpoint, type LocalAwsEndpoint } from '../../support/local-aws-endpoint';

const CASE = 'PD-20260302-PHONE1';
const MOBILE = '+33612345678'; // libphonenumber: MOBILE
const US = '+14155550123'; // FIXED_LINE_OR_MOBILE: texted
const LANDLINE = '+442079460000'; // FIXED_LINE: called
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

let env: ResponsesEnv;
let aws: LocalAwsEndpoint;
let verified: Array<{ caseId: string; method: CodeMethod; channel: CodeChannel }>;
const retry = { attempts: 3, baseMs: 1, sleep: async () => undefined };

beforeEach(async () => {
  env = await responsesEnv();
  aws = await startLocalAwsEndpoint();
  verified = [];
});
afterEach(async () => {
  await aws.stop();
  await env.close();
});

function build(sender?: SmsSender) {
  const base = { db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock };
  const sms = sender ?? new EndUserMessagingSender({
    region: 'us-east-1', originationIdentity: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123', configurationSet: 'privacydesk-codes',
    endpoint: aws.endpoint, credentials: creds,
  });
  const caller = new ConnectCaller({ region: 'us-east-1', instanceId: 'inst-1234', contactFlowId: 'flow-outbound', sourcePhoneNumber: '+18005550100', endpoint: aws.endpoint, credentials: creds });
  const texts = new TextMessages({ ...base, sender: sms, retry });
  const calls = new OutboundCalls({ ...base, caller, retry });
  const mailer = new Mailer({ ...base, sender: new OutboxSender(join(env.dir, 'outbox'), env.clock), from: 'privacy@acme.test', businessName: 'Acme', retry });
  const codes = new VerificationCodes({
    ...base, mailer, texts, calls, businessName: 'Acme', staffEmail: 'staff@acme.test',
    onVerified: async (caseId, _actor, method, channel) => { verified.push({ caseId, method, channel }); },
  });
  return { codes, texts, calls, mailer };
}

const textRequests = () => aws.requests.filter((r) => r.target === 'PinpointSMSVoiceV2.SendTextMessage');
const callRequests = () => aws.requests.filter((r) => r.url === '/contact/outbound-voice');
/** The code as the consumer read it in the last text. */
const codeFromText = (): string => /: (\d{6}) is your verification code/u.exec(String(textRequests().at(-1)!.body.MessageBody))![1]!;

async function noPiiStored(code: string, phone: string) {
  const dump = JSON.stringify(await env.db.all('SELECT * FROM verification_codes')) + JSON.stringify(await env.db.all('SELECT * FROM messages'))
    + JSON.stringify(await env.db.all('SELECT * FROM sms_opt_outs')) + JSON.stringify(await env.db.all('SELECT * FROM test_audit'));
  expect(dump).not.toContain(code);
  expect(dump).not.toContain(phone);
  expect(dump).not.toContain(phone.slice(1));
}

describe('SMS codes through End User Messaging (SendTextMessage)', () => {
  it('texts the code from the origination identity with the configuration set as TRANSACTIONAL; a correct code verifies the case', async () => {
    const { codes } = build();
    const r = await codes.issueToPhone(CASE, MOBILE, 'auto', 'en', 'staff:ann');
    expect(r).toMatchObject({ channel: 'sms', sentTo: '+3******5678', messageId: 'sms-0001', expiresAt: '2026-03-02T15:10:00.000Z' });
    expect(textRequests()).toHaveLength(1);
    const req = textRequests()[0]!;
    expect(req.method).toBe('POST');
    expect(req.contentType).toBe('application/x-amz-json-1.0');
    const code = codeFromText();
    expect(req.body).toEqual({
      DestinationPhoneNumber: MOBILE,
      OriginationIdentity: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123',
      ConfigurationSetName: 'privacydesk-codes',
      MessageType: 'TRANSACTIONAL',
      MessageBody: `Acme: ${code} is your verification code for privacy request ${CASE}. It expires in 10 minutes. Do not share it. Reply STOP to opt out.`,
      Context: { caseRef: CASE },
    });
    // The text as sent: the business, the code, the case reference, the validity, STOP; nothing else personal; one SMS segment.
    const body = String(req.body.MessageBody);
    expect(body.length).toBeLessThanOrEqual(160);
    expect(body).toMatch(/^[\x20-\x7e]+$/u);
    expect(body).not.toContain(MOBILE.slice(1));
    const [msg] = await env.db.all<{ channel: string; status: string; template: string; recipient_masked: string; provider: string }>('SELECT * FROM messages');
    expect(msg).toMatchObject({ channel: 'sms', status: 'sent', template: 'verification-code', recipient_masked: '+3******5678', provider: 'end-user-messaging' });
    const audit = await env.audit.forCase(CASE);
    expect(audit.map((a) => a.action)).toEqual(['verification.code-issued', 'message.sent']);
    expect(audit[0]!.detail).toMatchObject({ channel: 'sms', to: '+3******5678' });
    await noPiiStored(code, MOBILE);
    expect(await codes.check(CASE, code, 'consumer')).toEqual({ ok: true });
    expect(verified).toEqual([{ caseId: CASE, method: 'phone-code', channel: 'sms' }]);
    expect((await env.audit.forCase(CASE)).at(-1)).toMatchObject({ action: 'verification.code-accepted', detail: { channel: 'sms' } });
    await noPiiStored(code, MOBILE);
  });

  it('numbers libphonenumber cannot tell apart (most of North America) get a text; numbers not in E.164 are refused', async () => {
    const { codes } = build();
    expect(await lineType(US)).toBe('fixed-line-or-mobile');
    expect((await codes.issueToPhone(CASE, US, 'auto', 'en', 'staff:ann')).channel).toBe('sms');
    for (const bad of ['4155550123', '(415) 555-0123', '+1 415 555 0123', '+1415555012']) {
      await expect(codes.issueToPhone(`${CASE}-${bad.length}`, bad, 'sms', 'en', 'staff:ann')).rejects.toMatchObject({ kind: 'channel' });
    }
    expect(textRequests()).toHaveLength(1);
  });

  it('retries a 5xx and records the attempts; a send that keeps failing is recorded as failed and thrown', async () => {
    const { codes } = build();
    aws.failNext(1);
    await codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann');
    expect(textRequests()).toHaveLength(2);
    const [ok] = await env.db.all<{ status: string; attempts: number }>('SELECT * FROM messages');
    expect(ok).toMatchObject({ status: 'sent', attempts: 2 });
    aws.failNext(3);
    await expect(codes.issueToPhone('PD-20260302-PHONE2', US, 'sms', 'en', 'staff:ann')).rejects.toThrow(/text "verification-code" to \+1\*+0123 failed after 3 attempt/u);
    expect((await env.audit.forCase('PD-20260302-PHONE2')).map((a) => a.action)).toEqual(['verification.code-issued', 'message.failed']);
  });

  it('a new code supersedes the last one of the same purpose, whatever its channel (one code per purpose)', async () => {
    const { codes } = build();
    await codes.issue(CASE, 'jane@example.com', 'en', 'staff:ann');
    const mail = await simpleParser(readFileSync(join(env.dir, 'outbox', readdirSync(join(env.dir, 'outbox'))[0]!)));
    const emailCode = /verification code is: (\d+)/u.exec(mail.text!)![1]!;
    await codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann');
    const smsCode = codeFromText();
    if (emailCode !== smsCode) expect(await codes.check(CASE, emailCode, 'consumer')).toMatchObject({ ok: false, reason: 'wrong' });
    expect((await codes.status(CASE)).active).toMatchObject({ channel: 'sms' });
    expect(await codes.check(CASE, smsCode, 'consumer')).toEqual({ ok: true });
    const rows = await env.db.all<{ channel: string; purpose: string; status: string }>('SELECT channel, purpose, status FROM verification_codes ORDER BY created_at, channel');
    expect(rows).toEqual([{ channel: 'email', purpose: 'verification', status: 'superseded' }, { channel: 'sms', purpose: 'verification', status: 'used' }]);
  });
});

describe('expiry, attempts and the lock (same rules as email codes)', () => {
  it('a code expires after 10 minutes', async () => {
    const { codes } = build();
    await codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann');
    const code = codeFromText();
    env.setNow('2026-03-02T15:10:00.000Z');
    expect(await codes.check(CASE, code, 'consumer')).toEqual({ ok: false, reason: 'expired' });
    expect(verified).toEqual([]);
  });

  it('three wrong codes lock phone-code verification, tell staff, refuse new codes until staff unlock', async () => {
    const { codes } = build();
    await codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann');
    const code = codeFromText();
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await codes.check(CASE, wrong, 'consumer')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
    expect(await codes.check(CASE, wrong, 'consumer')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
    expect(await codes.check(CASE, wrong, 'consumer')).toEqual({ ok: false, reason: 'locked' });
    expect(await codes.check(CASE, code, 'consumer')).toEqual({ ok: false, reason: 'locked' });
    expect((await env.audit.forCase(CASE)).find((a) => a.action === 'verification.locked')!.detail).toEqual({ failures: 3, method: 'phone-code', channel: 'sms' });
    const staff = await simpleParser(readFileSync(join(env.dir, 'outbox', readdirSync(join(env.dir, 'outbox'))[0]!)));
    expect((staff.to as { text: string }).text).toBe('staff@acme.test');
    expect(staff.text).not.toContain(MOBILE.slice(3));
    await expect(codes.issueToPhone(CASE, MOBILE, 'voice', 'en', 'staff:ann')).rejects.toMatchObject({ kind: 'locked' });
    expect(await codes.lockedCases()).toEqual([{ caseId: CASE, lockedAt: '2026-03-02T15:00:00.000Z', failures: 3 }]);
    await codes.unlock(CASE, 'staff:ann', 'called the consumer back on the number on file');
    await codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann');
    expect(await codes.check(CASE, codeFromText(), 'consumer')).toEqual({ ok: true });
    await noPiiStored(code, MOBILE);
  });

  it('rate limits: 5 codes per case per hour; 5 per number per hour and 10 per day over all cases', async () => {
    const { codes } = build();
    for (let i = 1; i <= 5; i += 1) await codes.issueToPhone(`PD-20260302-RATE0${i}`, MOBILE, 'sms', 'en', 'staff:ann');
    await expect(codes.issueToPhone('PD-20260302-RATE06', MOBILE, 'sms', 'en', 'staff:ann')).rejects.toThrow(/\+3\*+5678 has been sent the most codes allowed \(5 per hour, 10 per day\)/u);
    await expect(codes.issueToPhone('PD-20260302-RATE06', MOBILE, 'voice', 'en', 'staff:ann')).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(textRequests()).toHaveLength(5);
    env.setNow('2026-03-02T16:00:01.000Z');
    for (let i = 6; i <= 9; i += 1) await codes.issueToPhone(`PD-20260302-RATE0${i}`, MOBILE, 'sms', 'en', 'staff:ann');
    await codes.issueToPhone('PD-20260302-RATE10', MOBILE, 'voice', 'en', 'staff:ann');
    env.setNow('2026-03-02T17:00:02.000Z');
    await expect(codes.issueToPhone('PD-20260302-RATE11', MOBILE, 'sms', 'en', 'staff:ann')).rejects.toThrow(/10 per day/u);
    expect(textRequests()).toHaveLength(9);
    expect(callRequests()).toHaveLength(1);
    // Per case: 5 per hour, over any numbers.
    const numbers = ['+33612345601', '+33612345602', '+33612345603', '+33612345604', '+33612345605'];
    for (const n of numbers) await codes.issueToPhone('PD-20260302-RATE05', n, 'sms', 'en', 'staff:ann');
    await expect(codes.issueToPhone('PD-20260302-RATE05', '+33612345606', 'sms', 'en', 'staff:ann')).rejects.toThrow(/at most 5 codes per hour/u);
  });
});

describe('STOP: numbers that opted out are never texted', () => {
  it('a STOP reply opts the number out; texts are refused before any request; START opts it back in', async () => {
    const { codes, texts } = build();
    expect(keywordOf('stop')).toBe('opt-out');
    expect(keywordOf('  Stop please')).toBe('opt-out');
    expect(keywordOf('UNSUBSCRIBE')).toBe('opt-out');
    expect(keywordOf('123456')).toBeNull();
    expect(keywordOf('start')).toBe('opt-in');
    await texts.inbound(MOBILE, 'STOP', keywordOf('STOP'), 'sms:inbound');
    await expect(codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann')).rejects.toThrow(/opted out of text messages \(STOP\); send a voice code/u);
    expect(textRequests()).toHaveLength(0);
    expect(await env.db.all('SELECT * FROM verification_codes')).toEqual([]); // nothing issued, nothing counted
    // A call is another consent: the voice code still works.
    expect((await codes.issueToPhone(CASE, MOBILE, 'voice', 'en', 'staff:ann')).channel).toBe('voice');
    await texts.inbound(MOBILE, 'START', keywordOf('START'), 'sms:inbound');
    expect((await codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann')).channel).toBe('sms');
    expect(textRequests()).toHaveLength(1);
    const audit = JSON.stringify(await env.db.all('SELECT * FROM test_audit'));
    expect(audit).toContain('sms.opted-out');
    expect(audit).not.toContain(MOBILE.slice(1));
  });

  it('the service refusing an opted-out number (ConflictException) is remembered: recorded as skipped, never tried again', async () => {
    const { codes } = build();
    aws.optedOut.add(MOBILE);
    await expect(codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann')).rejects.toMatchObject({ kind: 'opted-out' });
    expect(textRequests()).toHaveLength(1); // not retried
    const [msg] = await env.db.all<{ status: string; error: string }>('SELECT * FROM messages');
    expect(msg).toMatchObject({ status: 'skipped', error: 'the number opted out of text messages (STOP)' });
    expect((await codes.status(CASE)).active).toBeNull();
    await expect(codes.issueToPhone(CASE, MOBILE, 'sms', 'en', 'staff:ann')).rejects.toMatchObject({ kind: 'opted-out' });
    expect(textRequests()).toHaveLength(1);
  });
});

describe('voice codes through Connect (StartOutboundVoiceContact) for fixed lines', () => {
  it('a fixed-line number gets a call whose attributes carry the code for the outbound flow to read out', async () => {
    const { codes } = build();
    expect(await lineType(LANDLINE)).toBe('fixed-line');
    expect(await codeChannelFor(LANDLINE)).toBe('voice');
    const r = await codes.issueToPhone(CASE, LANDLINE, 'auto', 'en', 'staff:ann', 'verifying');
    expect(r).toMatchObject({ channel: 'voice', messageId: 'contact-1', sentTo: '+4*******0000' });
    expect(textRequests()).toHaveLength(0);
    expect(callRequests()).toHaveLength(1);
    const body = callRequests()[0]!.body;
    expect(body).toMatchObject({
      InstanceId: 'inst-1234', ContactFlowId: 'flow-outbound', DestinationPhoneNumber: LANDLINE, SourcePhoneNumber: '+18005550100',
      Attributes: { caseRef: CASE, purpose: 'verification-code', caseStatus: 'verifying', codeMinutes: '10' },
    });
    const attrs = body.Attributes as Record<string, string>;
    expect(Object.keys(attrs).sort()).toEqual(['caseRef', 'caseStatus', 'code', 'codeMinutes', 'purpose']);
    expect(attrs.code).toMatch(/^\d{6}$/u);
    expect(String(body.ClientToken)).toMatch(/^privacydesk-[0-9a-f]{40}$/u);
    const [msg] = await env.db.all<{ channel: string; template: string; status: string }>('SELECT * FROM messages');
    expect(msg).toMatchObject({ channel: 'voice', template: 'call-verification-code', status: 'sent' });
    await noPiiStored(attrs.code!, LANDLINE);
    expect(await codes.check(CASE, attrs.code!, 'consumer')).toEqual({ ok: true });
    expect(verified).toEqual([{ caseId: CASE, method: 'phone-code', channel: 'voice' }]);
  });

  it('a text to a fixed line is refused (it cannot take one)', async () => {
    const { codes } = build();
    await expect(codes.issueToPhone(CASE, LANDLINE, 'sms', 'en', 'staff:ann')).rejects.toThrow(/is a fixed line and cannot take a text; send a voice code/u);
    expect(aws.requests).toHaveLength(0);
    await expect(codes.issueToPhone(CASE, LANDLINE, 'sms', 'en', 'staff:ann')).rejects.toBeInstanceOf(CodeError);
  });
});

describe('the embedded default: texts written to a file in the data folder', () => {
  it('with nothing configured, texts go to <dataDir>/sms/messages.jsonl (mode 0600), read back as sent', async () => {
    const sender = createSmsSender(env.dir, {}, env.clock);
    expect(sender).toBeInstanceOf(SmsOutboxSender);
    const { codes } = build(sender);
    const r = await codes.issueToPhone(CASE, MOBILE, 'sms', 'es', 'staff:ann');
    const file = join(env.dir, 'sms', 'messages.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { messageId: string; to: string; body: string; context: Record<string, string> });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ messageId: r.messageId, to: MOBILE, context: { caseRef: CASE } });
    const code = /: (\d{6}) es su codigo/u.exec(lines[0]!.body)![1]!;
    expect(lines[0]!.body).toBe(codeText('Acme', code, CASE, 10, 'es'));
    expect(lines[0]!.body).toBe(`Acme: ${code} es su codigo de verificacion para la solicitud de privacidad ${CASE}. Vale 10 minutos. No lo comparta. Responda STOP para no recibir mas.`);
    expect(await codes.check(CASE, code, 'consumer')).toEqual({ ok: true });
  });

  it('End User Messaging is chosen by PRIVACY_DESK_SMS_ORIGINATION_IDENTITY; a region without one is a setup error', () => {
    expect(createSmsSender(env.dir, { PRIVACY_DESK_SMS_ORIGINATION_IDENTITY: 'pool-1', PRIVACY_DESK_SMS_CONFIG_SET: 'cs', PRIVACY_DESK_SMS_REGION: 'eu-west-1' })).toBeInstanceOf(EndUserMessagingSender);
    expect(() => createSmsSender(env.dir, { PRIVACY_DESK_SMS_REGION: 'eu-west-1' })).toThrow(/ORIGINATION_IDENTITY/u);
    expect(() => createSmsSender(env.dir, { PRIVACY_DESK_SMS_ORIGINATION_IDENTITY: 'x', PRIVACY_DESK_SMS_ENDPOINT: 'not a url' })).toThrow(/must be a URL/u);
  });
});
