// The AWS Encryption SDK, loaded at first use and only the parts a configuration needs.
// `@aws-crypto/client-node` is an umbrella over eight packages; importing it loads them all, among
// them the KMS keyring with the AWS SDK's KMS client and the branch key store (about 0.6 MB of
// JavaScript in a Lambda bundle, 50-90 ms to compile and evaluate on a cold start). Here:
// - `envelopeSdk()`: encrypt, decrypt, the materials manager and the raw AES keyring (every
//   configuration: a local key, and the old local key read during a move to KMS);
// - `kmsSdk()`: the KMS keyring and its client, loaded only when a KMS key ARN is configured.
// Connect's caller input (raw RSA keyring) imports its own two packages (connect-input.ts).
import type { buildDecrypt } from '@aws-crypto/decrypt-node';
import type { buildEncrypt } from '@aws-crypto/encrypt-node';
import type { AlgorithmSuiteIdentifier, CommitmentPolicy, MultiKeyringNode } from '@aws-crypto/material-management-node';
import type { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import type { getClient, KMS, KmsKeyringNode } from '@aws-crypto/kms-keyring-node';

export interface EnvelopeSdk {
  buildClient: (policy: CommitmentPolicy) => ReturnType<typeof buildEncrypt> & ReturnType<typeof buildDecrypt>;
  CommitmentPolicy: typeof CommitmentPolicy;
  AlgorithmSuiteIdentifier: typeof AlgorithmSuiteIdentifier;
  MultiKeyringNode: typeof MultiKeyringNode;
  RawAesKeyringNode: typeof RawAesKeyringNode;
  RawAesWrappingSuiteIdentifier: typeof RawAesWrappingSuiteIdentifier;
}

export interface KmsSdk {
  KmsKeyringNode: typeof KmsKeyringNode;
  getClient: typeof getClient;
  KMS: typeof KMS;
}

/** A CommonJS package: a bundle split into chunks (the Lambdas) gives its exports as `default`. */
function cjs<T>(m: unknown): T {
  return ((m as { default?: T }).default ?? m) as T;
}

let envelopeLoad: Promise<EnvelopeSdk> | null = null;
/** Encrypt, decrypt and the raw AES keyring, imported once, at first use. */
export function envelopeSdk(): Promise<EnvelopeSdk> {
  envelopeLoad ??= Promise.all([
    import('@aws-crypto/encrypt-node'), import('@aws-crypto/decrypt-node'),
    import('@aws-crypto/material-management-node'), import('@aws-crypto/raw-aes-keyring-node'),
  ]).then(([e, d, m, r]) => {
    const enc = cjs<typeof import('@aws-crypto/encrypt-node')>(e);
    const dec = cjs<typeof import('@aws-crypto/decrypt-node')>(d);
    const mm = cjs<typeof import('@aws-crypto/material-management-node')>(m);
    const raw = cjs<typeof import('@aws-crypto/raw-aes-keyring-node')>(r);
    return {
      // What client-node's buildClient is: the encrypt and decrypt clients of one commitment policy.
      buildClient: (policy: CommitmentPolicy) => ({ ...enc.buildEncrypt(policy), ...dec.buildDecrypt(policy) }),
      CommitmentPolicy: mm.CommitmentPolicy,
      AlgorithmSuiteIdentifier: mm.AlgorithmSuiteIdentifier,
      MultiKeyringNode: mm.MultiKeyringNode,
      RawAesKeyringNode: raw.RawAesKeyringNode,
      RawAesWrappingSuiteIdentifier: raw.RawAesWrappingSuiteIdentifier,
    };
  }).catch((e: unknown) => { envelopeLoad = null; throw e; });
  return envelopeLoad;
}

let kmsLoad: Promise<KmsSdk> | null = null;
/** The KMS keyring and the KMS client, imported once, when a KMS key is configured. */
export function kmsSdk(): Promise<KmsSdk> {
  kmsLoad ??= import('@aws-crypto/kms-keyring-node').then((m) => {
    const k = cjs<typeof import('@aws-crypto/kms-keyring-node')>(m);
    return { KmsKeyringNode: k.KmsKeyringNode, getClient: k.getClient, KMS: k.KMS };
  }).catch((e: unknown) => { kmsLoad = null; throw e; });
  return kmsLoad;
}
