// The mailer: renders a template, sends once per dedupe key with retry and backoff, and records
// the outcome on the case (messages table) and in the audit log (template, masked recipient,
// provider message id; never the address or the body). A send that keeps failing is recorded as
// failed and thrown, so it surfaces on the case for staff; it is never dropped silently.
import type { Db } from '../../store/db';
import type { AuditLog } from '../../store/ports';
import type { PiiCrypto } from '../../crypto/port';
import { maskIdentity, normalizeEmail } from '../../domain/identity';
import { MessagesRepo, type MessageRecord } from '../repos/messages-repo';
import { MessageBodiesRepo, SECRET_VARS, maskSecrets } from '../repos/message-bodies-repo';
import { renderTemplate, type TemplateName } from './templates';
import type { Locale } from './labels';
import type { EmailAttachment, EmailSender } from './message';
import { withRetry, SendFailedError, errorText, type RetryOptions } from './retry';

export interface MailerDeps {
  db: Db;
  audit: AuditLog;
  crypto: PiiCrypto;
  clock: () => Date;
  sender: EmailSender;
  from: string;
  businessName: string;
  retry?: Partial<RetryOptions>;
  templateDir?: string;
}

export interface MailRequest {
  caseId: string | null;
  /** One logical message: a second send with the same key does nothing (e.g. "PD-1:acknowledgement"). */
  dedupeKey: string;
  template: TemplateName;
  locale: Locale;
  to: string;
  vars: Record<string, string>;
  attachments?: EmailAttachment[];
  /** How the content was delivered ('attachments' | 'link'), recorded on the message. */
  delivery?: string;
  /** Extra facts for the record and audit (counts, ids; never PII). */
  detail?: Record<string, unknown>;
  actor: string;
}

export class EmailDeliveryError extends Error {
  constructor(message: string, readonly messageRecordId: string) { super(message); this.name = 'EmailDeliveryError'; }
}

export class Mailer {
  readonly messages: MessagesRepo;
  /** What each message said (the console shows it); codes masked. */
  readonly bodies: MessageBodiesRepo;
  constructor(private readonly d: MailerDeps) { this.messages = new MessagesRepo(d.db); this.bodies = new MessageBodiesRepo(d.db, d.crypto); }

  get provider(): string { return this.d.sender.provider; }

  async send(req: MailRequest): Promise<MessageRecord> {
    const to = normalizeEmail(req.to);
    const masked = maskIdentity('email', to);
    const claim = await this.messages.claim({
      caseId: req.caseId, dedupeKey: req.dedupeKey, template: req.template, channel: 'email', provider: this.d.sender.provider,
      recipientMasked: masked, recipientHash: this.d.crypto.keyedHash('email', to), locale: req.locale, detail: req.detail,
    }, this.d.clock());
    if (!claim.send) return claim.record;
    const vars = { businessName: this.d.businessName, caseRef: req.caseId ?? '', ...req.vars };
    let attempts = 0;
    try {
      const rendered = renderTemplate(req.template, req.locale, vars, this.d.templateDir);
      const kept = Object.keys(vars).some((k) => SECRET_VARS.has(k)) ? renderTemplate(req.template, req.locale, maskSecrets(vars), this.d.templateDir) : rendered;
      await this.bodies.put(claim.record.id, req.caseId, { subject: kept.subject, html: kept.html, text: kept.text }, this.d.clock());
      const result = await withRetry(async (n) => {
        attempts = n;
        return this.d.sender.send({
          to, from: this.d.from, subject: rendered.subject, html: rendered.html, text: rendered.text,
          attachments: req.attachments, headers: req.caseId ? { 'X-PrivacyDesk-Case': req.caseId, 'X-PrivacyDesk-Template': req.template } : undefined,
        });
      }, { attempts: 4, baseMs: 500, maxMs: 20_000, ...this.d.retry });
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markSent(claim.record.id, { providerMessageId: result.value.messageId, attempts: result.attempts, delivery: req.delivery ?? null }, at);
        await this.d.audit.append({
          caseId: req.caseId, actor: req.actor, action: 'message.sent',
          detail: {
            channel: 'email', template: req.template, provider: this.d.sender.provider, to: masked, locale: rendered.locale,
            messageId: result.value.messageId, attempts: result.attempts, ...(req.delivery ? { delivery: req.delivery } : {}), ...(req.detail ?? {}),
          },
        }, at);
      });
      return (await this.messages.get(claim.record.id))!;
    } catch (e) {
      const message = errorText(e instanceof SendFailedError ? (e.cause ?? e) : e);
      const tries = e instanceof SendFailedError ? e.attempts : Math.max(attempts, 1);
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markFailed(claim.record.id, message, tries, at);
        await this.d.audit.append({
          caseId: req.caseId, actor: req.actor, action: 'message.failed',
          detail: { channel: 'email', template: req.template, provider: this.d.sender.provider, to: masked, attempts: tries, error: message },
        }, at);
      });
      throw new EmailDeliveryError(`email "${req.template}" to ${masked} failed after ${tries} attempt(s): ${message}`, claim.record.id);
    }
  }
}
