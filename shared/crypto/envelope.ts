// PII encryption at rest: envelope encryption with the AWS Encryption SDK (loaded in parts: encryption-sdk.ts).
// Every value gets its own data key, wrapped by a keyring:
// - default: a raw AES-256-GCM keyring whose wrapping key is the local file <dataDir>/keys/pii.key;
// - with PRIVACY_DESK_KMS_KEY_ARN set: a KMS keyring (the data key is generated and unwrapped by
//   AWS KMS; nothing secret is kept on disk).
// The client requires key commitment (REQUIRE_ENCRYPT_REQUIRE_DECRYPT). The suite is the committing
// one without an ECDSA signature: with a symmetric wrapping key, whoever can decrypt could also
// re-encrypt, so a signature adds cost (several ms per value) and no protection here.
// The encryption context ({ purpose, caseId }) is bound into the message and checked on decrypt, so
// a ciphertext copied into another case's row does not decrypt as that case's data.
// keyedHash: HMAC-SHA256 over "kind\0value" with a separate key (<dataDir>/keys/lookup.key), so the
// look-up hashes cannot be reversed by hashing a list of known emails or phones.
// keyedPrefixer: a 32-bit keyed prefix (SipHash-2-4 under a key derived from the lookup key) kept
// beside each deletion-ledger hash, so a replay rejects most scanned values without the HMAC; as
// keyed as the hash (no one without the lookup key can compute it for a value), and a hit is always
// confirmed by the full HMAC.
// The Encryption SDK is loaded at the first encrypt or decrypt, not with this module: key files, key
// checks and keyed hashes need none of it, and a phone Lambda that never opens PII (crm-lookup)
// starts without paying for it. Only its encrypt, decrypt and raw AES parts are loaded, and the KMS
// keyring with its client only when a KMS key is configured (encryption-sdk.ts).
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AlgorithmSuiteIdentifier, KeyringNode } from '@aws-crypto/material-management-node';
import type { RawAesKeyringNode } from '@aws-crypto/raw-aes-keyring-node';
import type { PiiCrypto } from './port';
import { keyCheckValue, keyPaths, loadKey } from './key-files';
import { envelopeSdk, kmsSdk, type EnvelopeSdk } from './encryption-sdk';
import { sipHash24Low32 } from './siphash';

export const PII_KEY_NAMESPACE = 'privacy-desk';
export const PII_KEY_NAME = 'pii-key-v1';
/** Identities and agents are small; refuse to parse anything absurdly large. */
const MAX_BODY = 1024 * 1024;

let clientLoad: Promise<{ client: ReturnType<EnvelopeSdk['buildClient']>; suite: AlgorithmSuiteIdentifier }> | null = null;
function sdkClient() {
  clientLoad ??= envelopeSdk().then((sdk) => ({
    client: sdk.buildClient(sdk.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT),
    suite: sdk.AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
  }));
  return clientLoad;
}

/** The keyrings, made once from the loaded SDK (the write keyring; the read keyring when it differs). */
export type KeyringsOf = (sdk: EnvelopeSdk) => Promise<{ keyring: KeyringNode; decryptKeyring?: KeyringNode }> | { keyring: KeyringNode; decryptKeyring?: KeyringNode };

export class PiiDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiDecryptError';
  }
}

export interface EnvelopeOptions {
  /** Makes the keyring, and the keyring for reading when it differs (KMS plus the old local key during a move to KMS), at first use. */
  keyrings: KeyringsOf;
  /** True when the read keyring includes the old local key (moving to KMS). */
  readsLocalKey?: boolean;
  lookupKey: Uint8Array;
  /** "raw-aes" or "kms", for status displays. */
  keySource: 'raw-aes' | 'kms';
  /** The audit chain's HMAC key (absent: no keyed audit chain). */
  auditKey?: Uint8Array;
  /** The local key files in use, with a check value each (store status, wrong-key detection). */
  keyFiles?: LocalKeyFile[];
}

export interface LocalKeyFile {
  name: 'pii' | 'lookup' | 'audit';
  file: string;
  /** keyCheckValue(key, name): identifies the key without revealing it. */
  check: string;
  /** This start created the file. */
  created: boolean;
}

export class EnvelopeCrypto implements PiiCrypto {
  readonly keySource: 'raw-aes' | 'kms';
  /** True when values wrapped by the old local key can still be read (moving to KMS). */
  readonly readsLocalKey: boolean;
  private readonly keyringsOf: KeyringsOf;
  private keyrings: Promise<{ client: Awaited<ReturnType<typeof sdkClient>>; keyring: KeyringNode; decryptKeyring: KeyringNode }> | null = null;
  private readonly lookupKey: Buffer;
  private readonly auditKey: Buffer | null;
  readonly keyFiles: LocalKeyFile[];

  constructor(options: EnvelopeOptions) {
    if (options.lookupKey.length < 32) throw new Error('the lookup hash key must be at least 32 bytes');
    this.keyringsOf = options.keyrings;
    this.readsLocalKey = options.keySource === 'raw-aes' || options.readsLocalKey === true;
    this.lookupKey = Buffer.from(options.lookupKey);
    this.keySource = options.keySource;
    this.auditKey = options.auditKey ? Buffer.from(options.auditKey) : null;
    this.keyFiles = options.keyFiles ?? [];
    const auditKey = this.auditKey;
    if (auditKey) this.auditMac = (message: string) => createHmac('sha256', auditKey).update(message, 'utf8').digest('hex');
  }

  /** HMAC-SHA256 (hex) with the audit key; undefined without one. */
  readonly auditMac?: (message: string) => string;

  private loaded() {
    this.keyrings ??= Promise.all([sdkClient(), envelopeSdk()]).then(async ([client, sdk]) => {
      const { keyring, decryptKeyring } = await this.keyringsOf(sdk);
      return { client, keyring, decryptKeyring: decryptKeyring ?? keyring };
    }).catch((e: unknown) => { this.keyrings = null; throw e; });
    return this.keyrings;
  }

  async encrypt(plaintext: Uint8Array, context: Record<string, string>): Promise<Uint8Array> {
    const { client: { client, suite }, keyring } = await this.loaded();
    const { result } = await client.encrypt(keyring, plaintext, { encryptionContext: context, suiteId: suite });
    return new Uint8Array(result.buffer, result.byteOffset, result.byteLength);
  }

  async decrypt(ciphertext: Uint8Array, context: Record<string, string>): Promise<Uint8Array> {
    const { client: { client }, decryptKeyring } = await this.loaded();
    let out: { plaintext: Buffer; messageHeader: { encryptionContext: Record<string, string> } };
    try {
      out = await client.decrypt(decryptKeyring, ciphertext, { maxBodySize: MAX_BODY });
    } catch {
      throw new PiiDecryptError('encrypted PII could not be decrypted (wrong key, or the value was altered)');
    }
    const got = out.messageHeader.encryptionContext;
    for (const [k, v] of Object.entries(context)) {
      if (got[k] !== v) throw new PiiDecryptError(`encrypted PII belongs to a different ${k} than the one it was read for`);
    }
    const p = out.plaintext;
    return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  }

  keyedHash(kind: string, normalisedValue: string): string {
    return createHmac('sha256', this.lookupKey).update(`${kind}\u0000${normalisedValue}`, 'utf8').digest('hex');
  }

  keyedHasher(kind: string): (normalisedValue: string) => string {
    return hmacSha256Hasher(this.lookupKey, `${kind}\u0000`) ?? ((v) => this.keyedHash(kind, v));
  }

  keyedPrefixer(kind: string): (normalisedValue: string) => number {
    return sipPrefixer(prefixKey(this.lookupKey, kind));
  }
}

/**
 * The 16-byte SipHash key of the ledger's keyed prefixes for one kind, derived from the lookup key:
 * the first half of HMAC-SHA256(lookup key, "ledger-prefix-v1\0" + kind). Independent of the look-up
 * hashes' HMAC (a different message under the same key), and it changes only with the lookup key.
 */
export function prefixKey(lookupKey: Uint8Array, kind: string): Buffer {
  return createHmac('sha256', lookupKey).update(`ledger-prefix-v1\u0000${kind}`, 'utf8').digest().subarray(0, 16);
}

/** SipHash-2-4 of the value's UTF-8 bytes under `key`, low 32 bits as a signed integer (fits an SQL INTEGER). */
export function sipPrefixer(key: Uint8Array): (value: string) => number {
  let buf = Buffer.alloc(256);
  return (value: string) => {
    let n = 0;
    // ASCII (nearly every email, phone and id): the bytes are the char codes; otherwise Buffer's UTF-8
    // (lone surrogates become U+FFFD as in createHmac's update: the same bytes at write and replay time).
    if (value.length <= buf.length) {
      for (; n < value.length; n += 1) {
        const c = value.charCodeAt(n);
        if (c >= 0x80) break;
        buf[n] = c;
      }
    }
    if (n < value.length) {
      if (value.length * 3 > buf.length) buf = Buffer.alloc(value.length * 3);
      n = buf.write(value, 0, 'utf8');
    }
    return sipHash24Low32(key, buf, n) | 0;
  };
}

/**
 * HMAC-SHA256 (RFC 2104) of prefix + value, hex, with the key's inner and outer pads computed once and
 * one-shot `crypto.hash` calls over reused buffers: the same digest as createHmac, without creating an
 * HMAC object per value. null where `crypto.hash` is missing (Node before 20.12).
 */
export function hmacSha256Hasher(key: Uint8Array, prefix: string): ((value: string) => string) | null {
  const oneShot = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;
  if (typeof oneShot !== 'function') return null;
  const k = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : Buffer.from(key)).copy(k);
  const start = 64 + Buffer.byteLength(prefix, 'utf8');
  const inner = Buffer.alloc(start + 1024);
  const outer = Buffer.alloc(64 + 32);
  for (let i = 0; i < 64; i += 1) { inner[i] = k[i]! ^ 0x36; outer[i] = k[i]! ^ 0x5c; }
  inner.write(prefix, 64, 'utf8');
  return (value: string) => {
    let msg: Buffer;
    if (value.length * 3 <= inner.length - start) msg = inner.subarray(0, start + inner.write(value, start, 'utf8'));
    else msg = Buffer.concat([inner.subarray(0, start), Buffer.from(value, 'utf8')]);
    oneShot('sha256', msg, 'buffer').copy(outer, 64);
    return oneShot('sha256', outer, 'hex');
  };
}

export function rawAesKeyring(sdk: EnvelopeSdk, wrappingKey: Uint8Array): RawAesKeyringNode {
  if (wrappingKey.length !== 32) throw new Error('the PII wrapping key must be 32 bytes (AES-256)');
  return new sdk.RawAesKeyringNode({
    keyName: PII_KEY_NAME,
    keyNamespace: PII_KEY_NAMESPACE,
    unencryptedMasterKey: Uint8Array.from(wrappingKey),
    wrappingSuite: sdk.RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
}

export interface CreatePiiCryptoOptions {
  dataDir: string;
  /** A KMS key ARN; defaults to the PRIVACY_DESK_KMS_KEY_ARN environment variable. */
  kmsKeyArn?: string;
  /** A KMS endpoint (VPC endpoint, LocalStack, tests); defaults to PRIVACY_DESK_KMS_ENDPOINT, else AWS's. */
  kmsEndpoint?: string;
  /**
   * Create the pii and lookup key files when missing (a new store). False for an existing store: a
   * missing file is then a KeyFileMissingError naming it. Default true (tests, tools on fresh folders).
   */
  createMissingKeys?: boolean;
  /** Create the audit key when missing (a new store, or an existing log keyed for the first time). Default: createMissingKeys. */
  createAuditKey?: boolean;
}

/**
 * The product's PiiCrypto: keys under <dataDir>/keys (created on first start), or KMS when
 * PRIVACY_DESK_KMS_KEY_ARN is set. The lookup hash key is always the local file (hashes must stay
 * comparable, and HMAC per look-up through KMS would be far too slow).
 */
export async function createPiiCrypto(options: CreatePiiCryptoOptions): Promise<EnvelopeCrypto> {
  const paths = keyPaths(options.dataDir);
  const create = options.createMissingKeys ?? true;
  const keyFiles: LocalKeyFile[] = [];
  const load = (name: LocalKeyFile['name'], file: string, mayCreate: boolean, what: string): Buffer => {
    const { key, created } = loadKey(file, { create: mayCreate, what });
    keyFiles.push({ name, file, check: keyCheckValue(key, name), created });
    return key;
  };
  const lookupKey = load('lookup', paths.lookup, create, 'without it search by identity, masking in the audit log and the deletion ledger stop matching');
  const auditKey = load('audit', paths.audit, options.createAuditKey ?? create, 'without it the audit chain cannot be verified or extended');
  const arn = (options.kmsKeyArn ?? process.env.PRIVACY_DESK_KMS_KEY_ARN ?? '').trim();
  if (arn) {
    // A key ARN, not an alias: the keyring matches stored data keys by the key ARN KMS reports, so
    // what was encrypted through an alias could not be decrypted through it.
    if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9_-]+$/u.test(arn)) {
      throw new Error('PRIVACY_DESK_KMS_KEY_ARN must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID; not an alias)');
    }
    const endpoint = (options.kmsEndpoint ?? process.env.PRIVACY_DESK_KMS_ENDPOINT ?? '').trim();
    // The KMS keyring's package (and the KMS client in it) is loaded only here, at first use.
    const kmsKeyring = async () => {
      const kms = await kmsSdk();
      return endpoint
        ? new kms.KmsKeyringNode({ generatorKeyId: arn, clientProvider: kms.getClient(kms.KMS, { endpoint }) })
        : new kms.KmsKeyringNode({ generatorKeyId: arn });
    };
    // Moving an installation to KMS: while the old local key file is still there, values it wrapped
    // stay readable (new values are wrapped by KMS only). Re-encrypt (reencryptPii), then delete it.
    if (existsSync(paths.pii)) {
      const oldKey = load('pii', paths.pii, false, 'the identities it wrapped cannot be read');
      const keyrings: KeyringsOf = async (sdk) => {
        const keyring = await kmsKeyring();
        return { keyring, decryptKeyring: new sdk.MultiKeyringNode({ generator: keyring, children: [rawAesKeyring(sdk, oldKey)] }) };
      };
      return new EnvelopeCrypto({ keyrings, readsLocalKey: true, lookupKey, auditKey, keyFiles, keySource: 'kms' });
    }
    return new EnvelopeCrypto({ keyrings: async () => ({ keyring: await kmsKeyring() }), lookupKey, auditKey, keyFiles, keySource: 'kms' });
  }
  const piiKey = load('pii', paths.pii, create, 'without it the encrypted identities cannot be read');
  if (piiKey.length !== 32) throw new Error('the PII wrapping key must be 32 bytes (AES-256)');
  return new EnvelopeCrypto({ keyrings: (sdk) => ({ keyring: rawAesKeyring(sdk, piiKey) }), lookupKey, auditKey, keyFiles, keySource: 'raw-aes' });
}
