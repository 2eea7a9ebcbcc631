// Envelope encryption with the AWS Encryption SDK and a raw AES keyring from local key files.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { createPiiCrypto, PiiDecryptError } from '../../../shared/crypto/envelope';
import { KeyFileError, keyPaths, loadOrCreateKey } from '../../../shared/crypto/key-files';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'pd-keys-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const enc = new TextEncoder();
const dec = new TextDecoder();
const ctx = { purpose: 'case-identities', caseId: 'PD-1' };

describe('createPiiCrypto (raw AES keyring)', () => {
  it('creates 32-byte key files with mode 0600 on first start and reuses them', async () => {
    const dir = tempDir();
    const c1 = await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
    expect(c1.keySource).toBe('raw-aes');
    const paths = keyPaths(dir);
    for (const p of [paths.pii, paths.lookup]) {
      expect(readFileSync(p).length).toBe(32);
      if (process.platform !== 'win32') expect(statSync(p).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(paths.pii).equals(readFileSync(paths.lookup))).toBe(false);
    const sealed = await c1.encrypt(enc.encode('{"email":"x@example.com"}'), ctx);
    const c2 = await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
    expect(dec.decode(await c2.decrypt(sealed, ctx))).toBe('{"email":"x@example.com"}');
    expect(c2.keyedHash('email', 'x@example.com')).toBe(c1.keyedHash('email', 'x@example.com'));
  });

  it('produces a fresh ciphertext every time, without the plaintext in it', async () => {
    const c = await createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: '' });
    const a = await c.encrypt(enc.encode('secret-value-123'), ctx);
    const b = await c.encrypt(enc.encode('secret-value-123'), ctx);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).toString('latin1')).not.toContain('secret-value-123');
  });

  it('checks the encryption context on decrypt', async () => {
    const c = await createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: '' });
    const sealed = await c.encrypt(enc.encode('x'), ctx);
    await expect(c.decrypt(sealed, { ...ctx, caseId: 'PD-2' })).rejects.toThrow(/different caseId/u);
    await expect(c.decrypt(sealed, { purpose: 'case-agent', caseId: 'PD-1' })).rejects.toBeInstanceOf(PiiDecryptError);
  });

  it('refuses an altered ciphertext and another installation\'s key', async () => {
    const c = await createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: '' });
    const sealed = await c.encrypt(enc.encode('hello'), ctx);
    const bad = Uint8Array.from(sealed);
    bad[bad.length - 40]! ^= 0x01;
    await expect(c.decrypt(bad, ctx)).rejects.toBeInstanceOf(PiiDecryptError);
    const other = await createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: '' });
    const err = await other.decrypt(sealed, ctx).then(() => new Error('decrypted'), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(PiiDecryptError);
    expect(err.message).not.toContain('hello');
  });

  it('keyed hashes are HMAC-SHA256 over kind and value with the lookup key', async () => {
    const dir = tempDir();
    const c = await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
    const key = readFileSync(keyPaths(dir).lookup);
    expect(c.keyedHash('email', 'a@example.com')).toBe(createHmac('sha256', key).update('email\u0000a@example.com').digest('hex'));
    expect(c.keyedHash('email', 'a@example.com')).toMatch(/^[0-9a-f]{64}$/u);
    expect(c.keyedHash('name', 'a@example.com')).not.toBe(c.keyedHash('email', 'a@example.com'));
    const other = await createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: '' });
    expect(other.keyedHash('email', 'a@example.com')).not.toBe(c.keyedHash('email', 'a@example.com'));
  });

  it('refuses a damaged key file instead of making a new key', async () => {
    const dir = tempDir();
    await createPiiCrypto({ dataDir: dir, kmsKeyArn: '' });
    writeFileSync(keyPaths(dir).pii, Buffer.alloc(16));
    await expect(createPiiCrypto({ dataDir: dir, kmsKeyArn: '' })).rejects.toBeInstanceOf(KeyFileError);
  });

  it('two starts racing agree on one key', async () => {
    const dir = tempDir();
    const file = join(dir, 'keys', 'race.key');
    const keys = Array.from({ length: 8 }, () => loadOrCreateKey(file));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
  });
});

describe('createPiiCrypto (KMS keyring)', () => {
  it('uses a KMS keyring when a key ARN is configured and keeps no PII key file', async () => {
    const dir = tempDir();
    const c = await createPiiCrypto({ dataDir: dir, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(c.keySource).toBe('kms');
    expect(() => statSync(keyPaths(dir).pii)).toThrow();
    expect(c.keyedHash('email', 'a@example.com')).toMatch(/^[0-9a-f]{64}$/u);
  });

  it('refuses a malformed ARN or an alias, naming the setting', async () => {
    await expect(createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: 'not-an-arn' })).rejects.toThrow(/PRIVACY_DESK_KMS_KEY_ARN/u);
    await expect(createPiiCrypto({ dataDir: tempDir(), kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/pii' })).rejects.toThrow(/not an alias/u);
  });
});
