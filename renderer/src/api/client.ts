// The typed API client: op names, inputs and outputs come from the one contract
// (shared/app/contract), so a renamed field breaks the build, not the screen.
import type { z } from 'zod';
import type { AppContract, OperationName } from '../../../shared/app/contract';
import { bridgeTransport, httpTransport, takeSessionToken, type PreloadBridge, type Transport } from './transport';
import { bridgeAuth, tokenAuth, webAuth, type AuthClient } from './auth';

export type Input<K extends OperationName> = z.input<AppContract[K]['input']>;
export type Output<K extends OperationName> = z.output<AppContract[K]['output']>;

export interface ApiClient {
  call<K extends OperationName>(op: K, input: Input<K>): Promise<Output<K>>;
  /** For ops another area may not have shipped yet (checked against console.ops first). */
  callDynamic(op: string, input: unknown): Promise<unknown>;
}

export function createClient(transport: Transport): ApiClient {
  return {
    call: (op, input) => transport.call(op as string, input) as never,
    callDynamic: (op, input) => transport.call(op, input),
  };
}

declare global {
  interface Window { privacyDesk?: PreloadBridge }
}

/** Electron when the preload bridge is there, else web mode (session cookie; automation: #token=). */
export function clientForThisPage(): { client: ApiClient; mode: 'electron' | 'web'; auth: AuthClient } {
  if (window.privacyDesk) return { client: createClient(bridgeTransport(window.privacyDesk)), mode: 'electron', auth: bridgeAuth(window.privacyDesk) };
  const token = takeSessionToken(window.location, window.sessionStorage);
  return { client: createClient(httpTransport(token ?? '')), mode: 'web', auth: token ? tokenAuth() : webAuth() };
}
