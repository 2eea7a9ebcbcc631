// The audit log: append-only and hash-chained. Entry n carries prev_hash = hash of entry n-1
// (genesis: 64 zeros) and hash = SHA-256(prev_hash + canonicalJson({seq, caseId, at, actor, action,
// detail})). The chain head (audit_head: last seq and hash) is read and advanced in the appending
// transaction; on PostgreSQL it is locked with SELECT ... FOR UPDATE, so concurrent appends from
// many connections line up instead of forking the chain (SQLite serialises writers anyway). On
// PostgreSQL the lock, the hash (sha256 in SQL over the same canonical bytes), the insert and the
// head move are one statement, so the head stays locked for one round trip only.
// verify() walks the chain in pages and names the first entry that was altered or removed.
// Details must never hold a data subject's identities: any email- or phone-like text whose keyed
// hash matches a stored identity is masked before the entry is written ("j***@example.com"), and
// the entry lists the fields it masked in `_redacted`. Masking rather than refusing keeps failure
// records (an provider error quoting the recipient, say) in the log without the identity.
import { createHash } from 'node:crypto';
import type { Db } from './db';
import type { AuditEntry, AuditLog } from './ports';
import { canonicalJson } from './canonical-json';
import type { PiiCrypto } from '../crypto/port';
import { maskIdentity, normalizeEmail, normalizePhone } from '../domain/identity';

export const GENESIS_HASH = '0'.repeat(64);
/** Entries per multi-row INSERT in appendMany (8 parameters each). */
const APPEND_CHUNK = 250;

export class AuditDetailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditDetailError';
  }
}

const EMAIL_LIKE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gu;
const PHONE_LIKE = /\+?\d[\d ().-]{6,18}\d/gu;
/** A calendar date (due dates in case details): phone-like to the pattern, never a phone number (8 digits). Skipped before the costly phone parse. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/u;

/** Every string in a detail, with its field path. */
function strings(value: unknown, path: string, out: Array<{ path: string; value: string }>): void {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) strings(v, `${path}.${k}`, out);
}

interface Candidate { path: string; kind: 'email' | 'phone'; text: string; normalised: string; hash: string }

/**
 * Everything in a detail that could be an email address or a phone number, normalised and keyed-
 * hashed, with the field it came from. The audit log looks the hashes up among the stored identity
 * hashes, so a subject's identity is caught while staff user names or masked values pass.
 */
export function identityCandidates(detail: unknown, crypto: PiiCrypto): Candidate[] {
  const found: Array<{ path: string; value: string }> = [];
  strings(detail, 'detail', found);
  const out: Candidate[] = [];
  for (const f of found) {
    for (const m of f.value.matchAll(EMAIL_LIKE)) {
      const normalised = normalizeEmail(m[0]);
      out.push({ path: f.path, kind: 'email', text: m[0], normalised, hash: crypto.keyedHash('email', normalised) });
    }
    for (const m of f.value.matchAll(PHONE_LIKE)) {
      if (ISO_DATE.test(m[0])) continue;
      const e164 = normalizePhone(m[0]);
      if (e164) out.push({ path: f.path, kind: 'phone', text: m[0], normalised: e164, hash: crypto.keyedHash('phone', e164) });
    }
  }
  return out;
}

/** A copy of value with every listed text replaced by its mask, in the strings at the given paths. */
function redact(value: unknown, path: string, hits: Map<string, Candidate[]>): unknown {
  if (typeof value === 'string') {
    let s = value;
    for (const c of hits.get(path) ?? []) s = s.split(c.text).join(maskIdentity(c.kind, c.normalised));
    return s;
  }
  if (Array.isArray(value)) return value.map((v, i) => redact(v, `${path}[${i}]`, hits));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redact(v, `${path}.${k}`, hits)]));
  }
  return value;
}

export function entryHash(prevHash: string, e: { seq: number; caseId: string | null; at: string; actor: string; action: string; detail: Record<string, unknown> }): string {
  const body = canonicalJson({ seq: e.seq, caseId: e.caseId, at: e.at, actor: e.actor, action: e.action, detail: e.detail });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** canonicalJson of an entry's body up to its seq: `{...,"detail":{...},"seq":` (seq sorts last). */
export function bodyPrefix(e: { caseId: string | null; at: string; actor: string; action: string; detail: Record<string, unknown> }): string {
  const full = canonicalJson({ seq: 0, caseId: e.caseId, at: e.at, actor: e.actor, action: e.action, detail: e.detail });
  if (!full.endsWith(',"seq":0}')) throw new Error('canonical audit body must end with its seq');
  return full.slice(0, -'0}'.length);
}

interface AuditRow { seq: number; case_id: string | null; at: string; actor: string; action: string; detail: string; prev_hash: string; hash: string }

function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq), caseId: r.case_id, at: r.at, actor: r.actor, action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash,
  };
}

export interface VerifyResult { ok: boolean; entries: number; firstBad: { seq: number; problem: string } | null }

export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: Db, private readonly crypto: PiiCrypto | null = null, private readonly options: { pageSize?: number } = {}) {}

  /** The detail with every stored subject identity (email or phone) in it masked. */
  private async withoutIdentities(detail: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.crypto) return detail;
    const candidates = identityCandidates(detail, this.crypto);
    if (!candidates.length) return detail;
    const hashes = [...new Set(candidates.map((c) => c.hash))];
    const rows = await this.db.all<{ hash: string }>(`SELECT DISTINCT hash FROM case_identity_hashes WHERE hash IN (${hashes.map(() => '?').join(', ')})`, hashes);
    if (!rows.length) return detail;
    const known = new Set(rows.map((r) => r.hash));
    const hits = new Map<string, Candidate[]>();
    for (const c of candidates) if (known.has(c.hash)) hits.set(c.path, [...(hits.get(c.path) ?? []), c]);
    const out = redact(detail, 'detail', hits) as Record<string, unknown>;
    return { ...out, _redacted: [...hits.keys()].sort() };
  }

  async append(e: { caseId: string | null; actor: string; action: string; detail?: Record<string, unknown> }, at: Date): Promise<AuditEntry> {
    if (!e.actor.trim()) throw new AuditDetailError('audit actor is required');
    if (!e.action.trim()) throw new AuditDetailError('audit action is required');
    const given = JSON.parse(canonicalJson(e.detail ?? {})) as Record<string, unknown>;
    const atIso = at.toISOString();
    // Inside the caller's transaction: append right there (no savepoint round trips); else open one.
    const inTx = this.db.inTransaction?.() ?? false;
    const run = <T>(fn: (db: Db) => Promise<T>): Promise<T> => (inTx ? fn(this.db) : this.db.tx(fn));
    return run(async (db) => {
      const detail = await this.withoutIdentities(given);
      if (db.dialect === 'postgres') {
        // One statement, one round trip: lock the head, compute the entry's hash in the database
        // (the canonical body ends with "seq":N} because seq sorts last), insert, move the head.
        const prefix = bodyPrefix({ caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail });
        const r = await db.get<{ seq: number; prev_hash: string; hash: string }>(`WITH h AS (
            SELECT seq + 1 AS seq, hash AS prev FROM audit_head WHERE id = 1 FOR UPDATE),
          ins AS (
            INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash)
            SELECT h.seq, ?, ?, ?, ?, ?, h.prev, encode(sha256(convert_to(h.prev || ?::text || h.seq::text || '}', 'UTF8')), 'hex') FROM h
            RETURNING seq, prev_hash, hash)
          UPDATE audit_head SET seq = ins.seq, hash = ins.hash FROM ins WHERE audit_head.id = 1
          RETURNING ins.seq AS seq, ins.prev_hash AS prev_hash, ins.hash AS hash`,
        [e.caseId, atIso, e.actor, e.action, JSON.stringify(detail), prefix]);
        if (!r) throw new Error('audit_head is missing: run the store migrations');
        const seq = Number(r.seq);
        // The database and verify() must agree on the hash; refuse (and roll back) if they ever drift.
        const expected = entryHash(r.prev_hash, { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail });
        if (expected !== r.hash) throw new Error('audit hash computed by PostgreSQL differs from the canonical hash');
        return { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail, prevHash: r.prev_hash, hash: r.hash };
      }
      const head = await db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
      if (!head) throw new Error('audit_head is missing: run the store migrations');
      const seq = Number(head.seq) + 1;
      const prevHash = head.hash;
      const hash = entryHash(prevHash, { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail });
      await db.run('INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [seq, e.caseId, atIso, e.actor, e.action, JSON.stringify(detail), prevHash, hash]);
      await db.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [seq, hash]);
      return { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail, prevHash, hash };
    });
  }

  /**
   * Append several entries in order: the same entries, hashes and redaction as calling append for
   * each, but the head is read (locked: FOR UPDATE on PostgreSQL) once, the hashes are chained here,
   * and the entries go in with multi-row INSERTs and one head update. For batches (an import) where
   * round trips, not rows, are the cost. Inside the caller's transaction, or one of its own.
   */
  async appendMany(entries: ReadonlyArray<{ caseId: string | null; actor: string; action: string; detail?: Record<string, unknown>; at: Date }>): Promise<AuditEntry[]> {
    for (const e of entries) {
      if (!e.actor.trim()) throw new AuditDetailError('audit actor is required');
      if (!e.action.trim()) throw new AuditDetailError('audit action is required');
    }
    if (!entries.length) return [];
    const given = entries.map((e) => JSON.parse(canonicalJson(e.detail ?? {})) as Record<string, unknown>);
    const inTx = this.db.inTransaction?.() ?? false;
    const run = <T>(fn: (db: Db) => Promise<T>): Promise<T> => (inTx ? fn(this.db) : this.db.tx(fn));
    return run(async (db) => {
      const details: Array<Record<string, unknown>> = [];
      for (const d of given) details.push(await this.withoutIdentities(d));
      const head = await db.get<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_head WHERE id = 1${db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`);
      if (!head) throw new Error('audit_head is missing: run the store migrations');
      let seq = Number(head.seq);
      let prevHash = head.hash;
      const out: AuditEntry[] = entries.map((e, k) => {
        seq += 1;
        const body = { seq, caseId: e.caseId, at: e.at.toISOString(), actor: e.actor, action: e.action, detail: details[k]! };
        const hash = entryHash(prevHash, body);
        const entry: AuditEntry = { ...body, prevHash, hash };
        prevHash = hash;
        return entry;
      });
      for (let i = 0; i < out.length; i += APPEND_CHUNK) {
        const chunk = out.slice(i, i + APPEND_CHUNK);
        await db.run(`INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((a) => [a.seq, a.caseId, a.at, a.actor, a.action, JSON.stringify(a.detail), a.prevHash, a.hash]));
      }
      await db.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [seq, prevHash]);
      return out;
    });
  }

  async forCase(caseId: string): Promise<AuditEntry[]> {
    const rows = await this.db.all<AuditRow>('SELECT seq, case_id, at, actor, action, detail, prev_hash, hash FROM audit_log WHERE case_id = ? ORDER BY seq', [caseId]);
    return rows.map(toEntry);
  }

  /** Entries after `afterSeq`, oldest first (export, console paging). */
  async page(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.all<AuditRow>('SELECT seq, case_id, at, actor, action, detail, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
    return rows.map(toEntry);
  }

  async verify(): Promise<VerifyResult> {
    const pageSize = this.options.pageSize ?? 2000;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    const bad = (seq: number, problem: string): VerifyResult => ({ ok: false, entries, firstBad: { seq, problem } });
    // Walk from `expectedSeq` to the current end of the log; returns a failure, or how many entries it read.
    const walk = async (): Promise<VerifyResult | number> => {
      let read = 0;
      for (;;) {
        const rows = await this.db.all<AuditRow>('SELECT seq, case_id, at, actor, action, detail, prev_hash, hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?', [expectedSeq, pageSize]);
        for (const r of rows) {
          const seq = Number(r.seq);
          if (seq !== expectedSeq) {
            const last = seq - 1;
            return bad(expectedSeq, last === expectedSeq ? `entry ${expectedSeq} was removed` : `entries ${expectedSeq}..${last} were removed`);
          }
          if (r.prev_hash !== prevHash) {
            return seq === 1
              ? bad(1, 'entry 1 does not start from the genesis hash')
              : bad(seq - 1, `entry ${seq - 1} was altered or replaced: entry ${seq} links to a different hash`);
          }
          let detail: Record<string, unknown>;
          try {
            detail = JSON.parse(r.detail) as Record<string, unknown>;
          } catch {
            return bad(seq, `entry ${seq} was altered: its detail is not valid JSON`);
          }
          const hash = entryHash(prevHash, { seq, caseId: r.case_id, at: r.at, actor: r.actor, action: r.action, detail });
          if (hash !== r.hash) return bad(seq, `entry ${seq} was altered: its content does not match its hash`);
          prevHash = r.hash;
          expectedSeq = seq + 1;
          entries += 1;
          read += 1;
        }
        if (rows.length < pageSize) break;
      }
      return read;
    };
    // The log and its head are written in one transaction, but this walk reads them one statement at a
    // time while cases keep running: an entry appended after the walk moves the head on. So when the
    // head is ahead of the walk, walk again; only a head ahead of a walk that found nothing new means
    // entries were removed from the end.
    let head: { seq: number; hash: string } | undefined;
    for (let pass = 0; ; pass += 1) {
      const walked = await walk();
      if (typeof walked !== 'number') return walked;
      head = await this.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
      if (!head || Number(head.seq) <= expectedSeq - 1 || (pass > 0 && walked === 0) || pass >= 20) break;
    }
    if (head) {
      const headSeq = Number(head.seq);
      if (headSeq > expectedSeq - 1) {
        return bad(expectedSeq, headSeq === expectedSeq ? `entry ${expectedSeq} (the last one) was removed` : `entries ${expectedSeq}..${headSeq} (the end of the log) were removed`);
      }
      if (headSeq === expectedSeq - 1 && head.hash !== prevHash) {
        return bad(headSeq, `entry ${headSeq} (the last one) was altered or replaced: the chain head holds a different hash`);
      }
      if (headSeq < expectedSeq - 1) {
        return bad(headSeq + 1, `entries after ${headSeq} are not recorded in the chain head (written outside the audit log)`);
      }
    }
    return { ok: true, entries, firstBad: null };
  }
}
