// Service providers and contractors: deletion notices by email (outbox) and signed webhook (local
// HTTP server), confirmation by token or staff, reminders while unconfirmed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { OutboxSender } from '../../../shared/channels/email/outbox-sender';
import { Mailer } from '../../../shared/channels/email/mailer';
import { ProcessorNotices } from '../../../shared/channels/processors';
import { responsesEnv, type ResponsesEnv } from '../../support/responses-env';

const CASE = 'PD-20260302-PROC01';
const ids = { email: 'jane.doe@example.com', name: 'Jane Doe', customKeys: [{ name: 'loyalty_id', value: 'L-991' }] };
let env: ResponsesEnv;
let server: Server;
let hookUrl: string;
let hooks: Array<{ body: string; signature: string }>;
let hookStatus: number;

beforeEach(async () => {
  env = await responsesEnv();
  hooks = [];
  hookStatus = 200;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['x-privacydesk-signature']) });
      res.writeHead(hookStatus); res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/privacy/deletions`;
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await env.close();
});

function notices() {
  const mailer = new Mailer({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, sender: new OutboxSender(join(env.dir, 'outbox'), env.clock), from: 'privacy@acme.test', businessName: 'Acme' });
  return new ProcessorNotices({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, mailer, publicUrl: 'https://privacy.acme.test',
    retry: { attempts: 2, baseMs: 1, sleep: async () => undefined } });
}
async function outbox() {
  const dir = join(env.dir, 'outbox');
  return Promise.all(readdirSync(dir).sort().map(async (f) => simpleParser(readFileSync(join(dir, f)))));
}

describe('processor notices', () => {
  it('tells the processors of the affected systems, by email and signed webhook, once', async () => {
    const p = notices();
    await p.add({ name: 'Mailer Inc.', system: 'crm', channel: 'email', address: 'privacy@mailer.test' }, 'staff:ann');
    const hook = await p.add({ name: 'Analytics Co', system: '*', channel: 'webhook', address: hookUrl }, 'staff:ann');
    await p.add({ name: 'Payroll Ltd', system: 'hr', channel: 'email', address: 'dpo@payroll.test' }, 'staff:ann');
    expect(hook.webhookSecret).toMatch(/^[0-9a-f]{64}$/u);
    await expect(p.add({ name: 'Bad', system: 'crm', channel: 'webhook', address: 'not a url' } as never, 'x')).rejects.toThrow(/address: must be an http\(s\) URL/u);

    const list = await p.notify(CASE, ['crm', 'shop'], ids, 'system');
    expect(list.map((n) => [n.processorName, n.status])).toEqual([['Analytics Co', 'sent'], ['Mailer Inc.', 'sent']]);
    const mails = await outbox();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Deletion request ${CASE} from Acme`);
    expect(mails[0]!.text).toContain('email: jane.doe@example.com');
    expect(mails[0]!.text).toContain('loyalty_id: L-991');
    expect(hooks).toHaveLength(1);
    const body = JSON.parse(hooks[0]!.body) as { type: string; caseRef: string; identifiers: typeof ids; confirmToken: string };
    expect(body).toMatchObject({ type: 'deletion-request', caseRef: CASE, identifiers: ids });
    expect(hooks[0]!.signature).toBe(`sha256=${createHmac('sha256', hook.webhookSecret!).update(hooks[0]!.body).digest('hex')}`);

    await p.notify(CASE, ['crm', 'shop'], ids, 'system');
    expect(await outbox()).toHaveLength(1);
    expect(hooks).toHaveLength(1);

    // The webhook processor confirms with its token; the email one is still outstanding.
    const confirmed = await p.confirmByToken(body.confirmToken, 'processor:analytics');
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedBy: 'processor:analytics' });
    expect((await p.unconfirmed()).map((n) => n.processorName)).toEqual(['Mailer Inc.']);
    await expect(p.confirmByToken('not-a-real-token-at-all', 'x')).rejects.toThrow(/unknown/u);

    // A week later it is reminded with a fresh token; then staff record its confirmation.
    env.setNow('2026-03-09T15:00:00.000Z');
    expect(await p.remind(7, async () => ids, 'system')).toEqual({ reminded: 1, failed: 0 });
    expect(await p.remind(7, async () => ids, 'system')).toEqual({ reminded: 0, failed: 0 });
    const reminder = (await outbox()).at(-1)!;
    expect(reminder.subject).toBe(`Reminder: deletion request ${CASE} awaits your confirmation`);
    const token = /confirmation code (\S+)\)/u.exec(reminder.text!)![1]!;
    const n = await p.confirmByToken(token, 'processor:mailer');
    expect(n.status).toBe('confirmed');
    expect(await p.unconfirmed()).toEqual([]);
    const actions = (await env.audit.forCase(CASE)).map((a) => a.action);
    expect(actions.filter((a) => a === 'processor.confirmed')).toHaveLength(2);
  });

  it('a failing webhook is recorded, surfaces, and is sent on the next try', async () => {
    const p = notices();
    await p.add({ name: 'Analytics Co', system: 'shop', channel: 'webhook', address: hookUrl }, 'staff:ann');
    hookStatus = 503;
    await expect(p.notify(CASE, ['shop'], ids, 'system')).rejects.toThrow(/1 processor notice\(s\) failed: Analytics Co: webhook answered HTTP 503/u);
    expect(hooks).toHaveLength(2);
    expect((await p.forCase(CASE))[0]).toMatchObject({ status: 'failed' });
    expect((await p.unconfirmed())).toHaveLength(1);
    hookStatus = 200;
    const list = await p.notify(CASE, ['shop'], ids, 'system');
    expect(list[0]).toMatchObject({ status: 'sent', lastError: null });
  });
});
