// Opening a store with its keys: created only when the store is new; a missing or wrong key file
// of an existing store is an error naming the file (nothing created, nothing written), and the
// audit log's keyed segment is started on the first open after the upgrade (migration 090).
// Also the file modes: data folder 0700, the SQLite database and its WAL/SHM files 0600.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import type { Db } from './db';
import { KeyFileError } from '../crypto/key-files';
import type { EnvelopeCrypto, LocalKeyFile } from '../crypto/envelope';
import type { Store } from './create-store';

const posix = process.platform !== 'win32';

/** Create the data folder 0700 (tightening an existing one). */
export function secureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (posix && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Create the SQLite file 0600 before SQLite does (its WAL and SHM files take the database file's mode). */
export function precreateSqliteFile(file: string): void {
  if (!posix) return;
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch { /* the open reports it */ }
  secureSqliteFiles(file);
}

/** Tighten the SQLite database, WAL and SHM files to 0600. */
export function secureSqliteFiles(file: string): void {
  if (!posix) return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

export interface StoreKeyStatus { name: LocalKeyFile['name']; file: string; recorded: boolean }

export async function openStoreKeys(db: Db, o: {
  createCrypto: (flags: { createMissingKeys: boolean; createAuditKey: boolean }) => Promise<EnvelopeCrypto>;
  createStore: (crypto: EnvelopeCrypto) => Store;
  at: Date;
}): Promise<{ crypto: EnvelopeCrypto; store: Store; keys: StoreKeyStatus[] }> {
  const recorded = new Map((await db.all<{ name: string; check_value: string }>('SELECT name, check_value FROM store_keys')).map((r) => [r.name, r.check_value]));
  // The audit head, and whether any case or audit entry exists (one row each at most: a cold start
  // never counts a big store), in one read.
  const used = await db.get<{ seq: number | null; keyed_from: number | null; cases: number; audit: number }>(
    'SELECT (SELECT seq FROM audit_head WHERE id = 1) AS seq, (SELECT keyed_from FROM audit_head WHERE id = 1) AS keyed_from, '
    + '(SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1) c) AS cases, (SELECT COUNT(*) FROM (SELECT 1 FROM audit_log LIMIT 1) a) AS audit');
  // New: nothing recorded, no case, no audit entry (two processes creating one store both see it as
  // new; the key files are created atomically, so they agree on the keys).
  const isNew = recorded.size === 0 && Number(used?.cases ?? 0) === 0 && Number(used?.audit ?? 0) === 0 && Number(used?.seq ?? 0) === 0;
  const headKeyed = (used?.keyed_from ?? null) !== null;
  const auditKeyed = headKeyed || recorded.has('audit');
  // Read-only (db.opened): nothing is created or recorded; a store that is new, or whose audit log
  // is not keyed yet, must first be opened read-write once.
  const readOnly = db.opened?.readOnly === true;
  if (readOnly && (isNew || !auditKeyed)) {
    throw new KeyFileError('the case store was opened read-only but its keys are not set up yet: open it once read-write (the console, a worker, or any privacy-desk command with a read-write database user); nothing was created or written');
  }
  const crypto = await o.createCrypto({ createMissingKeys: isNew && !readOnly, createAuditKey: !readOnly && (isNew || !auditKeyed) });
  for (const k of crypto.keyFiles) {
    const want = recorded.get(k.name);
    if (want !== undefined && want !== k.check) {
      throw new KeyFileError(`key file ${k.file} is not the ${k.name} key this store was created with: restore the right file from backup; nothing was created or written`);
    }
  }
  const store = o.createStore(crypto);
  if (readOnly) {
    const unrecorded = crypto.keyFiles.filter((k) => !recorded.has(k.name));
    if (unrecorded.length) throw new KeyFileError(`key file ${unrecorded[0]!.file} is not recorded in this store yet and the store was opened read-only: open it once read-write; nothing was created or written`);
    return { crypto, store, keys: crypto.keyFiles.map((k) => ({ name: k.name, file: k.file, recorded: true })) };
  }
  // A head already keyed stays keyed (ensureKeyed would only read it again, in a transaction of its
  // own: three statements on every cold start); the key check against its MAC is at the first append.
  if (!headKeyed) await store.audit.ensureKeyed({ previouslyKeyed: recorded.has('audit') });
  const atIso = o.at.toISOString();
  const unrecorded = crypto.keyFiles.filter((k) => !recorded.has(k.name));
  for (const k of unrecorded) {
    await db.run('INSERT INTO store_keys (name, check_value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [k.name, k.check, atIso]);
  }
  // Read again only after inserting (another process may have recorded a key meanwhile).
  const after = unrecorded.length ? new Set((await db.all<{ name: string }>('SELECT name FROM store_keys')).map((r) => r.name)) : new Set(recorded.keys());
  return { crypto, store, keys: crypto.keyFiles.map((k) => ({ name: k.name, file: k.file, recorded: after.has(k.name) })) };
}
