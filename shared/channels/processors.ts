// Service providers and contractors (CCPA §1798.105(c)): each system of the data map may name
// processors to be told of a deletion, by email or webhook; opt-outs, limits and corrections are
// passed on the same way (regs §7026(f), §7027(g), §7023(c); `request` on the notice, migration 142).
// A notice is sent once per (case, processor), carries a confirmation token (only its keyed hash is stored), is reminded while
// unconfirmed, and shows on the case and the dashboard until confirmed.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../store/db';
import type { AuditLog } from '../store/ports';
import type { PiiCrypto } from '../crypto/port';
import type { Identities } from '../domain/identity';
import type { Mailer } from './email/mailer';
import { MessagesRepo } from './repos/messages-repo';
import { withRetry, errorText, SendFailedError, type RetryOptions } from './email/retry';

export const ProcessorInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(120),
  /** The data-map system whose deletions this processor must follow; "*" for every system. */
  system: z.string().trim().min(1, 'system is required').max(120),
  channel: z.enum(['email', 'webhook']),
  address: z.string().trim().min(3).max(500),
}).strict().superRefine((v, ctx) => {
  if (v.channel === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/u.test(v.address)) ctx.addIssue({ code: 'custom', path: ['address'], message: 'address: must be an email address for channel email' });
  if (v.channel === 'webhook' && !/^https?:\/\/[^\s]+$/u.test(v.address)) ctx.addIssue({ code: 'custom', path: ['address'], message: 'address: must be an http(s) URL for channel webhook' });
});
export type ProcessorInput = z.infer<typeof ProcessorInputSchema>;

/** What a notice asks the processor to do: the case's request. */
export const PROCESSOR_REQUESTS = ['delete', 'opt_out', 'limit', 'correct'] as const;
export type ProcessorRequest = (typeof PROCESSOR_REQUESTS)[number];

/** The words a notice (other than a deletion's, which has its own template) asks with, and their basis. */
export function processorRequestWords(request: Exclude<ProcessorRequest, 'delete'>, corrected: string[] = []): { requestWhat: string; requestBasis: string } {
  switch (request) {
    case 'opt_out': return {
      requestWhat: 'stop selling and sharing the personal information of the consumer identified below (they opted out of its sale and sharing), and pass this on to anyone you sold or made it available to',
      requestBasis: 'CCPA §1798.120 and §1798.135(c), (f); CCPA regulations §7026(f)',
    };
    case 'limit': return {
      requestWhat: 'limit your use and disclosure of the sensitive personal information of the consumer identified below to the purposes CCPA §1798.121(a) permits (they asked us to limit it)',
      requestBasis: 'CCPA §1798.121; CCPA regulations §7027',
    };
    case 'correct': return {
      requestWhat: `correct the personal information of the consumer identified below as we have corrected it${corrected.length ? ` (${corrected.join(', ')})` : ''}; contact us quoting the reference for the corrected information`,
      requestBasis: 'CCPA §1798.106(c); CCPA regulations §7023(c)',
    };
  }
}

export interface Processor { id: string; name: string; system: string; channel: 'email' | 'webhook'; address: string; active: boolean; createdAt: string }
export interface ProcessorNotice {
  id: string; caseId: string; processorId: string; processorName: string; system: string; channel: string;
  /** What the notice asks (delete, opt_out, limit, correct). */
  request: ProcessorRequest;
  status: 'pending' | 'sent' | 'failed' | 'confirmed'; sentAt: string | null; confirmedAt: string | null; confirmedBy: string | null;
  reminders: number; lastRemindedAt: string | null; lastError: string | null;
}

interface PRow { id: string; name: string; system: string; channel: string; address: string; active: number | string | boolean; created_at: string }
interface NRow {
  id: string; case_id: string; processor_id: string; request: string | null; status: string; token_hash: string; created_at: string; sent_at: string | null;
  confirmed_at: string | null; confirmed_by: string | null; reminders: number | string; last_reminded_at: string | null; last_error: string | null;
  name: string; system: string; channel: string; address: string;
}

const toProcessor = (r: PRow): Processor => ({
  id: r.id, name: r.name, system: r.system, channel: r.channel as Processor['channel'], address: r.address,
  active: r.active === true || Number(r.active) === 1, createdAt: r.created_at,
});
const toNotice = (r: NRow): ProcessorNotice => ({
  id: r.id, caseId: r.case_id, processorId: r.processor_id, processorName: r.name, system: r.system, channel: r.channel,
  request: (r.request ?? 'delete') as ProcessorRequest,
  status: r.status as ProcessorNotice['status'], sentAt: r.sent_at, confirmedAt: r.confirmed_at, confirmedBy: r.confirmed_by,
  reminders: Number(r.reminders), lastRemindedAt: r.last_reminded_at, lastError: r.last_error,
});

const NOTICE_SELECT = `SELECT n.*, p.name, p.system, p.channel, p.address FROM processor_notices n JOIN processors p ON p.id = n.processor_id`;

export interface ProcessorsDeps {
  db: Db; audit: AuditLog; crypto: PiiCrypto; clock: () => Date; mailer: Mailer;
  publicUrl: string;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
  retry?: Partial<RetryOptions>;
}

export class ProcessorNotices {
  private readonly messages: MessagesRepo;
  constructor(private readonly d: ProcessorsDeps) { this.messages = new MessagesRepo(d.db); }

  /** HMAC key the processor uses to check X-PrivacyDesk-Signature on webhooks (derived, never stored). */
  webhookSecret(processorId: string): string {
    return this.d.crypto.keyedHash('processor-webhook-secret', processorId);
  }

  async add(input: ProcessorInput, actor: string): Promise<Processor & { webhookSecret: string | null }> {
    const p = ProcessorInputSchema.parse(input);
    const now = this.d.clock();
    const exists = await this.d.db.get<PRow>('SELECT * FROM processors WHERE system = ? AND name = ?', [p.system, p.name]);
    if (exists) throw new Error(`processor "${p.name}" is already registered for system "${p.system}"`);
    const id = randomUUID();
    await this.d.db.tx(async (db) => {
      await db.run('INSERT INTO processors (id, name, system, channel, address, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
        [id, p.name, p.system, p.channel, p.address, now.toISOString()]);
      await this.d.audit.append({ caseId: null, actor, action: 'processor.added', detail: { processorId: id, name: p.name, system: p.system, channel: p.channel } }, now);
    });
    const row = (await this.d.db.get<PRow>('SELECT * FROM processors WHERE id = ?', [id]))!;
    return { ...toProcessor(row), webhookSecret: p.channel === 'webhook' ? this.webhookSecret(id) : null };
  }

  async deactivate(id: string, actor: string): Promise<void> {
    const r = await this.d.db.run('UPDATE processors SET active = 0 WHERE id = ?', [id]);
    if (!r.changes) throw new Error(`no processor ${id}`);
    await this.d.audit.append({ caseId: null, actor, action: 'processor.deactivated', detail: { processorId: id } }, this.d.clock());
  }

  async list(): Promise<Processor[]> {
    return (await this.d.db.all<PRow>('SELECT * FROM processors ORDER BY system, name')).map(toProcessor);
  }

  async forCase(caseId: string): Promise<ProcessorNotice[]> {
    return (await this.d.db.all<NRow>(`${NOTICE_SELECT} WHERE n.case_id = ? ORDER BY p.system, p.name`, [caseId])).map(toNotice);
  }

  async unconfirmed(): Promise<ProcessorNotice[]> {
    return (await this.d.db.all<NRow>(`${NOTICE_SELECT} WHERE n.status <> 'confirmed' ORDER BY n.created_at`)).map(toNotice);
  }

  /**
   * Tell the processors of these systems (and those registered for "*") to delete the consumer's
   * data (or, for `request`, to honour their opt-out, limit or correction). Idempotent: a processor
   * already told about this case is not told again (a failed notice is retried). Returns the case's notices.
   */
  async notify(caseId: string, systems: string[], identities: Identities, actor: string, request: ProcessorRequest = 'delete', corrected: string[] = []): Promise<ProcessorNotice[]> {
    const wanted = new Set(systems);
    const procs = (await this.list()).filter((p) => p.active && (p.system === '*' || wanted.has(p.system)));
    const failures: string[] = [];
    for (const p of procs) {
      const now = this.d.clock();
      let notice = await this.d.db.get<NRow>(`${NOTICE_SELECT} WHERE n.case_id = ? AND n.processor_id = ?`, [caseId, p.id]);
      if (notice && (notice.status === 'sent' || notice.status === 'confirmed')) continue;
      const token = randomBytes(18).toString('base64url');
      const tokenHash = this.d.crypto.keyedHash('processor-confirm', token);
      if (notice) await this.d.db.run('UPDATE processor_notices SET token_hash = ? WHERE id = ?', [tokenHash, notice.id]);
      else {
        await this.d.db.run(`INSERT INTO processor_notices (id, case_id, processor_id, request, status, token_hash, created_at, reminders) VALUES (?, ?, ?, ?, 'pending', ?, ?, 0)`,
          [randomUUID(), caseId, p.id, request === 'delete' ? null : request, tokenHash, now.toISOString()]);
      }
      notice = (await this.d.db.get<NRow>(`${NOTICE_SELECT} WHERE n.case_id = ? AND n.processor_id = ?`, [caseId, p.id]))!;
      try {
        await this.deliver(p, notice, token, identities, request === 'delete' ? 'processor-deletion-notice' : 'processor-request-notice', `${caseId}:processor:${p.id}`, actor, corrected);
        await this.d.db.run(`UPDATE processor_notices SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?`, [this.d.clock().toISOString(), notice.id]);
      } catch (e) {
        const msg = errorText(e);
        failures.push(`${p.name}: ${msg}`);
        await this.d.db.run(`UPDATE processor_notices SET status = 'failed', last_error = ? WHERE id = ?`, [msg.slice(0, 500), notice.id]);
      }
    }
    if (failures.length) throw new Error(`${failures.length} processor notice(s) failed: ${failures.join('; ')}`);
    return this.forCase(caseId);
  }

  private confirmUrl(token: string): string {
    return `${this.d.publicUrl}/processors/confirm/${token}`;
  }

  private async deliver(p: Processor, n: NRow, token: string, ids: Identities, template: NoticeTemplate, dedupeKey: string, actor: string, corrected: string[] = []): Promise<void> {
    const identifiers = identifierLines(ids);
    const request = (n.request ?? 'delete') as ProcessorRequest;
    if (p.channel === 'email') {
      await this.d.mailer.send({
        caseId: n.case_id, dedupeKey, template, locale: 'en', to: p.address, actor,
        vars: {
          processorName: p.name, system: p.system, identifiers: identifiers.join('\n'), confirmUrl: this.confirmUrl(token), confirmToken: token,
          sentDate: (n.sent_at ?? n.created_at).slice(0, 10),
          ...(request === 'delete' ? {} : processorRequestWords(request, corrected)),
        },
        detail: { processorId: p.id },
      });
      return;
    }
    const claim = await this.messages.claim({
      caseId: n.case_id, dedupeKey, template, channel: 'webhook', provider: 'webhook', recipientMasked: new URL(p.address).host,
      recipientHash: null, locale: null, detail: { processorId: p.id },
    }, this.d.clock());
    if (!claim.send) return;
    const reminder = template === 'processor-reminder' || template === 'processor-request-reminder';
    const type = `${request === 'delete' ? 'deletion' : request === 'opt_out' ? 'opt-out' : request === 'limit' ? 'limit' : 'correction'}-request${reminder ? '.reminder' : ''}`;
    const body = JSON.stringify({
      type, caseRef: n.case_id, system: p.system, noticeId: n.id, identifiers: ids, confirmUrl: this.confirmUrl(token), confirmToken: token,
      ...(request === 'correct' && corrected.length ? { corrected } : {}),
    });
    const signature = createHmac('sha256', this.webhookSecret(p.id)).update(body).digest('hex');
    const doFetch = this.d.fetch ?? fetch;
    try {
      const r = await withRetry(async () => {
        const res = await doFetch(p.address, {
          method: 'POST', body,
          headers: { 'content-type': 'application/json', 'x-privacydesk-signature': `sha256=${signature}`, 'x-privacydesk-notice': n.id },
          signal: AbortSignal.timeout(15_000),
        });
        if (!res.ok) throw Object.assign(new Error(`webhook answered HTTP ${res.status}`), { $metadata: { httpStatusCode: res.status } });
        return res.headers.get('x-request-id') ?? `webhook-${n.id}`;
      }, { attempts: 3, baseMs: 500, ...this.d.retry });
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markSent(claim.record.id, { providerMessageId: r.value, attempts: r.attempts }, at);
        await this.d.audit.append({ caseId: n.case_id, actor, action: 'message.sent', detail: { channel: 'webhook', template, to: new URL(p.address).host, processorId: p.id, messageId: r.value, attempts: r.attempts } }, at);
      });
    } catch (e) {
      const message = errorText(e instanceof SendFailedError ? (e.cause ?? e) : e);
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markFailed(claim.record.id, message, e instanceof SendFailedError ? e.attempts : 1, at);
        await this.d.audit.append({ caseId: n.case_id, actor, action: 'message.failed', detail: { channel: 'webhook', template, to: new URL(p.address).host, processorId: p.id, error: message } }, at);
      });
      throw new Error(message);
    }
  }

  /** A processor confirms with the token from its notice (link, reply or webhook callback). */
  async confirmByToken(token: string, actor: string): Promise<ProcessorNotice> {
    const hash = this.d.crypto.keyedHash('processor-confirm', token.trim());
    const row = await this.d.db.get<NRow>(`${NOTICE_SELECT} WHERE n.token_hash = ?`, [hash]);
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) throw new Error('unknown or superseded confirmation token');
    return this.markConfirmed(row, actor, 'token');
  }

  /** Staff record a confirmation received another way (e.g. a signed letter). */
  async confirmByStaff(noticeId: string, actor: string, note: string): Promise<ProcessorNotice> {
    const row = await this.d.db.get<NRow>(`${NOTICE_SELECT} WHERE n.id = ?`, [noticeId]);
    if (!row) throw new Error(`no processor notice ${noticeId}`);
    return this.markConfirmed(row, actor, 'staff', note);
  }

  private async markConfirmed(row: NRow, actor: string, how: 'token' | 'staff', note?: string): Promise<ProcessorNotice> {
    if (row.status !== 'confirmed') {
      const now = this.d.clock();
      await this.d.db.tx(async (db) => {
        await db.run(`UPDATE processor_notices SET status = 'confirmed', confirmed_at = ?, confirmed_by = ? WHERE id = ?`, [now.toISOString(), actor, row.id]);
        await this.d.audit.append({ caseId: row.case_id, actor, action: 'processor.confirmed', detail: { noticeId: row.id, processorId: row.processor_id, how, ...(note ? { note } : {}) } }, now);
      });
    }
    return toNotice((await this.d.db.get<NRow>(`${NOTICE_SELECT} WHERE n.id = ?`, [row.id]))!);
  }

  /**
   * Remind processors whose notice is unconfirmed `afterDays` after it was sent (or last reminded).
   * Reminders carry a fresh token. Identities are read per case (they may have been purged: then
   * the reminder quotes the reference only).
   */
  async remind(afterDays: number, identitiesOf: (caseId: string) => Promise<Identities | null>, actor: string): Promise<{ reminded: number; failed: number }> {
    const now = this.d.clock();
    const cutoff = new Date(now.getTime() - afterDays * 86_400_000).toISOString();
    const due = await this.d.db.all<NRow>(`${NOTICE_SELECT} WHERE n.status = 'sent' AND COALESCE(n.last_reminded_at, n.sent_at) <= ?`, [cutoff]);
    let reminded = 0; let failed = 0;
    for (const n of due) {
      const token = randomBytes(18).toString('base64url');
      const ids = (await identitiesOf(n.case_id)) ?? {};
      const p: Processor = { id: n.processor_id, name: n.name, system: n.system, channel: n.channel as Processor['channel'], address: n.address, active: true, createdAt: '' };
      try {
        await this.d.db.run('UPDATE processor_notices SET token_hash = ? WHERE id = ?', [this.d.crypto.keyedHash('processor-confirm', token), n.id]);
        await this.deliver(p, n, token, ids, n.request ? 'processor-request-reminder' : 'processor-reminder', `${n.case_id}:processor-reminder:${n.processor_id}:${Number(n.reminders) + 1}`, actor);
        await this.d.db.run('UPDATE processor_notices SET reminders = reminders + 1, last_reminded_at = ? WHERE id = ?', [this.d.clock().toISOString(), n.id]);
        reminded += 1;
      } catch (e) {
        failed += 1;
        await this.d.db.run('UPDATE processor_notices SET last_error = ? WHERE id = ?', [errorText(e).slice(0, 500), n.id]);
      }
    }
    return { reminded, failed };
  }
}

type NoticeTemplate = 'processor-deletion-notice' | 'processor-reminder' | 'processor-request-notice' | 'processor-request-reminder';

function identifierLines(ids: Identities): string[] {
  const out: string[] = [];
  if (ids.email) out.push(`email: ${ids.email}`);
  if (ids.phone) out.push(`phone: ${ids.phone}`);
  if (ids.name) out.push(`name: ${ids.name}`);
  if (ids.address) out.push(`address: ${[ids.address.line1, ids.address.line2, ids.address.city, ids.address.state, ids.address.postalCode, ids.address.country].filter(Boolean).join(', ')}`);
  for (const k of ids.customKeys ?? []) out.push(`${k.name}: ${k.value}`);
  if (!out.length) out.push('(identifiers removed at the end of the retention period; use the reference)');
  return out;
}
