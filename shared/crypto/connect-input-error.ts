// The Connect input decryption failure, apart from the decryptor (connect-input.ts) so a Lambda can
// recognise it without loading the Encryption SDK when the module loads (the SDK is loaded, as its
// own chunk of the bundle, only by the invocation that decrypts).

/** `wrong_key`: a well-formed message whose data key is wrapped for a key id none of ours has (Connect used another key). */
export type ConnectInputFailure = 'malformed' | 'too_large' | 'no_key' | 'wrong_key' | 'undecryptable';

/** A decryption failure. The message says why in general terms; it never includes the input. */
export class ConnectInputError extends Error {
  constructor(readonly reason: ConnectInputFailure, message: string) {
    super(message);
    this.name = 'ConnectInputError';
  }
}
