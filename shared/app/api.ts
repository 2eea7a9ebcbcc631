// Types that turn a contract (name -> zod input/output) into typed handlers and a typed client.
import type { z } from 'zod';
import type { Contract } from './contract/define';

export type InputOf<C extends Contract, K extends keyof C> = z.input<C[K]['input']>;
export type ParsedInputOf<C extends Contract, K extends keyof C> = z.output<C[K]['input']>;
export type OutputOf<C extends Contract, K extends keyof C> = z.output<C[K]['output']>;

/** Who is calling: a staff user name, 'cli', 'lambda:intake', 'system'... Goes into the audit log. */
export interface CallMeta { actor: string }

export type Handlers<C extends Contract> = {
  [K in keyof C]: (input: ParsedInputOf<C, K>, meta: CallMeta) => Promise<OutputOf<C, K>>;
};

/** A failure the caller must see as bad input (HTTP 400, CLI exit 2) rather than a crash. */
export class ApiInputError extends Error {
  constructor(message: string, readonly issues: Array<{ path: string; message: string }> = []) {
    super(message); this.name = 'ApiInputError';
  }
}
/** The operation is not allowed in the case's current state (HTTP 409). */
export class ApiStateError extends Error {
  constructor(message: string) { super(message); this.name = 'ApiStateError'; }
}
export class ApiNotFoundError extends Error {
  constructor(message: string) { super(message); this.name = 'ApiNotFoundError'; }
}
