// The embedded default: no text is sent; each message is appended to <dataDir>/sms/messages.jsonl
// (mode 0600, like the email outbox: it holds codes and numbers, so protect and empty it like any
// other personal data), for staff to read or hand to a gateway.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { OutgoingText, SmsSender } from './sender';

export interface OutboxText { messageId: string; to: string; body: string; context: Record<string, string>; at: string }

export class SmsOutboxSender implements SmsSender {
  readonly provider = 'sms-outbox' as const;
  readonly file: string;
  constructor(readonly dir: string, private readonly clock: () => Date = () => new Date()) { this.file = join(dir, 'messages.jsonl'); }

  messages(): OutboxText[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as OutboxText);
  }

  async send(m: OutgoingText): Promise<{ messageId: string }> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const rec: OutboxText = { messageId: `sms-outbox-${randomUUID()}`, to: m.to, body: m.body, context: m.context ?? {}, at: this.clock().toISOString() };
    appendFileSync(this.file, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
    return { messageId: rec.messageId };
  }
}

/**
 * Remove the texts with the given outbox message ids (`sms-outbox-<uuid>`) from the file, e.g. of
 * cases whose retention ended. Idempotent. The file is rewritten through a temp name and renamed
 * (a text appended by another process in that instant may be lost from the file; its message row
 * on the case still records it). Returns how many texts it removed.
 */
export function removeSmsOutboxMessages(dir: string, messageIds: readonly string[]): number {
  const wanted = new Set(messageIds.filter((m) => m.startsWith('sms-outbox-')));
  const file = join(dir, 'messages.jsonl');
  if (!wanted.size || !existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const keep = lines.filter((l) => !wanted.has((JSON.parse(l) as OutboxText).messageId));
  if (keep.length === lines.length) return 0;
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, keep.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  renameSync(tmp, file);
  return lines.length - keep.length;
}
