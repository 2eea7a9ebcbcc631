// The KMS keyring path end to end: createPiiCrypto with a key ARN talks to a local KMS endpoint
// (GenerateDataKey on encrypt, Decrypt on read) and keeps no PII key file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPiiCrypto, PiiDecryptError } from '../../../shared/crypto/envelope';
import { keyPaths } from '../../../shared/crypto/key-files';
import { startFakeKms, type FakeKms } from './fake-kms';

let kms: FakeKms;
let dir: string;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
beforeAll(async () => {
  kms = await startFakeKms();
  dir = mkdtempSync(join(tmpdir(), 'pd-kms-'));
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
});
afterAll(async () => {
  await kms?.close();
  rmSync(dir, { recursive: true, force: true });
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

describe('createPiiCrypto with a KMS key', () => {
  it('wraps each data key with KMS and checks the encryption context', async () => {
    const c = await createPiiCrypto({ dataDir: dir, kmsKeyArn: kms.keyArn, kmsEndpoint: kms.endpoint });
    expect(c.keySource).toBe('kms');
    const ctx = { purpose: 'case-identities', caseId: 'PD-9' };
    const sealed = await c.encrypt(new TextEncoder().encode('{"email":"kms.person@example.com"}'), ctx);
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('kms.person');
    expect(new TextDecoder().decode(await c.decrypt(sealed, ctx))).toBe('{"email":"kms.person@example.com"}');
    expect(kms.calls).toEqual(['GenerateDataKey', 'Decrypt']);
    await expect(c.decrypt(sealed, { ...ctx, caseId: 'PD-8' })).rejects.toBeInstanceOf(PiiDecryptError);
    expect(existsSync(keyPaths(dir).pii)).toBe(false);
    expect(existsSync(keyPaths(dir).lookup)).toBe(true);
  });

  it('a local-key installation cannot read what KMS wrapped', async () => {
    const c = await createPiiCrypto({ dataDir: dir, kmsKeyArn: kms.keyArn, kmsEndpoint: kms.endpoint });
    const sealed = await c.encrypt(new TextEncoder().encode('x'), { purpose: 'p', caseId: 'c' });
    const local = await createPiiCrypto({ dataDir: join(dir, 'local-install'), kmsKeyArn: '' });
    await expect(local.decrypt(sealed, { purpose: 'p', caseId: 'c' })).rejects.toBeInstanceOf(PiiDecryptError);
  });
});
