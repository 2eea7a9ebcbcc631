// A small local stand-in for AWS KMS's JSON API (GenerateDataKey, Encrypt, Decrypt), enough for the
// Encryption SDK's KMS keyring: data keys are wrapped with AES-256-GCM under a per-key secret, with
// the encryption context as additional data, so a wrong context or key fails like KMS does.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface FakeKms { endpoint: string; keyArn: string; calls: string[]; close(): Promise<void> }

function aad(ctx: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(ctx ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return Buffer.from(JSON.stringify(entries));
}

export async function startFakeKms(): Promise<FakeKms> {
  const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/0f2a6c1e-1111-2222-3333-444455556666';
  const secret = randomBytes(32);
  const calls: string[] = [];
  const wrap = (plain: Buffer, ctx: Record<string, string> | undefined) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', secret, iv).setAAD(aad(ctx));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  };
  const unwrap = (blob: Buffer, ctx: Record<string, string> | undefined) => {
    const d = createDecipheriv('aes-256-gcm', secret, blob.subarray(0, 12)).setAAD(aad(ctx));
    d.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([d.update(blob.subarray(28)), d.final()]);
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString(); });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace('TrentService.', '');
      calls.push(target);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      try {
        const q = JSON.parse(raw || '{}') as { KeyId?: string; NumberOfBytes?: number; Plaintext?: string; CiphertextBlob?: string; EncryptionContext?: Record<string, string> };
        if (target === 'GenerateDataKey') {
          if (q.KeyId !== keyArn) return send(400, { __type: 'NotFoundException', message: 'no such key' });
          const plain = randomBytes(q.NumberOfBytes ?? 32);
          return send(200, { KeyId: keyArn, Plaintext: plain.toString('base64'), CiphertextBlob: wrap(plain, q.EncryptionContext).toString('base64') });
        }
        if (target === 'Encrypt') {
          return send(200, { KeyId: keyArn, CiphertextBlob: wrap(Buffer.from(q.Plaintext ?? '', 'base64'), q.EncryptionContext).toString('base64') });
        }
        if (target === 'Decrypt') {
          try {
            const plain = unwrap(Buffer.from(q.CiphertextBlob ?? '', 'base64'), q.EncryptionContext);
            return send(200, { KeyId: keyArn, Plaintext: plain.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
          } catch {
            return send(400, { __type: 'InvalidCiphertextException', message: 'invalid ciphertext' });
          }
        }
        return send(400, { __type: 'UnsupportedOperationException', message: target });
      } catch {
        return send(400, { __type: 'ValidationException', message: 'bad request' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`, keyArn, calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
