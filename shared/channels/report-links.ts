// Time-limited download links for access reports too big for one email (SES: 40 MB). The files
// are stored envelope-encrypted under <dataDir>/reports/<id>/; the link carries `<id>.<signature>`
// where the signature is the instance's keyed hash of id and expiry, so a link cannot be forged
// or extended; the row holds the expiry and counts downloads.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db';
import type { AuditLog } from '../store/ports';
import type { PiiCrypto } from '../crypto/port';

export interface ReportFile { name: string; contentType: string; content: Uint8Array }
export interface LinkDeps { db: Db; audit: AuditLog; crypto: PiiCrypto; clock: () => Date; dataDir: string; publicUrl: string }

interface Row { id: string; case_id: string; folder: string; files: string; expires_at: string; revoked_at: string | null; downloads: number | string }

export class LinkError extends Error {
  constructor(message: string, readonly kind: 'invalid' | 'expired' | 'revoked' | 'not-found') { super(message); this.name = 'LinkError'; }
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/u;

export class ReportLinks {
  constructor(private readonly d: LinkDeps) {}

  private sign(id: string, expiresAt: string): string {
    return this.d.crypto.keyedHash('report-link', `${id}|${expiresAt}`);
  }

  async create(caseId: string, files: ReportFile[], ttlDays: number, actor: string): Promise<{ id: string; url: string; token: string; expiresAt: string }> {
    const now = this.d.clock();
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000).toISOString();
    const folder = join(this.d.dataDir, 'reports', id);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    for (const f of files) {
      if (!SAFE_NAME.test(f.name)) throw new Error(`report file name "${f.name}" is not allowed`);
      const enc = await this.d.crypto.encrypt(f.content, { purpose: 'access-report', caseId, file: f.name });
      writeFileSync(join(folder, `${f.name}.enc`), enc, { mode: 0o600 });
    }
    const token = `${id}.${this.sign(id, expiresAt)}`;
    await this.d.db.tx(async (db) => {
      await db.run('INSERT INTO report_downloads (id, case_id, folder, files, created_at, expires_at, downloads) VALUES (?, ?, ?, ?, ?, ?, 0)',
        [id, caseId, folder, JSON.stringify(files.map((f) => ({ name: f.name, contentType: f.contentType, bytes: f.content.byteLength }))), now.toISOString(), expiresAt]);
      await this.d.audit.append({ caseId, actor, action: 'report.link-created', detail: { linkId: id, files: files.map((f) => f.name), expiresAt } }, now);
    });
    return { id, token, expiresAt, url: `${this.d.publicUrl}/reports/${token}` };
  }

  private async check(token: string): Promise<Row> {
    const m = /^([0-9a-f-]{36})\.([0-9a-f]{64})$/u.exec(token.trim());
    if (!m) throw new LinkError('this download link is not valid', 'invalid');
    const row = await this.d.db.get<Row>('SELECT * FROM report_downloads WHERE id = ?', [m[1]!]);
    if (!row) throw new LinkError('this download link is not valid', 'not-found');
    const want = Buffer.from(this.sign(row.id, row.expires_at), 'hex');
    const got = Buffer.from(m[2]!, 'hex');
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw new LinkError('this download link is not valid', 'invalid');
    if (row.revoked_at) throw new LinkError('this download link was withdrawn', 'revoked');
    if (row.expires_at <= this.d.clock().toISOString()) throw new LinkError('this download link has expired; ask us for a new one', 'expired');
    return row;
  }

  /** The files behind a link (names, types, sizes) once the token checks out. */
  async list(token: string): Promise<{ caseId: string; expiresAt: string; files: Array<{ name: string; contentType: string; bytes: number }> }> {
    const row = await this.check(token);
    return { caseId: row.case_id, expiresAt: row.expires_at, files: JSON.parse(row.files) as Array<{ name: string; contentType: string; bytes: number }> };
  }

  /** Decrypt one file for a valid, unexpired link (audited). */
  async open(token: string, name: string, actor: string): Promise<ReportFile> {
    const row = await this.check(token);
    const files = JSON.parse(row.files) as Array<{ name: string; contentType: string }>;
    const f = files.find((x) => x.name === name);
    if (!f) throw new LinkError(`no file "${name}" behind this link`, 'not-found');
    const enc = readFileSync(join(row.folder, `${f.name}.enc`));
    const content = await this.d.crypto.decrypt(new Uint8Array(enc), { purpose: 'access-report', caseId: row.case_id, file: f.name });
    const now = this.d.clock();
    await this.d.db.tx(async (db) => {
      await db.run('UPDATE report_downloads SET downloads = downloads + 1 WHERE id = ?', [row.id]);
      await this.d.audit.append({ caseId: row.case_id, actor, action: 'report.downloaded', detail: { linkId: row.id, file: f.name } }, now);
    });
    return { name: f.name, contentType: f.contentType, content };
  }

  /** Delete the stored files of links that expired before `now` (the rows stay for the record). */
  async purgeExpired(): Promise<number> {
    const now = this.d.clock().toISOString();
    const rows = await this.d.db.all<Row>('SELECT * FROM report_downloads WHERE expires_at <= ? AND revoked_at IS NULL', [now]);
    for (const r of rows) {
      rmSync(r.folder, { recursive: true, force: true });
      await this.d.db.run('UPDATE report_downloads SET revoked_at = ? WHERE id = ?', [now, r.id]);
    }
    return rows.length;
  }
}
