// createApp: the one back end every shell (Electron main, web server, CLI) runs. Opens the case
// store, migrates it, starts the case engine (restoring work in progress) and exposes
// `call(op, input, meta)` for every operation of the contract: zod-validated in and out
// (app-core.ts). The phone Lambdas run createPhoneApp (phone/app.ts): the same core, the
// operations they call only.
import { contract, type AppContract, type OperationName } from './contract';
import { allHandlers } from './handlers';
import type { CallMeta, InputOf, OutputOf } from './api';
import type { AppConfig, AppContext } from './context';
import type { CaseEngine } from './engine';
import { createAppCore, type CreateAppOptions } from './app-core';

export { describeIssues, type CreateAppOptions } from './app-core';

export interface App {
  ctx: AppContext;
  engine: CaseEngine;
  call<K extends OperationName>(op: K, input: InputOf<AppContract, K>, meta: CallMeta): Promise<OutputOf<AppContract, K>>;
  /** Untyped entry for shells that receive the op name at run time (IPC, HTTP); validates the name. */
  callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown>;
  /** Resolves when the case rests (waiting for a person, on hold, closed or denied). */
  settle(caseId: string): Promise<void>;
  close(): Promise<void>;
}

export function isOperation(op: string): op is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, op);
}

export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<App> {
  const core = await createAppCore({ contract, handlers: allHandlers }, config, options);
  return { ...core, call: (op, input, meta) => core.callUnknown(op as string, input, meta) as never };
}
