// In AWS every Lambda container starts with an empty /tmp, but keyed hashes of phone numbers must
// be the same in every container and in the staff console (case search, the IVR lock). So the
// look-up key file the app reads (<dataDir>/keys/lookup.key) is written from a secret before the
// app starts: PRIVACY_DESK_LOOKUP_KEY_SECRET_ID, base64 of the console's 32-byte key file. The audit
// chain's key (<dataDir>/keys/audit.key: every audit entry is HMAC-chained with it) likewise from
// PRIVACY_DESK_AUDIT_KEY_SECRET_ID; an existing store refuses to open without it (never a new key).
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES, keyPaths } from '../../crypto/key-files';
import { readSecret } from './secrets';

export async function installLookupKey(dataDir: string, env: NodeJS.ProcessEnv): Promise<'installed' | 'present' | 'not-configured'> {
  return installKey(dataDir, env, 'lookup', 'PRIVACY_DESK_LOOKUP_KEY_SECRET_ID');
}

export async function installAuditKey(dataDir: string, env: NodeJS.ProcessEnv): Promise<'installed' | 'present' | 'not-configured'> {
  return installKey(dataDir, env, 'audit', 'PRIVACY_DESK_AUDIT_KEY_SECRET_ID');
}

async function installKey(dataDir: string, env: NodeJS.ProcessEnv, name: 'lookup' | 'audit', variable: string): Promise<'installed' | 'present' | 'not-configured'> {
  const secretId = env[variable];
  if (!secretId) return 'not-configured';
  const file = keyPaths(dataDir)[name];
  if (existsSync(file)) return 'present';
  const key = Buffer.from((await readSecret(secretId, env)).trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${variable}: the secret must be base64 of ${KEY_BYTES} bytes`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return 'installed';
}
