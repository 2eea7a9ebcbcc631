// The KMS keyring path end to end: createPiiCrypto with a key ARN talks to a local KMS endpoint
// (GenerateDataKey on encrypt, Decrypt on read) and keeps no PII key file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
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

describe('moving an installation from the local key to KMS', () => {
  it('reads old values while the local key is there, re-encrypts them, then works without it', async () => {
    const { SqliteDb } = await import('../../../shared/store/sqlite-db');
    const { migrate } = await import('../../../shared/store/migrate');
    const { SqlCaseRepo } = await import('../../../shared/store/case-repo');
    const { reencryptPii } = await import('../../../shared/store/reencrypt');
    const { makeCase } = await import('./store-contract');
    const { unlinkSync } = await import('node:fs');
    const home = join(dir, 'moving');
    mkdirSync(home, { recursive: true });
    const db = new SqliteDb(join(home, 'cases.sqlite'));
    try {
      await migrate(db);
      const local = await createPiiCrypto({ dataDir: home, kmsKeyArn: '' });
      await new SqlCaseRepo(db, local).insert(makeCase('PD-L1'), { email: 'old.one@example.com' }, { name: 'Agent A', permissionRef: 'doc-1' });
      await new SqlCaseRepo(db, local).insert(makeCase('PD-L2'), { phone: '+14155550111' }, null);

      const moving = await createPiiCrypto({ dataDir: home, kmsKeyArn: kms.keyArn, kmsEndpoint: kms.endpoint });
      expect(moving).toMatchObject({ keySource: 'kms', readsLocalKey: true });
      const repo = new SqlCaseRepo(db, moving);
      expect(await repo.identities('PD-L1')).toEqual({ email: 'old.one@example.com' });
      await repo.insert(makeCase('PD-K1'), { email: 'new.one@example.com' }, null);
      // New values are KMS-wrapped only: the local key alone cannot read them.
      await expect(new SqlCaseRepo(db, local).identities('PD-K1')).rejects.toBeInstanceOf(PiiDecryptError);
      // The lookup hashes did not change: search still finds old and new cases.
      expect(await repo.findByIdentityHash([moving.keyedHash('email', 'old.one@example.com')])).toEqual(['PD-L1']);

      expect(await reencryptPii(db, moving, { batch: 1 })).toEqual({ cases: 3, values: 4 });
      unlinkSync(keyPaths(home).pii);
      const kmsOnly = await createPiiCrypto({ dataDir: home, kmsKeyArn: kms.keyArn, kmsEndpoint: kms.endpoint });
      expect(kmsOnly.readsLocalKey).toBe(false);
      const after = new SqlCaseRepo(db, kmsOnly);
      expect(await after.identities('PD-L1')).toEqual({ email: 'old.one@example.com' });
      expect(await after.agent('PD-L1')).toEqual({ name: 'Agent A', permissionRef: 'doc-1' });
      expect(await after.identities('PD-L2')).toEqual({ phone: '+14155550111' });
      expect(await after.identities('PD-K1')).toEqual({ email: 'new.one@example.com' });
    } finally {
      await db.close();
    }
  });
});
