// One outgoing email, the sender port, and MIME composition (nodemailer's MailComposer) for raw
// SES sends and outbox .eml files.
import MailComposer from 'nodemailer/lib/mail-composer';

export interface EmailAttachment { filename: string; contentType: string; content: Uint8Array }
export interface OutgoingEmail {
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  attachments?: EmailAttachment[];
  /** Extra headers, e.g. X-PrivacyDesk-Case. Never PII. */
  headers?: Record<string, string>;
}

export interface EmailSender {
  /** 'ses' (Amazon SES v2) or 'outbox' (.eml files, the embedded default). */
  readonly provider: 'ses' | 'outbox';
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
}

/** The whole message as RFC 5322 MIME (multipart when it has attachments). */
export async function composeMime(m: OutgoingEmail, messageId?: string): Promise<Buffer> {
  const node = new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: m.headers,
    messageId,
    attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content) })),
  }).compile();
  node.keepBcc = false;
  return new Promise<Buffer>((resolve, reject) => {
    node.build((err, buf) => (err ? reject(err) : resolve(buf)));
  });
}

/** Base64 grows content by 4/3; the estimate a sender uses before composing a big message. */
export function estimatedMimeBytes(m: OutgoingEmail): number {
  let n = 2048 + Buffer.byteLength(m.subject) + Buffer.byteLength(m.html) * 1.1 + Buffer.byteLength(m.text) * 1.1;
  for (const a of m.attachments ?? []) n += Math.ceil(a.content.byteLength / 3) * 4 * (78 / 76) + 512;
  return Math.ceil(n);
}
