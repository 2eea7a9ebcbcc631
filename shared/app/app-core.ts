// What createApp (app.ts: the whole API) and createPhoneApp (phone/app.ts: the operations the
// Lambdas call) share: open the case store, migrate it, build the context and the case engine,
// and answer `callUnknown(op, input, meta)` for the operations of the contract given, zod-validated
// in and out. Which contract and handlers: the caller's (a Lambda loads only the phone's).
import { z } from 'zod';
import type { Contract } from './contract/define';
import { ApiInputError, type CallMeta } from './api';
import type { AppConfig, AppContext, CaseEffects } from './context';
import { CaseEngine } from './engine';
import { defaultEffects } from './services';
import { caseNoticeHook } from './services/responses';
import { openDb } from '../store/open-db';
import { migrate } from '../store/migrate';
import { createStore } from '../store/create-store';
import { createPiiCrypto } from '../crypto/envelope';
import { checkCaller } from './accounts/caller';
import { autoApproveGate, fourEyesGate } from './accounts/four-eyes-gate';
import { openStoreKeys, precreateSqliteFile, secureDataDir, secureSqliteFiles } from '../store/store-keys';

export interface CreateAppOptions {
  /** Replaces the clock (tests, demo data): time is passed in everywhere. */
  clock?: () => Date;
  /** Override effects (tests of the engine with custom steps). */
  effects?: Partial<CaseEffects>;
}

export interface AppCore {
  ctx: AppContext;
  engine: CaseEngine;
  /** Untyped entry for shells that receive the op name at run time (IPC, HTTP); validates the name. */
  callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown>;
  /** Resolves when the case rests (waiting for a person, on hold, closed or denied). */
  settle(caseId: string): Promise<void>;
  close(): Promise<void>;
}

/** The operations an app answers: their definitions and, once the context exists, their handlers. */
export interface AppApi {
  contract: Contract;
  handlers(ctx: AppContext, engine: CaseEngine): object;
}

/** zod issues as "field: message" lines, naming the field. */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
}

export async function createAppCore(api: AppApi, config: AppConfig, options: CreateAppOptions = {}): Promise<AppCore> {
  secureDataDir(config.dataDir);
  if (config.db.kind === 'sqlite') precreateSqliteFile(config.db.file);
  const db = await openDb(config.db);
  let store: ReturnType<typeof createStore>;
  let crypto: Awaited<ReturnType<typeof createPiiCrypto>>;
  try {
    await migrate(db);
    if (config.db.kind === 'sqlite') secureSqliteFiles(config.db.file);
    // Keys are created only with a new store; a missing or wrong key file is an error naming it
    // (nothing created, nothing written). The audit key is also created when an existing log is
    // keyed for the first time (its keyed segment starts at the next entry).
    ({ crypto, store } = await openStoreKeys(db, {
      createCrypto: (flags) => createPiiCrypto({ dataDir: config.dataDir, ...flags }),
      createStore: (c) => createStore(db, c),
      at: (options.clock ?? (() => new Date()))(),
    }));
  } catch (e) {
    await db.close();
    throw e;
  }
  // The effects need the context they belong to: bound right after it is made (the default ones
  // create the data-map service now), the caller's own effects (tests) replacing them.
  const effects = lateBoundEffects();
  const ctx: AppContext = {
    config, db, clock: options.clock ?? (() => new Date()), crypto,
    cases: store.cases, audit: store.audit, steps: store.steps,
    effects: effects.effects,
    services: {},
  };
  effects.bind({ ...defaultEffects(ctx), ...options.effects });
  const engine = new CaseEngine(ctx);
  ctx.services.engine = engine;
  // The extension, hold and denial notices go out once the transition has committed (any path).
  engine.onCommitted('notices', caseNoticeHook(ctx));
  // Four-eyes (shared/domain/four-eyes.ts): the engine refuses an erasure, denial or extension the
  // policy says needs a second person, and new erasure cases lose auto-approval while it applies.
  engine.addGate(fourEyesGate(ctx));
  engine.setAutoApproveGate(autoApproveGate(ctx));
  const { contract } = api;
  const handlers = api.handlers(ctx, engine) as Record<string, (input: unknown, meta: CallMeta) => Promise<unknown>>;

  async function callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown> {
    if (!Object.prototype.hasOwnProperty.call(contract, op)) throw new ApiInputError(`unknown operation "${op}"`);
    const def = contract[op]!;
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      throw new ApiInputError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    }
    const caller = await checkCaller(ctx, op, def.kind, meta);
    const out = await handlers[op](parsed.data, caller);
    const checked = def.output.safeParse(out);
    if (!checked.success) {
      throw new Error(`internal error: ${op} produced an invalid result (${describeIssues(checked.error).map((i) => `${i.path}: ${i.message}`).join('; ')})`);
    }
    return checked.data;
  }

  if (config.runEngine !== false) await engine.start();

  return {
    ctx,
    engine,
    callUnknown,
    settle: (caseId) => engine.settle(caseId),
    close: async () => {
      await engine.stop();
      const { datamap, responses, piiDiscovery } = ctx.services; // the services that hold connections, timers or files
      for (const s of [piiDiscovery, responses, datamap]) if (s) await s.close();
      await db.close();
    },
  };
}

/** Case effects that delegate to an implementation bound once, after the context exists. */
function lateBoundEffects(): { effects: CaseEffects; bind(impl: CaseEffects): void } {
  let impl: CaseEffects | null = null;
  const get = (): CaseEffects => {
    if (!impl) throw new Error('case effects used before createApp bound them');
    return impl;
  };
  return {
    bind: (i) => { impl = i; },
    effects: {
      acknowledge: (caseId, step) => get().acknowledge(caseId, step),
      discover: (caseId, step) => get().discover(caseId, step),
      execute: (caseId, step) => get().execute(caseId, step),
      checkResult: (caseId, step) => get().checkResult(caseId, step),
      respond: (caseId, step) => get().respond(caseId, step),
    },
  };
}
