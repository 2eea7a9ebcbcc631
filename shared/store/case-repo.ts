// Cases in the store. The case row holds no PII (the machine snapshot holds none either); the
// subject's identities and the authorized agent are envelope-encrypted into case_pii with the
// encryption context { purpose, caseId }, and every normalised identity (identityPairs) gets one
// keyed hash in case_identity_hashes for look-ups. The retention purge drops the encrypted PII and
// the hashes and keeps the case row and its audit trail.
import { ID_CODE_REVERSED_SQL, ID_CODE_SQL, idCodeExpr } from './migrations/131-case-id-fragments';
import type { Agent } from '../domain/case';
import { OPEN_STATUSES } from '../domain/case';
import { identityPairs, IdentitiesSchema, type Identities } from '../domain/identity';
import type { PiiCrypto } from '../crypto/port';
import type { Db, SqlValue } from './db';
import type { CaseQuery, CaseRepo, SealedPii, StoredCase } from './ports';

export class CaseNotFoundError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} not found`);
    this.name = 'CaseNotFoundError';
  }
}
export class CasePurgedError extends Error {
  constructor(readonly caseId: string, readonly purgedAt: string) {
    super(`case ${caseId}: its identities were purged at ${purgedAt} (end of the retention period)`);
    this.name = 'CasePurgedError';
  }
}

export const IDENTITIES_PURPOSE = 'case-identities';
export const AGENT_PURPOSE = 'case-agent';

/** StoredCase field -> column. The single list of what update() may write. */
const COLUMNS = {
  type: 'type', strategy: 'strategy', jurisdiction: 'jurisdiction', channel: 'channel', status: 'status',
  receivedAt: 'received_at', acknowledgeBy: 'acknowledge_by', respondBy: 'respond_by', assignee: 'assignee',
  closedAt: 'closed_at', updatedAt: 'updated_at', snapshot: 'snapshot', snapshotVersion: 'snapshot_version',
  purgedAt: 'purged_at',
} as const satisfies Record<Exclude<keyof StoredCase, 'id' | 'createdAt'>, string>;

const SORTS: Record<CaseQuery['sort'], string> = {
  respondBy: 'respond_by', receivedAt: 'received_at', status: 'status', type: 'type', id: 'id',
};

/**
 * Sorting by due date puts open cases first (closed and denied ones have no days left): this key,
 * false for open cases, leads the ORDER BY in both directions. Written exactly as in migration 051's
 * indexes, so SQLite and PostgreSQL walk an index in this order.
 */
const DONE_FIRST_KEY = "(status IN ('closed', 'denied'))";

const SELECT = `SELECT id, type, strategy, jurisdiction, channel, status, received_at, acknowledge_by,
  respond_by, assignee, closed_at, updated_at, created_at, snapshot, snapshot_version, purged_at FROM cases`;

interface CaseRow {
  id: string; type: string; strategy: string; jurisdiction: string; channel: string; status: string;
  received_at: string; acknowledge_by: string | null; respond_by: string; assignee: string | null;
  closed_at: string | null; updated_at: string; created_at: string; snapshot: string;
  snapshot_version: number; purged_at: string | null;
}

function toCase(r: CaseRow): StoredCase {
  return {
    id: r.id, type: r.type as StoredCase['type'], strategy: r.strategy as StoredCase['strategy'],
    jurisdiction: r.jurisdiction as StoredCase['jurisdiction'], channel: r.channel as StoredCase['channel'],
    status: r.status as StoredCase['status'], receivedAt: r.received_at, acknowledgeBy: r.acknowledge_by,
    respondBy: r.respond_by, assignee: r.assignee, closedAt: r.closed_at, updatedAt: r.updated_at,
    createdAt: r.created_at, snapshot: JSON.parse(r.snapshot) as unknown, snapshotVersion: Number(r.snapshot_version),
    purgedAt: r.purged_at,
  };
}

function columnValue(key: keyof typeof COLUMNS, value: unknown): SqlValue {
  if (key === 'snapshot') return JSON.stringify(value ?? null);
  return (value ?? null) as SqlValue;
}

/** Cases per multi-row INSERT (16 parameters each: well under SQLite's and PostgreSQL's limits). */
const INSERT_CHUNK = 200;

const enc = new TextEncoder();
const dec = new TextDecoder();

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
}

/** Cases whose opened identities are kept (see SqlCaseRepo.opened). */
const OPENED_MAX = 64;

export class SqlCaseRepo implements CaseRepo {
  /**
   * The identities last opened per case, with the sealed bytes they came from: the steps of one
   * case read them several times (discovery, plan, check, response, view), and each decryption
   * (the Encryption SDK: header, key derivation, streams) costs more than the read. Served only for
   * the same sealed bytes, after the row's purge check: a purge, a correction or a re-encryption
   * changes them. At most OPENED_MAX cases (then emptied), as the note sealer keeps opened notes.
   */
  private readonly opened = new Map<string, { sealed: Uint8Array; json: string }>();

  constructor(private readonly db: Db, private readonly crypto: PiiCrypto) {}

  /** Keyed hashes of a case's identities, one per (kind, normalised value). */
  identityHashes(identities: Identities): Array<{ kind: string; hash: string }> {
    const seen = new Set<string>();
    const out: Array<{ kind: string; hash: string }> = [];
    for (const p of identityPairs(identities)) {
      const hash = this.crypto.keyedHash(p.kind, p.value);
      if (seen.has(`${p.kind}\u0000${hash}`)) continue;
      seen.add(`${p.kind}\u0000${hash}`);
      out.push({ kind: p.kind, hash });
    }
    return out;
  }

  async insert(c: StoredCase, identities: Identities, agent: Agent | null): Promise<void> {
    // Encrypt before opening the transaction (with KMS this is a network call).
    await this.insertSealed(c, await this.seal(c.id, identities, agent));
  }

  /** A case's PII made ready for insertSealed: encrypted (bound to the case id) and keyed-hashed. No database access. */
  async seal(caseId: string, identities: Identities, agent: Agent | null): Promise<SealedPii> {
    const identitiesEnc = await this.crypto.encrypt(enc.encode(JSON.stringify(identities)), { purpose: IDENTITIES_PURPOSE, caseId });
    const agentEnc = agent ? await this.crypto.encrypt(enc.encode(JSON.stringify(agent)), { purpose: AGENT_PURPOSE, caseId }) : null;
    return { caseId, identitiesEnc, agentEnc, hashes: this.identityHashes(identities) };
  }

  /** Insert a case with PII sealed for it; inside the caller's transaction when there is one (no savepoint). */
  async insertSealed(c: StoredCase, pii: SealedPii): Promise<void> {
    await this.insertSealedMany([{ c, pii }]);
  }

  /**
   * insertSealed for many cases, a few multi-row statements per table instead of three or more per
   * case (a batch import on PostgreSQL: round trips, not rows, are the cost).
   */
  async insertSealedMany(list: ReadonlyArray<{ c: StoredCase; pii: SealedPii }>): Promise<void> {
    for (const { c, pii } of list) if (pii.caseId !== c.id) throw new Error(`case ${c.id}: its PII was sealed for another case`);
    if (!list.length) return;
    const write = async (db: Db) => {
      for (let i = 0; i < list.length; i += INSERT_CHUNK) {
        const chunk = list.slice(i, i + INSERT_CHUNK);
        await db.run(`INSERT INTO cases (id, type, strategy, jurisdiction, channel, status, received_at, acknowledge_by,
            respond_by, assignee, closed_at, updated_at, created_at, snapshot, snapshot_version, purged_at)
          VALUES ${chunk.map(() => `(${placeholders(16)})`).join(', ')}`, chunk.flatMap(({ c }) => [
          c.id, c.type, c.strategy, c.jurisdiction, c.channel, c.status, c.receivedAt, c.acknowledgeBy,
          c.respondBy, c.assignee, c.closedAt, c.updatedAt, c.createdAt, JSON.stringify(c.snapshot ?? null),
          c.snapshotVersion, c.purgedAt,
        ]));
        await db.run(`INSERT INTO case_pii (case_id, identities_enc, agent_enc, purged_at) VALUES ${chunk.map(() => '(?, ?, ?, NULL)').join(', ')}`,
          chunk.flatMap(({ c, pii }) => [c.id, pii.identitiesEnc, pii.agentEnc]));
        const hashes = chunk.flatMap(({ c, pii }) => pii.hashes.map((h) => [c.id, h.kind, h.hash]));
        if (hashes.length) await db.run(`INSERT INTO case_identity_hashes (case_id, kind, hash) VALUES ${hashes.map(() => '(?, ?, ?)').join(', ')}`, hashes.flat());
      }
    };
    if (this.db.inTransaction?.()) await write(this.db);
    else await this.db.tx(write);
  }

  /** Which of these case ids exist. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (!chunk.length) continue;
      const rows = await this.db.all<{ id: string }>(`SELECT id FROM cases WHERE id IN (${placeholders(chunk.length)})`, chunk);
      for (const r of rows) out.add(r.id);
    }
    return out;
  }

  async update(id: string, patch: Partial<Omit<StoredCase, 'id' | 'createdAt'>>): Promise<void> {
    const sets: string[] = [];
    const values: SqlValue[] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!Object.prototype.hasOwnProperty.call(COLUMNS, key)) throw new Error(`case update: unknown field "${key}"`);
      const k = key as keyof typeof COLUMNS;
      sets.push(`${COLUMNS[k]} = ?`);
      values.push(columnValue(k, value));
    }
    if (!sets.length) {
      if (!(await this.get(id))) throw new CaseNotFoundError(id);
      return;
    }
    const r = await this.db.run(`UPDATE cases SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
    if (r.changes === 0) throw new CaseNotFoundError(id);
  }

  async get(id: string): Promise<StoredCase | undefined> {
    const r = await this.db.get<CaseRow>(`${SELECT} WHERE id = ?`, [id]);
    return r ? toCase(r) : undefined;
  }

  private async piiRow(id: string): Promise<{ identities_enc: Uint8Array | null; agent_enc: Uint8Array | null; purged_at: string | null }> {
    const r = await this.db.get<{ identities_enc: Uint8Array | null; agent_enc: Uint8Array | null; purged_at: string | null }>(
      'SELECT identities_enc, agent_enc, purged_at FROM case_pii WHERE case_id = ?', [id]);
    if (!r) throw new CaseNotFoundError(id);
    return r;
  }

  async identities(id: string): Promise<Identities> {
    return this.identitiesOf(id, await this.piiRow(id));
  }

  /** The authorized agent; null when there is none or the PII was purged. */
  async agent(id: string): Promise<Agent | null> {
    return this.agentOf(id, await this.piiRow(id));
  }

  /** Identities and agent from one read of the sealed row (a case view shows both, masked). */
  async identitiesAndAgent(id: string): Promise<{ identities: Identities; agent: Agent | null }> {
    const r = await this.piiRow(id);
    return { identities: await this.identitiesOf(id, r), agent: await this.agentOf(id, r) };
  }

  private async identitiesOf(id: string, r: { identities_enc: Uint8Array | null; purged_at: string | null }): Promise<Identities> {
    if (r.purged_at || !r.identities_enc) { this.opened.delete(id); throw new CasePurgedError(id, r.purged_at ?? 'unknown'); }
    const sealed = r.identities_enc;
    const hit = this.opened.get(id);
    let json: string;
    if (hit && Buffer.compare(hit.sealed, sealed) === 0) json = hit.json;
    else {
      json = dec.decode(await this.crypto.decrypt(sealed, { purpose: IDENTITIES_PURPOSE, caseId: id }));
      if (this.opened.size >= OPENED_MAX) this.opened.clear();
      this.opened.set(id, { sealed: Uint8Array.from(sealed), json });
    }
    return IdentitiesSchema.parse(JSON.parse(json));
  }

  private async agentOf(id: string, r: { agent_enc: Uint8Array | null; purged_at: string | null }): Promise<Agent | null> {
    if (r.purged_at || !r.agent_enc) return null;
    const plain = await this.crypto.decrypt(r.agent_enc, { purpose: AGENT_PURPOSE, caseId: id });
    return JSON.parse(dec.decode(plain)) as Agent;
  }

  /**
   * `filterOnly`: channel and jurisdiction only filter (SQLite's unary +: not searched through their
   * indexes). For the page query when its order comes from another index: with no statistics
   * SQLite would otherwise take migration 144's (channel, ...) index and sort every matching row.
   */
  private where(q: Partial<CaseQuery>, filterOnly = false): { sql: string; params: SqlValue[] } {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    const eq = (col: string, v: string | undefined) => { if (v !== undefined) { clauses.push(`${col} = ?`); params.push(v); } };
    eq('status', q.status);
    eq('type', q.type);
    const hint = filterOnly && this.db.dialect === 'sqlite' ? '+' : '';
    eq(`${hint}channel`, q.channel);
    eq(`${hint}jurisdiction`, q.jurisdiction);
    eq('assignee', q.assignee);
    if (typeof q.overdueAsOf === 'string') {
      clauses.push(`respond_by < ? AND status IN (${placeholders(OPEN_STATUSES.length)})`);
      params.push(q.overdueAsOf, ...OPEN_STATUSES);
    } else if (q.overdueAsOf !== undefined) {
      // Per jurisdiction. Due before the earliest zone's today: overdue everywhere, decided from
      // the (status, respond_by) index alone. Only the day(s) between the earliest and the latest
      // zone's today need the case's jurisdiction (a few rows); the range bound on the latest date
      // keeps the index search.
      const groups = q.overdueAsOf.filter((g) => g.jurisdictions.length > 0);
      if (!groups.length) clauses.push('1 = 0');
      else {
        const earliest = groups.reduce((m, g) => (g.date < m ? g.date : m), groups[0]!.date);
        const latest = groups.reduce((m, g) => (g.date > m ? g.date : m), groups[0]!.date);
        const ahead = groups.filter((g) => g.date > earliest);
        const per = ahead.map((g) => ` OR (jurisdiction IN (${placeholders(g.jurisdictions.length)}) AND respond_by < ?)`).join('');
        clauses.push(`respond_by < ? AND status IN (${placeholders(OPEN_STATUSES.length)}) AND (respond_by < ?${per})`);
        params.push(latest, ...OPEN_STATUSES, earliest);
        for (const g of ahead) params.push(...g.jurisdictions, g.date);
      }
    }
    // A search box: the text may be the start of a case id, a fragment of its code, or an identity.
    const either: string[] = [];
    if (q.idPrefix !== undefined) {
      if (this.db.dialect === 'sqlite') {
        // SQLite's LIKE ignores case, so it cannot search the primary key (a scan of every id: 0.4-0.8 s
        // at 1M cases); the range on the (upper-case) id walks it, LIKE keeps the exact match.
        const upper = q.idPrefix.toUpperCase();
        either.push('(id >= ? AND id < ? AND id LIKE ? ESCAPE \'\\\')');
        params.push(upper, `${upper}\uffff`, likePrefix(q.idPrefix));
      } else {
        either.push('id LIKE ? ESCAPE \'\\\'');
        params.push(likePrefix(q.idPrefix));
      }
    }
    if (q.idCode !== undefined) {
      // Ranges on migration 131's expression indexes: the code starts with it, or (backwards) ends with it.
      const code = q.idCode.toUpperCase();
      const back = [...code].reverse().join('');
      either.push(`(${idCodeExpr(this.db.dialect, ID_CODE_SQL)} >= ? AND ${idCodeExpr(this.db.dialect, ID_CODE_SQL)} < ?)`,
        `(${idCodeExpr(this.db.dialect, ID_CODE_REVERSED_SQL)} >= ? AND ${idCodeExpr(this.db.dialect, ID_CODE_REVERSED_SQL)} < ?)`);
      params.push(code, `${code}~`, back, `${back}~`);
    }
    if (q.identityHashes !== undefined && q.identityHashes.length) {
      either.push(`id IN (SELECT case_id FROM case_identity_hashes WHERE hash IN (${placeholders(q.identityHashes.length)}))`);
      params.push(...q.identityHashes);
    }
    if (either.length) clauses.push(either.length === 1 ? either[0]! : `(${either.join(' OR ')})`);
    else if (q.identityHashes !== undefined) clauses.push('1 = 0');
    return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
  }

  async list(q: CaseQuery): Promise<{ items: StoredCase[]; total: number }> {
    const [items, total] = await Promise.all([this.page(q), this.count(q)]);
    return { items, total };
  }

  async page(q: CaseQuery): Promise<StoredCase[]> {
    const col = SORTS[q.sort];
    if (!col) throw new Error(`case list: unknown sort "${String(q.sort)}"`);
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const limit = Math.max(0, Math.min(10_000, Math.floor(q.limit)));
    const offset = Math.max(0, Math.floor(q.offset));
    // Open cases before closed/denied ones by due date, unless the filter already keeps one kind
    // (a single status, or overdue: open only); then migration 050's indexes serve the order.
    const openFirst = col === 'respond_by' && q.status === undefined && q.overdueAsOf === undefined ? `${DONE_FIRST_KEY} ASC, ` : '';
    const order = col === 'id' ? `id ${dir}` : `${openFirst}${col} ${dir}, id ${dir}`;
    // Open first by due date: migration 144's (channel | jurisdiction, open first, due date, id)
    // indexes give that order; any other order comes from an index of its own.
    const { sql, params } = this.where(q, !openFirst);
    const rows = await this.db.all<CaseRow>(`${SELECT}${sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, limit, offset]);
    return rows.map(toCase);
  }

  async count(q: Omit<CaseQuery, 'sort' | 'order' | 'offset' | 'limit'>): Promise<number> {
    const { sql, params } = this.where(q);
    const count = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cases${sql}`, params);
    return Number(count?.n ?? 0);
  }

  async listOpen(): Promise<StoredCase[]> {
    const rows = await this.db.all<CaseRow>(`${SELECT} WHERE status IN (${placeholders(OPEN_STATUSES.length)}) ORDER BY received_at, id`, [...OPEN_STATUSES]);
    return rows.map(toCase);
  }

  async findByIdentityHash(hashes: string[]): Promise<string[]> {
    if (!hashes.length) return [];
    const rows = await this.db.all<{ case_id: string }>(
      `SELECT DISTINCT case_id FROM case_identity_hashes WHERE hash IN (${placeholders(hashes.length)}) ORDER BY case_id`, hashes);
    return rows.map((r) => r.case_id);
  }

  async purgeClosedBefore(before: string, at: string): Promise<number> {
    return (await this.purgeClosedBeforeIds(before, at)).length;
  }

  /** As purgeClosedBefore, returning the ids of the cases whose PII was removed. */
  async purgeClosedBeforeIds(before: string, at: string): Promise<string[]> {
    return this.db.tx(async (db) => {
      const rows = await db.all<{ id: string }>(
        `SELECT id FROM cases WHERE status IN ('closed', 'denied') AND closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL ORDER BY id`, [before]);
      for (const { id } of rows) {
        await db.run('UPDATE case_pii SET identities_enc = NULL, agent_enc = NULL, purged_at = ? WHERE case_id = ?', [at, id]);
        await db.run('DELETE FROM case_identity_hashes WHERE case_id = ?', [id]);
        await db.run('UPDATE cases SET purged_at = ? WHERE id = ?', [at, id]);
        this.opened.delete(id);
      }
      return rows.map((r) => r.id);
    });
  }
}
