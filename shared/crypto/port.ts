// What the rest of the product needs from encryption: envelope-encrypt PII at rest and keyed
// hashes of normalised identities for look-ups. Implemented with the AWS Encryption SDK (shared/crypto/envelope.ts).
export interface PiiCrypto {
  encrypt(plaintext: Uint8Array, context: Record<string, string>): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array, context: Record<string, string>): Promise<Uint8Array>;
  /** HMAC-SHA256 (hex) of a normalised value, keyed by the instance's hash key; stable across restarts. */
  keyedHash(kind: string, normalisedValue: string): string;
  /**
   * The same keyed hash for one kind, as a function that keeps the key's HMAC pads between calls
   * (bulk callers: the ledger replay hashes millions of values). Optional: callers fall back to keyedHash.
   */
  keyedHasher?(kind: string): (normalisedValue: string) => string;
  /**
   * A 32-bit keyed prefix of a normalised value for one kind (a signed integer), kept with each
   * deletion-ledger entry: a cheap keyed filter (no one without the lookup key can compute it) that
   * lets the replay reject most values without the HMAC. Equal values give equal prefixes; a prefix
   * hit proves nothing until the full keyed hash matches. Derived from the lookup key only, so it
   * stays valid for as long as the hashes do. Optional: without it entries carry no prefix.
   */
  keyedPrefixer?(kind: string): (normalisedValue: string) => number;
  /**
   * HMAC-SHA256 (hex) with the audit key (<dataDir>/keys/audit.key): the keyed audit chain and its
   * anchors. Absent on instances without an audit key (the chain is then the legacy SHA-256 one).
   */
  auditMac?(message: string): string;
}
