// One-time verification codes by email, text message (SMS) or voice call: random digits (6 by
// default), stored only as a keyed hash bound to the case and code id, valid 10 minutes, one active
// code per case and purpose (a new one supersedes the last, whatever its channel), and at most 3
// wrong entries per case before code verification is locked and staff are told. Rate limits per
// case and per recipient (keyed hash). A correct code calls `onVerified`, which raises the case's
// verification level through the case machine. Audit entries carry the code id and the masked
// recipient, never the code or the address or number.
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db';
import type { AuditLog } from '../store/ports';
import type { PiiCrypto } from '../crypto/port';
import { maskIdentity, normalizeEmail } from '../domain/identity';
import type { Mailer } from './email/mailer';
import type { Locale } from './email/labels';
import type { TextMessages } from './sms/texts';
import { TextOptedOutError } from './sms/texts';
import { channelForLine, isE164, lineType } from './sms/phone-line';
import type { OutboundCalls } from './voice/calls';
import type { MessageRecord } from './repos/messages-repo';

export const CODE_CHANNELS = ['email', 'sms', 'voice'] as const;
export type CodeChannel = (typeof CODE_CHANNELS)[number];
/** What a code proves; one active code per case and purpose. */
export const CODE_PURPOSE = 'verification';
/** `status`: a fresh code that opens the privacy center's status page (never verifies the case). */
export const CODE_PURPOSES = [CODE_PURPOSE, 'status'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];
export type CodeMethod = 'email-code' | 'phone-code';
export const methodOf = (channel: string): CodeMethod => (channel === 'email' ? 'email-code' : 'phone-code');

export interface CodePolicy {
  digits: number; ttlMinutes: number; maxFailures: number;
  /** Codes per case per hour (all channels). */
  maxIssuedPerHour: number;
  /** Codes to one phone number or address per hour and per day, over all cases. */
  maxPerRecipientPerHour: number; maxPerRecipientPerDay: number;
}
export const DEFAULT_CODE_POLICY: CodePolicy = { digits: 6, ttlMinutes: 10, maxFailures: 3, maxIssuedPerHour: 5, maxPerRecipientPerHour: 5, maxPerRecipientPerDay: 10 };

export interface CodesDeps {
  db: Db;
  audit: AuditLog;
  crypto: PiiCrypto;
  clock: () => Date;
  mailer: Mailer;
  /** Text messages (SMS codes); without it SMS codes are refused. */
  texts?: TextMessages;
  /** Outbound calls (voice codes, the outbound flow reads the code); without it voice codes are refused. */
  calls?: OutboundCalls;
  /** Name the text message starts with. */
  businessName?: string;
  policy?: Partial<CodePolicy>;
  /** Staff address told when a case locks (null: the lock shows on the case and the attention list only). */
  staffEmail?: string | null;
  /** Raise the case's verification level (the engine's VERIFY event). */
  onVerified: (caseId: string, actor: string, method: CodeMethod, channel: CodeChannel) => Promise<void>;
}

export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked' | 'expired' | 'no-code' };

export class CodeError extends Error {
  constructor(message: string, readonly kind: 'locked' | 'rate-limited' | 'opted-out' | 'channel') { super(message); this.name = 'CodeError'; }
}

interface CodeRow { id: string; case_id: string; code_hash: string; status: string; attempts: number | string; created_at: string; expires_at: string; channel: string; purpose: string }
interface LockRow { case_id: string; failures: number | string; locked_at: string | null; unlocked_at: string | null; unlocked_by: string | null }

export interface CodeStatus {
  locked: boolean;
  lockedAt: string | null;
  failures: number;
  attemptsLeft: number;
  active: { id: string; expiresAt: string; channel: CodeChannel } | null;
  issued: number;
}

export class VerificationCodes {
  readonly policy: CodePolicy;
  constructor(private readonly d: CodesDeps) {
    this.policy = { ...DEFAULT_CODE_POLICY, ...d.policy };
    if (this.policy.digits < 6) throw new Error('verification codes need at least 6 digits');
  }

  private hash(caseId: string, codeId: string, code: string): string {
    return this.d.crypto.keyedHash('verification-code', `${caseId}|${codeId}|${code}`);
  }

  private async lock(caseId: string): Promise<LockRow | undefined> {
    return this.d.db.get<LockRow>('SELECT * FROM verification_locks WHERE case_id = ?', [caseId]);
  }

  async status(caseId: string): Promise<CodeStatus> {
    const now = this.d.clock().toISOString();
    const l = await this.lock(caseId);
    const active = await this.d.db.get<CodeRow>(`SELECT * FROM verification_codes WHERE case_id = ? AND purpose = ? AND status = 'active' AND expires_at > ? ORDER BY created_at DESC LIMIT 1`, [caseId, CODE_PURPOSE, now]);
    const issued = await this.d.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM verification_codes WHERE case_id = ?', [caseId]);
    const failures = Number(l?.failures ?? 0);
    return {
      locked: !!l?.locked_at, lockedAt: l?.locked_at ?? null, failures,
      attemptsLeft: l?.locked_at ? 0 : Math.max(0, this.policy.maxFailures - failures),
      active: active ? { id: active.id, expiresAt: active.expires_at, channel: active.channel as CodeChannel } : null,
      issued: Number(issued?.n ?? 0),
    };
  }

  /**
   * Checks the lock and the rate limits, then creates a code (superseding the case's active one for
   * the same purpose) and audits it. Returns the code for the caller to deliver; it is never stored.
   */
  private async create(caseId: string, channel: CodeChannel, recipientHash: string, maskedTo: string, actor: string, purpose: string): Promise<{ id: string; code: string; expiresAt: string }> {
    const now = this.d.clock();
    const l = await this.lock(caseId);
    if (l?.locked_at) throw new CodeError(`case ${caseId}: code verification is locked after ${this.policy.maxFailures} wrong codes; staff must review it`, 'locked');
    const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
    const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
    const recent = await this.d.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM verification_codes WHERE case_id = ? AND created_at > ?', [caseId, hourAgo]);
    if (Number(recent?.n ?? 0) >= this.policy.maxIssuedPerHour) {
      throw new CodeError(`case ${caseId}: at most ${this.policy.maxIssuedPerHour} codes per hour; try again later`, 'rate-limited');
    }
    const toRecipient = await this.d.db.get<{ hour: number | string | null; day: number | string | null }>(
      `SELECT SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END) AS hour, COUNT(*) AS day FROM verification_codes WHERE recipient_hash = ? AND created_at > ?`, [hourAgo, recipientHash, dayAgo]);
    if (Number(toRecipient?.hour ?? 0) >= this.policy.maxPerRecipientPerHour || Number(toRecipient?.day ?? 0) >= this.policy.maxPerRecipientPerDay) {
      throw new CodeError(`case ${caseId}: ${maskedTo} has been sent the most codes allowed (${this.policy.maxPerRecipientPerHour} per hour, ${this.policy.maxPerRecipientPerDay} per day); try again later`, 'rate-limited');
    }
    const code = String(randomInt(0, 10 ** this.policy.digits)).padStart(this.policy.digits, '0');
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + this.policy.ttlMinutes * 60_000).toISOString();
    await this.d.db.tx(async (db) => {
      await db.run(`UPDATE verification_codes SET status = 'superseded' WHERE case_id = ? AND purpose = ? AND status = 'active'`, [caseId, purpose]);
      await db.run(`INSERT INTO verification_codes (id, case_id, code_hash, recipient_hash, status, attempts, created_at, expires_at, channel, purpose)
        VALUES (?, ?, ?, ?, 'active', 0, ?, ?, ?, ?)`, [id, caseId, this.hash(caseId, id, code), recipientHash, now.toISOString(), expiresAt, channel, purpose]);
      await this.d.audit.append({ caseId, actor, action: 'verification.code-issued', detail: { codeId: id, channel, to: maskedTo, expiresAt, ...(purpose === CODE_PURPOSE ? {} : { purpose }) } }, now);
    });
    return { id, code, expiresAt };
  }

  /** Create a code, supersede older ones and email it. The code itself is never stored or returned. */
  async issue(caseId: string, email: string, locale: Locale, actor: string, purpose: CodePurpose = CODE_PURPOSE): Promise<{ codeId: string; expiresAt: string; messageId: string | null; sentTo: string; channel: CodeChannel }> {
    const to = normalizeEmail(email);
    const masked = maskIdentity('email', to);
    const { id, code, expiresAt } = await this.create(caseId, 'email', this.d.crypto.keyedHash('email', to), masked, actor, purpose);
    const msg = await this.d.mailer.send({
      caseId, dedupeKey: `${caseId}:verification-code:${id}`, template: 'verification-code', locale, to,
      vars: { code, minutes: String(this.policy.ttlMinutes) }, detail: { codeId: id }, actor,
    });
    return { codeId: id, expiresAt, messageId: msg.providerMessageId, sentTo: masked, channel: 'email' };
  }

  /**
   * A code to a phone number (E.164 only): by text message, or read out twice digit by digit in a
   * Connect outbound call. `channel: 'auto'` calls fixed lines (libphonenumber) and texts the rest.
   * A number that opted out of texts (STOP) is never texted. `caseStatus` goes to the call's attributes.
   */
  async issueToPhone(caseId: string, phone: string, channel: 'sms' | 'voice' | 'auto', locale: Locale, actor: string, caseStatus = 'verifying', purpose: CodePurpose = CODE_PURPOSE): Promise<{ codeId: string; expiresAt: string; messageId: string | null; sentTo: string; channel: CodeChannel }> {
    if (!isE164(phone)) throw new CodeError(`case ${caseId}: the phone number is not in E.164 form (+ and the country code)`, 'channel');
    let kind: Awaited<ReturnType<typeof lineType>>;
    try { kind = await lineType(phone); } catch (e) { throw new CodeError(`case ${caseId}: ${(e as Error).message}`, 'channel'); }
    const chosen = channel === 'auto' ? channelForLine(kind) : channel;
    const masked = maskIdentity('phone', phone);
    const phoneHash = this.d.crypto.keyedHash('phone', phone);
    if (chosen === 'sms') {
      if (!this.d.texts) throw new CodeError(`case ${caseId}: text messages are not set up`, 'channel');
      if (kind === 'fixed-line') throw new CodeError(`case ${caseId}: ${masked} is a fixed line and cannot take a text; send a voice code`, 'channel');
      if (await this.d.texts.optOuts.isOptedOut(phoneHash)) {
        throw new CodeError(`case ${caseId}: ${masked} opted out of text messages (STOP); send a voice code or verify another way`, 'opted-out');
      }
    } else if (!this.d.calls) throw new CodeError(`case ${caseId}: outbound calls are not set up`, 'channel');
    const { id, code, expiresAt } = await this.create(caseId, chosen, phoneHash, masked, actor, purpose);
    let msg: MessageRecord;
    if (chosen === 'sms') {
      try {
        msg = await this.d.texts!.send({
          caseId, dedupeKey: `${caseId}:verification-code:${id}`, template: 'verification-code', to: phone,
          body: codeText(this.d.businessName ?? 'PrivacyDesk', code, caseId, this.policy.ttlMinutes, locale), detail: { codeId: id }, actor,
        });
      } catch (e) {
        if (e instanceof TextOptedOutError) {
          await this.d.db.run(`UPDATE verification_codes SET status = 'superseded' WHERE id = ?`, [id]);
          throw new CodeError(`case ${caseId}: ${masked} opted out of text messages (STOP); send a voice code or verify another way`, 'opted-out');
        }
        throw e;
      }
    } else {
      msg = await this.d.calls!.place({
        caseId, purpose: 'verification-code', phone, status: caseStatus, sequence: 1, tag: id, actor,
        attributes: { code, codeMinutes: String(this.policy.ttlMinutes) },
      });
    }
    return { codeId: id, expiresAt, messageId: msg.providerMessageId, sentTo: masked, channel: chosen };
  }

  /** Check a code the consumer entered. Wrong codes count against the case; the limit locks it. */
  async check(caseId: string, entered: string, actor: string, purpose: CodePurpose = CODE_PURPOSE): Promise<CheckResult> {
    const now = this.d.clock();
    const code = entered.replace(/[\s-]/gu, '');
    const outcome = await this.d.db.tx(async (db): Promise<CheckResult & { lockedNow?: boolean; failures?: number; channel?: CodeChannel }> => {
      const l = await db.get<LockRow>('SELECT * FROM verification_locks WHERE case_id = ?', [caseId]);
      if (l?.locked_at) return { ok: false, reason: 'locked' };
      const row = await db.get<CodeRow>(`SELECT * FROM verification_codes WHERE case_id = ? AND purpose = ? AND status = 'active' ORDER BY created_at DESC LIMIT 1`, [caseId, purpose]);
      if (!row) return { ok: false, reason: 'no-code' };
      if (row.expires_at <= now.toISOString()) {
        await db.run(`UPDATE verification_codes SET status = 'expired' WHERE id = ?`, [row.id]);
        await this.d.audit.append({ caseId, actor, action: 'verification.code-expired', detail: { codeId: row.id } }, now);
        return { ok: false, reason: 'expired' };
      }
      const expected = Buffer.from(row.code_hash, 'hex');
      const got = Buffer.from(this.hash(caseId, row.id, code), 'hex');
      const match = /^\d+$/u.test(code) && expected.length === got.length && timingSafeEqual(expected, got);
      if (match) {
        await db.run(`UPDATE verification_codes SET status = 'used', used_at = ?, attempts = attempts + 1 WHERE id = ?`, [now.toISOString(), row.id]);
        await db.run('UPDATE verification_locks SET failures = 0 WHERE case_id = ?', [caseId]);
        await this.d.audit.append({ caseId, actor, action: 'verification.code-accepted', detail: { codeId: row.id, channel: row.channel } }, now);
        return { ok: true, channel: row.channel as CodeChannel };
      }
      const failures = Number(l?.failures ?? 0) + 1;
      const lockedNow = failures >= this.policy.maxFailures;
      if (l) await db.run('UPDATE verification_locks SET failures = ?, locked_at = ? WHERE case_id = ?', [failures, lockedNow ? now.toISOString() : null, caseId]);
      else await db.run('INSERT INTO verification_locks (case_id, failures, locked_at) VALUES (?, ?, ?)', [caseId, failures, lockedNow ? now.toISOString() : null]);
      await db.run(`UPDATE verification_codes SET attempts = attempts + 1${lockedNow ? ", status = 'locked'" : ''} WHERE id = ?`, [row.id]);
      await this.d.audit.append({ caseId, actor, action: 'verification.code-rejected', detail: { codeId: row.id, failures, attemptsLeft: Math.max(0, this.policy.maxFailures - failures) } }, now);
      if (lockedNow) await this.d.audit.append({ caseId, actor: 'system', action: 'verification.locked', detail: { failures, method: methodOf(row.channel), channel: row.channel } }, now);
      return lockedNow ? { ok: false, reason: 'locked', lockedNow, failures } : { ok: false, reason: 'wrong', attemptsLeft: this.policy.maxFailures - failures };
    });
    if (outcome.ok) {
      const channel = outcome.channel ?? 'email';
      // Only a verification code verifies; a status code (the privacy center's status page) proves
      // control of the address for that one look, and its wrong entries count towards the same lock.
      if (purpose === CODE_PURPOSE) await this.d.onVerified(caseId, actor, methodOf(channel), channel);
      return { ok: true };
    }
    if (outcome.lockedNow && this.d.staffEmail) {
      // Staff are told; the lock also shows on the case and in the attention list.
      await this.d.mailer.send({
        caseId, dedupeKey: `${caseId}:staff-verification-locked:${now.toISOString()}`, template: 'staff-verification-locked', locale: 'en',
        to: this.d.staffEmail, vars: { attempts: String(outcome.failures ?? this.policy.maxFailures) }, actor: 'system',
      }).catch(() => undefined); // a failed staff alert is recorded as a failed message; the lock stands either way
    }
    if (outcome.reason === 'wrong') return { ok: false, reason: 'wrong', attemptsLeft: outcome.attemptsLeft };
    return { ok: false, reason: outcome.reason };
  }

  /** Staff lift the lock (after checking the requester another way). */
  async unlock(caseId: string, actor: string, note: string): Promise<void> {
    const now = this.d.clock();
    await this.d.db.tx(async (db) => {
      const l = await db.get<LockRow>('SELECT * FROM verification_locks WHERE case_id = ?', [caseId]);
      if (!l?.locked_at) throw new CodeError(`case ${caseId}: code verification is not locked`, 'locked');
      await db.run('UPDATE verification_locks SET failures = 0, locked_at = NULL, unlocked_at = ?, unlocked_by = ? WHERE case_id = ?', [now.toISOString(), actor, caseId]);
      await this.d.audit.append({ caseId, actor, action: 'verification.unlocked', detail: { note } }, now);
    });
  }

  /** Cases locked for verification (for the dashboard). */
  async lockedCases(): Promise<Array<{ caseId: string; lockedAt: string; failures: number }>> {
    const rows = await this.d.db.all<LockRow>('SELECT * FROM verification_locks WHERE locked_at IS NOT NULL ORDER BY locked_at');
    return rows.map((r) => ({ caseId: r.case_id, lockedAt: r.locked_at!, failures: Number(r.failures) }));
  }
}

/**
 * The text of an SMS code: the business, the code, the case reference and how long it is valid,
 * nothing else personal; under 160 GSM characters. Ends with the opt-out words carriers expect.
 */
export function codeText(businessName: string, code: string, caseRef: string, minutes: number, locale: Locale = 'en'): string {
  if (locale === 'es') return `${businessName}: ${code} es su codigo de verificacion para la solicitud de privacidad ${caseRef}. Vale ${minutes} minutos. No lo comparta. Responda STOP para no recibir mas.`;
  return `${businessName}: ${code} is your verification code for privacy request ${caseRef}. It expires in ${minutes} minutes. Do not share it. Reply STOP to opt out.`;
}
