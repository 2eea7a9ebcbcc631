// Documents staff upload (an authorized agent's written permission), stored envelope-encrypted in
// <dataDir>/documents/<id>.bin. The case refers to the document by id (agent.permissionRef =
// "doc:<id>"); no file paths cross the API.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiInputError, ApiNotFoundError } from './api';
import type { AppContext } from './context';

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

function folder(ctx: AppContext): string {
  return join(ctx.config.dataDir, 'documents');
}

export async function storeDocument(ctx: AppContext, doc: { kind: string; mediaType: string; contentBase64: string }): Promise<{ id: string; bytes: number; sha256: string }> {
  const bytes = Buffer.from(doc.contentBase64, 'base64');
  if (bytes.length === 0) throw new ApiInputError('contentBase64: the document is empty', [{ path: 'contentBase64', message: 'the document is empty' }]);
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new ApiInputError('contentBase64: the document is larger than 10 MiB', [{ path: 'contentBase64', message: 'larger than 10 MiB' }]);
  const id = randomUUID();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const sealed = await ctx.crypto.encrypt(bytes, { purpose: 'document', kind: doc.kind, id });
  const meta = { id, kind: doc.kind, mediaType: doc.mediaType, bytes: bytes.length, sha256 };
  await mkdir(folder(ctx), { recursive: true });
  await writeFile(join(folder(ctx), `${id}.bin`), sealed, { flag: 'wx' });
  await writeFile(join(folder(ctx), `${id}.json`), JSON.stringify(meta), { flag: 'wx' });
  return { id, bytes: bytes.length, sha256 };
}

export async function readDocument(ctx: AppContext, id: string): Promise<{ mediaType: string; content: Uint8Array }> {
  if (!/^[0-9a-f-]{36}$/u.test(id)) throw new ApiInputError('id: not a document id');
  const metaText = await readFile(join(folder(ctx), `${id}.json`), 'utf8').catch(() => null);
  if (!metaText) throw new ApiNotFoundError(`document ${id} not found`);
  const meta = JSON.parse(metaText) as { kind: string; mediaType: string };
  const sealed = await readFile(join(folder(ctx), `${id}.bin`));
  const content = await ctx.crypto.decrypt(sealed, { purpose: 'document', kind: meta.kind, id });
  return { mediaType: meta.mediaType, content };
}
