// The case store itself (an administrator's): schema version and pending migrations, where the PII
// key lives and the key files in use, where the audit chain's keyed segment starts; re-encryption
// of every stored PII value with the current keyring.
import { z } from 'zod';
import { op } from './define';

export const storeContract = {
  'store.status': op('query', z.object({}).strict(), z.object({
    dialect: z.enum(['sqlite', 'postgres']),
    schemaVersion: z.number().int(),
    pendingMigrations: z.array(z.number().int()),
    keySource: z.string(),
    /** With a KMS key: whether the old local key file is still read (then run store.reencrypt). */
    readsLocalKey: z.boolean().nullable(),
    /** The key files this store uses; recorded: its check value is stored, so a wrong file is refused. */
    keys: z.array(z.object({ name: z.string(), file: z.string(), recorded: z.boolean() })),
    audit: z.object({ keyedFrom: z.number().int().nullable(), headSeq: z.number().int() }),
    cases: z.number().int(), purgedCases: z.number().int(), auditEntries: z.number().int(),
  }), 'The store: schema version, pending migrations, the PII key and key files, the audit chain\'s keyed segment, counts'),
  'store.reencrypt': op('command', z.object({}).strict(), z.object({ cases: z.number().int(), values: z.number().int() }),
    'Rewrite every stored PII value with the current keyring (after moving the PII key to KMS); audited'),
};
