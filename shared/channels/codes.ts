// Email one-time verification codes: random digits (6 by default), stored only as a keyed hash
// bound to the case and code id, valid 10 minutes, and at most 3 wrong entries per case before
// email-code verification is locked and staff are told. A correct code calls `onVerified`, which
// raises the case's verification level through the case machine.
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db';
import type { AuditLog } from '../store/ports';
import type { PiiCrypto } from '../crypto/port';
import { maskIdentity, normalizeEmail } from '../domain/identity';
import type { Mailer } from './email/mailer';
import type { Locale } from './email/labels';

export interface CodePolicy { digits: number; ttlMinutes: number; maxFailures: number; maxIssuedPerHour: number }
export const DEFAULT_CODE_POLICY: CodePolicy = { digits: 6, ttlMinutes: 10, maxFailures: 3, maxIssuedPerHour: 5 };

export interface CodesDeps {
  db: Db;
  audit: AuditLog;
  crypto: PiiCrypto;
  clock: () => Date;
  mailer: Mailer;
  policy?: Partial<CodePolicy>;
  /** Staff address told when a case locks (null: the lock shows on the case and the attention list only). */
  staffEmail?: string | null;
  /** Raise the case's verification level (the engine's VERIFY event). */
  onVerified: (caseId: string, actor: string) => Promise<void>;
}

export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked' | 'expired' | 'no-code' };

export class CodeError extends Error {
  constructor(message: string, readonly kind: 'locked' | 'rate-limited') { super(message); this.name = 'CodeError'; }
}

interface CodeRow { id: string; case_id: string; code_hash: string; status: string; attempts: number | string; created_at: string; expires_at: string }
interface LockRow { case_id: string; failures: number | string; locked_at: string | null; unlocked_at: string | null; unlocked_by: string | null }

export interface CodeStatus {
  locked: boolean;
  lockedAt: string | null;
  failures: number;
  attemptsLeft: number;
  active: { id: string; expiresAt: string } | null;
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
    const active = await this.d.db.get<CodeRow>(`SELECT * FROM verification_codes WHERE case_id = ? AND status = 'active' AND expires_at > ? ORDER BY created_at DESC LIMIT 1`, [caseId, now]);
    const issued = await this.d.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM verification_codes WHERE case_id = ?', [caseId]);
    const failures = Number(l?.failures ?? 0);
    return {
      locked: !!l?.locked_at, lockedAt: l?.locked_at ?? null, failures,
      attemptsLeft: l?.locked_at ? 0 : Math.max(0, this.policy.maxFailures - failures),
      active: active ? { id: active.id, expiresAt: active.expires_at } : null,
      issued: Number(issued?.n ?? 0),
    };
  }

  /** Create a code, supersede older ones and email it. The code itself is never stored or returned. */
  async issue(caseId: string, email: string, locale: Locale, actor: string): Promise<{ codeId: string; expiresAt: string; messageId: string | null; sentTo: string }> {
    const now = this.d.clock();
    const l = await this.lock(caseId);
    if (l?.locked_at) throw new CodeError(`case ${caseId}: email-code verification is locked after ${this.policy.maxFailures} wrong codes; staff must review it`, 'locked');
    const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
    const recent = await this.d.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM verification_codes WHERE case_id = ? AND created_at > ?', [caseId, hourAgo]);
    if (Number(recent?.n ?? 0) >= this.policy.maxIssuedPerHour) {
      throw new CodeError(`case ${caseId}: at most ${this.policy.maxIssuedPerHour} codes per hour; try again later`, 'rate-limited');
    }
    const code = String(randomInt(0, 10 ** this.policy.digits)).padStart(this.policy.digits, '0');
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + this.policy.ttlMinutes * 60_000).toISOString();
    const to = normalizeEmail(email);
    await this.d.db.tx(async (db) => {
      await db.run(`UPDATE verification_codes SET status = 'superseded' WHERE case_id = ? AND status = 'active'`, [caseId]);
      await db.run(`INSERT INTO verification_codes (id, case_id, code_hash, recipient_hash, status, attempts, created_at, expires_at)
        VALUES (?, ?, ?, ?, 'active', 0, ?, ?)`, [id, caseId, this.hash(caseId, id, code), this.d.crypto.keyedHash('email', to), now.toISOString(), expiresAt]);
      await this.d.audit.append({ caseId, actor, action: 'verification.code-issued', detail: { codeId: id, to: maskIdentity('email', to), expiresAt } }, now);
    });
    const msg = await this.d.mailer.send({
      caseId, dedupeKey: `${caseId}:verification-code:${id}`, template: 'verification-code', locale, to,
      vars: { code, minutes: String(this.policy.ttlMinutes) }, detail: { codeId: id }, actor,
    });
    return { codeId: id, expiresAt, messageId: msg.providerMessageId, sentTo: maskIdentity('email', to) };
  }

  /** Check a code the consumer entered. Wrong codes count against the case; the limit locks it. */
  async check(caseId: string, entered: string, actor: string): Promise<CheckResult> {
    const now = this.d.clock();
    const code = entered.replace(/[\s-]/gu, '');
    const outcome = await this.d.db.tx(async (db): Promise<CheckResult & { lockedNow?: boolean; failures?: number }> => {
      const l = await db.get<LockRow>('SELECT * FROM verification_locks WHERE case_id = ?', [caseId]);
      if (l?.locked_at) return { ok: false, reason: 'locked' };
      const row = await db.get<CodeRow>(`SELECT * FROM verification_codes WHERE case_id = ? AND status = 'active' ORDER BY created_at DESC LIMIT 1`, [caseId]);
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
        await this.d.audit.append({ caseId, actor, action: 'verification.code-accepted', detail: { codeId: row.id } }, now);
        return { ok: true };
      }
      const failures = Number(l?.failures ?? 0) + 1;
      const lockedNow = failures >= this.policy.maxFailures;
      if (l) await db.run('UPDATE verification_locks SET failures = ?, locked_at = ? WHERE case_id = ?', [failures, lockedNow ? now.toISOString() : null, caseId]);
      else await db.run('INSERT INTO verification_locks (case_id, failures, locked_at) VALUES (?, ?, ?)', [caseId, failures, lockedNow ? now.toISOString() : null]);
      await db.run(`UPDATE verification_codes SET attempts = attempts + 1${lockedNow ? ", status = 'locked'" : ''} WHERE id = ?`, [row.id]);
      await this.d.audit.append({ caseId, actor, action: 'verification.code-rejected', detail: { codeId: row.id, failures, attemptsLeft: Math.max(0, this.policy.maxFailures - failures) } }, now);
      if (lockedNow) await this.d.audit.append({ caseId, actor: 'system', action: 'verification.locked', detail: { failures, method: 'email-code' } }, now);
      return lockedNow ? { ok: false, reason: 'locked', lockedNow, failures } : { ok: false, reason: 'wrong', attemptsLeft: this.policy.maxFailures - failures };
    });
    if (outcome.ok) {
      await this.d.onVerified(caseId, actor);
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
      if (!l?.locked_at) throw new CodeError(`case ${caseId}: email-code verification is not locked`, 'locked');
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
