// Handlers of the store and audit-log operations (shared/app/contract/store.ts, audit.ts).
import type { Handlers } from '../api';
import { ApiStateError } from '../api';
import type { auditContract } from '../contract/audit';
import type { storeContract } from '../contract/store';
import type { AppContext } from '../context';
import { parseS3Target, writeAnchorToS3 } from '../audit/anchor-s3';
import { appliedVersions } from '../../store/migrate';
import { migrations } from '../../store/migrations/index';
import { reencryptPii } from '../../store/reencrypt';
import { SqlAuditLog } from '../../store/audit-log';
import type { EnvelopeCrypto } from '../../crypto/envelope';
import type { Db } from '../../store/db';

/** The key files this store uses (name, path; recorded: its check value is stored, so a wrong file is refused). */
async function keysInUse(db: Db, c: Partial<EnvelopeCrypto>): Promise<Array<{ name: string; file: string; recorded: boolean }>> {
  const recorded = new Set((await db.all<{ name: string }>('SELECT name FROM store_keys')).map((r) => r.name));
  const local = (c.keyFiles ?? []).map((k) => ({ name: k.name, file: k.file, recorded: recorded.has(k.name) }));
  return c.keySource === 'kms' ? [{ name: 'pii', file: 'kms', recorded: true }, ...local.filter((k) => k.name !== 'pii' || c.readsLocalKey)] : local;
}

async function auditKeying(db: Db): Promise<{ keyedFrom: number | null; headSeq: number }> {
  const h = await db.get<{ seq: number; keyed_from: number | null }>('SELECT seq, keyed_from FROM audit_head WHERE id = 1');
  return { keyedFrom: h?.keyed_from === null || h?.keyed_from === undefined ? null : Number(h.keyed_from), headSeq: Number(h?.seq ?? 0) };
}

export function storeHandlers(ctx: AppContext): Handlers<typeof storeContract & typeof auditContract> {
  const sqlLog = (what: string): SqlAuditLog => {
    if (!(ctx.audit instanceof SqlAuditLog)) throw new ApiStateError(`this store has no ${what} audit log`);
    return ctx.audit;
  };
  return {
    'store.status': async () => {
      const { db } = ctx;
      const applied = await appliedVersions(db);
      const known = migrations.map((m) => m.version).sort((a, b) => a - b);
      const counts = await db.get<{ cases: number; purged: number; audit: number }>(
        'SELECT (SELECT COUNT(*) FROM cases) AS cases, (SELECT COUNT(*) FROM cases WHERE purged_at IS NOT NULL) AS purged, (SELECT COUNT(*) FROM audit_log) AS audit');
      const c = ctx.crypto as Partial<EnvelopeCrypto>;
      return {
        dialect: db.dialect,
        schemaVersion: Math.max(0, ...applied.keys()),
        pendingMigrations: known.filter((v) => !applied.has(v)),
        keySource: c.keySource ?? 'unknown',
        readsLocalKey: c.readsLocalKey ?? null,
        keys: await keysInUse(db, c),
        audit: await auditKeying(db),
        cases: Number(counts?.cases ?? 0), purgedCases: Number(counts?.purged ?? 0), auditEntries: Number(counts?.audit ?? 0),
      };
    },
    'store.reencrypt': async (_input, meta) => {
      const r = await reencryptPii(ctx.db, ctx.crypto);
      await ctx.audit.append({ caseId: null, actor: meta.actor, action: 'store.reencrypted', detail: { cases: r.cases, values: r.values, keySource: (ctx.crypto as Partial<EnvelopeCrypto>).keySource ?? 'unknown' } }, ctx.clock());
      return { cases: r.cases, values: r.values };
    },
    'audit.anchor': async ({ to }) => {
      const target = to !== undefined ? parseS3Target(to) : undefined;
      const a = await sqlLog('anchored').anchor(ctx.clock());
      const stored = target ? await writeAnchorToS3(target, a, `${JSON.stringify(a, null, 2)}\n`) : null;
      return { anchor: a, stored };
    },
    'audit.export': async ({ after, limit }) => ({ entries: await sqlLog('exportable').page(after, limit) }),
  };
}
