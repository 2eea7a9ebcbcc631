// Secrets come from the AWS Parameters and Secrets Lambda Extension: a local HTTP endpoint that
// wants the session token. Here a node:http server on 127.0.0.1 plays the extension.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readSecret } from '../../../shared/app/phone/secrets';
import { envRuntime } from '../../../lambdas/common/runtime';
import { installLookupKey } from '../../../shared/app/phone/shared-keys';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateConnectKeyPair, encryptLikeConnect } from '../../../connect-flows/simulator/connect-encryptor';

const keys = generateConnectKeyPair();
const LOOKUP = randomBytes(32);
const seen: Array<{ url: string; token: string | undefined }> = [];
let server: Server;
let port = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', token: req.headers['x-aws-parameters-secrets-token'] as string | undefined });
    const id = new URL(req.url ?? '', 'http://x').searchParams.get('secretId');
    if (req.headers['x-aws-parameters-secrets-token'] !== 'session-token') { res.writeHead(403).end(); return; }
    if (id === 'lookup-key') { res.writeHead(200).end(JSON.stringify({ SecretString: LOOKUP.toString('base64') })); return; }
    if (id === 'short-key') { res.writeHead(200).end(JSON.stringify({ SecretString: 'AAAA' })); return; }
    if (id === 'connect-keys') { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SecretString: JSON.stringify([{ keyId: 'k-1', privateKeyPem: keys.privateKeyPem }]) })); return; }
    res.writeHead(400).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = String((server.address() as AddressInfo).port);
});
afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

describe('secrets through the Lambda extension', () => {
  const env = () => ({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port, AWS_SESSION_TOKEN: 'session-token' });

  it('reads a secret with the session token and builds the decryptor from it', async () => {
    const rt = envRuntime({ ...env(), CONNECT_INPUT_KEYS_SECRET_ID: 'connect-keys' });
    const d = await rt.decryptor();
    expect(d.keyIds).toEqual(['k-1']);
    expect(await d.decrypt(await encryptLikeConnect('k-1', keys.publicKeyPem, '42'))).toBe('42');
    expect(seen.at(-1)).toEqual({ url: '/secretsmanager/get?secretId=connect-keys', token: 'session-token' });
  });

  it('fails with the status, not the secret, when the extension refuses', async () => {
    await expect(readSecret('missing', env())).rejects.toThrow(/HTTP 400/u);
    await expect(readSecret('connect-keys', { ...env(), AWS_SESSION_TOKEN: 'wrong' })).rejects.toThrow(/HTTP 403/u);
    await expect(readSecret('connect-keys', { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port })).rejects.toThrow(/AWS_SESSION_TOKEN/u);
  });

  it('installs the shared look-up key before the app starts (0600), once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-'));
    expect(await installLookupKey(dataDir, { ...env() })).toBe('not-configured');
    expect(await installLookupKey(dataDir, { ...env(), PRIVACY_DESK_LOOKUP_KEY_SECRET_ID: 'lookup-key' })).toBe('installed');
    const file = join(dataDir, 'keys', 'lookup.key');
    expect(readFileSync(file).equals(LOOKUP)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await installLookupKey(dataDir, { ...env(), PRIVACY_DESK_LOOKUP_KEY_SECRET_ID: 'lookup-key' })).toBe('present');
    await expect(installLookupKey(mkdtempSync(join(tmpdir(), 'lk-')), { ...env(), PRIVACY_DESK_LOOKUP_KEY_SECRET_ID: 'short-key' })).rejects.toThrow(/base64 of 32 bytes/u);
  });

  it('explains a missing or malformed key configuration', async () => {
    await expect(envRuntime({}).decryptor()).rejects.toThrow(/no Connect input key configured/u);
    await expect(envRuntime({ CONNECT_INPUT_KEYS: '[{"keyId":""}]' }).decryptor()).rejects.toThrow(/CONNECT_INPUT_KEYS: 0\./u);
    expect(() => envRuntime({ PRIVACY_DESK_PHONE_JURISDICTION: 'XX' })).toThrow(/PRIVACY_DESK_PHONE_JURISDICTION/u);
    expect(await envRuntime({}).crm()).toBeNull();
    expect(() => envRuntime({ PRIVACY_DESK_PHONE_BUDGET_MS: '9000' })).toThrow(/500\.\.7500/u);
    await expect(envRuntime({ PRIVACY_DESK_CRM_DB: join(tmpdir(), 'no-such-crm.sqlite') }).crm()).rejects.toThrow(/cannot be opened read-only/u);
  });
});
