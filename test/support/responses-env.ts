// Test environment for the Responses area's services without the whole app: a real SQLite file
// (better-sqlite3) behind the Db port, the Responses migrations, a hash-chained audit table and a
// real AES-256-GCM + HMAC implementation of the PiiCrypto port. (createApp-based tests use the
// Store area's implementations instead.)
import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, SqlValue } from '../../shared/store/db';
import type { AuditEntry, AuditLog } from '../../shared/store/ports';
import type { PiiCrypto } from '../../shared/crypto/port';
import { responsesMigrations } from '../../shared/channels/migrations';

function sqliteDb(file: string): Db {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  const inTx = new AsyncLocalStorage<boolean>();
  let chain: Promise<unknown> = Promise.resolve();
  const bind = (p?: readonly SqlValue[]) => (p ?? []).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  const db: Db = {
    dialect: 'sqlite',
    all: async <T>(sql: string, p?: readonly SqlValue[]) => raw.prepare(sql).all(...bind(p)) as T[],
    get: async <T>(sql: string, p?: readonly SqlValue[]) => raw.prepare(sql).get(...bind(p)) as T | undefined,
    run: async (sql, p) => ({ changes: raw.prepare(sql).run(...bind(p)).changes }),
    exec: async (sql) => { raw.exec(sql); },
    tx: async <T>(fn: (d: Db) => Promise<T>): Promise<T> => {
      if (inTx.getStore()) return fn(db);
      const run = async () => inTx.run(true, async () => {
        raw.exec('BEGIN IMMEDIATE');
        try { const r = await fn(db); raw.exec('COMMIT'); return r; } catch (e) { raw.exec('ROLLBACK'); throw e; }
      });
      const next = chain.then(run, run);
      chain = next.catch(() => undefined);
      return next;
    },
    close: async () => { raw.close(); },
  };
  return db;
}

class TableAudit implements AuditLog {
  constructor(private readonly db: Db) {}
  async append(e: { caseId: string | null; actor: string; action: string; detail?: Record<string, unknown> }, at: Date): Promise<AuditEntry> {
    return this.db.tx(async (db) => {
      const last = await db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM test_audit ORDER BY seq DESC LIMIT 1');
      const prevHash = last?.hash ?? '0'.repeat(64);
      const detail = e.detail ?? {};
      const hash = createHash('sha256').update(`${prevHash}|${e.caseId}|${at.toISOString()}|${e.actor}|${e.action}|${JSON.stringify(detail)}`).digest('hex');
      await db.run('INSERT INTO test_audit (case_id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [e.caseId, at.toISOString(), e.actor, e.action, JSON.stringify(detail), prevHash, hash]);
      return { seq: (last?.seq ?? 0) + 1, caseId: e.caseId, at: at.toISOString(), actor: e.actor, action: e.action, detail, prevHash, hash };
    });
  }
  async forCase(caseId: string): Promise<AuditEntry[]> {
    const rows = await this.db.all<{ seq: number; case_id: string; at: string; actor: string; action: string; detail: string; prev_hash: string; hash: string }>(
      'SELECT * FROM test_audit WHERE case_id = ? ORDER BY seq', [caseId]);
    return rows.map((r) => ({ seq: r.seq, caseId: r.case_id, at: r.at, actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash }));
  }
  async all(): Promise<AuditEntry[]> {
    const rows = await this.db.all<{ case_id: string }>('SELECT DISTINCT case_id FROM test_audit');
    return (await Promise.all(rows.map((r) => this.forCase(r.case_id)))).flat();
  }
  async verify() { return { ok: true, entries: 0, firstBad: null }; }
}

export function testCrypto(): PiiCrypto {
  const key = randomBytes(32);
  const hmacKey = randomBytes(32);
  return {
    async encrypt(plain, context) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(JSON.stringify(context)));
      const body = Buffer.concat([c.update(plain), c.final()]);
      return new Uint8Array(Buffer.concat([iv, c.getAuthTag(), body]));
    },
    async decrypt(ct, context) {
      const b = Buffer.from(ct);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAAD(Buffer.from(JSON.stringify(context)));
      d.setAuthTag(b.subarray(12, 28));
      return new Uint8Array(Buffer.concat([d.update(b.subarray(28)), d.final()]));
    },
    keyedHash(kind, value) { return createHmac('sha256', hmacKey).update(`${kind}\u0000${value}`).digest('hex'); },
  };
}

export interface ResponsesEnv {
  dir: string;
  db: Db;
  audit: TableAudit;
  crypto: PiiCrypto;
  clock: () => Date;
  setNow(iso: string): void;
  close(): Promise<void>;
}

export async function responsesEnv(startIso = '2026-03-02T15:00:00.000Z'): Promise<ResponsesEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-responses-'));
  const db = sqliteDb(join(dir, 'test.sqlite'));
  await db.exec(`CREATE TABLE test_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT, at TEXT, actor TEXT, action TEXT, detail TEXT, prev_hash TEXT, hash TEXT)`);
  for (const m of responsesMigrations) await m.up(db);
  let now = new Date(startIso);
  return {
    dir, db, audit: new TableAudit(db), crypto: testCrypto(),
    clock: () => now,
    setNow: (iso) => { now = new Date(iso); },
    close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}
