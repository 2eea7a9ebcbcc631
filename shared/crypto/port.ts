// What the rest of the product needs from encryption: envelope-encrypt PII at rest and keyed
// hashes of normalised identities for look-ups. Implemented with @aws-crypto/client-node.
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
   * HMAC-SHA256 (hex) with the audit key (<dataDir>/keys/audit.key): the keyed audit chain and its
   * anchors. Absent on instances without an audit key (the chain is then the legacy SHA-256 one).
   */
  auditMac?(message: string): string;
}
