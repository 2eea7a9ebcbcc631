// Re-encrypts every stored PII value (case identities and agents) with the current keyring: for
// moving an installation from the local key file to KMS (or to a new local key). Each row is
// decrypted with whatever can read it and written back in its own short transaction, so the job
// can be stopped and run again; purged rows are skipped. Returns how many values were rewritten.
import type { Db } from './db';
import type { PiiCrypto } from '../crypto/port';
import { AGENT_PURPOSE, IDENTITIES_PURPOSE } from './case-repo';

export interface ReencryptResult { cases: number; values: number }

export async function reencryptPii(db: Db, crypto: PiiCrypto, options: { batch?: number } = {}): Promise<ReencryptResult> {
  const batch = options.batch ?? 200;
  let after = '';
  let cases = 0;
  let values = 0;
  for (;;) {
    const rows = await db.all<{ case_id: string; identities_enc: Uint8Array | null; agent_enc: Uint8Array | null }>(
      'SELECT case_id, identities_enc, agent_enc FROM case_pii WHERE case_id > ? AND purged_at IS NULL ORDER BY case_id LIMIT ?', [after, batch]);
    for (const r of rows) {
      const ids = r.identities_enc
        ? await crypto.encrypt(await crypto.decrypt(r.identities_enc, { purpose: IDENTITIES_PURPOSE, caseId: r.case_id }), { purpose: IDENTITIES_PURPOSE, caseId: r.case_id })
        : null;
      const agent = r.agent_enc
        ? await crypto.encrypt(await crypto.decrypt(r.agent_enc, { purpose: AGENT_PURPOSE, caseId: r.case_id }), { purpose: AGENT_PURPOSE, caseId: r.case_id })
        : null;
      await db.run('UPDATE case_pii SET identities_enc = ?, agent_enc = ? WHERE case_id = ? AND purged_at IS NULL', [ids, agent, r.case_id]);
      cases += 1;
      values += (ids ? 1 : 0) + (agent ? 1 : 0);
    }
    if (rows.length < batch) break;
    after = rows[rows.length - 1]!.case_id;
  }
  return { cases, values };
}
