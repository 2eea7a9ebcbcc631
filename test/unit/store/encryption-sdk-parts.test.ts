// The Encryption SDK is loaded in parts (shared/crypto/encryption-sdk.ts): a store on a local key
// loads encrypt, decrypt and the raw AES keyring, never the KMS keyring or the AWS SDK's KMS client
// (a phone Lambda's cold start pays for what it uses); with a KMS key the KMS keyring is loaded and
// used. Each case in a fresh process (module caches are per process), real SDK, a local KMS endpoint.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKms, type FakeKms } from '../../integration/store/fake-kms';

const run = promisify(execFile);
const CHILD = join(__dirname, '../../support/sdk-parts-child.mts');
const dirs: string[] = [];
let kms: FakeKms;
beforeAll(async () => { kms = await startFakeKms(); });
afterAll(async () => { await kms?.close(); for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function child(env: Record<string, string>): Promise<{ back: string; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'pd-sdk-parts-'));
  dirs.push(dir);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, dir], {
    env: { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'us-east-1', ...env },
  });
  return JSON.parse(stdout) as { back: string; loaded: string[] };
}

describe('Encryption SDK loaded in parts', () => {
  it('a local key: encrypt, decrypt and the raw AES keyring only; no KMS keyring, no AWS SDK client', async () => {
    const r = await child({});
    expect(r.back).toBe('dana@example.com');
    expect(r.loaded).toEqual(expect.arrayContaining(['@aws-crypto/encrypt-node', '@aws-crypto/decrypt-node', '@aws-crypto/raw-aes-keyring-node']));
    expect(r.loaded.filter((p) => /kms|branch-keystore|caching-materials|raw-rsa|client-node|@aws-sdk\//u.test(p))).toEqual([]);
  }, 30_000);

  it('a KMS key: the KMS keyring and client are loaded and the value goes through KMS', async () => {
    const r = await child({ PRIVACY_DESK_KMS_KEY_ARN: kms.keyArn, PRIVACY_DESK_KMS_ENDPOINT: kms.endpoint });
    expect(r.back).toBe('dana@example.com');
    expect(r.loaded).toEqual(expect.arrayContaining(['@aws-crypto/kms-keyring-node', '@aws-sdk/client-kms']));
    expect(r.loaded).not.toContain('@aws-crypto/client-node');
    expect(kms.calls).toEqual(expect.arrayContaining(['GenerateDataKey', 'Decrypt']));
  }, 30_000);
});
