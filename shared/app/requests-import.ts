// Inbound requests (rows of the inbound CSV, checked by parseInboundRequests in
// shared/domain/unified-compliance.ts) into cases. Each request becomes a case on the staff channel,
// verified by staff attestation (recorded with its creation: audit `case.verify`), and its request
// id is claimed under the UNIQUE (datasource, request_id) index of datamap_requests (migration 011)
// in the same transaction as the case row, its encrypted identities, look-up hashes and audit
// entries: a request never gets two cases, even when two imports of one file run at once (the
// loser's claim meets the winner's row, and it reports the request as already imported).
//
// Throughput: rows are written in batches (1,000 a transaction), so one commit (one fsync) per batch
// instead of one per row, and set-based: per batch one multi-row statement per table (claims, cases,
// PII, hashes, audit entries chained in order under the head) instead of seven or so per row -
// round trips are what PostgreSQL costs. Ids and encryption (the largest cost left) are prepared
// outside the transaction, the next batch while this one is written. A batch commits all its rows
// or none; on PostgreSQL its transaction takes the audit chain head first, so two imports (or an
// import and the engine) queue on the head instead of deadlocking on each other's claims. A failure
// rolls back the batch being written; the batches before it stay, and importing the file again adds
// only what is missing.
//
// The cases are not run here: the case engine runs them (acknowledgement, discovery, erasure or
// report, response). An engine that starts later restores cases that never ran, and
// `engine.wake(id)` runs one now (the CLI's --run).
import type { App } from './app';
import type { CallMeta } from './api';
import type { InitialVerification, PreparedCase } from './engine';
import { IMPORT_ATTESTATION_NOTE } from '../domain/product-notes';
import { datamapService } from './datamap/service';
import type { Jurisdiction, NewCaseParsed } from '../domain/case';
import type { InboundRequest } from '../domain/unified-compliance';

export const IMPORT_BATCH_SIZE = 1000;
/** Rows prepared (ids, encryption) at once. */
const PREPARE_CONCURRENCY = 4;

export const IMPORT_VERIFICATION: InitialVerification = { method: 'staff', dataPoints: 2, signedDeclaration: false, note: IMPORT_ATTESTATION_NOTE };

export interface ImportOptions {
  /** Where the requests come from (the file name): with the request id, the key that makes an import idempotent. */
  datasource: string;
  jurisdiction: Jurisdiction;
  /** Approve the plan without review (the CLI's default; --review turns it off). */
  autoApprove: boolean;
  meta: CallMeta;
  /** Rows per transaction (default IMPORT_BATCH_SIZE, 1,000). 1 is one transaction per row (slower; for comparison). */
  batchSize?: number;
  /** Called after each batch has committed. */
  progress?: (p: ImportProgress) => void;
}

export interface ImportProgress { done: number; total: number; imported: number; alreadyImported: number }
export interface ImportedRow { line: number; requestId: string; caseId: string }
export interface ImportResult {
  /** Rows that got a new case, in file order. */
  imported: ImportedRow[];
  /** Rows whose request had a case already (an earlier import of the file, or one running at the same time). */
  alreadyImported: ImportedRow[];
}

/** A unique key refused a row: here, only a new case id that another writer took meanwhile. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export async function importInboundRequests(app: Pick<App, 'ctx' | 'engine'>, requests: readonly InboundRequest[], opts: ImportOptions): Promise<ImportResult> {
  const { ctx, engine } = app;
  const repo = datamapService(ctx).repo;
  const size = Math.max(1, Math.floor(opts.batchSize ?? IMPORT_BATCH_SIZE));
  const imported: ImportedRow[] = [];
  const alreadyImported: ImportedRow[] = [];
  /** Case ids prepared by this import: a batch prepared while the one before is written never reuses one. */
  const reserved = new Set<string>();

  // The identities were checked by parseInboundRequests (IdentitiesSchema): not parsed again here.
  const prepareFor = (fresh: readonly InboundRequest[]) => engine.prepareMany(fresh.map((r) => ({
    input: {
      type: r.type, strategy: r.strategy, jurisdiction: opts.jurisdiction, channel: 'staff', identities: r.identities,
      specificPieces: false, autoApprove: opts.autoApprove,
    } satisfies NewCaseParsed,
    verification: IMPORT_VERIFICATION,
    auditDetail: { import: { file: opts.datasource, line: r.line } },
  })), opts.meta, { concurrency: PREPARE_CONCURRENCY, reserved });

  const prepareBatch = async (from: number) => {
    const batch = requests.slice(from, from + size);
    // Requests imported before: reported with their case, nothing prepared for them.
    const known = await repo.requestCases(opts.datasource, batch.map((r) => r.requestId));
    const fresh = batch.filter((r) => !known.has(r.requestId));
    return { from, batch, known, fresh, prepared: await prepareFor(fresh) };
  };

  /** One transaction: claim every request of the batch, then write the cases of those claimed. */
  const write = (fresh: readonly InboundRequest[], prepared: readonly PreparedCase[]) => ctx.db.tx(async (db) => {
    // Take the audit chain head before any claim (lock order: head, then claims; SQLite's BEGIN
    // IMMEDIATE has taken the whole database already).
    if (db.dialect === 'postgres') await db.get('SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE');
    const claimed = await repo.claimRequests(opts.datasource, fresh.map((r, k) => ({ caseId: prepared[k]!.id, requestId: r.requestId })), prepared[0]!.at);
    const ok: Array<{ r: InboundRequest; p: PreparedCase }> = [];
    const lost: InboundRequest[] = [];
    for (const [k, r] of fresh.entries()) {
      if (claimed.has(r.requestId)) ok.push({ r, p: prepared[k]! }); else lost.push(r);
    }
    await engine.recordMany(ok.map((x) => x.p));
    return { ok, lost };
  });

  let pending = requests.length ? prepareBatch(0) : undefined;
  while (pending) {
    const cur = await pending;
    // Prepare the next batch (encryption, ids) while this one is written.
    const nextFrom = cur.from + size;
    pending = nextFrom < requests.length ? prepareBatch(nextFrom) : undefined;
    pending?.catch(() => undefined);
    let prepared = cur.prepared;
    let written: { ok: Array<{ r: InboundRequest; p: PreparedCase }>; lost: InboundRequest[] } = { ok: [], lost: [] };
    for (let attempt = 1; cur.fresh.length; attempt += 1) {
      try {
        written = await write(cur.fresh, prepared);
        break;
      } catch (e) {
        // Nothing of the batch was written; a case id taken meanwhile by another process: new ids, again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
        prepared = await prepareFor(cur.fresh);
      }
    }
    for (const p of prepared) reserved.delete(p.id);
    // Claimed by another import meanwhile: its case (committed, since our claim waited for it).
    const theirs = written.lost.length ? await repo.requestCases(opts.datasource, written.lost.map((r) => r.requestId)) : new Map<string, string>();
    const mine = new Map(written.ok.map(({ r, p }) => [r.requestId, p.id]));
    for (const r of cur.batch) {
      const caseId = mine.get(r.requestId);
      if (caseId) imported.push({ line: r.line, requestId: r.requestId, caseId });
      else alreadyImported.push({ line: r.line, requestId: r.requestId, caseId: cur.known.get(r.requestId) ?? theirs.get(r.requestId) ?? '' });
    }
    opts.progress?.({ done: cur.from + cur.batch.length, total: requests.length, imported: imported.length, alreadyImported: alreadyImported.length });
  }
  return { imported, alreadyImported };
}
