// Status calls and callbacks: one call per (case, purpose, number), recorded on the case as a
// message (channel voice, masked number, contact id) and in the audit log. The client token is
// derived from that key, so a retry after a timeout or a restart never calls twice.
import type { Db } from '../../store/db';
import type { AuditLog } from '../../store/ports';
import type { PiiCrypto } from '../../crypto/port';
import { maskIdentity } from '../../domain/identity';
import { MessagesRepo, type MessageRecord } from '../repos/messages-repo';
import { withRetry, errorText, SendFailedError, type RetryOptions } from '../email/retry';
import type { VoiceCaller } from './caller';

export const CALL_PURPOSES = ['status', 'callback', 'verification-code'] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];

export interface CallsDeps { db: Db; audit: AuditLog; crypto: PiiCrypto; clock: () => Date; caller: VoiceCaller; retry?: Partial<RetryOptions> }

export class OutboundCalls {
  readonly messages: MessagesRepo;
  constructor(private readonly d: CallsDeps) { this.messages = new MessagesRepo(d.db); }

  /**
   * Place (or, embedded, record) a call. `sequence` distinguishes a deliberate second call; `tag` names an automatic one (e.g. 'result').
   * `attributes`: more contact attributes for the flow (fixed phrases from `phrases.ts`, never free text); they cannot replace
   * `caseRef`, `purpose` or `caseStatus`.
   */
  async place(req: { caseId: string; purpose: CallPurpose; phone: string; status: string; sequence: number; actor: string; tag?: string; attributes?: Record<string, string> }): Promise<MessageRecord> {
    for (const [k, v] of Object.entries(req.attributes ?? {})) {
      if (!/^[A-Za-z][A-Za-z0-9]{0,39}$/u.test(k) || v.length > 200) throw new Error(`call attribute ${JSON.stringify(k.slice(0, 40))}: a short name and a phrase of at most 200 characters`);
    }
    const dedupeKey = `${req.caseId}:call:${req.purpose}:${req.tag ?? req.sequence}`;
    const masked = maskIdentity('phone', req.phone);
    const claim = await this.messages.claim({
      caseId: req.caseId, dedupeKey, template: `call-${req.purpose}`, channel: 'voice', provider: this.d.caller.provider,
      recipientMasked: masked, recipientHash: this.d.crypto.keyedHash('phone', req.phone), locale: null,
    }, this.d.clock());
    if (!claim.send) return claim.record;
    // Connect allows 500 characters; the key is stable for this logical call.
    const clientToken = `privacydesk-${this.d.crypto.keyedHash('call-token', dedupeKey).slice(0, 40)}`;
    try {
      const r = await withRetry(() => this.d.caller.call({
        destination: req.phone, clientToken,
        attributes: { ...req.attributes, caseRef: req.caseId, purpose: req.purpose, caseStatus: req.status },
      }), { attempts: 3, baseMs: 500, ...this.d.retry });
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markSent(claim.record.id, { providerMessageId: r.value.contactId, attempts: r.attempts, detail: { purpose: req.purpose, caseStatus: req.status } }, at);
        await this.d.audit.append({
          caseId: req.caseId, actor: req.actor, action: 'message.sent',
          detail: { channel: 'voice', template: `call-${req.purpose}`, provider: this.d.caller.provider, to: masked, messageId: r.value.contactId, attempts: r.attempts },
        }, at);
      });
      return (await this.messages.get(claim.record.id))!;
    } catch (e) {
      const message = errorText(e instanceof SendFailedError ? (e.cause ?? e) : e);
      const tries = e instanceof SendFailedError ? e.attempts : 1;
      const at = this.d.clock();
      await this.d.db.tx(async () => {
        await this.messages.markFailed(claim.record.id, message, tries, at);
        await this.d.audit.append({ caseId: req.caseId, actor: req.actor, action: 'message.failed', detail: { channel: 'voice', template: `call-${req.purpose}`, to: masked, attempts: tries, error: message } }, at);
      });
      throw new Error(`call to ${masked} failed after ${tries} attempt(s): ${message}`);
    }
  }
}
