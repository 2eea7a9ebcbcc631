// Outbound calls with the real Connect SDK client against a local HTTP endpoint that records each
// request and answers like the service: parameters, attributes, and the idempotency token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectCaller } from '../../../shared/channels/voice/connect-caller';
import { RecordedCaller } from '../../../shared/channels/voice/recorded-caller';
import { OutboundCalls } from '../../../shared/channels/voice/calls';
import { createVoiceCaller } from '../../../shared/channels/voice/config';
import { responsesEnv, type ResponsesEnv } from '../../support/responses-env';

interface Recorded { method: string; url: string; body: Record<string, unknown> }
let env: ResponsesEnv;
let server: Server;
let endpoint: string;
let requests: Recorded[];
let failNext: number;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeEach(async () => {
  env = await responsesEnv();
  requests = [];
  failNext = 0;
  const byToken = new Map<string, string>();
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      requests.push({ method: req.method!, url: req.url!, body });
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServiceException' });
        res.end(JSON.stringify({ message: 'try again' }));
        return;
      }
      const token = String(body.ClientToken);
      const id = byToken.get(token) ?? `contact-${byToken.size + 1}`;
      byToken.set(token, id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ContactId: id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await env.close();
});

function calls() {
  const caller = new ConnectCaller({
    region: 'us-east-1', instanceId: 'inst-1234', contactFlowId: 'flow-outbound', sourcePhoneNumber: '+18005550100', endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return new OutboundCalls({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, caller, retry: { attempts: 3, baseMs: 1, sleep: async () => undefined } });
}

describe('Connect outbound calls', () => {
  it('calls StartOutboundVoiceContact with the instance, flow, numbers, attributes and a client token', async () => {
    const rec = await calls().place({ caseId: 'PD-1', purpose: 'status', phone: '+14155550123', status: 'discovering', sequence: 1, actor: 'staff:ann' });
    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(r.method).toBe('PUT');
    expect(r.url).toBe('/contact/outbound-voice');
    expect(r.body).toMatchObject({
      InstanceId: 'inst-1234', ContactFlowId: 'flow-outbound', DestinationPhoneNumber: '+14155550123', SourcePhoneNumber: '+18005550100',
      Attributes: { caseRef: 'PD-1', purpose: 'status', caseStatus: 'discovering' },
    });
    expect(String(r.body.ClientToken)).toMatch(/^privacydesk-[0-9a-f]{40}$/u);
    expect(rec).toMatchObject({ channel: 'voice', status: 'sent', providerMessageId: 'contact-1', recipientMasked: '+1******0123' });
    const audit = await env.audit.forCase('PD-1');
    expect(audit.map((a) => a.action)).toEqual(['message.sent']);
    expect(JSON.stringify(audit)).not.toContain('4155550123');
  });

  it('passes a notice\'s extra attributes (fixed phrases) next to the reference, which they cannot replace', async () => {
    const c = calls();
    const rec = await c.place({
      caseId: 'PD-5', purpose: 'status', phone: '+14155550123', status: 'extended', sequence: 1, tag: 'extension-notice', actor: 'system',
      attributes: { emailed: 'false', extensionReason: 'your request covers many of our systems', dueDateSpoken: 'May 1, 2026', caseRef: 'PD-OTHER', caseStatus: 'closed' },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.Attributes).toEqual({
      caseRef: 'PD-5', purpose: 'status', caseStatus: 'extended',
      emailed: 'false', extensionReason: 'your request covers many of our systems', dueDateSpoken: 'May 1, 2026',
    });
    // The token is derived from the notice's dedupe key: the same notice asked for again sends nothing.
    expect(requests[0]!.body.ClientToken).toBe(`privacydesk-${env.crypto.keyedHash('call-token', 'PD-5:call:status:extension-notice').slice(0, 40)}`);
    expect(rec).toMatchObject({ template: 'call-status', status: 'sent', detail: { purpose: 'status', caseStatus: 'extended' } });
    await c.place({ caseId: 'PD-5', purpose: 'status', phone: '+14155550123', status: 'extended', sequence: 1, tag: 'extension-notice', actor: 'system' });
    expect(requests).toHaveLength(1);
    // Only short named phrases: a long text (what free text typed by staff would look like) is refused before anything is claimed.
    await expect(c.place({ caseId: 'PD-6', purpose: 'status', phone: '+14155550123', status: 'extended', sequence: 1, actor: 'system', attributes: { extensionReason: 'x'.repeat(201) } }))
      .rejects.toThrow(/at most 200 characters/u);
    await expect(c.place({ caseId: 'PD-6', purpose: 'status', phone: '+14155550123', status: 'extended', sequence: 1, actor: 'system', attributes: { 'bad key': 'x' } }))
      .rejects.toThrow(/call attribute/u);
    expect(requests).toHaveLength(1);
    expect(await c.messages.forCase('PD-6')).toEqual([]);
  });

  it('retries a failed request with the same client token and never places a second call', async () => {
    failNext = 2;
    const c = calls();
    const rec = await c.place({ caseId: 'PD-2', purpose: 'callback', phone: '+14155550123', status: 'received', sequence: 1, actor: 'system' });
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.body.ClientToken)).size).toBe(1);
    expect(rec.attempts).toBe(3);
    // Asked again (a restart, a double click): no new request at all.
    await c.place({ caseId: 'PD-2', purpose: 'callback', phone: '+14155550123', status: 'received', sequence: 1, actor: 'system' });
    expect(requests).toHaveLength(3);
    // A deliberate second call gets a different token.
    await c.place({ caseId: 'PD-2', purpose: 'callback', phone: '+14155550123', status: 'received', sequence: 2, actor: 'system' });
    expect(requests).toHaveLength(4);
    expect(requests[3]!.body.ClientToken).not.toBe(requests[0]!.body.ClientToken);
  });

  it('a call that keeps failing is recorded as failed and surfaces', async () => {
    failNext = 10;
    await expect(calls().place({ caseId: 'PD-3', purpose: 'status', phone: '+14155550123', status: 'x', sequence: 1, actor: 'system' })).rejects.toThrow(/failed after 3 attempt/u);
    const [m] = await calls().messages.forCase('PD-3');
    expect(m).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('embedded default records the call it would place (masked), once per token', async () => {
    const caller = createVoiceCaller(env.dir, {});
    expect(caller).toBeInstanceOf(RecordedCaller);
    const c = new OutboundCalls({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, caller });
    const rec = await c.place({ caseId: 'PD-4', purpose: 'status', phone: '+14155550123', status: 'closed', sequence: 1, actor: 'system' });
    const log = (caller as RecordedCaller).calls();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ destination: '+1******0123', attributes: { caseRef: 'PD-4', caseStatus: 'closed' }, contactId: rec.providerMessageId });
    expect(await caller.call({ destination: '+14155550123', attributes: {}, clientToken: log[0]!.clientToken })).toEqual({ contactId: log[0]!.contactId });
    expect(() => createVoiceCaller(env.dir, { PRIVACY_DESK_CONNECT_INSTANCE_ID: 'i' })).toThrow(/CONTACT_FLOW_ID is required/u);
    expect(() => createVoiceCaller(env.dir, { PRIVACY_DESK_CONNECT_INSTANCE_ID: 'i', PRIVACY_DESK_CONNECT_CONTACT_FLOW_ID: 'f', PRIVACY_DESK_CONNECT_SOURCE_PHONE: '555' })).toThrow(/SOURCE_PHONE: must be an E.164/u);
  });
});
