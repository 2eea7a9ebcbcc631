// A local HTTP endpoint for AWS APIs without an emulator (End User Messaging SMS, Connect): the
// real SDK client is pointed at it; it records each request (method, path, X-Amz-Target, JSON body)
// and answers like the service: End User Messaging SendTextMessage gives a MessageId (or, for a
// number on its opt-out list, ConflictException reason DESTINATION_PHONE_NUMBER_OPTED_OUT);
// Connect StartOutboundVoiceContact gives a ContactId, the same one for a repeated ClientToken.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest { method: string; url: string; target: string | null; contentType: string | null; body: Record<string, unknown> }

export interface LocalAwsEndpoint {
  endpoint: string;
  requests: RecordedRequest[];
  /** Numbers on the service's own opt-out list (End User Messaging). */
  optedOut: Set<string>;
  /** Answer the next N requests with HTTP 500. */
  failNext(n: number): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLocalAwsEndpoint(): Promise<LocalAwsEndpoint> {
  const requests: RecordedRequest[] = [];
  const optedOut = new Set<string>();
  let failing = 0;
  const contacts = new Map<string, string>();
  let texts = 0;
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      const target = (req.headers['x-amz-target'] as string | undefined) ?? null;
      requests.push({ method: req.method!, url: req.url!, target, contentType: (req.headers['content-type'] as string | undefined) ?? null, body });
      const json = target ? 'application/x-amz-json-1.0' : 'application/json';
      if (failing > 0) {
        failing -= 1;
        res.writeHead(500, { 'content-type': json, 'x-amzn-errortype': target ? 'InternalServerException' : 'InternalServiceException' });
        res.end(JSON.stringify({ __type: 'InternalServerException', message: 'try again' }));
        return;
      }
      if (target === 'PinpointSMSVoiceV2.SendTextMessage') {
        const to = String(body.DestinationPhoneNumber);
        if (optedOut.has(to)) {
          res.writeHead(400, { 'content-type': json, 'x-amzn-errortype': 'ConflictException' });
          res.end(JSON.stringify({ __type: 'ConflictException', Message: `The destination phone number ${to} is opted out`, Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opt-out-list', ResourceId: 'Default' }));
          return;
        }
        texts += 1;
        res.writeHead(200, { 'content-type': json });
        res.end(JSON.stringify({ MessageId: `sms-${String(texts).padStart(4, '0')}` }));
        return;
      }
      if (req.method === 'PUT' && req.url === '/contact/outbound-voice') {
        const token = String(body.ClientToken);
        const id = contacts.get(token) ?? `contact-${contacts.size + 1}`;
        contacts.set(token, id);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ContactId: id }));
        return;
      }
      res.writeHead(400, { 'content-type': json, 'x-amzn-errortype': 'ValidationException' });
      res.end(JSON.stringify({ __type: 'ValidationException', Message: `unknown operation ${target ?? `${req.method} ${req.url}`}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests, optedOut,
    failNext: (n) => { failing = n; },
    stop: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}
