// privacy-desk store status [--json]: schema version, pending migrations, where the PII key lives.
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
        cases: Number(counts?.cases ?? 0), purgedCases: Number(counts?.purged ?? 0), auditEntries: Number(counts?.audit ?? 0),
      };
      io.stdout(values.json ? json(r) : `${r.dialect} store, schema version ${r.schemaVersion}; ${r.cases} cases (${r.purgedCases} purged), ${r.auditEntries} audit entries; PII key: ${r.keySource}${r.keySource === 'kms' && r.readsLocalKey ? ' (the old local key is still read: run store reencrypt)' : ''}\n`);
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
