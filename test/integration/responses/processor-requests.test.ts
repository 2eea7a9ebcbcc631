// Opt-outs, limits and corrections passed to the service providers, contractors and third parties
// registered for the systems (issue 14 item 5; CCPA regs §7026(f), §7027, §7023(c)), with the same
// tracked confirmation as deletions: the notice by email (outbox) and signed webhook (local HTTP
// server) says what it asks, is recorded with its request (migration 142), confirmed by token and
// reminded in the same words while unconfirmed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { OutboxSender } from '../../../shared/channels/email/outbox-sender';
import { Mailer } from '../../../shared/channels/email/mailer';
import { ProcessorNotices } from '../../../shared/channels/processors';
import { responsesEnv, type ResponsesEnv } from '../../support/responses-env';

const ids = { email: 'jane.doe@example.com', name: 'Jane Doe' };
let env: ResponsesEnv;
let server: Server;
let hookUrl: string;
let hooks: Array<{ body: string; signature: string }>;

beforeEach(async () => {
  env = await responsesEnv();
  hooks = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { hooks.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['x-privacydesk-signature']) }); res.writeHead(200); res.end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/privacy/requests`;
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
  if (!existsSync(dir)) return [];
  return Promise.all(readdirSync(dir).sort().map(async (f) => simpleParser(readFileSync(join(dir, f)))));
}

describe('processor notices for opt-outs, limits and corrections', () => {
  it('an opt-out: email and signed webhook say to stop selling and sharing; confirmed by token; reminded in the same words', async () => {
    const p = notices();
    await p.add({ name: 'AdNet', system: 'shop', channel: 'email', address: 'privacy@adnet.test' }, 'staff:ann');
    const hook = await p.add({ name: 'Analytics Co', system: '*', channel: 'webhook', address: hookUrl }, 'staff:ann');
    await p.add({ name: 'Payroll Ltd', system: 'hr', channel: 'email', address: 'dpo@payroll.test' }, 'staff:ann');
    const CASE = 'PD-20260302-OPTOUT';
    const list = await p.notify(CASE, ['shop'], ids, 'system', 'opt_out');
    expect(list.map((n) => [n.processorName, n.request, n.status])).toEqual([['Analytics Co', 'opt_out', 'sent'], ['AdNet', 'opt_out', 'sent']]);
    const [mail] = await outbox();
    expect(mail!.subject).toBe(`Privacy request ${CASE} from Acme: action needed`);
    expect(mail!.text).toContain('please stop selling and sharing the personal information of the consumer identified below');
    expect(mail!.text).toContain('CCPA regulations §7026(f)');
    expect(mail!.text).toContain('email: jane.doe@example.com');
    expect(mail!.text).not.toMatch(/delet/iu);
    const body = JSON.parse(hooks[0]!.body) as { type: string; caseRef: string; confirmToken: string };
    expect(body).toMatchObject({ type: 'opt-out-request', caseRef: CASE, identifiers: ids });
    expect(hooks[0]!.signature).toBe(`sha256=${createHmac('sha256', hook.webhookSecret!).update(hooks[0]!.body).digest('hex')}`);
    // Once per (case, processor).
    await p.notify(CASE, ['shop'], ids, 'system', 'opt_out');
    expect(await outbox()).toHaveLength(1);
    expect(hooks).toHaveLength(1);

    expect(await p.confirmByToken(body.confirmToken, 'processor:analytics')).toMatchObject({ status: 'confirmed', request: 'opt_out' });
    expect((await p.unconfirmed()).map((n) => [n.processorName, n.request])).toEqual([['AdNet', 'opt_out']]);
    env.setNow('2026-03-09T15:00:00.000Z');
    expect(await p.remind(7, async () => ids, 'system')).toEqual({ reminded: 1, failed: 0 });
    const reminder = (await outbox()).at(-1)!;
    expect(reminder.subject).toBe(`Reminder: privacy request ${CASE} awaits your confirmation`);
    expect(reminder.text).toContain('to stop selling and sharing the personal information');
    const token = /confirmation code (\S+)\)/u.exec(reminder.text!)![1]!;
    expect((await p.confirmByToken(token, 'processor:adnet')).status).toBe('confirmed');
    expect(await p.unconfirmed()).toEqual([]);
    expect((await env.audit.forCase(CASE)).filter((a) => a.action === 'processor.confirmed')).toHaveLength(2);
  });

  it('a limit and a correction say what they ask; the correction names what was corrected', async () => {
    const p = notices();
    await p.add({ name: 'Mailer Inc.', system: 'crm', channel: 'email', address: 'privacy@mailer.test' }, 'staff:ann');
    const hook = await p.add({ name: 'CRM Cloud', system: 'crm', channel: 'webhook', address: hookUrl }, 'staff:ann');
    await p.notify('PD-20260302-LIMIT1', ['crm'], ids, 'system', 'limit');
    await p.notify('PD-20260302-CORR01', ['crm'], ids, 'system', 'correct', ['Postal address', 'Phone number']);
    const mails = await outbox();
    expect(mails.map((m) => m.subject)).toEqual(['Privacy request PD-20260302-LIMIT1 from Acme: action needed', 'Privacy request PD-20260302-CORR01 from Acme: action needed']);
    expect(mails[0]!.text).toContain('please limit your use and disclosure of the sensitive personal information of the consumer identified below to the purposes CCPA §1798.121(a) permits');
    expect(mails[1]!.text).toContain('please correct the personal information of the consumer identified below as we have corrected it (Postal address, Phone number)');
    expect(mails[1]!.text).toContain('CCPA §1798.106(c); CCPA regulations §7023(c)');
    const bodies = hooks.map((h) => JSON.parse(h.body) as { type: string; corrected?: string[] });
    expect(bodies.map((b) => b.type)).toEqual(['limit-request', 'correction-request']);
    expect(bodies[1]!.corrected).toEqual(['Postal address', 'Phone number']);
    expect(hooks[1]!.signature).toBe(`sha256=${createHmac('sha256', hook.webhookSecret!).update(hooks[1]!.body).digest('hex')}`);
    expect((await p.forCase('PD-20260302-CORR01')).map((n) => [n.processorName, n.request, n.status])).toEqual([['CRM Cloud', 'correct', 'sent'], ['Mailer Inc.', 'correct', 'sent']]);
    // A deletion keeps its own notice and reads back as request delete.
    await p.notify('PD-20260302-DEL001', ['crm'], ids, 'system');
    expect((await outbox()).at(-1)!.subject).toBe('Deletion request PD-20260302-DEL001 from Acme');
    expect((await p.forCase('PD-20260302-DEL001')).map((n) => n.request)).toEqual(['delete', 'delete']);
  });
});
