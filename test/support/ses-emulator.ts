// aws-ses-v2-local started in-process on a free port, for tests with the real SES v2 client.
// Messages are read back from its GET /store, and as MIME (GET /get-emlContent) parsed by mailparser.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { simpleParser, type ParsedMail } from 'mailparser';

const require = createRequire(import.meta.url);

export interface StoredEmail {
  messageId: string; from: string; destination: { to: string[]; cc: string[]; bcc: string[] }; subject: string;
  body: { html?: string; text?: string }; attachments: Array<{ content: string; contentType: string; filename?: string; size: number }>; at: number;
}

export interface SesEmulator {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  emails(): Promise<StoredEmail[]>;
  mime(messageId: string): Promise<ParsedMail>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSesEmulator(): Promise<SesEmulator> {
  const mod = require('aws-ses-v2-local') as { default: (c: { host: string; port: number }) => Promise<Server> };
  const server = await mod.default({ host: '127.0.0.1', port: 0 });
  if (!server.listening) await new Promise<void>((r) => server.once('listening', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    emails: async () => ((await (await fetch(`${endpoint}/store`)).json()) as { emails: StoredEmail[] }).emails,
    mime: async (messageId) => {
      const res = await fetch(`${endpoint}/get-emlContent?messageId=${encodeURIComponent(messageId)}`);
      const j = (await res.json()) as { body: { type: 'Buffer'; data: number[] } | string };
      const buf = typeof j.body === 'string' ? Buffer.from(j.body) : Buffer.from(j.body.data);
      return simpleParser(buf);
    },
    clear: async () => { await fetch(`${endpoint}/clear-store`, { method: 'POST' }); },
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
