// The deletion ledger: a 32-bit keyed prefix beside each identity hash (PiiCrypto.keyedPrefixer:
// SipHash-2-4 under a key derived from the lookup key). The ledger replay rejects most scanned values
// by the prefix and computes the full HMAC only for a prefix hit, which it then confirms. Entries
// from before keep NULL (their kind is matched by the full HMAC, as before) and get the prefix when
// the same identity is recorded again; new entries carry it.
import type { Migration } from '../db';

export const migration145LedgerHashPrefix: Migration = {
  version: 145,
  name: 'ledger-hash-prefix',
  async up(db) {
    await db.exec('ALTER TABLE deletion_ledger ADD COLUMN hash_prefix INTEGER');
  },
};
export default migration145LedgerHashPrefix;
