// privacy-desk store status [--json]: schema version, pending migrations, where the PII key lives,
// the key files in use and where the audit chain's keyed segment starts.
// privacy-desk store reencrypt [--json]: rewrite every stored PII value with the current keyring
// (after setting PRIVACY_DESK_KMS_KEY_ARN on an installation that used the local key file; once it
// reports done, <data folder>/keys/pii.key can be deleted).
import type { CommandGroup } from '../command';
import { openApp } from '../open-app';
import { json, parse } from '../args';
import { cliMeta } from '../datamap-args';

// Through the API: store.status, store.reencrypt (an administrator's).
export const store: CommandGroup = {
  status: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { runEngine: false });
    try {
      const r = await app.call('store.status', {}, cliMeta);
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
      const r = await app.call('store.reencrypt', {}, cliMeta);
      io.stdout(values.json ? json(r) : `re-encrypted ${r.values} value(s) of ${r.cases} case(s)\n`);
      return 0;
    } finally {
      await app.close();
    }
  },
};
export default store;
