import { describe, it, expect } from 'vitest';
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy } from '@aws-crypto/client-node';
import { generateKeyPairSync } from 'node:crypto';
import { ConnectInputDecryptor, ConnectInputError, connectKeyring } from '../../../shared/crypto/connect-input';
import { encryptLikeConnect, generateConnectKeyPair } from '../../../connect-flows/simulator/connect-encryptor';

const KEY_ID = 'a1b2c3d4-connect-key-1';
const pair = generateConnectKeyPair();
const other = generateConnectKeyPair();

async function failure(p: Promise<unknown>): Promise<ConnectInputError> {
  try { await p; } catch (e) { return e as ConnectInputError; }
  throw new Error('expected a failure');
}

describe('ConnectInputDecryptor (what Connect encrypted)', () => {
  it('decrypts a v1 message made with the AmazonConnect raw RSA keyring (OAEP SHA-512)', async () => {
    const ct = await encryptLikeConnect(KEY_ID, pair.publicKeyPem, '4417123456');
    const header = Buffer.from(ct, 'base64');
    expect(header[0]).toBe(0x01); // v1 message format, as Connect writes it
    const d = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: pair.privateKeyPem }]);
    expect(await d.decrypt(ct)).toBe('4417123456');
  });

  it('decrypts every v1 suite, signed or not', async () => {
    const d = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: pair.privateKeyPem }]);
    for (const suite of [AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256, AlgorithmSuiteIdentifier.ALG_AES128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256]) {
      expect(await d.decrypt(await encryptLikeConnect(KEY_ID, pair.publicKeyPem, '01311990', suite))).toBe('01311990');
    }
  });

  it('finds the right key when two are active (rotation)', async () => {
    const d = new ConnectInputDecryptor([
      { keyId: 'old-key', privateKeyPem: other.privateKeyPem },
      { keyId: KEY_ID, privateKeyPem: pair.privateKeyPem },
    ]);
    expect(await d.decrypt(await encryptLikeConnect(KEY_ID, pair.publicKeyPem, '55'))).toBe('55');
    expect(await d.decrypt(await encryptLikeConnect('old-key', other.publicKeyPem, '66'))).toBe('66');
  });

  it('rejects a wrong key cleanly, without echoing the input', async () => {
    const ct = await encryptLikeConnect(KEY_ID, pair.publicKeyPem, '987654321');
    const wrongPrivate = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: other.privateKeyPem }]);
    const e1 = await failure(wrongPrivate.decrypt(ct));
    expect(e1).toBeInstanceOf(ConnectInputError);
    expect(e1.reason).toBe('undecryptable');
    const wrongName = new ConnectInputDecryptor([{ keyId: 'another-key-id', privateKeyPem: pair.privateKeyPem }]);
    const e2 = await failure(wrongName.decrypt(ct));
    expect(e2.reason).toBe('wrong_key'); // not "not an Encryption SDK message": the header names the key id Connect used
    expect(e2.message).toMatch(/for key id\(s\) "[^"]+", not a configured one/u);
    for (const e of [e1, e2]) {
      expect(e.message).not.toContain('987654321');
      expect(e.message).not.toContain(ct.slice(0, 24));
    }
  });

  it('rejects tampered ciphertext (body and header)', async () => {
    const ct = await encryptLikeConnect(KEY_ID, pair.publicKeyPem, '123456');
    const d = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: pair.privateKeyPem }]);
    const bytes = Buffer.from(ct, 'base64');
    for (const at of [bytes.length - 120, Math.floor(bytes.length / 2), 30]) {
      const t = Buffer.from(bytes);
      t[at] = t[at]! ^ 0x5a;
      const e = await failure(d.decrypt(t.toString('base64')));
      expect(e).toBeInstanceOf(ConnectInputError);
      expect(e.reason).toBe('undecryptable');
      expect(e.message).not.toContain('123456');
    }
  });

  it('rejects non-base64, empty and oversized input before touching the SDK', async () => {
    const d = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: pair.privateKeyPem }]);
    expect((await failure(d.decrypt('not base64!'))).reason).toBe('malformed');
    expect((await failure(d.decrypt(''))).reason).toBe('malformed');
    expect((await failure(d.decrypt('QUJD'))).reason).toBe('undecryptable');
    expect((await failure(d.decrypt('A'.repeat(20_000)))).reason).toBe('too_large');
  });

  it('also reads committing (v2) messages (it only never encrypts)', async () => {
    const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
    const { result } = await encrypt(connectKeyring(KEY_ID, { publicKey: pair.publicKeyPem }), Buffer.from('42'));
    const d = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: pair.privateKeyPem }]);
    expect(await d.decrypt(result.toString('base64'))).toBe('42');
  });

  it('validates its keys: none, duplicate ids, a bad PEM (message has no key material)', () => {
    expect(() => new ConnectInputDecryptor([])).toThrow(/no Connect input decryption key/u);
    expect(() => new ConnectInputDecryptor([{ keyId: 'k', privateKeyPem: pair.privateKeyPem }, { keyId: 'k', privateKeyPem: other.privateKeyPem }])).toThrow(/twice/u);
    let err: Error | undefined;
    try { new ConnectInputDecryptor([{ keyId: 'k', privateKeyPem: '-----BEGIN PRIVATE KEY-----\nSECRETSTUFF\n-----END PRIVATE KEY-----' }]); } catch (e) { err = e as Error; }
    expect(err?.message).toMatch(/not a valid PEM RSA key/u);
    expect(err?.message).not.toContain('SECRETSTUFF');
  });

  it('accepts a PKCS#1 private key as well', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const d = new ConnectInputDecryptor([{ keyId: KEY_ID, privateKeyPem: pkcs1 }]);
    const ct = await encryptLikeConnect(KEY_ID, publicKey.export({ type: 'spki', format: 'pem' }).toString(), '7');
    expect(await d.decrypt(ct)).toBe('7');
  });
});
