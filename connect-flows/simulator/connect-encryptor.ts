// What Amazon Connect does to a stored customer input when the block has InputEncryption: an AWS
// Encryption SDK message (v1 format, no key commitment) under a raw RSA keyring with namespace
// "AmazonConnect", key name = the key ID, OAEP SHA-512, returned as base64. The simulator uses it
// to hand the intake Lambda exactly what Connect would; tests use it to make vectors.
import { generateKeyPairSync } from 'node:crypto';
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy } from '@aws-crypto/client-node';
import { connectKeyring } from '../../shared/crypto/connect-input';

const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);

/** The suite the SDK uses by default under FORBID_ENCRYPT_ALLOW_DECRYPT (v1, ECDSA-signed). */
export const CONNECT_SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384;

export async function encryptLikeConnect(
  keyId: string, publicKeyPem: string, plaintext: string,
  suiteId: AlgorithmSuiteIdentifier = CONNECT_SUITE,
): Promise<string> {
  const keyring = connectKeyring(keyId, { publicKey: publicKeyPem });
  const { result } = await encrypt(keyring, Buffer.from(plaintext, 'utf8'), { suiteId });
  return result.toString('base64');
}

export interface RsaKeyPairPem { publicKeyPem: string; privateKeyPem: string }

/** A fresh RSA key pair in PEM, as an operator would create for Connect (tests, simulator). */
export function generateConnectKeyPair(bits = 2048): RsaKeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
