// Decrypt what Amazon Connect encrypted: a "Store customer input" value (`$.StoredCustomerInput`)
// collected by GetParticipantInput with InputEncryption. Connect uses the AWS Encryption SDK with a
// raw RSA keyring (namespace "AmazonConnect", key name = the key ID registered on the instance,
// OAEP with SHA-512) and writes the older v1 message format, which has no key commitment: the
// client is built with FORBID_ENCRYPT_ALLOW_DECRYPT so it can read that format (and never encrypts).
// Up to two keys are active on an instance (rotation): every configured key is tried.
// Errors never carry the ciphertext or the plaintext: only a reason code.
import { createPrivateKey } from 'node:crypto';
// Only the SDK's decrypt client and the raw RSA keyring (not the umbrella @aws-crypto/client-node,
// which also loads the KMS keyring and its AWS SDK client).
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { CommitmentPolicy, MultiKeyringNode, type KeyringNode } from '@aws-crypto/material-management-node';
import { RawRsaKeyringNode } from '@aws-crypto/raw-rsa-keyring-node';
import { ConnectInputError } from './connect-input-error';

export const CONNECT_KEY_NAMESPACE = 'AmazonConnect';
/** Stored customer input is at most a few dozen digits; a ciphertext is a few KB with the signature. */
export const MAX_CIPHERTEXT_B64 = 16_384;
export const MAX_PLAINTEXT_BYTES = 256;

export interface ConnectInputKey {
  /** The key ID Connect shows for the uploaded public key (it becomes the keyring's key name). */
  keyId: string;
  /** The matching RSA private key, PEM (PKCS#8 or PKCS#1). */
  privateKeyPem: string;
}

export { ConnectInputError, type ConnectInputFailure } from './connect-input-error';

const { decrypt } = buildDecrypt(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
const B64_RE = /^[A-Za-z0-9+/]+={0,2}$/u;

/** The keyring Connect's ciphertext is opened with (also used by tests, with public keys, to encrypt). */
export function connectKeyring(keyId: string, rsaKey: { privateKey?: string; publicKey?: string }): RawRsaKeyringNode {
  return new RawRsaKeyringNode({ keyName: keyId, keyNamespace: CONNECT_KEY_NAMESPACE, rsaKey, oaepHash: 'sha512' });
}

export class ConnectInputDecryptor {
  private readonly keyring: KeyringNode;
  readonly keyIds: readonly string[];

  constructor(keys: readonly ConnectInputKey[]) {
    if (!keys.length) throw new ConnectInputError('no_key', 'no Connect input decryption key is configured');
    const seen = new Set<string>();
    const rings = keys.map((k, i) => {
      if (!k.keyId.trim()) throw new ConnectInputError('no_key', `Connect input key #${i + 1}: keyId is empty`);
      if (seen.has(k.keyId)) throw new ConnectInputError('no_key', `Connect input key id "${k.keyId}" is configured twice`);
      seen.add(k.keyId);
      let pem: string;
      try {
        // Normalise to PKCS#8 PEM and fail early (with no key material in the message) on a bad key.
        pem = createPrivateKey(k.privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
      } catch {
        throw new ConnectInputError('no_key', `Connect input key "${k.keyId}": the private key is not a valid PEM RSA key`);
      }
      return connectKeyring(k.keyId, { privateKey: pem });
    });
    this.keyIds = keys.map((k) => k.keyId);
    this.keyring = rings.length === 1 ? rings[0]! : new MultiKeyringNode({ children: rings });
  }

  /** The plaintext of one stored customer input (base64 of an Encryption SDK message). */
  async decrypt(ciphertextB64: string): Promise<string> {
    const text = ciphertextB64.trim();
    if (text.length > MAX_CIPHERTEXT_B64) throw new ConnectInputError('too_large', `encrypted input is larger than ${MAX_CIPHERTEXT_B64} characters`);
    if (!text.length || text.length % 4 !== 0 || !B64_RE.test(text)) {
      throw new ConnectInputError('malformed', 'encrypted input is not base64');
    }
    let plaintext: Buffer;
    try {
      ({ plaintext } = await decrypt(this.keyring, Buffer.from(text, 'base64'), { maxBodySize: MAX_PLAINTEXT_BYTES }));
    } catch (e) {
      const names = wrappingKeyNames(Buffer.from(text, 'base64'));
      if (names && !names.some((n) => n.namespace === CONNECT_KEY_NAMESPACE && this.keyIds.includes(n.name))) {
        throw new ConnectInputError('wrong_key', `encrypted input is for key id(s) ${names.map((n) => `"${n.name.slice(0, 64)}"`).join(', ')}, not a configured one`);
      }
      throw new ConnectInputError('undecryptable', `encrypted input could not be decrypted (${classify(e)})`);
    }
    return plaintext.toString('utf8');
  }
}

/**
 * The (key namespace, key name) of each encrypted data key in an Encryption SDK message header
 * (v1 format, what Connect writes: version 0x01, type 0x80, suite, message id, encryption
 * context, then the data keys); null if the bytes are not such a header. Key ids are not secret.
 */
export function wrappingKeyNames(b: Buffer): Array<{ namespace: string; name: string }> | null {
  try {
    if (b.length < 22 || b[0] !== 0x01 || b[1] !== 0x80) return null;
    let o = 2 + 2 + 16;
    const aad = b.readUInt16BE(o); o += 2 + aad;
    const count = b.readUInt16BE(o); o += 2;
    if (count < 1 || count > 16) return null;
    const out: Array<{ namespace: string; name: string }> = [];
    const field = () => { const n = b.readUInt16BE(o); o += 2; const v = b.subarray(o, o + n); if (v.length !== n) throw new RangeError('short'); o += n; return v; };
    for (let i = 0; i < count; i += 1) {
      const namespace = field().toString('utf8');
      const info = field().toString('utf8');
      field();
      out.push({ namespace, name: info });
    }
    return out;
  } catch {
    return null;
  }
}

/** A coarse, content-free description of an Encryption SDK failure. */
function classify(e: unknown): string {
  const m = e instanceof Error ? e.message : '';
  if (/unable to decrypt data key|no matching|keyring|unwrap/iu.test(m)) return 'no configured key opens it';
  if (/auth|tag|signature|verify/iu.test(m)) return 'integrity check failed';
  if (/maxBodySize|too large/iu.test(m)) return 'plaintext too large';
  return 'not an Encryption SDK message';
}
