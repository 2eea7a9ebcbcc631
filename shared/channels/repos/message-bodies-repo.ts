// What a consumer was sent (table `message_bodies`, migration 130): the subject and the bodies as
// rendered, one row per message, encrypted with { purpose: 'message-body', caseId } like every
// other piece of PII. Verification codes are masked before they get here (see maskSecrets).
import type { Db } from '../../store/db';
import type { PiiCrypto } from '../../crypto/port';

export const MESSAGE_BODY_PURPOSE = 'message-body';

export interface MessageBody {
  subject: string | null;
  /** The HTML part as sent (email), or null (a text message, a call script). */
  html: string | null;
  /** The plain-text part (email), the text message, or what the call read out. */
  text: string;
}

/** Template variables never kept in a stored body: a code is shown as dots. */
export const SECRET_VARS: ReadonlySet<string> = new Set(['code']);
export const MASKED_SECRET = '••••••';

export function maskSecrets(vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, SECRET_VARS.has(k) ? MASKED_SECRET : v]));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class MessageBodiesRepo {
  constructor(private readonly db: Db, private readonly crypto: PiiCrypto) {}

  private context(caseId: string | null): Record<string, string> {
    return { purpose: MESSAGE_BODY_PURPOSE, caseId: caseId ?? '-' };
  }

  /** Keep the body of a message (a re-send of the same message replaces it). */
  async put(messageId: string, caseId: string | null, body: MessageBody, at: Date): Promise<void> {
    const sealed = await this.crypto.encrypt(enc.encode(JSON.stringify(body)), this.context(caseId));
    await this.db.run(
      'INSERT INTO message_bodies (message_id, case_id, body_enc, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET body_enc = excluded.body_enc, created_at = excluded.created_at',
      [messageId, caseId, sealed, at.toISOString()],
    );
  }

  async get(messageId: string): Promise<MessageBody | null> {
    const row = await this.db.get<{ case_id: string | null; body_enc: Uint8Array }>('SELECT case_id, body_enc FROM message_bodies WHERE message_id = ?', [messageId]);
    if (!row) return null;
    const plain = await this.crypto.decrypt(row.body_enc, this.context(row.case_id));
    return JSON.parse(dec.decode(plain)) as MessageBody;
  }

  /** Remove the bodies of a case (retention). Returns how many rows went. */
  async purgeCase(caseId: string): Promise<number> {
    return (await this.db.run('DELETE FROM message_bodies WHERE case_id = ?', [caseId])).changes;
  }
}
