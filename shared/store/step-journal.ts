// Exactly-once effect steps over case_steps (PRIMARY KEY (case_id, step)). `complete` inserts and
// refuses a second completion of the same step (StepAlreadyCompletedError), which is what makes a
// replayed step visible. INSERT ... ON CONFLICT DO NOTHING + a row count, so the refusal never
// aborts the caller's PostgreSQL transaction. Call it inside the same db.tx as the step's writes.
import type { Db } from './db';
import type { StepJournal } from './ports';

export class StepAlreadyCompletedError extends Error {
  constructor(readonly caseId: string, readonly step: string) {
    super(`step "${step}" of case ${caseId} is already completed`);
    this.name = 'StepAlreadyCompletedError';
  }
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class SqlStepJournal implements StepJournal {
  constructor(private readonly db: Db) {}

  async get(caseId: string, step: string): Promise<{ result: unknown; at: string } | undefined> {
    const r = await this.db.get<{ result: string; at: string }>('SELECT result, at FROM case_steps WHERE case_id = ? AND step = ?', [caseId, step]);
    return r ? { result: JSON.parse(r.result) as unknown, at: r.at } : undefined;
  }

  async complete(caseId: string, step: string, result: unknown, at: Date): Promise<void> {
    const json = JSON.stringify(result === undefined ? null : result);
    let changes: number;
    try {
      ({ changes } = await this.db.run('INSERT INTO case_steps (case_id, step, result, at) VALUES (?, ?, ?, ?) ON CONFLICT (case_id, step) DO NOTHING',
        [caseId, step, json, at.toISOString()]));
    } catch (e) {
      if (isUniqueViolation(e)) throw new StepAlreadyCompletedError(caseId, step);
      throw e;
    }
    if (changes === 0) throw new StepAlreadyCompletedError(caseId, step);
  }

  async count(caseId: string, step: string): Promise<number> {
    const r = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM case_steps WHERE case_id = ? AND step = ?', [caseId, step]);
    return Number(r?.n ?? 0);
  }
}
