// The audit log anchored outside the database (issue 13, part 2): the keyed chain, `audit anchor`
// (stdout and S3 through the local emulator s3rver) and `audit verify --anchor FILE`, against each
// attack: cut the last entries and move the head back, delete the head, recompute the chain after
// an edit, empty the log. The store is written through the app; the attacker edits the SQLite file
// directly (triggers dropped, as someone with write access to the database could).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { createApp, type App } from '../../../shared/app/app';
import { entryHash, GENESIS_HASH, SqlAuditLog, type AuditAnchor } from '../../../shared/store/audit-log';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
const staff = { actor: 'staff:alice' };
let root: string;

function pd(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** As pd, without blocking this process (the S3 emulator runs in it). */
function pdAsync(dir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolveRun) => {
    execFile(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...env } }, (e, out, err) => {
      resolveRun({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err });
    });
  });
}

async function open(dir: string): Promise<App> {
  return createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
}

/** A store with some audit entries and an anchor of its head; then `more` entries after the anchor. */
async function storeWithAnchor(name: string, more = 0): Promise<{ dir: string; anchor: AuditAnchor; anchorFile: string }> {
  const dir = join(root, name);
  mkdirSync(dir);
  const app = await open(dir);
  try {
    for (let i = 0; i < 3; i++) await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: `anchor.${name}.${i}@example.com` } }, staff);
    const audit = app.ctx.audit as SqlAuditLog;
    const anchor = await audit.anchor(new Date());
    for (let i = 0; i < more; i++) await app.ctx.audit.append({ caseId: null, actor: 'test', action: 'test.after_anchor', detail: { i } }, new Date());
    const anchorFile = join(dir, 'anchor.json');
    writeFileSync(anchorFile, JSON.stringify(anchor));
    return { dir, anchor, anchorFile };
  } finally {
    await app.close();
  }
}

function attacker(dir: string, fn: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'cases.sqlite'));
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    fn(db);
  } finally {
    db.close();
  }
}

async function verify(dir: string, anchor?: unknown) {
  const app = await open(dir);
  try {
    const audit = app.ctx.audit as SqlAuditLog;
    return anchor === undefined ? await audit.verify() : await audit.verifyAnchor(anchor);
  } finally {
    await app.close();
  }
}

beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'pd-anchor-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('audit anchor and verify --anchor (CLI)', () => {
  it('prints the authenticated head and verifies against it; a tampered anchor file is refused', async () => {
    const { dir } = await storeWithAnchor('cli');
    const a = pd(dir, ['audit', 'anchor', '--json']);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    const anchor = JSON.parse(a.out) as AuditAnchor;
    expect(anchor).toMatchObject({ kind: 'privacy-desk.audit-anchor', version: 1, keyedFrom: 1 });
    expect(anchor.seq).toBeGreaterThan(0);
    expect(anchor.mac).toMatch(/^[0-9a-f]{64}$/u);
    const file = join(dir, 'head.json');
    writeFileSync(file, a.out);
    const v = pd(dir, ['audit', 'verify', '--anchor', file, '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({ ok: true, firstBad: null });
    writeFileSync(file, JSON.stringify({ ...anchor, seq: anchor.seq - 1 }));
    const forged = pd(dir, ['audit', 'verify', '--anchor', file]);
    expect(forged.code).toBe(1);
    expect(forged.out).toMatch(/does not match this store's audit key/u);
    const text = pd(dir, ['audit', 'anchor']);
    expect(text.out).toMatch(/^audit anchor: entry \d+ at .*\nhash [0-9a-f]{64}\nmac  [0-9a-f]{64}\n/u);
  }, 60_000);

  it('--to s3://bucket/prefix writes the anchor as an object (local S3 emulator)', async () => {
    const s3dir = join(root, 's3-emulator');
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: 'pd-anchors', configs: [] }] });
    const addr = (await s3.run()) as { port: number };
    try {
      const { dir } = await storeWithAnchor('s3');
      const env = { PRIVACY_DESK_S3_ENDPOINT: `http://127.0.0.1:${addr.port}`, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
      const r = await pdAsync(dir, ['audit', 'anchor', '--json', '--to', 's3://pd-anchors/shop/audit'], env);
      expect(r.err).not.toMatch(/privacy-desk:/u); // the AWS SDK may warn about the Node version
      expect(r.code).toBe(0);
      const out = JSON.parse(r.out) as { anchor: AuditAnchor; stored: { url: string } };
      expect(out.stored.url).toMatch(/^s3:\/\/pd-anchors\/shop\/audit\/audit-anchor-0*\d+-.*\.json$/u);
      const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
      const client = new S3Client({ endpoint: env.PRIVACY_DESK_S3_ENDPOINT, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
      const key = out.stored.url.slice('s3://pd-anchors/'.length);
      const obj = await client.send(new GetObjectCommand({ Bucket: 'pd-anchors', Key: key }));
      const body = JSON.parse(await obj.Body!.transformToString()) as AuditAnchor;
      client.destroy();
      expect(body).toEqual(out.anchor);
      // The stored object is what verify --anchor takes.
      const file = join(dir, 'from-s3.json');
      writeFileSync(file, JSON.stringify(body));
      expect(pd(dir, ['audit', 'verify', '--anchor', file]).code).toBe(0);
      expect(pd(dir, ['audit', 'anchor', '--to', 'http://nope']).code).toBe(2);
    } finally {
      await s3.close();
    }
  }, 60_000);
});

describe('tampering is caught by the key and the anchor', () => {
  it('cutting the last entries and moving the head back fails verify (head MAC) and verify --anchor', async () => {
    const { dir, anchor } = await storeWithAnchor('cut', 2);
    const keep = anchor.seq - 2;
    attacker(dir, (db) => {
      const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(keep) as { hash: string };
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(keep);
      db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(keep, row.hash);
    });
    const plain = await verify(dir);
    expect(plain.ok).toBe(false);
    expect(plain.firstBad?.problem).toMatch(/chain head does not match its MAC: entries after \d+ were cut off the end and the head moved back/u);
    const r = await verify(dir, anchor);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.problem).toMatch(new RegExp(`the log ends at entry ${keep} but the anchor of .* records entry ${anchor.seq}: the log was cut before the anchored entry`, 'u'));
  }, 60_000);

  it('a head restored from an older copy (its own MAC) passes the key alone, not the anchor', async () => {
    const dir = join(root, 'old-head');
    mkdirSync(dir);
    let oldHead: { seq: number; hash: string; keyed_from: number; mac: string } | undefined;
    let anchor: AuditAnchor;
    const app = await open(dir);
    try {
      await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'old.head@example.com' } }, staff);
      oldHead = await app.ctx.db.get('SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1');
      await app.call('cases.create', { type: 'delete', jurisdiction: 'CA', identities: { email: 'old.head.2@example.com' } }, staff);
      anchor = await (app.ctx.audit as SqlAuditLog).anchor(new Date());
    } finally {
      await app.close();
    }
    attacker(dir, (db) => {
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(oldHead!.seq);
      db.prepare('UPDATE audit_head SET seq = ?, hash = ?, keyed_from = ?, mac = ? WHERE id = 1').run(oldHead!.seq, oldHead!.hash, oldHead!.keyed_from, oldHead!.mac);
    });
    expect((await verify(dir)).ok).toBe(true);
    const r = await verify(dir, anchor!);
    expect(r.ok).toBe(false);
    expect(r.firstBad?.problem).toMatch(/the log was cut before the anchored entry/u);
  }, 60_000);

  it('deleting the chain head: verify fails naming it (the CLI exits non-zero, nothing is written)', async () => {
    const { dir, anchorFile } = await storeWithAnchor('nohead');
    attacker(dir, (db) => { db.prepare('DELETE FROM audit_head').run(); });
    const r = pd(dir, ['audit', 'verify', '--anchor', anchorFile]);
    expect(r.code).toBe(1);
    expect(r.err + r.out).toMatch(/audit chain head \(audit_head\) is missing/u);
    const plain = pd(dir, ['audit', 'verify']);
    expect(plain.code).toBe(1);
    expect(plain.err + plain.out).toMatch(/audit_head/u);
  }, 60_000);

  it('an edited entry with the chain recomputed (SHA-256, no key) fails verify and verify --anchor', async () => {
    const { dir, anchor, anchorFile } = await storeWithAnchor('recompute');
    attacker(dir, (db) => {
      const rows = db.prepare('SELECT seq, case_id, at, actor, action, detail FROM audit_log ORDER BY seq').all() as Array<{ seq: number; case_id: string | null; at: string; actor: string; action: string; detail: string }>;
      let prev = GENESIS_HASH;
      for (const r of rows) {
        const detail = JSON.parse(r.detail) as Record<string, unknown>;
        if (r.seq === 2) detail.forged = true;
        const hash = entryHash(prev, { seq: r.seq, caseId: r.case_id, at: r.at, actor: r.actor, action: r.action, detail });
        db.prepare('UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(JSON.stringify(detail), prev, hash, r.seq);
        prev = hash;
      }
      db.prepare('UPDATE audit_head SET hash = ? WHERE id = 1').run(prev);
    });
    const plain = await verify(dir);
    expect(plain.firstBad).toEqual({ seq: 1, problem: 'entry 1 was altered: its content does not match its keyed hash (rewritten without the audit key)' });
    const r = pd(dir, ['audit', 'verify', '--anchor', anchorFile, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).firstBad).toEqual({ seq: anchor.seq, problem: expect.stringMatching(new RegExp(`entry ${anchor.seq} is not the entry anchored on .*: the log was rewritten`, 'u')) });
  }, 60_000);

  it('emptying the log fails: head MAC, a reset head refused at open, and the anchor', async () => {
    const { dir, anchor } = await storeWithAnchor('empty');
    // 1. entries deleted, head set back to the genesis (its MAC cannot be made without the key).
    attacker(dir, (db) => {
      db.prepare('DELETE FROM audit_log').run();
      db.prepare('UPDATE audit_head SET seq = 0, hash = ? WHERE id = 1').run(GENESIS_HASH);
    });
    expect((await verify(dir)).firstBad?.problem).toMatch(/chain head does not match its MAC/u);
    const r = await verify(dir, anchor);
    expect(r.firstBad?.problem).toMatch(new RegExp(`the log is empty but the anchor of .* records ${anchor.seq} entries: the log was emptied`, 'u'));
    // 2. the keyed segment record wiped too: the store knows it was keyed, so the open is refused.
    attacker(dir, (db) => { db.prepare('UPDATE audit_head SET keyed_from = NULL, mac = NULL WHERE id = 1').run(); });
    const cli = pd(dir, ['audit', 'verify']);
    expect(cli.code).toBe(1);
    expect(cli.err).toMatch(/no keyed segment although this store was keyed before/u);
    // 3. and the key record removed as well: only the anchor can tell (nothing in the database is left to).
    attacker(dir, (db) => { db.prepare("DELETE FROM store_keys WHERE name = 'audit'").run(); });
    const last = await verify(dir, anchor);
    expect(last.ok).toBe(false);
    expect(last.firstBad?.problem).toMatch(/the log was emptied/u);
  }, 60_000);
});

describe('keys', () => {
  it('a missing key file of an existing store is an error naming it; nothing is created or written', async () => {
    const { dir } = await storeWithAnchor('keys');
    for (const name of ['pii.key', 'lookup.key', 'audit.key']) {
      const file = join(dir, 'keys', name);
      const saved = readFileSync(file);
      rmSync(file);
      const before = readFileSync(join(dir, 'cases.sqlite'));
      const r = pd(dir, ['request', 'create', '--type', 'access', '--jurisdiction', 'CA', '--email', 'never.written@example.com', '--json']);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`key file ${file} is missing: restore it from backup`);
      expect(() => readFileSync(file)).toThrow();
      expect(readFileSync(join(dir, 'cases.sqlite')).equals(before)).toBe(true);
      writeFileSync(file, saved, { mode: 0o600 });
    }
    expect(pd(dir, ['audit', 'verify']).code).toBe(0);
  }, 90_000);

  it('a wrong key file is refused by name; store status shows the keys in use', async () => {
    const { dir } = await storeWithAnchor('wrongkey');
    const file = join(dir, 'keys', 'lookup.key');
    const saved = readFileSync(file);
    writeFileSync(file, Buffer.alloc(32, 7));
    const r = pd(dir, ['store', 'status']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`key file ${file} is not the lookup key this store was created with: restore the right file from backup`);
    writeFileSync(file, saved);
    const s = pd(dir, ['store', 'status', '--json']);
    expect(s.code).toBe(0);
    const status = JSON.parse(s.out) as { keys: Array<{ name: string; file: string; recorded: boolean }>; audit: { keyedFrom: number } };
    expect(status.keys.map((k) => [k.name, k.file, k.recorded]).sort()).toEqual([
      ['audit', join(dir, 'keys', 'audit.key'), true], ['lookup', file, true], ['pii', join(dir, 'keys', 'pii.key'), true]]);
    expect(status.audit.keyedFrom).toBe(1);
  }, 60_000);
});
