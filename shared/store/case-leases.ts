// Case leases (table case_leases, migration 080): exactly one worker per busy case, across
// processes and machines. A lease is (case, owner, expires_at); the holder renews it while it
// works; a lease past its expiry is taken over. Every change is one conditional statement (an
// upsert whose UPDATE only applies when the row is ours or expired), so two claimants can never
// both win; the worker's batch claim is a write transaction (SQLite: BEGIN IMMEDIATE) or, on
// PostgreSQL, `SELECT ... FOR UPDATE OF c SKIP LOCKED` over the busy cases, so several workers
// polling at once take disjoint cases without waiting on each other.
//
// Time: on PostgreSQL the database's clock (clock_timestamp()), so machines with skewed clocks
// agree; on SQLite (one machine) the process clock. Expiry is epoch milliseconds.
//
// A dead owner on the same machine (same host name and PID namespace, its PID gone) is taken over
// at once instead of after the expiry: a worker killed with -9 and restarted resumes its cases
// immediately.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import type { Db, SqlValue } from './db';

export interface LeaseHolder { caseId: string; owner: string; expiresAt: number }

function pidNamespace(): string {
  try { return readlinkSync('/proc/self/ns/pid').replace(/\D/gu, ''); } catch { return '-'; }
}

/** This process's owner id: host / PID namespace / PID / random (a restarted PID never matches). */
export function newLeaseOwner(): string {
  return `${hostname().replace(/\//gu, '_')}/${pidNamespace()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/** True when `owner` names a process of this machine (same host and PID namespace) that no longer runs. */
export function ownerIsDeadLocally(owner: string): boolean {
  const parts = owner.split('/');
  if (parts.length !== 4) return false;
  const [host, ns, pidText] = parts as [string, string, string, string];
  if (host !== hostname().replace(/\//gu, '_') || ns !== pidNamespace() || ns === '-') return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // another engine of this process (tests open two apps)
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

export class SqlCaseLeases {
  constructor(private readonly db: Db, readonly owner: string, readonly ttlMs: number) {}

  /** SQL for "now" in epoch ms, with its parameters (PostgreSQL: the server's clock). */
  private now(): { sql: string; params: SqlValue[] } {
    return this.db.dialect === 'postgres'
      ? { sql: 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)', params: [] }
      : { sql: '?', params: [Date.now()] };
  }

  /**
   * Take or keep the lease of a case: succeeds when nobody holds it, we hold it, or its holder's
   * lease expired (or its holder is a dead process of this machine). Extends it by the TTL.
   */
  async acquire(caseId: string): Promise<boolean> {
    if (await this.upsert(caseId)) return true;
    const h = await this.holder(caseId);
    if (!h) return this.upsert(caseId);
    if (h.owner !== this.owner && ownerIsDeadLocally(h.owner)) return this.takeFrom(caseId, h.owner);
    return false;
  }

  private async upsert(caseId: string): Promise<boolean> {
    const at = new Date().toISOString();
    const a = this.now();
    const b = this.now();
    const { changes } = await this.db.run(
      `INSERT INTO case_leases (case_id, owner, expires_at, acquired_at, renewed_at, idle) VALUES (?, ?, ${a.sql} + ?, ?, ?, 0)
       ON CONFLICT (case_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, idle = 0,
         acquired_at = CASE WHEN case_leases.owner = excluded.owner THEN case_leases.acquired_at ELSE excluded.acquired_at END,
         renewed_at = excluded.renewed_at
       WHERE case_leases.owner = excluded.owner OR case_leases.expires_at <= ${b.sql}`,
      [caseId, this.owner, ...a.params, this.ttlMs, at, at, ...b.params]);
    return changes > 0;
  }

  private async takeFrom(caseId: string, deadOwner: string): Promise<boolean> {
    const at = new Date().toISOString();
    const n = this.now();
    const { changes } = await this.db.run(
      `UPDATE case_leases SET owner = ?, expires_at = ${n.sql} + ?, acquired_at = ?, renewed_at = ?, idle = 0 WHERE case_id = ? AND owner = ?`,
      [this.owner, ...n.params, this.ttlMs, at, at, caseId, deadOwner]);
    return changes > 0;
  }

  /** Extend the leases we hold among `caseIds`; returns those still ours (a missing one was taken over). */
  async renew(caseIds: readonly string[]): Promise<Set<string>> {
    const ours = new Set<string>();
    const at = new Date().toISOString();
    for (let i = 0; i < caseIds.length; i += 500) {
      const chunk = caseIds.slice(i, i + 500);
      const n = this.now();
      const rows = await this.db.all<{ case_id: string }>(
        `UPDATE case_leases SET expires_at = ${n.sql} + ?, renewed_at = ? WHERE owner = ? AND case_id IN (${marks(chunk.length)}) RETURNING case_id`,
        [...n.params, this.ttlMs, at, this.owner, ...chunk]);
      for (const r of rows) ours.add(r.case_id);
    }
    return ours;
  }

  /**
   * Inside the caller's transaction: true when we still hold the case's lease (PostgreSQL: the
   * lease row is locked until the transaction ends, so it cannot be taken over before the commit).
   * Call it after the transaction's write to the case row (lock order: cases, then case_leases).
   */
  async holds(caseId: string): Promise<boolean> {
    const lock = this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const r = await this.db.get<{ owner: string }>(`SELECT owner FROM case_leases WHERE case_id = ?${lock}`, [caseId]);
    return r?.owner === this.owner;
  }

  async holder(caseId: string): Promise<LeaseHolder | undefined> {
    const r = await this.db.get<{ case_id: string; owner: string; expires_at: number | string }>('SELECT case_id, owner, expires_at FROM case_leases WHERE case_id = ?', [caseId]);
    return r ? { caseId: r.case_id, owner: r.owner, expiresAt: Number(r.expires_at) } : undefined;
  }

  /**
   * Give the lease up. `idle`: the case waits for a person although its status reads busy, so
   * workers leave it alone (the row stays, unowned) until an event takes the lease again.
   */
  async release(caseId: string, idle = false): Promise<void> {
    if (idle) {
      await this.db.run("UPDATE case_leases SET owner = '', expires_at = 0, idle = 1 WHERE case_id = ? AND owner = ?", [caseId, this.owner]);
    } else {
      await this.db.run('DELETE FROM case_leases WHERE case_id = ? AND owner = ?', [caseId, this.owner]);
    }
  }

  /**
   * Claim up to `limit` cases in `statuses` that nobody works on (no lease, an expired one, or a
   * dead local owner's); returns the ids now leased to us, oldest first.
   */
  async claim(statuses: readonly string[], limit: number, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
    if (limit <= 0) return [];
    const out: string[] = [];
    await this.db.tx(async () => {
      const n = this.now();
      const skip = this.db.dialect === 'postgres' ? ' FOR UPDATE OF c SKIP LOCKED' : '';
      const rows = await this.db.all<{ id: string }>(
        `SELECT c.id FROM cases c LEFT JOIN case_leases l ON l.case_id = c.id
         WHERE c.status IN (${marks(statuses.length)}) AND (l.case_id IS NULL OR (l.expires_at <= ${n.sql} AND l.idle = 0))
         ORDER BY c.received_at, c.id LIMIT ?${skip}`,
        [...statuses, ...n.params, limit + exclude.size]);
      for (const r of rows) {
        if (out.length >= limit) break;
        if (!exclude.has(r.id) && await this.upsert(r.id)) out.push(r.id);
      }
    });
    if (out.length < limit) {
      // Leases of dead processes of this machine: taken over without waiting for their expiry.
      const owners = await this.db.all<{ owner: string }>('SELECT DISTINCT owner FROM case_leases WHERE owner <> ? AND idle = 0', [this.owner]);
      for (const { owner } of owners) {
        if (out.length >= limit || !ownerIsDeadLocally(owner)) continue;
        const held = await this.db.all<{ case_id: string }>(
          `SELECT l.case_id FROM case_leases l JOIN cases c ON c.id = l.case_id WHERE l.owner = ? AND c.status IN (${marks(statuses.length)}) ORDER BY c.received_at, c.id LIMIT ?`,
          [owner, ...statuses, limit - out.length + exclude.size]);
        for (const h of held) {
          if (out.length >= limit) break;
          if (!exclude.has(h.case_id) && await this.takeFrom(h.case_id, owner)) out.push(h.case_id);
        }
      }
    }
    return out;
  }
}
