// Phone codes through the app (createApp on SQLite, embedded defaults): codes.send for a consumer
// who gave only a phone number texts the code (auto), codes.check verifies the case by phone code;
// sms.inbound STOP stops texts; and retention purge removes the purged case's texts from the SMS file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { ApiStateError } from '../../../shared/app/api';
import { removeSmsOutboxMessages } from '../../../shared/channels/sms/outbox-sms-sender';

const staff = { actor: 'staff:ana' };
let t = Date.parse('2027-03-01T10:00:00Z');
const clock = () => new Date(t);
let dir: string;
let app: App;
const texts = () => {
  const f = join(dir, 'sms', 'messages.jsonl');
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { messageId: string; to: string; body: string }) : [];
};
const codeIn = (body: string) => /: (\d{6}) is your verification code/u.exec(body)![1]!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-app-phone-'));
  app = await createApp({ db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, dataDir: dir }, { clock });
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('phone codes through the app', () => {
  it('texts a phone-only consumer, verifies by phone code, honours STOP, and the purge removes the texts of purged cases', async () => {
    const old = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { phone: '+33 6 12 34 56 78' } }, staff);
    await app.settle(old.id);
    const sent = await app.call('codes.send', { id: old.id }, staff);
    expect(sent).toMatchObject({ channel: 'sms', sentTo: '+3******5678' });
    expect(texts()).toHaveLength(1);
    expect(texts()[0]!.body).toContain(old.id);
    const wrong = codeIn(texts()[0]!.body) === '000000' ? '111111' : '000000';
    expect(await app.call('codes.check', { id: old.id, code: wrong }, staff)).toMatchObject({ ok: false, reason: 'wrong', attemptsLeft: 2 });
    const ok = await app.call('codes.check', { id: old.id, code: codeIn(texts()[0]!.body) }, staff);
    expect(ok).toMatchObject({ ok: true, case: { verification: { method: 'phone-code', level: 'reasonable' } } });
    const messages = await app.call('messages.list', { id: old.id }, staff);
    expect(messages.find((m) => m.template === 'verification-code')).toMatchObject({ channel: 'sms', provider: 'sms-outbox', status: 'sent', recipient: '+3******5678' });
    await expect(app.call('codes.send', { id: old.id, channel: 'email' }, staff)).rejects.toThrow(/no email address to send a code to \(it has a phone number: use sms or voice\)/u);

    expect(await app.call('sms.inbound', { originationNumber: '+33612345678', messageBody: 'Stop' }, { actor: 'sms:inbound' })).toEqual({ keyword: 'opt-out' });
    await expect(app.call('codes.send', { id: old.id, channel: 'sms' }, staff)).rejects.toBeInstanceOf(ApiStateError);
    expect(await app.call('sms.inbound', { originationNumber: '+33612345678', messageBody: 'hello' }, { actor: 'sms:inbound' })).toEqual({ keyword: null });

    await app.call('cases.deny', { id: old.id, reason: 'withdrawn' }, staff);
    await app.settle(old.id);
    t = Date.parse('2027-05-15T10:00:00Z');
    const recent = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { phone: '+33 6 98 76 54 32' } }, staff);
    await app.settle(recent.id);
    await app.call('codes.send', { id: recent.id }, staff);
    await app.call('cases.deny', { id: recent.id, reason: 'withdrawn' }, staff);
    await app.settle(recent.id);
    expect(texts().map((x) => x.to)).toEqual(['+33612345678', '+33698765432']);

    t = Date.parse('2029-04-01T10:00:00Z'); // 24 months after the first denial, not the second
    const r = await app.call('retention.purge', {}, staff);
    expect(r.purged).toBe(1);
    expect(r.files.outboxFiles).toBeGreaterThanOrEqual(1);
    expect(texts().map((x) => x.to)).toEqual(['+33698765432']);
    expect(removeSmsOutboxMessages(join(dir, 'sms'), ['sms-outbox-unknown', 'outbox-x'])).toBe(0);
  }, 120_000);
});
