// Messages of a case (table `messages`): one row per logical message, keyed by dedupe_key so a
// send is claimed once; the row then records the outcome (sent / failed / skipped), or `pending`
// when no channel can send it by itself and staff must deliver it (e.g. an access report by post).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db';

export const MESSAGE_CHANNELS = ['email', 'sms', 'voice', 'webhook', 'post'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export const MESSAGE_STATUSES = ['sending', 'sent', 'failed', 'skipped', 'pending'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageRecord {
  id: string;
  caseId: string | null;
  dedupeKey: string;
  template: string;
  channel: MessageChannel;
  provider: string;
  recipientMasked: string;
  recipientHash: string | null;
  locale: string | null;
  status: MessageStatus;
  providerMessageId: string | null;
  attempts: number;
  error: string | null;
  delivery: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

interface Row {
  id: string; case_id: string | null; dedupe_key: string; template: string; channel: string; provider: string;
  recipient_masked: string; recipient_hash: string | null; locale: string | null; status: string;
  provider_message_id: string | null; attempts: number | string; error: string | null; delivery: string | null;
  detail: string; created_at: string; updated_at: string; sent_at: string | null;
}

function toRecord(r: Row): MessageRecord {
  return {
    id: r.id, caseId: r.case_id, dedupeKey: r.dedupe_key, template: r.template, channel: r.channel as MessageChannel,
    provider: r.provider, recipientMasked: r.recipient_masked, recipientHash: r.recipient_hash, locale: r.locale,
    status: r.status as MessageStatus, providerMessageId: r.provider_message_id, attempts: Number(r.attempts),
    error: r.error, delivery: r.delivery, detail: JSON.parse(r.detail || '{}') as Record<string, unknown>,
    createdAt: r.created_at, updatedAt: r.updated_at, sentAt: r.sent_at,
  };
}

export interface NewMessage {
  caseId: string | null; dedupeKey: string; template: string; channel: MessageChannel; provider: string;
  recipientMasked: string; recipientHash: string | null; locale: string | null; detail?: Record<string, unknown>;
}

export class MessagesRepo {
  constructor(private readonly db: Db) {}

  /**
   * Claim a message for sending. Returns `send: false` with the existing row when it was already
   * sent or skipped (idempotent: a repeat after a restart sends nothing); otherwise the row, now
   * in status 'sending'.
   */
  async claim(m: NewMessage, at: Date): Promise<{ send: boolean; record: MessageRecord }> {
    const now = at.toISOString();
    return this.db.tx(async (db) => {
      const existing = await db.get<Row>('SELECT * FROM messages WHERE dedupe_key = ?', [m.dedupeKey]);
      if (existing) {
        if (existing.status === 'sent' || existing.status === 'skipped') return { send: false, record: toRecord(existing) };
        await db.run('UPDATE messages SET status = ?, provider = ?, recipient_masked = ?, recipient_hash = ?, updated_at = ?, error = NULL WHERE id = ?',
          ['sending', m.provider, m.recipientMasked, m.recipientHash, now, existing.id]);
        return { send: true, record: toRecord({ ...existing, status: 'sending', provider: m.provider, updated_at: now }) };
      }
      const id = orderedId();
      // ON CONFLICT: another process claimed the same message between our read and this insert (no
      // row returned). RETURNING: the row as stored, without reading it again.
      const row = await db.get<Row>(`INSERT INTO messages (id, case_id, dedupe_key, template, channel, provider, recipient_masked, recipient_hash, locale,
        status, attempts, detail, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', 0, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING *`,
      [id, m.caseId, m.dedupeKey, m.template, m.channel, m.provider, m.recipientMasked, m.recipientHash, m.locale, JSON.stringify(m.detail ?? {}), now, now]);
      if (!row) {
        const other = (await db.get<Row>('SELECT * FROM messages WHERE dedupe_key = ?', [m.dedupeKey]))!;
        return { send: false, record: toRecord(other) };
      }
      return { send: true, record: toRecord(row) };
    });
  }

  async markSent(id: string, r: { providerMessageId: string; attempts: number; delivery?: string | null; detail?: Record<string, unknown> }, at: Date): Promise<void> {
    const now = at.toISOString();
    const prev = await this.get(id);
    const detail = { ...(prev?.detail ?? {}), ...(r.detail ?? {}) };
    await this.db.run(`UPDATE messages SET status = 'sent', provider_message_id = ?, attempts = attempts + ?, delivery = ?, detail = ?,
      error = NULL, sent_at = ?, updated_at = ? WHERE id = ?`, [r.providerMessageId, r.attempts, r.delivery ?? null, JSON.stringify(detail), now, now, id]);
  }

  async markFailed(id: string, error: string, attempts: number, at: Date): Promise<void> {
    await this.db.run(`UPDATE messages SET status = 'failed', error = ?, attempts = attempts + ?, updated_at = ? WHERE id = ?`,
      [error.slice(0, 500), attempts, at.toISOString(), id]);
  }

  async markSkipped(id: string, reason: string, at: Date): Promise<void> {
    await this.db.run(`UPDATE messages SET status = 'skipped', error = ?, updated_at = ? WHERE id = ?`, [reason.slice(0, 500), at.toISOString(), id]);
  }

  /** Waiting for staff to deliver it by hand (`reason` says why and what to do). */
  async markPending(id: string, reason: string, at: Date): Promise<void> {
    await this.db.run(`UPDATE messages SET status = 'pending', error = ?, updated_at = ? WHERE id = ?`, [reason.slice(0, 500), at.toISOString(), id]);
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM messages WHERE id = ?', [id]);
    return r ? toRecord(r) : undefined;
  }

  async byKey(dedupeKey: string): Promise<MessageRecord | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM messages WHERE dedupe_key = ?', [dedupeKey]);
    return r ? toRecord(r) : undefined;
  }

  async forCase(caseId: string): Promise<MessageRecord[]> {
    const rows = await this.db.all<Row>('SELECT * FROM messages WHERE case_id = ? ORDER BY created_at, id', [caseId]);
    return rows.map(toRecord);
  }

  /**
   * Messages that need staff: failed, waiting for staff to deliver them (pending), or stuck in
   * 'sending' since before `stuckBefore` (a crash mid-send; a send in progress right now is not listed).
   */
  async needingAttention(stuckBefore: Date, limit = 200): Promise<MessageRecord[]> {
    const rows = await this.db.all<Row>(`SELECT * FROM messages WHERE status IN ('failed', 'pending') OR (status = 'sending' AND updated_at < ?) ORDER BY updated_at LIMIT ?`,
      [stuckBefore.toISOString(), limit]);
    return rows.map(toRecord);
  }
}

let lastMs = 0;
let counter = 0;
/**
 * A UUID (version 7 layout) that sorts in the order this process created it: 48 bits of wall-clock
 * milliseconds, a 12-bit counter within the millisecond, then random bits. Messages list by
 * `created_at, id`; the case clock can stand still (tests, PRIVACY_DESK_CLOCK), so the id keeps two
 * messages of the same instant in the order they were sent.
 */
export function orderedId(now = Date.now()): string {
  if (now <= lastMs) { counter += 1; if (counter > 0xfff) { lastMs += 1; counter = 0; } } else { lastMs = now; counter = 0; }
  const hex = randomUUID().replace(/-/gu, '');
  const time = lastMs.toString(16).padStart(12, '0');
  const seq = (0x7000 | counter).toString(16);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-${seq}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
