// Local key files: 32 random bytes each, created on first start under <dataDir>/keys (folder 0700,
// files 0600). Creation is atomic (write a temp file, hard-link it into place), so two processes
// starting together agree on one key. Key bytes are never logged or put in messages.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_BYTES = 32;

export class KeyFileError extends Error {}

/** Read the key at `file`, creating it (32 random bytes, mode 0600) when it does not exist. */
export function loadOrCreateKey(file: string): Buffer {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file);
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
  return key;
}

export function keyPaths(dataDir: string): { pii: string; lookup: string } {
  return { pii: join(dataDir, 'keys', 'pii.key'), lookup: join(dataDir, 'keys', 'lookup.key') };
}
