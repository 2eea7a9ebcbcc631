// The audit log: append-only and hash-chained. Entry n carries prev_hash = hash of entry n-1
// (genesis: 64 zeros) and hash = SHA-256(prev_hash + canonicalJson({seq, caseId, at, actor, action,
// detail})). The chain head (audit_head: last seq and hash) is read and advanced in the appending
// transaction; on PostgreSQL it is locked with SELECT ... FOR UPDATE, so concurrent appends from
// many connections line up instead of forking the chain (SQLite serialises writers anyway). On
// PostgreSQL without an audit key the lock, the hash (sha256 in SQL over the same canonical bytes),
// the insert and the head move are one statement; with the key (the MAC is computed here, the key
// never goes to the database) the head is read and locked, then the insert and the head move are
// one statement: two round trips an entry.
// verify() walks the chain in pages and names the first entry that was altered or removed.
// Keyed chain (migration 090): with an audit key (crypto.auditMac, <dataDir>/keys/audit.key), every
// entry from audit_head.keyed_from on has hash = HMAC-SHA256(key, "entry\0" + prev_hash + "\0" +
// canonical body), and the head carries mac = HMAC(key, "head\0" + keyed_from + "\0" + seq + "\0" +
// hash). Without the key a rewritten chain, a head moved back after cutting the end, or a reset head
// fails verify(). Entries before keyed_from (a log that predates the key) keep their SHA-256 chain;
// the first keyed entry's MAC covers the last legacy hash. anchor() gives the authenticated head
// to keep outside the database; verifyAnchor() fails when the log was cut at or before it, emptied
// or rewritten.
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
import { AuditAnchorSchema, type AuditAnchor } from '../domain/audit-anchor';

export const GENESIS_HASH = '0'.repeat(64);
/** Entries per multi-row INSERT in appendMany (8 parameters each). */
const APPEND_CHUNK = 250;

/** The chain cannot be extended or anchored as it stands (tampered head, missing audit key). */
export class AuditChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditChainError';
  }
}

export { AuditAnchorSchema, type AuditAnchor };

type Mac = (message: string) => string;

export function keyedEntryHash(mac: Mac, prevHash: string, e: { seq: number; caseId: string | null; at: string; actor: string; action: string; detail: Record<string, unknown> }): string {
  const body = canonicalJson({ seq: e.seq, caseId: e.caseId, at: e.at, actor: e.actor, action: e.action, detail: e.detail });
  return mac(`entry\u0000${prevHash}\u0000${body}`);
}

export function headMac(mac: Mac, keyedFrom: number, seq: number, hash: string): string {
  return mac(`head\u0000${keyedFrom}\u0000${seq}\u0000${hash}`);
}

export function anchorMac(mac: Mac, a: Omit<AuditAnchor, 'mac'>): string {
  return mac(`anchor\u0000${a.version}\u0000${a.seq}\u0000${a.hash}\u0000${a.keyedFrom}\u0000${a.at}`);
}

interface HeadRow { seq: number; hash: string; keyed_from: number | null; mac: string | null }

/**
 * The chain head as this transaction left it, while it holds the head's row lock (PostgreSQL:
 * under Db.txScope(), replaced when a savepoint is rolled back, gone with the transaction). The next
 * keyed append in the same transaction (the next case of a group commit) skips the SELECT ... FOR
 * UPDATE: nobody else can move the head before this transaction ends. Shared by every SqlAuditLog.
 */
const lockedHeads = new WeakMap<object, HeadRow>();
function lockScope(db: Db): object | undefined {
  return db.dialect === 'postgres' ? db.txScope?.() : undefined;
}

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

  private get mac(): Mac | undefined {
    return this.crypto?.auditMac?.bind(this.crypto);
  }

  private async readHead(db: Db, lock: boolean): Promise<HeadRow> {
    const head = await db.get<HeadRow>(`SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1${lock && db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`);
    if (!head) throw new AuditChainError('the audit chain head (audit_head) is missing: run the store migrations, or restore the database from backup if it was deleted');
    return { seq: Number(head.seq), hash: head.hash, keyed_from: head.keyed_from === null ? null : Number(head.keyed_from), mac: head.mac };
  }

  /**
   * Before extending the chain: the keyed segment's start (set from the next entry when the log is
   * first keyed), after checking the head's MAC: a head moved back or reset is never built upon.
   */
  private keyedFromFor(head: HeadRow): number | null {
    const mac = this.mac;
    if (!mac) {
      if (head.keyed_from !== null) throw new AuditChainError('the audit log is keyed: appending needs the audit key (keys/audit.key)');
      return null;
    }
    if (head.keyed_from === null) return head.seq + 1;
    if (head.mac !== headMac(mac, head.keyed_from, head.seq, head.hash)) {
      throw new AuditChainError('the audit chain head does not match its MAC (entries cut off the end and the head moved back, or a different audit key): run privacy-desk audit verify; nothing was written');
    }
    return head.keyed_from;
  }

  private chainHash(keyedFrom: number | null, prevHash: string, body: { seq: number; caseId: string | null; at: string; actor: string; action: string; detail: Record<string, unknown> }): string {
    const mac = this.mac;
    return mac && keyedFrom !== null && body.seq >= keyedFrom ? keyedEntryHash(mac, prevHash, body) : entryHash(prevHash, body);
  }

  private async moveHead(db: Db, keyedFrom: number | null, seq: number, hash: string): Promise<void> {
    const mac = this.mac;
    if (mac && keyedFrom !== null) await db.run('UPDATE audit_head SET seq = ?, hash = ?, keyed_from = ?, mac = ? WHERE id = 1', [seq, hash, keyedFrom, headMac(mac, keyedFrom, seq, hash)]);
    else await db.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [seq, hash]);
  }

  /**
   * Start the keyed segment now when the log is not keyed yet (a new store: from entry 1; an
   * existing log: from its next entry). `previouslyKeyed`: the store recorded an audit key before,
   * so a head without a keyed segment was reset: refused. No-op without an audit key or when keyed.
   */
  async ensureKeyed(options: { previouslyKeyed: boolean }): Promise<{ keyedFrom: number | null; started: boolean }> {
    const mac = this.mac;
    if (!mac) return { keyedFrom: null, started: false };
    return this.db.tx(async (db) => {
      const scope = lockScope(db);
      if (scope) lockedHeads.delete(scope);
      const head = await this.readHead(db, true);
      if (head.keyed_from !== null) return { keyedFrom: head.keyed_from, started: false };
      if (options.previouslyKeyed) {
        throw new AuditChainError('the audit log has no keyed segment although this store was keyed before: its chain head was reset or replaced; restore the database from backup (privacy-desk audit verify --anchor FILE shows what is missing)');
      }
      const keyedFrom = head.seq + 1;
      await db.run('UPDATE audit_head SET keyed_from = ?, mac = ? WHERE id = 1', [keyedFrom, headMac(mac, keyedFrom, head.seq, head.hash)]);
      return { keyedFrom, started: true };
    });
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
      if (db.dialect === 'postgres' && !this.mac) {
        const scope = lockScope(db);
        if (scope) lockedHeads.delete(scope);
        // Unkeyed (no audit key): one statement, one round trip: lock the head, compute the entry's hash
        // in the database (the canonical body ends with "seq":N} because seq sorts last), insert, move the head.
        const prefix = bodyPrefix({ caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail });
        const r = await db.get<{ seq: number; prev_hash: string; hash: string; keyed_from: number | null }>(`WITH h AS (
            SELECT seq + 1 AS seq, hash AS prev, keyed_from FROM audit_head WHERE id = 1 FOR UPDATE),
          ins AS (
            INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash)
            SELECT h.seq, ?, ?, ?, ?, ?, h.prev, encode(sha256(convert_to(h.prev || ?::text || h.seq::text || '}', 'UTF8')), 'hex') FROM h
            WHERE h.keyed_from IS NULL
            RETURNING seq, prev_hash, hash)
          UPDATE audit_head SET seq = ins.seq, hash = ins.hash FROM ins WHERE audit_head.id = 1
          RETURNING ins.seq AS seq, ins.prev_hash AS prev_hash, ins.hash AS hash`,
        [e.caseId, atIso, e.actor, e.action, JSON.stringify(detail), prefix]);
        if (!r) {
          const head = await this.readHead(db, false);
          this.keyedFromFor(head);
          throw new Error('audit_head is missing: run the store migrations');
        }
        const seq = Number(r.seq);
        // The database and verify() must agree on the hash; refuse (and roll back) if they ever drift.
        const expected = entryHash(r.prev_hash, { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail });
        if (expected !== r.hash) throw new Error('audit hash computed by PostgreSQL differs from the canonical hash');
        return { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail, prevHash: r.prev_hash, hash: r.hash };
      }
      // Keyed: the MAC is computed here (the key never goes to the database), so the head is read
      // (locked on PostgreSQL) first, then the entry goes in and the head moves (on PostgreSQL in
      // one statement).
      const scope = lockScope(db);
      const head = (scope && lockedHeads.get(scope)) ?? await this.readHead(db, true);
      const keyedFrom = this.keyedFromFor(head);
      const seq = head.seq + 1;
      const prevHash = head.hash;
      const hash = this.chainHash(keyedFrom, prevHash, { seq, caseId: e.caseId, at: atIso, actor: e.actor, action: e.action, detail });
      const row = [seq, e.caseId, atIso, e.actor, e.action, JSON.stringify(detail), prevHash, hash];
      const mac = this.mac;
      if (db.dialect === 'postgres' && mac && keyedFrom !== null) {
        // The insert and the head move in one statement: two round trips an entry, not three.
        const moved = await db.run(`WITH ins AS (
            INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq)
          UPDATE audit_head SET seq = ins.seq, hash = ?, keyed_from = ?, mac = ? FROM ins WHERE audit_head.id = 1`,
        [...row, hash, keyedFrom, headMac(mac, keyedFrom, seq, hash)]);
        if (moved.changes !== 1) throw new AuditChainError('the audit chain head (audit_head) is missing: run the store migrations, or restore the database from backup if it was deleted');
        if (scope) lockedHeads.set(scope, { seq, hash, keyed_from: keyedFrom, mac: headMac(mac, keyedFrom, seq, hash) });
      } else {
        if (scope) lockedHeads.delete(scope);
        await db.run('INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', row);
        await this.moveHead(db, keyedFrom, seq, hash);
      }
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
      const scope = lockScope(db);
      if (scope) lockedHeads.delete(scope);
      const head = await this.readHead(db, true);
      const keyedFrom = this.keyedFromFor(head);
      let seq = head.seq;
      let prevHash = head.hash;
      const out: AuditEntry[] = entries.map((e, k) => {
        seq += 1;
        const body = { seq, caseId: e.caseId, at: e.at.toISOString(), actor: e.actor, action: e.action, detail: details[k]! };
        const hash = this.chainHash(keyedFrom, prevHash, body);
        const entry: AuditEntry = { ...body, prevHash, hash };
        prevHash = hash;
        return entry;
      });
      for (let i = 0; i < out.length; i += APPEND_CHUNK) {
        const chunk = out.slice(i, i + APPEND_CHUNK);
        await db.run(`INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((a) => [a.seq, a.caseId, a.at, a.actor, a.action, JSON.stringify(a.detail), a.prevHash, a.hash]));
      }
      await this.moveHead(db, keyedFrom, seq, prevHash);
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
    const mac = this.mac;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    const bad = (seq: number, problem: string): VerifyResult => ({ ok: false, entries, firstBad: { seq, problem } });
    const startHead = await this.db.get<HeadRow>('SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1');
    if (!startHead) return bad(1, 'the chain head (audit_head) was deleted: restore the database from backup');
    const keyedFrom = startHead.keyed_from === null ? null : Number(startHead.keyed_from);
    if (keyedFrom !== null && !mac) return bad(keyedFrom, `entries from ${keyedFrom} on are keyed: verifying them needs the audit key (keys/audit.key)`);
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
          const hash = this.chainHash(keyedFrom, prevHash, { seq, caseId: r.case_id, at: r.at, actor: r.actor, action: r.action, detail });
          if (hash !== r.hash) {
            return bad(seq, keyedFrom !== null && seq >= keyedFrom
              ? `entry ${seq} was altered: its content does not match its keyed hash (rewritten without the audit key)`
              : `entry ${seq} was altered: its content does not match its hash`);
          }
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
    let head: HeadRow | undefined;
    for (let pass = 0; ; pass += 1) {
      const walked = await walk();
      if (typeof walked !== 'number') return walked;
      head = await this.db.get<HeadRow>('SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1');
      if (!head || Number(head.seq) <= expectedSeq - 1 || (pass > 0 && walked === 0) || pass >= 20) break;
    }
    if (!head) return bad(expectedSeq, 'the chain head (audit_head) was deleted: restore the database from backup');
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
    const headKeyedFrom = head.keyed_from === null ? null : Number(head.keyed_from);
    if (mac && keyedFrom !== null && headKeyedFrom !== keyedFrom) {
      return bad(Math.min(keyedFrom, headKeyedFrom ?? keyedFrom), 'the chain head\'s keyed segment start was changed');
    }
    if (mac && headKeyedFrom !== null && head.mac !== headMac(mac, headKeyedFrom, headSeq, head.hash)) {
      return bad(headSeq + 1, `the chain head does not match its MAC: entries after ${headSeq} were cut off the end and the head moved back, or the head was rewritten (or this is not the store's audit key)`);
    }
    return { ok: true, entries, firstBad: null };
  }

  /** The authenticated chain head, to keep outside the database (audit anchor). Needs the audit key. */
  async anchor(at: Date): Promise<AuditAnchor> {
    const mac = this.mac;
    if (!mac) throw new AuditChainError('an audit anchor needs the audit key (keys/audit.key)');
    const head = await this.readHead(this.db, false);
    if (head.keyed_from === null) throw new AuditChainError('the audit log is not keyed yet: open the store with the app once (any privacy-desk command) to key it');
    if (head.mac !== headMac(mac, head.keyed_from, head.seq, head.hash)) {
      throw new AuditChainError('the audit chain head does not match its MAC: run privacy-desk audit verify; no anchor was made');
    }
    const body = { kind: 'privacy-desk.audit-anchor' as const, version: 1 as const, seq: head.seq, hash: head.hash, keyedFrom: head.keyed_from, at: at.toISOString() };
    return { ...body, mac: anchorMac(mac, body) };
  }

  /**
   * verify() against an anchor kept outside the database: fails, naming why, when the anchor is not
   * this store's (or was edited), the log was emptied, cut at or before the anchored entry, or the
   * anchored entry was rewritten; then the chain itself is verified.
   */
  async verifyAnchor(input: unknown): Promise<VerifyResult> {
    const parsed = AuditAnchorSchema.safeParse(input);
    const fail = (seq: number, problem: string): VerifyResult => ({ ok: false, entries: 0, firstBad: { seq, problem } });
    if (!parsed.success) {
      return fail(0, `the anchor is not a PrivacyDesk audit anchor (${parsed.error.issues.map((i) => `${i.path.join('.') || '(anchor)'}: ${i.message}`).join('; ')})`);
    }
    const a = parsed.data;
    const mac = this.mac;
    if (!mac) return fail(a.seq, 'checking an anchor needs the audit key (keys/audit.key)');
    const { mac: given, ...body } = a;
    if (given !== anchorMac(mac, body)) return fail(a.seq, 'the anchor does not match this store\'s audit key (the anchor of another store, or an edited anchor file)');
    const stats = await this.db.get<{ n: number; last: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS last FROM audit_log');
    const n = Number(stats?.n ?? 0);
    const last = stats?.last === null || stats?.last === undefined ? 0 : Number(stats.last);
    if (a.seq > 0) {
      if (n === 0) return fail(1, `the log is empty but the anchor of ${a.at} records ${a.seq} entries: the log was emptied`);
      const row = await this.db.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', [a.seq]);
      if (!row) {
        return last < a.seq
          ? fail(last + 1, `the log ends at entry ${last} but the anchor of ${a.at} records entry ${a.seq}: the log was cut before the anchored entry (entries ${last + 1}..${a.seq} at least are missing)`)
          : fail(a.seq, `entry ${a.seq}, the anchored entry of ${a.at}, was removed`);
      }
      if (row.hash !== a.hash) return fail(a.seq, `entry ${a.seq} is not the entry anchored on ${a.at}: the log was rewritten at or before it`);
    }
    const head = await this.db.get<HeadRow>('SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1');
    if (head && head.keyed_from !== null && Number(head.keyed_from) !== a.keyedFrom) {
      return fail(Math.min(a.keyedFrom, Number(head.keyed_from)), `the keyed segment starts at entry ${Number(head.keyed_from)} but the anchor of ${a.at} records ${a.keyedFrom}: the chain head was replaced`);
    }
    return this.verify();
  }
}
