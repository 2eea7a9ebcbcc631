// Everything a simulated call needs, in-process: the app (a temp SQLite case store unless one is
// given), a CRM directory (a demo CRM table in a temp SQLite file unless one is given), an RSA key
// pair standing in for the instance's Connect key, the real Lambda handlers and the local intent
// matcher. Installed into the Lambdas' runtime for the duration of the sandbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CrmDirectory, type CrmDirectoryConfig } from '../../shared/adapters/crm-directory';
import { openCrmConnection, type CrmConnection, type CrmSource } from '../../shared/adapters/crm-connection';
import { ConnectInputDecryptor } from '../../shared/crypto/connect-input';
import type { AppConfig } from '../../shared/app/context';
import type { IntentRecognizer } from '../../shared/channels/lex-client';
import { installRuntime, type PhoneApp } from '../../lambdas/common/runtime';
import { handler as crmLookup } from '../../lambdas/crm-lookup/handler';
import { handler as intake } from '../../lambdas/intake/handler';
import { handler as optOut } from '../../lambdas/opt-out/handler';
import { isolatedLambdas, type IsolatedLambdas } from './isolated-lambdas';
import { LocalIntentMatcher } from '../lex/intent-matcher';
import { encryptLikeConnect, generateConnectKeyPair, type RsaKeyPairPem } from './connect-encryptor';
import type { LambdaHandler } from './simulate';

export interface DemoCustomer {
  customerId: string; firstName: string; email: string | null; phone: string;
  accountNumber: string; dateOfBirth: string; postalCode?: string;
}

/** The demo CRM's customers (documented in docs/PHONE.md so a tester knows what to key in). */
export const DEMO_CUSTOMERS: DemoCustomer[] = [
  { customerId: 'C-1001', firstName: 'Dana', email: 'dana@example.com', phone: '+14155550100', accountNumber: '12345678', dateOfBirth: '1990-01-31', postalCode: '94105' },
  { customerId: 'C-1002', firstName: 'Lee', email: 'lee@example.com', phone: '(415) 555-0101', accountNumber: '87654321', dateOfBirth: '1985-12-02', postalCode: '94110' },
];
export const DEMO_CRM_COLUMNS: CrmDirectoryConfig['columns'] = {
  phone: 'phone', customerId: 'customer_id', firstName: 'first_name', email: 'email',
  accountNumber: 'account_number', dateOfBirth: 'date_of_birth', postalCode: 'postal_code',
};

/** Writes a CRM table in the shape of the demo (used by the sandbox, tests and the benchmark). */
export function writeDemoCrm(file: string, customers: Iterable<DemoCustomer>, table = 'customers'): number {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS "${table}" (customer_id TEXT PRIMARY KEY, first_name TEXT, email TEXT, phone TEXT NOT NULL,
      account_number TEXT, date_of_birth TEXT, postal_code TEXT)`);
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}_phone" ON "${table}" (phone)`);
    const ins = db.prepare(`INSERT INTO "${table}" VALUES (?, ?, ?, ?, ?, ?, ?)`);
    let n = 0;
    db.transaction(() => {
      for (const c of customers) { ins.run(c.customerId, c.firstName, c.email, c.phone, c.accountNumber, c.dateOfBirth, c.postalCode ?? null); n += 1; }
    })();
    return n;
  } finally {
    db.close();
  }
}

export interface SandboxOptions {
  /** Use this app instead of creating one. */
  app?: PhoneApp;
  /** Create the app on this case store (default: a SQLite file in the sandbox folder). */
  appConfig?: Omit<AppConfig, 'runEngine'>;
  /** An existing CRM (default: the demo CRM). */
  crm?: { source: CrmSource; table: string; columns: CrmDirectoryConfig['columns'] };
  customers?: DemoCustomer[];
  keyId?: string;
  /** Replace a Lambda (e.g. a slow one, to test timeouts). */
  lambdas?: Partial<Record<string, LambdaHandler>>;
  recognizer?: IntentRecognizer;
  jurisdiction?: 'CA' | 'VA' | 'CO' | 'EU';
  /**
   * Run each Lambda in a worker thread configured by environment (as in AWS), so a time limit
   * really cuts an invocation off (worker.terminate()), even one blocked in synchronous SQLite.
   * Not with `app` (the worker opens the case store itself).
   */
  isolate?: boolean;
}

export interface Sandbox {
  dir: string;
  app: PhoneApp;
  crm: CrmDirectory;
  keyId: string;
  keys: RsaKeyPairPem;
  lambdas: Record<string, LambdaHandler>;
  recognizer: IntentRecognizer;
  encrypt(keyId: string, plaintext: string): Promise<string>;
  /** Template parameters the flows use, with sandbox values. */
  parameters: Record<string, string>;
  close(): Promise<void>;
}

export async function openSandbox(o: SandboxOptions = {}): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-desk-ivr-'));
  let app: PhoneApp | undefined = o.app;
  let ownApp = false;
  let appConfig: AppConfig | null = null;
  let conn: CrmConnection | undefined;
  try {
    if (!app) {
      const { createApp } = await import('../../shared/app/app');
      const config: AppConfig = { dataDir: join(dir, 'data'), db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, ...o.appConfig, runEngine: true };
      appConfig = config;
      app = (await createApp(config)) as unknown as PhoneApp;
      ownApp = true;
    }
    let crmCfg = o.crm;
    if (!crmCfg) {
      const file = join(dir, 'crm.sqlite');
      writeDemoCrm(file, o.customers ?? DEMO_CUSTOMERS);
      crmCfg = { source: { kind: 'sqlite', file }, table: 'customers', columns: DEMO_CRM_COLUMNS };
    }
    conn = openCrmConnection(crmCfg.source);
    const crm = new CrmDirectory(conn, { table: crmCfg.table, columns: crmCfg.columns });
    await crm.ready();
    const keyId = o.keyId ?? 'sim-connect-key-1';
    const keys = generateConnectKeyPair();
    const decryptor = new ConnectInputDecryptor([{ keyId, privateKeyPem: keys.privateKeyPem }]);
    const theApp = app;
    installRuntime({ app: async () => theApp, crm: async () => crm, decryptor: async () => decryptor, jurisdiction: o.jurisdiction ?? 'CA', budgetMs: 6000 });
    let isolated: IsolatedLambdas | null = null;
    if (o.isolate) {
      if (!appConfig) throw new Error('isolate needs the sandbox to create the app (appConfig), not an app passed in');
      const src = crmCfg.source as { kind: string; file?: string; url?: string };
      isolated = isolatedLambdas({
        PRIVACY_DESK_DATA_DIR: appConfig.dataDir,
        ...(appConfig.db.kind === 'postgres' ? { PRIVACY_DESK_DATABASE_URL: (appConfig.db as { url: string }).url } : { PRIVACY_DESK_DB: (appConfig.db as { file: string }).file }),
        ...(src.kind === 'postgres' ? { PRIVACY_DESK_CRM_DATABASE_URL: String(src.url) } : { PRIVACY_DESK_CRM_DB: String(src.file) }),
        PRIVACY_DESK_CRM_TABLE: crmCfg.table, PRIVACY_DESK_CRM_COLUMNS: JSON.stringify(crmCfg.columns),
        CONNECT_INPUT_KEYS: JSON.stringify([{ keyId, privateKeyPem: keys.privateKeyPem }]),
        PRIVACY_DESK_PHONE_JURISDICTION: o.jurisdiction ?? 'CA', PRIVACY_DESK_PHONE_BUDGET_MS: '6000',
      });
    }
    const lambdas: Record<string, LambdaHandler> = isolated ? { ...isolated.lambdas } : {
      CrmLookupFunction: crmLookup, IntakeFunction: intake, OptOutFunction: optOut,
    };
    for (const [k, v] of Object.entries(o.lambdas ?? {})) if (v) lambdas[k] = v;
    const closeConn = conn;
    return {
      dir, app: theApp, crm, keyId, keys, lambdas,
      recognizer: o.recognizer ?? new LocalIntentMatcher(),
      // The flow names the key by id; Connect encrypts with the certificate for that id.
      encrypt: (id, plaintext) => encryptLikeConnect(id, id === keyId ? keys.publicKeyPem : generateConnectKeyPair().publicKeyPem, plaintext),
      parameters: {
        BusinessName: 'Example Co', PrivacyPolicyUrl: 'example.com/privacy', ConnectInputKeyId: keyId,
        ConnectInputCertificate: '[sandbox certificate]', PrivacyQueueArn: 'privacy-team-queue',
      },
      close: async () => {
        await isolated?.close();
        installRuntime(null);
        await closeConn.close();
        if (ownApp) await theApp.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    installRuntime(null);
    await conn?.close().catch(() => undefined);
    if (ownApp) await app?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
