// Local key files: 32 random bytes each under <dataDir>/keys (folder 0700, files 0600). They are
// created only when the store is new (or, for the audit key, when an existing log is first keyed):
// a missing key file of an existing store is an error naming the file (restore it from backup),
// never silently replaced. Creation is atomic (write a temp file, hard-link it into place), so two
// processes starting together agree on one key. Key bytes are never logged or put in messages.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_BYTES = 32;

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/** A key file the store needs is not there: restore it; nothing was created or written. */
export class KeyFileMissingError extends KeyFileError {
  constructor(readonly file: string, what: string) {
    super(`key file ${file} is missing: restore it from backup (${what}); nothing was created or written`);
    this.name = 'KeyFileMissingError';
  }
}

function secureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return false;
  }
}

/**
 * Read the key at `file`. When it does not exist: create it (32 random bytes, mode 0600) if
 * `create`, else throw KeyFileMissingError naming the file. `created` tells whether this call made it.
 */
export function loadKey(file: string, options: { create: boolean; what?: string }): { key: Buffer; created: boolean } {
  let created = false;
  if (!exists(file)) {
    if (!options.create) throw new KeyFileMissingError(file, options.what ?? 'without it the store cannot be read');
    secureDir(join(file, '..'));
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file);
      created = true;
    } catch (linkError) {
      if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
    } finally {
      unlinkSync(tmp);
    }
  }
  const st = statSync(file);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = readFileSync(file);
  if (key.length !== KEY_BYTES) {
    throw new KeyFileError(`key file ${file} holds ${key.length} bytes, expected ${KEY_BYTES}: restore it from backup (without it the encrypted PII cannot be read)`);
  }
  return { key, created };
}

/** Read the key at `file`, creating it (32 random bytes, mode 0600) when it does not exist. */
export function loadOrCreateKey(file: string): Buffer {
  return loadKey(file, { create: true }).key;
}

export function keyPaths(dataDir: string): { pii: string; lookup: string; audit: string } {
  return { pii: join(dataDir, 'keys', 'pii.key'), lookup: join(dataDir, 'keys', 'lookup.key'), audit: join(dataDir, 'keys', 'audit.key') };
}

/** A value that identifies a key without revealing it (stored per store to detect a wrong key file). */
export function keyCheckValue(key: Uint8Array, name: string): string {
  return createHmac('sha256', key).update(`privacy-desk key check\u0000${name}`, 'utf8').digest('hex');
}
