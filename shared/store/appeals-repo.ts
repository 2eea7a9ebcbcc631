// Appeals (migration 140): one row per appeal of a refused case. The consumer's reason and the
// decision note are sealed on write and opened on read (NoteSealer, purpose case-note, under the
// appealed case's id), like every other staff free text.
import type { Db } from './db';
import type { PiiCrypto } from '../crypto/port';
import { NoteSealer } from './sealed-notes';
import type { Jurisdiction } from '../domain/case';

export type AppealStatus = 'open' | 'granted' | 'upheld';

export interface StoredAppeal {
  id: string;
  caseId: string;
  jurisdiction: Jurisdiction;
  status: AppealStatus;
  receivedOn: string;
  respondBy: string;
  respondOriginal: string;
  extended: boolean;
  reason: string;
  createdAt: string;
  createdBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionNote: string | null;
  reopenedCaseId: string | null;
}

interface Row {
  id: string; case_id: string; jurisdiction: string; status: string; received_on: string; respond_by: string;
  respond_original: string; extended: number | boolean; reason: string; created_at: string; created_by: string;
  decided_at: string | null; decided_by: string | null; decision_note: string | null; reopened_case_id: string | null;
}

export class AppealsRepo {
  private readonly notes: NoteSealer;
  constructor(private readonly db: Db, crypto: PiiCrypto) {
    this.notes = new NoteSealer(crypto);
  }

  private async of(r: Row): Promise<StoredAppeal> {
    return {
      id: r.id, caseId: r.case_id, jurisdiction: r.jurisdiction as Jurisdiction, status: r.status as AppealStatus,
      receivedOn: r.received_on, respondBy: r.respond_by, respondOriginal: r.respond_original, extended: Boolean(Number(r.extended)),
      reason: r.reason ? await this.notes.open(r.case_id, r.reason) : '',
      createdAt: r.created_at, createdBy: r.created_by, decidedAt: r.decided_at, decidedBy: r.decided_by,
      decisionNote: r.decision_note ? await this.notes.open(r.case_id, r.decision_note) : r.decision_note,
      reopenedCaseId: r.reopened_case_id,
    };
  }

  async insert(a: StoredAppeal): Promise<void> {
    await this.db.run(
      `INSERT INTO appeals (id, case_id, jurisdiction, status, received_on, respond_by, respond_original, extended, reason, created_at, created_by, decided_at, decided_by, decision_note, reopened_case_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.id, a.caseId, a.jurisdiction, a.status, a.receivedOn, a.respondBy, a.respondOriginal, a.extended ? 1 : 0,
        await this.notes.seal(a.caseId, a.reason), a.createdAt, a.createdBy, a.decidedAt, a.decidedBy,
        a.decisionNote === null ? null : await this.notes.seal(a.caseId, a.decisionNote), a.reopenedCaseId],
    );
  }

  async decide(id: string, caseId: string, d: { status: Exclude<AppealStatus, 'open'>; at: string; by: string; note: string; reopenedCaseId: string | null }): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE appeals SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, reopened_case_id = ? WHERE id = ? AND status = 'open'",
      [d.status, d.at, d.by, await this.notes.seal(caseId, d.note), d.reopenedCaseId, id],
    );
    return r.changes === 1;
  }

  async extend(id: string, respondBy: string): Promise<boolean> {
    return (await this.db.run("UPDATE appeals SET extended = 1, respond_by = ? WHERE id = ? AND status = 'open' AND extended = 0", [respondBy, id])).changes === 1;
  }

  async forCase(caseId: string): Promise<StoredAppeal[]> {
    const rows = await this.db.all<Row>('SELECT * FROM appeals WHERE case_id = ? ORDER BY created_at, id', [caseId]);
    const out: StoredAppeal[] = [];
    for (const r of rows) out.push(await this.of(r));
    return out;
  }

  /** Appeals by status, earliest answer first; the reasons are not opened (lists show no free text). */
  async list(q: { status?: AppealStatus; limit: number }): Promise<Array<Omit<StoredAppeal, 'reason' | 'decisionNote'>>> {
    const rows = q.status
      ? await this.db.all<Row>('SELECT * FROM appeals WHERE status = ? ORDER BY respond_by, id LIMIT ?', [q.status, q.limit])
      : await this.db.all<Row>('SELECT * FROM appeals ORDER BY respond_by, id LIMIT ?', [q.limit]);
    return rows.map((r) => this.plain(r));
  }

  private plain(r: Row): Omit<StoredAppeal, 'reason' | 'decisionNote'> {
    return {
      id: r.id, caseId: r.case_id, jurisdiction: r.jurisdiction as Jurisdiction, status: r.status as AppealStatus,
      receivedOn: r.received_on, respondBy: r.respond_by, respondOriginal: r.respond_original, extended: Boolean(Number(r.extended)),
      createdAt: r.created_at, createdBy: r.created_by, decidedAt: r.decided_at, decidedBy: r.decided_by, reopenedCaseId: r.reopened_case_id,
    };
  }

  /** Retention: the free text of a purged case's appeals goes with its PII (the dates and outcome stay). */
  async purgeText(caseId: string): Promise<number> {
    return (await this.db.run("UPDATE appeals SET reason = '', decision_note = NULL WHERE case_id = ? AND (reason <> '' OR decision_note IS NOT NULL)", [caseId])).changes;
  }
}
