// The data map's tables (migration 010): systems, discovery results (encrypted), review items,
// per-case options, execution counts and the deletion ledger. Written once against the Db port.
import type { PiiCrypto } from '../crypto/port';
import { DataMapSchema, type DataMap } from '../domain/datamap';
import { DiscoveryResultSchema, type DiscoveryResult } from '../domain/discovery';
import type { Db } from './db';

const enc = new TextEncoder();
const dec = new TextDecoder();

export type SystemConnection = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string }
  /** MySQL / MariaDB: a mysql:// URL, TLS and IAM options in its query (shared/adapters/mysql/config.ts). */
  | { engine: 'mysql'; url: string }
  /** Data stores at scale (shared/adapters/lake/engines.ts): the engine's JSON config, validated when opened. */
  | { engine: 'parquet' | 'dynamodb' | 'redshift' | 'athena'; config: unknown };
export interface SystemRecord {
  name: string;
  connection: SystemConnection;
  map: DataMap;
  legalHold: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewItem {
  caseId: string; itemId: string; system: string; dataset: string; collection: string;
  kind: 'shared' | 'exempt' | 'other_person'; reason: string; decision: 'pending' | 'approved' | 'set_aside';
  decidedBy: string | null; decidedAt: string | null;
}

/** Why a row (or some of its fields) was not changed. No value, only the reason. */
export type { KeptKind } from '../domain/report/result-summary';
import type { KeptKind } from '../domain/report/result-summary';
export interface KeptEntry { kind: KeptKind; reason: string; rows: number; fields?: string[] }

/** What execution did to one collection: what it planned beside what the database reported it applied. */
export interface CollectionOutcome {
  planned: { deleted: number; masked: number; updated: number };
  kept: KeptEntry[];
  /** fideslang categories of the fields the applied changes wrote. */
  categories: string[];
  /** Fields the applied changes wrote (names only). */
  fields: string[];
}

/**
 * Per system and collection: deleted / masked / updated are the APPLIED counts (rows the database
 * reported changed), never the planned ones; `outcome` holds the plan's numbers, what was kept and
 * why. Rows recorded before migration 060 have no outcome.
 */
export interface ChangeCount {
  system: string; dataset: string; collection: string;
  deleted: number; masked: number; updated: number; setAside: number; exempt: number; at: string;
  outcome?: CollectionOutcome | null;
}

/** The independent check of a case's erasure (counts and reasons only). */
export interface CheckCollection { system: string; dataset: string; collection: string; checked: number; remaining: number; missing: number; reasons: string[] }
export interface CheckReport {
  ok: boolean;
  at: string;
  /** Rows or values still holding what should be gone. */
  remaining: number;
  /** Rows that should still exist (masked/updated) but were not found. */
  missing: number;
  collections: CheckCollection[];
  errors: Array<{ system: string; error: string }>;
}

export interface CaseOptions {
  /** delete_pii: categories to erase. */
  categories?: string[];
  /** correct: new value per data category. */
  corrections?: Record<string, string | number | boolean | null>;
}

const CONNECTION_PURPOSE = 'datamap-connection';
const DISCOVERY_PURPOSE = 'datamap-discovery';

function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw new Error('expected binary column');
}

export class DatamapRepo {
  constructor(private readonly db: Db, private readonly crypto: PiiCrypto) {}

  // --- systems ----------------------------------------------------------------------------------
  async putSystem(s: Omit<SystemRecord, 'createdAt' | 'updatedAt'>, at: Date): Promise<void> {
    const conn = await this.crypto.encrypt(enc.encode(JSON.stringify(s.connection)), { purpose: CONNECTION_PURPOSE, system: s.name });
    const now = at.toISOString();
    const existing = await this.db.get('SELECT name FROM datamap_systems WHERE name = ?', [s.name]);
    if (existing) {
      await this.db.run('UPDATE datamap_systems SET engine = ?, connection = ?, datamap = ?, legal_hold = ?, updated_at = ? WHERE name = ?',
        [s.connection.engine, conn, JSON.stringify(s.map), s.legalHold, now, s.name]);
    } else {
      await this.db.run('INSERT INTO datamap_systems (name, engine, connection, datamap, legal_hold, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [s.name, s.connection.engine, conn, JSON.stringify(s.map), s.legalHold, now, now]);
    }
  }

  async setLegalHold(name: string, reason: string | null, at: Date): Promise<boolean> {
    const r = await this.db.run('UPDATE datamap_systems SET legal_hold = ?, updated_at = ? WHERE name = ?', [reason, at.toISOString(), name]);
    return r.changes > 0;
  }

  async removeSystem(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM datamap_systems WHERE name = ?', [name])).changes > 0;
  }

  async systems(): Promise<SystemRecord[]> {
    const rows = await this.db.all<{ name: string; connection: unknown; datamap: string; legal_hold: string | null; created_at: string; updated_at: string }>(
      'SELECT name, connection, datamap, legal_hold, created_at, updated_at FROM datamap_systems ORDER BY name');
    const out: SystemRecord[] = [];
    for (const r of rows) {
      const conn = JSON.parse(dec.decode(await this.crypto.decrypt(bytes(r.connection), { purpose: CONNECTION_PURPOSE, system: r.name }))) as SystemConnection;
      out.push({ name: r.name, connection: conn, map: DataMapSchema.parse(JSON.parse(r.datamap)), legalHold: r.legal_hold, createdAt: r.created_at, updatedAt: r.updated_at });
    }
    return out;
  }

  // --- discovery --------------------------------------------------------------------------------
  async putDiscovery(result: DiscoveryResult, counts: { rows: number; review: number; exempt: number; errors: number }, items: Omit<ReviewItem, 'decision' | 'decidedBy' | 'decidedAt'>[]): Promise<void> {
    const blob = await this.crypto.encrypt(enc.encode(JSON.stringify(result)), { purpose: DISCOVERY_PURPOSE, caseId: result.caseId });
    await this.db.tx(async () => {
      await this.db.run('DELETE FROM datamap_discoveries WHERE case_id = ?', [result.caseId]);
      await this.db.run('INSERT INTO datamap_discoveries (case_id, result, rows_found, review, exempt, errors, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [result.caseId, blob, counts.rows, counts.review, counts.exempt, counts.errors, result.at]);
      // Keep earlier decisions for items still present; drop items no longer found.
      const before = new Map((await this.reviewItems(result.caseId)).map((i) => [i.itemId, i]));
      await this.db.run('DELETE FROM datamap_review WHERE case_id = ?', [result.caseId]);
      for (const it of items) {
        const old = before.get(it.itemId);
        await this.db.run('INSERT INTO datamap_review (case_id, item_id, system, dataset, collection, kind, reason, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [it.caseId, it.itemId, it.system, it.dataset, it.collection, it.kind, it.reason, old?.decision ?? 'pending', old?.decidedBy ?? null, old?.decidedAt ?? null]);
      }
    });
  }

  async discovery(caseId: string): Promise<DiscoveryResult | null> {
    const r = await this.db.get<{ result: unknown }>('SELECT result FROM datamap_discoveries WHERE case_id = ?', [caseId]);
    if (!r) return null;
    const plain = await this.crypto.decrypt(bytes(r.result), { purpose: DISCOVERY_PURPOSE, caseId });
    // Our own blob, authenticated by the envelope encryption: the shape is checked, not every row
    // (a full zod parse of a 20k-row result held the event loop for 70-180 ms).
    const raw = JSON.parse(dec.decode(plain)) as DiscoveryResult;
    return DiscoveryResultSchema.pick({ caseId: true, strategy: true, at: true, errors: true, systems: true }).passthrough().parse(raw) as DiscoveryResult;
  }

  async reviewItems(caseId: string): Promise<ReviewItem[]> {
    const rows = await this.db.all<{ case_id: string; item_id: string; system: string; dataset: string; collection: string; kind: string; reason: string; decision: string; decided_by: string | null; decided_at: string | null }>(
      'SELECT * FROM datamap_review WHERE case_id = ? ORDER BY system, collection, item_id', [caseId]);
    return rows.map((r) => ({
      caseId: r.case_id, itemId: r.item_id, system: r.system, dataset: r.dataset, collection: r.collection,
      kind: r.kind as ReviewItem['kind'], reason: r.reason, decision: r.decision as ReviewItem['decision'],
      decidedBy: r.decided_by, decidedAt: r.decided_at,
    }));
  }

  async decide(caseId: string, itemId: string, decision: ReviewItem['decision'], by: string, at: Date): Promise<boolean> {
    const r = await this.db.run("UPDATE datamap_review SET decision = ?, decided_by = ?, decided_at = ? WHERE case_id = ? AND item_id = ? AND kind = 'shared'",
      [decision, by, at.toISOString(), caseId, itemId]);
    return r.changes > 0;
  }

  async pendingReview(caseId: string): Promise<number> {
    const r = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM datamap_review WHERE case_id = ? AND kind = 'shared' AND decision = 'pending'", [caseId]);
    return Number(r?.n ?? 0);
  }

  // --- options, changes -------------------------------------------------------------------------
  async setOptions(caseId: string, options: CaseOptions): Promise<void> {
    await this.db.run('DELETE FROM datamap_case_options WHERE case_id = ?', [caseId]);
    await this.db.run('INSERT INTO datamap_case_options (case_id, options) VALUES (?, ?)', [caseId, JSON.stringify(options)]);
  }

  async options(caseId: string): Promise<CaseOptions> {
    const r = await this.db.get<{ options: string }>('SELECT options FROM datamap_case_options WHERE case_id = ?', [caseId]);
    return r ? (JSON.parse(r.options) as CaseOptions) : {};
  }

  async putChanges(caseId: string, counts: ChangeCount[]): Promise<void> {
    for (const c of counts) {
      await this.db.run('DELETE FROM datamap_changes WHERE case_id = ? AND system = ? AND collection = ?', [caseId, c.system, c.collection]);
      await this.db.run('INSERT INTO datamap_changes (case_id, system, dataset, collection, deleted, masked, updated, set_aside, exempt, at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [caseId, c.system, c.dataset, c.collection, c.deleted, c.masked, c.updated, c.setAside, c.exempt, c.at, c.outcome ? JSON.stringify(c.outcome) : null]);
    }
  }

  async changes(caseId: string): Promise<ChangeCount[]> {
    const rows = await this.db.all<{ system: string; dataset: string; collection: string; deleted: number; masked: number; updated: number; set_aside: number; exempt: number; at: string; outcome: string | null }>(
      'SELECT system, dataset, collection, deleted, masked, updated, set_aside, exempt, at, outcome FROM datamap_changes WHERE case_id = ? ORDER BY system, collection', [caseId]);
    return rows.map((r) => ({
      system: r.system, dataset: r.dataset, collection: r.collection, deleted: Number(r.deleted), masked: Number(r.masked), updated: Number(r.updated),
      setAside: Number(r.set_aside), exempt: Number(r.exempt), at: r.at, outcome: r.outcome ? (JSON.parse(r.outcome) as CollectionOutcome) : null,
    }));
  }

  async putCheck(caseId: string, report: CheckReport): Promise<void> {
    await this.db.run('DELETE FROM datamap_checks WHERE case_id = ?', [caseId]);
    await this.db.run('INSERT INTO datamap_checks (case_id, at, ok, detail) VALUES (?, ?, ?, ?)', [caseId, report.at, report.ok ? 1 : 0, JSON.stringify(report)]);
  }

  /** The last independent check of a case, or null. */
  async check(caseId: string): Promise<CheckReport | null> {
    const r = await this.db.get<{ detail: string }>('SELECT detail FROM datamap_checks WHERE case_id = ?', [caseId]);
    return r ? (JSON.parse(r.detail) as CheckReport) : null;
  }

  // --- ledger -----------------------------------------------------------------------------------
  /**
   * `erasure` is what to re-apply: "delete", or "delete_pii:<categories>" (comma-separated). `prefix`:
   * the value's 32-bit keyed prefix (PiiCrypto.keyedPrefixer; null or absent: none). An entry kept
   * from before the prefixes (migration 145) gets it when the same identity is recorded again.
   */
  async addLedger(entries: Array<{ hash: string; kind: string; system: string; caseId: string | null; erasure: string; prefix?: number | null }>, at: Date): Promise<number> {
    let n = 0;
    for (const e of entries) {
      const prefix = e.prefix ?? null;
      const have = await this.db.get<{ p: number | null }>('SELECT hash_prefix AS p FROM deletion_ledger WHERE identity_hash = ? AND system = ? AND erasure = ?', [e.hash, e.system, e.erasure]);
      if (have) {
        if (have.p === null && prefix !== null) await this.db.run('UPDATE deletion_ledger SET hash_prefix = ? WHERE identity_hash = ? AND system = ? AND erasure = ? AND hash_prefix IS NULL', [prefix, e.hash, e.system, e.erasure]);
        continue;
      }
      await this.db.run('INSERT INTO deletion_ledger (identity_hash, kind, system, case_id, erasure, erased_at, hash_prefix) VALUES (?, ?, ?, ?, ?, ?, ?)', [e.hash, e.kind, e.system, e.caseId, e.erasure, at.toISOString(), prefix]);
      n += 1;
    }
    return n;
  }

  async ledger(system?: string): Promise<Array<{ hash: string; kind: string; system: string; caseId: string | null; erasure: string; erasedAt: string; prefix: number | null }>> {
    const rows = await this.db.all<{ identity_hash: string; kind: string; system: string; case_id: string | null; erasure: string; erased_at: string; hash_prefix: number | null }>(
      system ? 'SELECT * FROM deletion_ledger WHERE system = ?' : 'SELECT * FROM deletion_ledger', system ? [system] : []);
    return rows.map((r) => ({ hash: r.identity_hash, kind: r.kind, system: r.system, caseId: r.case_id, erasure: r.erasure, erasedAt: r.erased_at, prefix: r.hash_prefix === null || r.hash_prefix === undefined ? null : Number(r.hash_prefix) }));
  }

  // --- imported requests (Unified Compliance) -------------------------------------------------------
  async putRequest(caseId: string, requestId: string, datasource: string, at: Date): Promise<void> {
    await this.db.run('INSERT INTO datamap_requests (case_id, request_id, datasource, imported_at) VALUES (?, ?, ?, ?)', [caseId, requestId, datasource, at.toISOString()]);
  }

  /**
   * Record that `requestId` of `datasource` is the case `caseId`, unless that request already has a
   * case: false then, and nothing written. The UNIQUE (datasource, request_id) index of migration 011
   * decides, so of two imports racing for a request exactly one claims it (on PostgreSQL the second
   * waits for the first's transaction and then finds the row).
   */
  async claimRequest(caseId: string, requestId: string, datasource: string, at: Date): Promise<boolean> {
    const r = await this.db.run('INSERT INTO datamap_requests (case_id, request_id, datasource, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT (datasource, request_id) DO NOTHING',
      [caseId, requestId, datasource, at.toISOString()]);
    return r.changes > 0;
  }

  /**
   * claimRequest for many requests in multi-row statements; returns the request ids claimed (the
   * others had a case already, or were claimed meanwhile by an import running at the same time).
   */
  async claimRequests(datasource: string, claims: ReadonlyArray<{ caseId: string; requestId: string }>, at: Date): Promise<Set<string>> {
    const out = new Set<string>();
    const iso = at.toISOString();
    for (let i = 0; i < claims.length; i += 500) {
      const chunk = claims.slice(i, i + 500);
      if (!chunk.length) continue;
      const rows = await this.db.all<{ request_id: string }>(
        `INSERT INTO datamap_requests (case_id, request_id, datasource, imported_at) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (datasource, request_id) DO NOTHING RETURNING request_id`,
        chunk.flatMap((c) => [c.caseId, c.requestId, datasource, iso]));
      for (const r of rows) out.add(r.request_id);
    }
    return out;
  }

  /** The case of each of these request ids of `datasource` that was imported already. */
  async requestCases(datasource: string, requestIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < requestIds.length; i += 500) {
      const chunk = requestIds.slice(i, i + 500);
      if (!chunk.length) continue;
      const rows = await this.db.all<{ request_id: string; case_id: string }>(
        `SELECT request_id, case_id FROM datamap_requests WHERE datasource = ? AND request_id IN (${chunk.map(() => '?').join(', ')})`, [datasource, ...chunk]);
      for (const r of rows) out.set(r.request_id, r.case_id);
    }
    return out;
  }

  async requestFor(caseId: string): Promise<{ requestId: string; datasource: string } | null> {
    const r = await this.db.get<{ request_id: string; datasource: string }>('SELECT request_id, datasource FROM datamap_requests WHERE case_id = ?', [caseId]);
    return r ? { requestId: r.request_id, datasource: r.datasource } : null;
  }

  async requestExists(datasource: string, requestId: string): Promise<string | null> {
    const r = await this.db.get<{ case_id: string }>('SELECT case_id FROM datamap_requests WHERE datasource = ? AND request_id = ?', [datasource, requestId]);
    return r?.case_id ?? null;
  }

  async casesWithDiscovery(): Promise<string[]> {
    return (await this.db.all<{ case_id: string }>('SELECT case_id FROM datamap_discoveries ORDER BY at, case_id')).map((r) => r.case_id);
  }

  async addReplay(id: string, at: Date, actor: string, detail: Record<string, unknown>): Promise<void> {
    await this.db.run('INSERT INTO ledger_replays (id, ran_at, actor, detail) VALUES (?, ?, ?, ?)', [id, at.toISOString(), actor, JSON.stringify(detail)]);
  }
}
