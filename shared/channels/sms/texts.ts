// Text messages of a case: sent once per dedupe key with retry and backoff, recorded on the case
// (messages table, channel sms, masked number) and audited (template, masked number, message id;
// never the number or the text). A number that opted out is never texted: the message is recorded
// as skipped and TextOptedOutError thrown. A send that keeps failing is recorded as failed and thrown.
import type { Db } from '../../store/db';
import type { AuditLog } from '../../store/ports';
import type { PiiCrypto } from '../../crypto/port';
import { maskIdentity } from '../../domain/identity';
import { MessagesRepo, type MessageRecord } from '../repos/messages-repo';
import { withRetry, SendFailedError, errorText, isTransient, type RetryOptions } from '../email/retry';
import { OptedOutError, type SmsSender } from './sender';
import { SmsOptOuts } from './opt-outs';
import { isE164 } from './phone-line';

export interface TextsDeps { db: Db; audit: AuditLog; crypto: PiiCrypto; clock: () => Date; sender: SmsSender; retry?: Partial<RetryOptions> }

export interface TextRequest {
  caseId: string;
  dedupeKey: string;
  template: string;
  /** E.164. */
  to: string;
  body: string;
  detail?: Record<string, unknown>;
  actor: string;
}

export class TextOptedOutError extends Error {
  constructor(message: string) { super(message); this.name = 'TextOptedOutError'; }
}
export class TextDeliveryError extends Error {
  constructor(message: string, readonly messageRecordId: string) { super(message); this.name = 'TextDeliveryError'; }
}

export class TextMessages {
  readonly messages: MessagesRepo;
  readonly optOuts: SmsOptOuts;
  constructor(private readonly d: TextsDeps) { this.messages = new MessagesRepo(d.db); this.optOuts = new SmsOptOuts(d.db); }

  get provider(): string { return this.d.sender.provider; }

  phoneHash(phone: string): string { return this.d.crypto.keyedHash('phone', phone); }

  async send(req: TextRequest): Promise<MessageRecord> {
    if (!isE164(req.to)) throw new Error('text messages go to E.164 numbers only');
    const masked = maskIdentity('phone', req.to);
    const hash = this.phoneHash(req.to);
    const claim = await this.messages.claim({
      caseId: req.caseId, dedupeKey: req.dedupeKey, template: req.template, channel: 'sms', provider: this.d.sender.provider,
      recipientMasked: masked, recipientHash: hash, locale: null, detail: req.detail,
    }, this.d.clock());
    if (!claim.send) return claim.record;
    if (await this.optOuts.isOptedOut(hash)) {
      await this.skipOptedOut(req, claim.record.id, masked);
      throw new TextOptedOutError(`${masked} opted out of text messages (STOP): nothing was texted`);
    }
    let attempts = 0;
    try {
      const r = await withRetry(async (n) => {
        attempts = n;
        return this.d.sender.send({ to: req.to, body: req.body, context: { caseRef: req.caseId } });
      }, { attempts: 4, baseMs: 500, maxMs: 20_000, retryable: (e) => !(e instanceof OptedOutError) && isTransient(e), ...this.d.retry });
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markSent(claim.record.id, { providerMessageId: r.value.messageId, attempts: r.attempts }, at);
        await this.d.audit.append({
          caseId: req.caseId, actor: req.actor, action: 'message.sent',
          detail: { channel: 'sms', template: req.template, provider: this.d.sender.provider, to: masked, messageId: r.value.messageId, attempts: r.attempts, ...(req.detail ?? {}) },
        }, at);
      });
      return (await this.messages.get(claim.record.id))!;
    } catch (e) {
      const cause = e instanceof SendFailedError ? (e.cause ?? e) : e;
      if (cause instanceof OptedOutError) {
        // The provider's own opt-out list: remember it, so the number is not tried again.
        await this.optOuts.optOut(hash, `provider:${this.d.sender.provider}`, this.d.clock());
        await this.skipOptedOut(req, claim.record.id, masked);
        throw new TextOptedOutError(`${masked} opted out of text messages (the provider refused it): nothing was texted`);
      }
      const message = errorText(cause);
      const tries = e instanceof SendFailedError ? e.attempts : Math.max(attempts, 1);
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markFailed(claim.record.id, message, tries, at);
        await this.d.audit.append({
          caseId: req.caseId, actor: req.actor, action: 'message.failed',
          detail: { channel: 'sms', template: req.template, provider: this.d.sender.provider, to: masked, attempts: tries, error: message },
        }, at);
      });
      throw new TextDeliveryError(`text "${req.template}" to ${masked} failed after ${tries} attempt(s): ${message}`, claim.record.id);
    }
  }

  /** A reply from a consumer (two-way SMS): STOP and the other opt-out words opt the number out, START opts it back in. */
  async inbound(from: string, body: string, keyword: 'opt-out' | 'opt-in' | null, actor: string): Promise<void> {
    if (!keyword) return;
    const at = this.d.clock();
    const hash = this.phoneHash(from);
    await this.d.db.tx(async () => {
      if (keyword === 'opt-out') await this.optOuts.optOut(hash, 'reply', at);
      else await this.optOuts.optIn(hash, 'reply', at);
      await this.d.audit.append({ caseId: null, actor, action: keyword === 'opt-out' ? 'sms.opted-out' : 'sms.opted-in', detail: { from: maskIdentity('phone', from), keyword: body.trim().split(/\s+/u)[0]?.toUpperCase().slice(0, 12) ?? '' } }, at);
    });
  }

  private async skipOptedOut(req: TextRequest, recordId: string, masked: string): Promise<void> {
    const at = this.d.clock();
    await this.d.db.tx(async () => {
      await this.messages.markSkipped(recordId, 'the number opted out of text messages (STOP)', at);
      await this.d.audit.append({ caseId: req.caseId, actor: req.actor, action: 'message.skipped', detail: { channel: 'sms', template: req.template, to: masked, reason: 'opted-out' } }, at);
    });
  }
}
