// Issue 16 items 3 and 5, through createApp on SQLite and on PostgreSQL: what a consumer was sent
// (messages.body: the deletion email as sent, with the numbers the erasure applied; a code email
// with its code masked; the retention purge removes the bodies), search by a fragment of the case
// id (start or end of its code, the date part; SQLite walks migration 131's indexes), and the daily
// "due soon" email (to an assignee's address, else the staff address; once per address and day).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import type { SqlValue } from '../../../shared/store/db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

let pgServer: Promise<PostgresServer> | undefined;
const postgres = () => (pgServer ??= startPostgres());
afterAll(async () => { if (pgServer) await (await pgServer).stop(); }, 60_000);

const staff = { actor: 'staff:ann' };

describe.each(['sqlite', 'postgres'] as const)('console truth and workflow ops (%s)', (kind) => {
  let app: App;
  let dir: string;
  const now = { t: Date.parse('2026-12-01T17:00:00.000Z') };
  beforeAll(async () => {
    process.env.PRIVACY_DESK_STAFF_EMAIL = 'privacy-team@shop.test';
    dir = mkdtempSync(join(tmpdir(), `pd-truth-${kind}-`));
    app = await createApp(kind === 'sqlite'
      ? { dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'c.sqlite') } }
      : { dataDir: dir, db: { kind: 'postgres', url: await createDatabase(await postgres()) } },
    { clock: () => new Date(now.t) });
    await app.call('datamap.demo.register', {}, staff);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the deletion email as sent, with the numbers the erasure applied; a code email with its code masked', async () => {
    const c = await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'phone', identities: { email: 'ann.lee@example.com' } }, staff);
    await app.settle(c.id);
    const code = await app.call('codes.send', { id: c.id, channel: 'email' }, staff);
    // The demo shop's customers hold a government id: a deletion needs the high level (11 CCR §7062(d)).
    const declaration = await app.call('declarations.store', { id: c.id, signedName: 'Ann Lee', signedOn: '2026-11-30' }, staff);
    await app.call('cases.verify', { id: c.id, method: 'staff', note: 'call-back matched three data points; signed declaration', dataPoints: 3, declarationId: declaration.documentId }, staff);
    await app.call('cases.discover', { id: c.id }, staff);
    await app.settle(c.id);
    for (const it of (await app.call('review.list', { id: c.id }, staff)).items) {
      if (it.kind === 'shared' && it.decision === 'pending') await app.call('review.decide', { id: c.id, itemId: it.itemId, decision: 'set_aside' }, staff);
    }
    await app.call('cases.approve', { id: c.id }, staff);
    await app.settle(c.id);
    expect((await app.call('cases.get', { id: c.id }, staff)).status).toBe('closed');

    const changes = (await app.call('datamap.changes', { id: c.id }, staff)).changes ?? {};
    const deleted = Object.values(changes).reduce((n, x) => n + x.deleted, 0);
    const masked = Object.values(changes).reduce((n, x) => n + x.masked, 0);
    console.log(`${kind}: erasure applied deleted=${deleted} masked=${masked}`);
    expect(deleted + masked).toBeGreaterThan(0);

    const list = await app.call('messages.list', { id: c.id }, staff);
    const result = list.find((m) => m.template === 'deletion-result')!;
    expect(result.status).toBe('sent');
    const body = await app.call('messages.body', { id: c.id, messageId: result.id }, staff);
    expect(body.kept).toBe(true);
    expect(body.subject).toContain(c.id);
    expect(body.html).toContain(c.id);
    // The numbers in the email are the ones the erasure applied.
    const text = body.text!;
    console.log(`${kind}: deletion email text:\n${text}`);
    if (deleted) expect(text).toMatch(new RegExp(`\\b${deleted}\\b`, 'u'));
    if (masked) expect(text).toMatch(new RegExp(`\\b${masked}\\b`, 'u'));

    const codeMsg = list.find((m) => m.template === 'verification-code' && m.providerMessageId === code.messageId)!;
    const codeBody = await app.call('messages.body', { id: c.id, messageId: codeMsg.id }, staff);
    expect(codeBody.text).toContain('••••••');
    expect(codeBody.text).not.toMatch(/\b\d{6}\b/u);

    // Viewing is audited; a message of another case is not found through this one.
    const audit = await app.call('cases.audit', { id: c.id }, staff);
    expect(audit.filter((a) => a.action === 'message.viewed').map((a) => a.detail.template)).toEqual(['deletion-result', 'verification-code']);
    const other = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'bo@example.com' } }, staff);
    await expect(app.call('messages.body', { id: other.id, messageId: result.id }, staff)).rejects.toThrow(/has no message/u);

    // Stored encrypted (the envelope names the case in its context, the words are sealed).
    const rows = await app.ctx.db.all<{ body_enc: Uint8Array }>('SELECT body_enc FROM message_bodies WHERE case_id = ?', [c.id]);
    expect(rows.length).toBe(list.filter((m) => m.channel === 'email').length);
    expect(Buffer.from(rows[0]!.body_enc).toString('latin1')).not.toMatch(/Hello|ann\.lee/u);

    // Retention: the bodies go with the case's other PII.
    now.t += 800 * 86_400_000;
    await app.call('retention.purge', {}, staff);
    expect(await app.ctx.db.all('SELECT message_id FROM message_bodies WHERE case_id = ?', [c.id])).toEqual([]);
    const purged = (await app.call('cases.audit', { id: c.id }, staff)).find((a) => a.action === 'case.pii_purged')!;
    expect((purged.detail.removed as Record<string, number>).messageBodies).toBe(rows.length);
    now.t = Date.parse('2026-12-01T17:00:00.000Z');
  }, 120_000);

  it('finds a case by the start or the end of its code, or its date, through the indexes', async () => {
    const a = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'frag.one@example.com' } }, staff);
    await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'frag.two@example.com' } }, staff);
    const code = a.id.slice(12);
    const search = async (s: string) => (await app.call('cases.list', { search: s, limit: 1000 }, staff)).items.map((c) => c.id);
    expect(await search(code)).toEqual([a.id]);
    expect(await search(code.toLowerCase())).toEqual([a.id]);
    expect(await search(code.slice(0, 4))).toContain(a.id);
    expect(await search(code.slice(-3))).toContain(a.id);
    expect((await search(code.slice(0, 4))).every((id) => id.slice(12).startsWith(code.slice(0, 4)) || id.endsWith(code.slice(0, 4)))).toBe(true);
    expect(await search(a.id.slice(3, 11))).toContain(a.id); // the date part
    expect(await search(a.id)).toEqual([a.id]);
    expect(await search('frag.one@example.com')).toEqual([a.id]);
    expect(await search('ZZZZZZ'.slice(0, 2) === code.slice(0, 2) ? '!!' : 'ZZZZZZ')).toEqual([]);
    if (kind === 'sqlite') {
      const seen: Array<{ sql: string; params: readonly SqlValue[] }> = [];
      const db = app.ctx.db;
      const all = db.all.bind(db);
      db.all = (async (sql: string, params?: readonly SqlValue[]) => { if (/FROM cases WHERE/u.test(sql)) seen.push({ sql, params: params ?? [] }); return all(sql, params); }) as typeof db.all;
      try { await search(code.slice(-3)); } finally { db.all = all; }
      const q = seen[0]!;
      const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.sql.replace(/ORDER BY[\s\S]*$/u, '')}`, q.params.slice(0, -2))).map((r) => r.detail).join(' | ');
      console.log(`sqlite plan for a code fragment: ${plan}`);
      expect(plan).toMatch(/cases_id_code_reversed_idx/u);
      expect(plan).toMatch(/cases_id_code_idx/u);
    }
  });

  it('sends the daily due-soon email to each assignee, unassigned cases to the staff address, once a day', async () => {
    const mine = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'due.one@example.com' }, assignee: 'carol@shop.test', receivedAt: '2026-10-18T17:00:00.000Z' }, staff);
    const named = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'due.two@example.com' }, assignee: 'dave', receivedAt: '2026-10-19T17:00:00.000Z' }, staff);
    await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'due.three@example.com' } }, staff); // due in 45 days: not listed
    const dry = await app.call('digest.dueSoon', { days: 3, dryRun: true }, staff);
    expect(dry.sent.every((s) => s.status === 'dry-run')).toBe(true);
    const r = await app.call('digest.dueSoon', { days: 3 }, staff);
    console.log(`${kind}: due-soon ${JSON.stringify(r)}`);
    const carol = r.sent.find((s) => s.assignees.includes('carol@shop.test'))!;
    expect(carol).toMatchObject({ to: 'c***@shop.test', cases: 1, status: 'sent' });
    const team = r.sent.find((s) => s.to === 'p***@shop.test')!;
    expect(team.assignees).toContain('dave'); // no address for "dave" (no staff directory yet): the staff address
    expect(r.undelivered).toEqual([]);
    const again = await app.call('digest.dueSoon', { days: 3 }, staff);
    expect(again.sent.map((s) => s.status)).toEqual(r.sent.map((s) => s.status)); // the same messages, not sent twice
    const rows = await app.ctx.db.all<{ id: string }>("SELECT id FROM messages WHERE template = 'due-soon'");
    expect(rows.length).toBe(r.sent.length);
    // The body names the cases, not the consumers.
    const msg = await app.ctx.db.get<{ id: string }>("SELECT id FROM messages WHERE template = 'due-soon' AND recipient_masked = 'c***@shop.test'");
    const { MessageBodiesRepo } = await import('../../../shared/channels/repos/message-bodies-repo');
    const body = (await new MessageBodiesRepo(app.ctx.db, app.ctx.crypto).get(msg!.id))!;
    expect(body.text).toContain(mine.id);
    expect(body.text).not.toContain(named.id);
    expect(body.text).not.toContain('due.one');
  });
});
