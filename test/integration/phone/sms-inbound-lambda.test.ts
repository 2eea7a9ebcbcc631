// The inbound-SMS Lambda (issue 22: STOP honoured): AWS End User Messaging SMS two-way publishes
// each reply to an SNS topic, SNS invokes lambdas/sms-inbound with its standard event. Real
// SNS-shaped events go through the real handler and app (SQLite store, embedded SMS file): STOP
// opts the number out (a code by text is then refused, the voice channel still offered), UNSTOP
// opts it back in (the next code is texted), other words are ignored, malformed records and other
// topics are skipped by name, a store failure throws (Lambda retries); no number or text in the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { installRuntime, type PhoneApp } from '../../../lambdas/common/runtime';
import { setLogSink } from '../../../lambdas/common/log';
import { handler } from '../../../lambdas/sms-inbound/handler';

const PHONE = '+14155550177';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:privacy-desk-sms-inbound';
const meta = { actor: 'staff:tester' };

/** An SNS Lambda event as SNS delivers it, one record per message. */
function snsEvent(messages: Array<{ body: string; from?: string; topic?: string; raw?: string }>): unknown {
  return {
    Records: messages.map((m, i) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `${m.topic ?? TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: '2026-12-02T10:00:00.000Z',
        Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${i}`,
        Message: m.raw ?? JSON.stringify({
          originationNumber: m.from ?? PHONE, destinationNumber: '+12125550101', messageKeyword: 'KEYWORD_123456789012',
          messageBody: m.body, inboundMessageId: `cae173d2-66b9-564c-8309-21f858e9fb8${i}`, previousPublishedMessageId: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        }),
        MessageAttributes: {},
        Type: 'Notification',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:privacy-desk-sms-inbound:2bcfbf39',
        TopicArn: m.topic ?? TOPIC,
        Subject: null,
      },
    })),
  };
}

describe('sms-inbound Lambda (SNS -> sms.inbound)', () => {
  let dir: string;
  let app: App;
  let caseId: string;
  const logs: string[] = [];
  const smsAudit = async () => Number((await app.ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'sms.%'"))!.n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-sms-inbound-'));
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } });
    caseId = (await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { phone: PHONE } }, meta)).id;
    await app.settle(caseId);
    installRuntime({ app: async () => app as unknown as PhoneApp });
    setLogSink((l) => logs.push(l));
  }, 60_000);
  afterAll(async () => {
    setLogSink(null);
    installRuntime(null);
    delete process.env.PRIVACY_DESK_SMS_TOPIC_ARN;
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('STOP opts the number out of texts; UNSTOP opts it back in; other texts are ignored', async () => {
    expect(await handler(snsEvent([{ body: 'stop' }]))).toEqual({ handled: 1, optedOut: 1, optedIn: 0, ignored: 0, skipped: 0 });
    await expect(app.call('codes.send', { id: caseId, channel: 'sms' } as never, meta)).rejects.toThrow(/opted out of text messages/u);
    const audit = await app.ctx.db.all<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action LIKE 'sms.%' ORDER BY seq");
    expect(audit.map((a) => a.action)).toEqual(['sms.opted-out']);
    expect(audit[0]!.detail).not.toContain(PHONE);

    expect(await handler(snsEvent([{ body: 'Thanks, got it' }, { body: 'UNSTOP' }]))).toEqual({ handled: 2, optedOut: 0, optedIn: 1, ignored: 1, skipped: 0 });
    const sent = await app.call('codes.send', { id: caseId, channel: 'sms' } as never, meta);
    expect(sent.channel).toBe('sms');
    const file = join(dir, 'sms', 'messages.jsonl');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(caseId);
    for (const l of logs) expect(l).not.toContain('4155550177');
    expect(logs.join('\n')).not.toMatch(/UNSTOP|Thanks/u);
  });

  it('skips records that are not two-way SMS payloads (named by field) and, when configured, other topics', async () => {
    const r = await handler(snsEvent([{ body: 'STOP', raw: 'not json' }, { body: 'STOP', from: '415-555-0177' }]));
    expect(r).toEqual({ handled: 0, optedOut: 0, optedIn: 0, ignored: 0, skipped: 2 });
    expect(logs.join('\n')).toMatch(/"problem":"Sns.Message: not JSON"/u);
    expect(logs.join('\n')).toMatch(/"problem":"Sns.Message.originationNumber: invalid_format"/u);
    expect(await handler({ Records: [] })).toEqual({ handled: 0, optedOut: 0, optedIn: 0, ignored: 0, skipped: 0, reason: 'bad_event' });
    expect(await handler({ not: 'sns' })).toEqual({ handled: 0, optedOut: 0, optedIn: 0, ignored: 0, skipped: 0, reason: 'bad_event' });
    process.env.PRIVACY_DESK_SMS_TOPIC_ARN = TOPIC;
    try {
      const before = await smsAudit();
      expect((await handler(snsEvent([{ body: 'STOP', topic: 'arn:aws:sns:us-east-1:123456789012:someone-else' }]))).skipped).toBe(1);
      expect(await smsAudit()).toBe(before); // the other topic's STOP changed nothing
      expect((await handler(snsEvent([{ body: 'START' }]))).optedIn).toBe(1);
    } finally {
      delete process.env.PRIVACY_DESK_SMS_TOPIC_ARN;
    }
  });

  it('throws when the store fails, so the record is delivered again', async () => {
    installRuntime({ app: async () => { throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }); } });
    try {
      await expect(handler(snsEvent([{ body: 'STOP' }]))).rejects.toThrow(/could not be recorded \(ECONNREFUSED\)/u);
    } finally {
      installRuntime({ app: async () => app as unknown as PhoneApp });
    }
  });
});
