// Types that turn a contract (name -> zod input/output) into typed handlers and a typed client.
import type { z } from 'zod';
import type { Contract } from './contract/define';
import type { Role } from '../domain/roles';

export type InputOf<C extends Contract, K extends keyof C> = z.input<C[K]['input']>;
export type ParsedInputOf<C extends Contract, K extends keyof C> = z.output<C[K]['input']>;
export type OutputOf<C extends Contract, K extends keyof C> = z.output<C[K]['output']>;

/**
 * Who is calling: `actor` goes into the audit log ('staff:alice', 'cli', 'lambda:intake', 'system').
 * `user` names a staff account (web mode and Electron from the session, the CLI from --as): the app
 * then loads it, refuses a disabled or unknown one, checks the operation against its role and sets
 * `role` (a role a shell passes is ignored). A call without `user` is a trusted local caller (a
 * Lambda, the CLI as the local operator): no role check, but four-eyes decisions refuse it.
 */
export interface CallMeta {
  actor: string; user?: string; role?: Role;
  /** In-process callers only (the CLI in a terminal): progress lines of a long operation. Never crosses IPC or HTTP. */
  progress?: (message: string) => void;
}

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
/** The caller may not do this (HTTP 403): their role, or the four-eyes rule. */
export class ApiForbiddenError extends Error {
  constructor(message: string) { super(message); this.name = 'ApiForbiddenError'; }
}
/** No valid session or credentials (HTTP 401). */
export class ApiAuthError extends Error {
  constructor(message: string) { super(message); this.name = 'ApiAuthError'; }
}
