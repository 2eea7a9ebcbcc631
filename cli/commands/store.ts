// privacy-desk store status [--json]: schema version, pending migrations, where the PII key lives,
// the key files in use and where the audit chain's keyed segment starts.
// privacy-desk store reencrypt [--json]: rewrite every stored PII value with the current keyring
// (after setting PRIVACY_DESK_KMS_KEY_ARN on an installation that used the local key file; once it
// reports done, <data folder>/keys/pii.key can be deleted).
import type { CommandGroup } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';
import { appliedVersions } from '../../shared/store/migrate';
import { migrations } from '../../shared/store/migrations/index';
import { reencryptPii } from '../../shared/store/reencrypt';
import type { EnvelopeCrypto } from '../../shared/crypto/envelope';
import type { Db } from '../../shared/store/db';

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

export const store: CommandGroup = {
  status: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const applied = await appliedVersions(app.ctx.db);
      const known = migrations.map((m) => m.version).sort((a, b) => a - b);
      const counts = await app.ctx.db.get<{ cases: number; purged: number; audit: number }>(
        'SELECT (SELECT COUNT(*) FROM cases) AS cases, (SELECT COUNT(*) FROM cases WHERE purged_at IS NOT NULL) AS purged, (SELECT COUNT(*) FROM audit_log) AS audit');
      const c = app.ctx.crypto as Partial<EnvelopeCrypto>;
      const r = {
        dialect: app.ctx.db.dialect,
        schemaVersion: Math.max(0, ...applied.keys()),
        pendingMigrations: known.filter((v) => !applied.has(v)),
        keySource: c.keySource ?? 'unknown',
        readsLocalKey: c.readsLocalKey ?? null,
        keys: await keysInUse(app.ctx.db, c),
        audit: await auditKeying(app.ctx.db),
        cases: Number(counts?.cases ?? 0), purgedCases: Number(counts?.purged ?? 0), auditEntries: Number(counts?.audit ?? 0),
      };
      io.stdout(values.json ? json(r) : `${r.dialect} store, schema version ${r.schemaVersion}; ${r.cases} cases (${r.purgedCases} purged), ${r.auditEntries} audit entries; PII key: ${r.keySource}${r.keySource === 'kms' && r.readsLocalKey ? ' (the old local key is still read: run store reencrypt)' : ''}\n${r.keys.map((k) => `key ${k.name}: ${k.file}${k.recorded ? '' : ' (not recorded yet)'}\n`).join('')}audit chain: ${r.audit.keyedFrom === null ? 'not keyed yet' : `keyed (HMAC-SHA256) from entry ${r.audit.keyedFrom}`}\n`);
      return 0;
    } finally {
      await app.close();
    }
  },
  reencrypt: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await reencryptPii(app.ctx.db, app.ctx.crypto);
      await app.ctx.audit.append({ caseId: null, actor: 'cli', action: 'store.reencrypted', detail: { cases: r.cases, values: r.values, keySource: (app.ctx.crypto as Partial<EnvelopeCrypto>).keySource ?? 'unknown' } }, app.ctx.clock());
      io.stdout(values.json ? json(r) : `re-encrypted ${r.values} value(s) of ${r.cases} case(s)\n`);
      return 0;
    } finally {
      await app.close();
    }
  },
};
export default store;
