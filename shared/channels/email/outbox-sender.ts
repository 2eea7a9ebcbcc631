// The embedded default: every message is written as an .eml file to <dataDir>/outbox, ready to
// open in a mail client or hand to any mail system. Written to a temp name and renamed, so a
// reader never sees half a file.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { composeMime, type EmailSender, type OutgoingEmail } from './message';

let sequence = 0;

export class OutboxSender implements EmailSender {
  readonly provider = 'outbox' as const;
  constructor(readonly dir: string, private readonly clock: () => Date = () => new Date()) {}

  async send(m: OutgoingEmail): Promise<{ messageId: string }> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = randomUUID();
    const mime = await composeMime(m, `<${id}@outbox.privacydesk.local>`);
    const stamp = this.clock().toISOString().replace(/[:.]/gu, '-');
    // Names sort in sending order (time, then a per-process sequence for messages in the same instant).
    sequence += 1;
    const file = join(this.dir, `${stamp}-${String(process.pid).padStart(7, '0')}-${String(sequence).padStart(9, '0')}-${id}.eml`);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, mime, { mode: 0o600 });
    renameSync(tmp, file);
    return { messageId: `outbox-${id}` };
  }
}

/**
 * Remove the .eml files of the given outbox message ids (`outbox-<uuid>`), e.g. of cases whose
 * retention ended. Idempotent: files already gone are skipped. Returns how many it removed.
 */
export function removeOutboxMessages(dir: string, messageIds: readonly string[]): number {
  const wanted = new Set(messageIds.filter((m) => m.startsWith('outbox-')).map((m) => `-${m.slice('outbox-'.length)}.eml`));
  if (!wanted.size || !existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const tail = name.slice(-41); // "-<uuid>.eml"
    if (wanted.has(tail)) {
      rmSync(join(dir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}
