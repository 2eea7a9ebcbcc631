// What the phone Lambdas share, created once per container (lazily, at first use) and reused by
// warm invocations: the app (case API), the CRM directory and the Connect input decryptor. The
// composition the Lambda shells (lambdas/) reach the product through: they import only shared/app
// and shared/domain. Configuration comes from the environment (see docs/PHONE.md); the simulator
// and tests install their own pieces with `installRuntime`.
import { resolve, join } from 'node:path';
import { z } from 'zod';
import { CrmDirectory } from '../../adapters/crm-directory';
import { openCrmConnection, type CrmConnection } from '../../adapters/crm-connection';
import type { ConnectInputDecryptor, ConnectInputKey } from '../../crypto/connect-input';
import { JurisdictionSchema, type Jurisdiction } from '../../domain/case';
import type { CaseView } from '../../domain/case';
import { readSecret } from './secrets';
import { installAuditKey, installLookupKey } from './shared-keys';

// What a Lambda needs of the CRM directory and the Connect input decryption, without naming the
// adapters: the knowledge factors (pure: shared/domain), the constant-time comparison, the
// decryption failure (a small module of its own: the Encryption SDK stays a lazy chunk).
export { FACTORS, normaliseFactor, type CrmCustomer, type Factor } from '../../domain/crm-factors';
export { factorEquals } from '../../adapters/crm-directory';
export { ConnectInputError } from '../../crypto/connect-input-error';
export type { CrmDirectory } from '../../adapters/crm-directory';
export type { ConnectInputDecryptor } from '../../crypto/connect-input';

/** The slice of the app API the phone channel uses (createPhoneApp's app, phone/app.ts; App from shared/app/app.ts satisfies it too). */
export interface PhoneApp {
  call(op: 'cases.create', input: Record<string, unknown>, meta: { actor: string }): Promise<CaseView>;
  call(op: 'cases.verify', input: Record<string, unknown>, meta: { actor: string }): Promise<CaseView>;
  call(op: 'cases.get', input: { id: string }, meta: { actor: string }): Promise<CaseView>;
  call(op: 'cases.list', input: Record<string, unknown>, meta: { actor: string }): Promise<{ items: CaseView[]; total: number }>;
  call(op: 'cases.audit', input: { id: string }, meta: { actor: string }): Promise<Array<{ action: string; actor: string; detail: Record<string, unknown> }>>;
  call(op: 'phone.ivrGate', input: { phone: string }, meta: { actor: string }): Promise<IvrGate>;
  call(op: 'phone.ivrAttempt', input: { phone: string; contactId: string; matched: number; asked: number; passed: boolean; caseId?: string; attempt?: number }, meta: { actor: string }): Promise<IvrGate>;
  call(op: 'phone.contactCase', input: { contactId: string; action: string }, meta: { actor: string }): Promise<{ found: boolean; caseId: string | null; result: string | null }>;
  call(op: 'phone.caseStatus', input: { caseId: string }, meta: { actor: string }): Promise<{ status: CaseView['status'] }>;
  call(op: 'phone.openCase', input: { contactId: string; result: string; case: Record<string, unknown> }, meta: { actor: string }): Promise<{ created: boolean; caseId: string; result: string }>;
  call(op: 'sms.inbound', input: { originationNumber: string; messageBody: string }, meta: { actor: string }): Promise<{ keyword: 'opt-out' | 'opt-in' | null }>;
  settle(caseId: string): Promise<void>;
  close(): Promise<void>;
}

export interface IvrGate { allowed: boolean; failures: number; limit: number; windowHours: number }

export interface PhoneRuntime {
  app(): Promise<PhoneApp>;
  crm(): Promise<CrmDirectory | null>;
  decryptor(): Promise<ConnectInputDecryptor>;
  jurisdiction: Jurisdiction;
  /** Budget for one invocation, under Connect's 8-second limit. */
  budgetMs: number;
}

let installed: Partial<PhoneRuntime> | null = null;
let fromEnv: PhoneRuntime | null = null;

/** Replace pieces of the runtime (simulator, tests). Pass null to go back to the environment. */
export function installRuntime(r: Partial<PhoneRuntime> | null): void {
  installed = r;
}

export function runtime(): PhoneRuntime {
  fromEnv ??= envRuntime(process.env);
  if (!installed) return fromEnv;
  const base = fromEnv;
  return {
    app: installed.app ?? (() => base.app()),
    crm: installed.crm ?? (() => base.crm()),
    decryptor: installed.decryptor ?? (() => base.decryptor()),
    jurisdiction: installed.jurisdiction ?? base.jurisdiction,
    budgetMs: installed.budgetMs ?? base.budgetMs,
  };
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => {
    p ??= make().catch((e: unknown) => { p = null; throw e; });
    return p;
  };
}

/** A true/false environment flag (unset: false). */
function flag(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name}: true or false`);
}

/** The per-invocation budget: 500..7500 ms (Connect waits 8 s at most), default 6000. */
function budget(raw: string | undefined): number {
  const n = Number(raw ?? 6000);
  if (!Number.isFinite(n) || n < 500 || n > 7500) throw new Error('PRIVACY_DESK_PHONE_BUDGET_MS: a number of milliseconds, 500..7500');
  return n;
}

const KeysSchema = z.array(z.object({ keyId: z.string().min(1), privateKeyPem: z.string().min(1) }).strict()).min(1).max(2);

export function envRuntime(env: NodeJS.ProcessEnv): PhoneRuntime {
  const jurisdiction = JurisdictionSchema.safeParse(env.PRIVACY_DESK_PHONE_JURISDICTION ?? 'CA');
  if (!jurisdiction.success) throw new Error('PRIVACY_DESK_PHONE_JURISDICTION: not a supported jurisdiction code');
  return {
    jurisdiction: jurisdiction.data,
    budgetMs: budget(env.PRIVACY_DESK_PHONE_BUDGET_MS),
    app: once(async () => {
      // The phone's app (phone/app.ts): only the operations the Lambdas call are loaded and built.
      const { createPhoneApp } = await import('./app');
      const dataDir = resolve(env.PRIVACY_DESK_DATA_DIR ?? '/tmp/privacy-desk');
      const url = env.PRIVACY_DESK_DATABASE_URL ?? (env.PRIVACY_DESK_DATABASE_URL_SECRET_ID ? await readSecret(env.PRIVACY_DESK_DATABASE_URL_SECRET_ID, env) : undefined);
      // Start-up applies no migration (the console, a worker or a CLI command migrates the store;
      // a Lambda only checks the schema version: one read). PRIVACY_DESK_DATABASE_READ_ONLY=true
      // (crm-lookup, with a read-only database user): the start-up writes nothing and no step runs.
      const readOnly = flag(env.PRIVACY_DESK_DATABASE_READ_ONLY, 'PRIVACY_DESK_DATABASE_READ_ONLY');
      const opened = { readOnly, schema: 'check' as const };
      // Two connections (docs/PHONE.md): one invocation at a time, its transactions one group at a time.
      const db = url ? { kind: 'postgres' as const, url, poolMax: 2, ...opened } : { kind: 'sqlite' as const, file: resolve(env.PRIVACY_DESK_DB ?? join(dataDir, 'privacy-desk.sqlite')), ...opened };
      await installLookupKey(dataDir, env);
      await installAuditKey(dataDir, env);
      // A Lambda works only on the case of its own contact (the one it creates or changes), under
      // that case's lease; it never resumes other cases: workers do (docs/STORE.md "Workers").
      return (await createPhoneApp({ dataDir, db, runEngine: false, work: readOnly ? 'none' : 'own' })) as unknown as PhoneApp;
    }),
    crm: once(async () => {
      let conn: CrmConnection;
      if (env.PRIVACY_DESK_CRM_DB) conn = openCrmConnection({ kind: 'sqlite', file: resolve(env.PRIVACY_DESK_CRM_DB) });
      else if (env.PRIVACY_DESK_CRM_DATABASE_URL || env.PRIVACY_DESK_CRM_DATABASE_URL_SECRET_ID) {
        const url = env.PRIVACY_DESK_CRM_DATABASE_URL ?? await readSecret(env.PRIVACY_DESK_CRM_DATABASE_URL_SECRET_ID!, env);
        conn = openCrmConnection({ kind: 'postgres', url });
      } else return null;
      try {
        let columns: unknown;
        try { columns = JSON.parse(env.PRIVACY_DESK_CRM_COLUMNS ?? '{}'); } catch { throw new Error('PRIVACY_DESK_CRM_COLUMNS: not valid JSON'); }
        const dir = new CrmDirectory(conn, { table: env.PRIVACY_DESK_CRM_TABLE ?? 'customers', columns });
        await dir.ready();
        return dir;
      } catch (e) {
        await conn.close().catch(() => undefined); // a misconfigured CRM must not leak a pool per invocation
        throw e;
      }
    }),
    // The decryptor (the Encryption SDK) is loaded by the function that decrypts (intake), at first use.
    decryptor: once(async () => {
      const keys = await connectKeys(env);
      const { ConnectInputDecryptor: Decryptor } = await import('../../crypto/connect-input');
      return new Decryptor(keys);
    }),
  };
}

async function connectKeys(env: NodeJS.ProcessEnv): Promise<ConnectInputKey[]> {
  let raw: string | undefined = env.CONNECT_INPUT_KEYS;
  if (!raw && env.CONNECT_INPUT_KEYS_SECRET_ID) raw = await readSecret(env.CONNECT_INPUT_KEYS_SECRET_ID, env);
  if (raw) {
    let parsed: unknown;
    try { parsed = JSON.parse(raw); } catch { throw new Error('CONNECT_INPUT_KEYS: not valid JSON (expected [{"keyId","privateKeyPem"}])'); }
    const r = KeysSchema.safeParse(parsed);
    if (!r.success) throw new Error(`CONNECT_INPUT_KEYS: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  }
  if (env.CONNECT_INPUT_KEY_ID && env.CONNECT_INPUT_PRIVATE_KEY) return [{ keyId: env.CONNECT_INPUT_KEY_ID, privateKeyPem: env.CONNECT_INPUT_PRIVATE_KEY }];
  throw new Error('no Connect input key configured (CONNECT_INPUT_KEYS, CONNECT_INPUT_KEYS_SECRET_ID, or CONNECT_INPUT_KEY_ID + CONNECT_INPUT_PRIVATE_KEY)');
}

/** Resolves with the value, or with `fallback` once `ms` have passed (the work continues). */
export async function within<T>(ms: number, work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((r) => { timer = setTimeout(() => r(fallback), Math.max(0, ms)); });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
