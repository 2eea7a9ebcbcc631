// The real @aws-sdk/client-lex-runtime-v2 RecognizeText against a local HTTP endpoint that
// records each request and answers like Lex V2 does. The Lex runtime client speaks HTTP/2 (its
// default handler), so the endpoint is node:http2 in clear text (h2c) on 127.0.0.1.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { LexError, LexRecognizer } from '../../../shared/channels/lex-client';

interface Recorded { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }
const recorded: Recorded[] = [];
let server: Http2Server;
let endpoint: string;
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> : {};
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers as Recorded['headers'], body });
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' });
        res.end(JSON.stringify({ message: 'bad request' }));
        return;
      }
      const sessionId = decodeURIComponent((req.url ?? '').split('/')[8] ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        sessionId,
        messages: [{ contentType: 'PlainText', content: 'Okay, I can help you opt out.' }],
        interpretations: [
          { intent: { name: 'OptOut', state: 'ReadyForFulfillment', slots: {} }, nluConfidence: { score: 0.93 } },
          { intent: { name: 'FallbackIntent', slots: {} } },
        ],
        sessionState: {
          dialogAction: { type: 'Close' },
          intent: { name: 'OptOut', state: 'ReadyForFulfillment', confirmationState: 'None', slots: { CaseReference: { value: { originalValue: 'pd 1', interpretedValue: 'PD-1', resolvedValues: ['PD-1'] } } } },
          sessionAttributes: { contactId: 'c-1' },
        },
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

function client(): LexRuntimeV2Client {
  return new LexRuntimeV2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }, maxAttempts: 1 });
}

describe('ivr simulate --lex-bot (the simulator talking to Lex through the SDK)', () => {
  it('sends each caller turn to RecognizeText and follows the intent Lex returns', async () => {
    recorded.length = 0;
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCAL';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-secret';
    let out = '';
    try {
      const { main } = await import('../../../cli/main');
      const code = await main(['ivr', 'simulate', '--flow', 'connect-flows/flows/inbound-privacy-line.json', '--caller', '+14155550100',
        '--input', 'please stop selling my stuff', '--input', '2', '--json', '--lex-bot', 'ABCDEFGHIJ/TSTALIASID', '--lex-region', 'us-east-1', '--lex-endpoint', endpoint],
      { stdout: (t) => { out += t; }, stderr: () => undefined, isTTY: false });
      expect(code).toBe(0);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
    expect(recorded.map((r) => r.body.text)).toEqual(['please stop selling my stuff']);
    const o = JSON.parse(out) as { transcript: Array<{ event: string; intent?: string; to?: string }>; end: { how: string } };
    expect(o.transcript.find((t) => t.event === 'intent')?.intent).toBe('OptOut');
    expect(o.transcript.some((t) => t.event === 'branch' && t.to === 'Confirm opt-out')).toBe(true);
    // "2" at the confirmation goes back to the menu, which then has no more input: the team.
    expect(o.end.how).toBe('transferred');
  });
});

describe('LexRecognizer (RecognizeText over the real SDK)', () => {
  it('sends RecognizeText to the bot alias and locale, signed, and flattens the answer', async () => {
    recorded.length = 0;
    const lex = new LexRecognizer({ botId: 'ABCDEFGHIJ', botAliasId: 'TSTALIASID', localeId: 'en_US' }, client());
    const r = await lex.recognize('contact-123', 'stop selling my data', { contactId: 'c-1' });
    expect(recorded).toHaveLength(1);
    const req = recorded[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/bots/ABCDEFGHIJ/botAliases/TSTALIASID/botLocales/en_US/sessions/contact-123/text');
    expect(req.body.text).toBe('stop selling my data');
    expect(req.body.sessionState).toEqual({ sessionAttributes: { contactId: 'c-1' } });
    expect(String(req.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/us-east-1\/lex\/aws4_request/u);
    expect(r).toEqual({
      intent: 'OptOut', confidence: 0.93, state: 'ReadyForFulfillment', slots: { CaseReference: 'PD-1' },
      messages: ['Okay, I can help you opt out.'], sessionAttributes: { contactId: 'c-1' },
    });
  });

  it('turns a service error into a LexError that does not repeat the caller\'s words', async () => {
    failNext = 1;
    const lex = new LexRecognizer({ botId: 'ABCDEFGHIJ', botAliasId: 'ALIAS12345' }, client());
    let err: unknown;
    try { await lex.recognize('contact-9', 'my account number is 4417'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(LexError);
    expect((err as LexError).message).toMatch(/ValidationException \(HTTP 400\)/u);
    expect((err as LexError).message).not.toContain('4417');
    expect((err as LexError).retryable).toBe(false);
  });

  it('validates its configuration and inputs before calling Lex', async () => {
    expect(() => new LexRecognizer({ botId: 'short', botAliasId: 'TSTALIASID' }, client())).toThrow(/botId/u);
    const lex = new LexRecognizer({ botId: 'ABCDEFGHIJ', botAliasId: 'TSTALIASID' }, client());
    const before = recorded.length;
    await expect(lex.recognize('x', 'hello')).rejects.toThrow(/sessionId/u);
    await expect(lex.recognize('contact-1', '   ')).rejects.toThrow(/text/u);
    expect(recorded.length).toBe(before);
  });
});
