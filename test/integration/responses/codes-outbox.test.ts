// Verification codes end to end through the outbox sender (.eml files parsed with mailparser):
// only a keyed hash is stored, codes expire, wrong codes lock the case after 3 and staff are told.
import { beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { OutboxSender } from '../../../shared/channels/email/outbox-sender';
import { Mailer } from '../../../shared/channels/email/mailer';
import { VerificationCodes, CodeError } from '../../../shared/channels/codes';
import { responsesEnv, type ResponsesEnv } from '../../support/responses-env';

const CASE = 'PD-20260302-CODES1';
let env: ResponsesEnv;
let outbox: string;
let verified: string[];

function codes() {
  const sender = new OutboxSender(outbox, env.clock);
  const mailer = new Mailer({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, sender, from: 'privacy@acme.test', businessName: 'Acme' });
  return new VerificationCodes({ db: env.db, audit: env.audit, crypto: env.crypto, clock: env.clock, mailer, staffEmail: 'staff@acme.test',
    onVerified: async (caseId) => { verified.push(caseId); } });
}

async function mails() {
  const files = readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map(async (f) => simpleParser(readFileSync(join(outbox, f)))));
}
async function lastCode(): Promise<string> {
  const all = await mails();
  const m = all.filter((x) => (x.to as { text: string }).text === 'jane.doe@example.com').at(-1)!;
  return /verification code is: (\d+)/u.exec(m.text!)![1]!;
}

beforeEach(async () => {
  env = await responsesEnv();
  outbox = join(env.dir, 'outbox');
  verified = [];
  return () => env.close();
});

describe('email one-time codes', () => {
  it('emails a 6-digit code, stores only its keyed hash, and a correct code verifies the case', async () => {
    const c = codes();
    const issued = await c.issue(CASE, 'Jane.Doe@example.com', 'en', 'staff:ann');
    expect(issued.sentTo).toBe('j***@example.com');
    expect(issued.expiresAt).toBe('2026-03-02T15:10:00.000Z');
    const code = await lastCode();
    expect(code).toMatch(/^\d{6}$/u);
    const [m] = await mails();
    expect(m!.subject).toBe(`Your verification code for request ${CASE}`);
    expect(m!.subject).not.toContain(code);
    const dbDump = JSON.stringify(await env.db.all('SELECT * FROM verification_codes')) + JSON.stringify(await env.db.all('SELECT * FROM messages'));
    expect(dbDump).not.toContain(code);
    expect(dbDump).not.toContain('jane.doe@example.com');
    expect(JSON.stringify(await env.audit.forCase(CASE))).not.toContain(code);
    expect(await c.check(CASE, ` ${code.slice(0, 3)}-${code.slice(3)} `, 'consumer')).toEqual({ ok: true });
    expect(verified).toEqual([CASE]);
    // Used: cannot be replayed.
    expect(await c.check(CASE, code, 'consumer')).toEqual({ ok: false, reason: 'no-code' });
  });

  it('expires after 10 minutes; a new code supersedes the old one', async () => {
    const c = codes();
    await c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer');
    const first = await lastCode();
    env.setNow('2026-03-02T15:10:00.000Z');
    expect(await c.check(CASE, first, 'consumer')).toEqual({ ok: false, reason: 'expired' });
    await c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer');
    const second = await lastCode();
    await c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer');
    const third = await lastCode();
    if (second !== third) expect((await c.check(CASE, second, 'consumer')).ok).toBe(false);
    expect(await c.check(CASE, third, 'consumer')).toEqual({ ok: true });
  });

  it('locks after 3 wrong codes, tells staff, refuses new codes until staff unlock', async () => {
    const c = codes();
    await c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer');
    const code = await lastCode();
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await c.check(CASE, wrong, 'consumer')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
    expect(await c.check(CASE, 'abc', 'consumer')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
    expect(await c.check(CASE, wrong, 'consumer')).toEqual({ ok: false, reason: 'locked' });
    // Even the right code is refused now.
    expect(await c.check(CASE, code, 'consumer')).toEqual({ ok: false, reason: 'locked' });
    expect(verified).toEqual([]);
    expect(await c.status(CASE)).toMatchObject({ locked: true, attemptsLeft: 0, failures: 3 });
    expect(await c.lockedCases()).toEqual([{ caseId: CASE, lockedAt: '2026-03-02T15:00:00.000Z', failures: 3 }]);
    const staff = (await mails()).filter((m) => (m.to as { text: string }).text === 'staff@acme.test');
    expect(staff).toHaveLength(1);
    expect(staff[0]!.subject).toBe(`Verification locked on request ${CASE}`);
    await expect(c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer')).rejects.toBeInstanceOf(CodeError);
    const actions = (await env.audit.forCase(CASE)).map((a) => a.action);
    expect(actions).toContain('verification.locked');
    await c.unlock(CASE, 'staff:ann', 'called the consumer back on the number on file');
    expect(await c.status(CASE)).toMatchObject({ locked: false, attemptsLeft: 3 });
    await c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer');
    expect(await c.check(CASE, await lastCode(), 'consumer')).toEqual({ ok: true });
  });

  it('limits how many codes a case may request per hour', async () => {
    const c = codes();
    for (let i = 0; i < 5; i += 1) await c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer');
    await expect(c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer')).rejects.toThrow(/at most 5 codes per hour/u);
    env.setNow('2026-03-02T16:00:01.000Z');
    await expect(c.issue(CASE, 'jane.doe@example.com', 'en', 'consumer')).resolves.toMatchObject({ sentTo: 'j***@example.com' });
  });
});
