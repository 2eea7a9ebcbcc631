// A real app (SQLite, outbox email and SMS in a temp data folder) behind the real public server on a
// free port, for the privacy-center tests over HTTP. Codes are read back from the outbox as sent.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createApp, type App } from '../../../shared/app/app';
import { responsesService } from '../../../shared/app/services/responses-service';
import { OutboxSender } from '../../../shared/channels/email/outbox-sender';
import { startPublicServer, type PublicServer } from '../../../server/public-server';
import { publicBackend } from '../../../server/public-backend';
import type { CenterConfigInput } from '../../../server/public-config';
import { solvePow } from '../../../server/public-abuse';

export interface Center { app: App; server: PublicServer; base: string; dir: string; close(): Promise<void> }

export async function startCenter(config: CenterConfigInput = {}): Promise<Center> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-center-'));
  const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'pd.sqlite') } });
  responsesService(app.ctx, { env: { PRIVACY_DESK_BUSINESS_NAME: 'Acme' }, sender: new OutboxSender(join(dir, 'outbox')) });
  const server = await startPublicServer({ backend: publicBackend(app), config: { powBits: 6, businessName: 'Acme', ...config }, onError: () => undefined });
  return {
    app, server, base: server.origin, dir,
    close: async () => { await server.close(); await app.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

export async function emails(dir: string): Promise<Array<{ to: string; subject: string; text: string }>> {
  const out = join(dir, 'outbox');
  if (!existsSync(out)) return [];
  const files = readdirSync(out).filter((f) => f.endsWith('.eml')).sort();
  const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(out, f)))));
  return parsed.map((m) => ({ to: (m.to as { text: string }).text, subject: m.subject ?? '', text: m.text ?? '' }));
}

/** The newest code emailed to an address for a reference. */
export async function lastEmailCode(dir: string, to: string, reference: string): Promise<string> {
  const m = (await emails(dir)).filter((x) => x.to === to && x.subject.includes(reference) && /code/iu.test(x.subject)).at(-1);
  if (!m) throw new Error(`no code email to ${to} for ${reference}`);
  return /\b(\d{6})\b/u.exec(m.text)![1]!;
}

export function texts(dir: string): Array<{ to: string; body: string }> {
  const f = join(dir, 'sms', 'messages.jsonl');
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { to: string; body: string }) : [];
}

export async function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) as Record<string, unknown> : {}, headers: res.headers };
}

/** A solved proof-of-work for the next request. */
export async function pow(base: string): Promise<{ challenge: string; nonce: string }> {
  const c = (await (await fetch(`${base}/api/challenge`)).json()) as { challenge: string; bits: number };
  return { challenge: c.challenge, nonce: solvePow(c.challenge, c.bits) };
}

export async function postForm(base: string, path: string, fields: Record<string, string | string[]>): Promise<{ status: number; html: string }> {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: p.toString() });
  return { status: res.status, html: await res.text() };
}
