// HTTP plumbing of the public server: bodies (JSON, form-encoded, multipart for the no-JS upload),
// answers with the strict headers, the client address.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}

export function readBodyBytes(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > max) { req.resume(); reject(new BodyTooLarge()); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > max) { over = true; chunks.length = 0; reject(new BodyTooLarge()); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!over) resolveBody(Buffer.concat(chunks)); });
    req.on('error', reject);
  });
}

/** Form fields: repeated names become arrays. Files (multipart) come as { filename, mediaType, content }. */
export interface FormFile { filename: string; mediaType: string; content: Buffer }
export type FormFields = Record<string, string | string[]>;

export function parseUrlEncoded(text: string): FormFields {
  const out: FormFields = {};
  for (const [k, v] of new URLSearchParams(text)) addField(out, k, v);
  return out;
}

function addField(out: FormFields, k: string, v: string): void {
  const prev = out[k];
  if (prev === undefined) out[k] = v;
  else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
}

/** A small multipart/form-data parser over a body already read in full (bounded by the size limit). */
export function parseMultipart(body: Buffer, contentType: string): { fields: FormFields; files: Record<string, FormFile> } {
  // The boundary as sent: it is case-sensitive (never lower-case the header before this).
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/iu.exec(contentType);
  if (!m) throw new Error('multipart body without a boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const fields: FormFields = {};
  const files: Record<string, FormFile> = {};
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(boundary, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the boundary and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const head = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const disposition = /^content-disposition:([^\r\n]*)/imu.exec(head)?.[1] ?? '';
      const name = /(?:^|;)\s*name="([^"]*)"/iu.exec(disposition)?.[1];
      const filename = /(?:^|;)\s*filename="([^"]*)"/iu.exec(disposition)?.[1];
      const type = /content-type:\s*([^\r\n;]+)/iu.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
      if (name !== undefined) {
        if (filename !== undefined) { if (content.length) files[name] = { filename, mediaType: type.toLowerCase(), content: Buffer.from(content) }; }
        else addField(fields, name, content.toString('utf8'));
      }
    }
    pos = next;
  }
  return { fields, files };
}

/**
 * The client's address: the socket's, or with `trustProxy` the last hop of X-Forwarded-For (what
 * the reverse proxy in front of us saw; earlier entries are the client's own claims).
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (xff.length) return xff[xff.length - 1]!;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export function send(res: ServerResponse, status: number, headers: Record<string, string | number>, body: string | Buffer): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...headers, 'content-length': buf.length });
  res.end(buf);
}
