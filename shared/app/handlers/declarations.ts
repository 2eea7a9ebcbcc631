// Handlers of the signed-declaration operations (shared/app/contract/declarations.ts). The
// declaration is a document (kind signed-declaration, envelope-encrypted in <data>/documents); its
// link to the case, date and hash are the hash-chained audit entry `declaration.stored` (the signed
// name only in the entry's sealed note); cases.verify with a declarationId checks it here.
import type { Handlers } from '../api';
import { ApiInputError, ApiNotFoundError } from '../api';
import type { declarationsContract, DeclarationView } from '../contract/declarations';
import { DEFAULT_DECLARATION } from '../contract/declarations';
import type { AppContext } from '../context';
import { readDocument, storeDocument } from '../documents';

export async function declarationsOf(ctx: AppContext, caseId: string): Promise<DeclarationView[]> {
  return (await ctx.audit.forCase(caseId)).filter((e) => e.action === 'declaration.stored').map((e) => ({
    documentId: String(e.detail.documentId), caseId, signedOn: String(e.detail.signedOn), mediaType: String(e.detail.mediaType),
    bytes: Number(e.detail.bytes), sha256: String(e.detail.sha256), storedAt: e.at, storedBy: e.actor,
  }));
}

/** The declaration a verification names: stored with this case, or an input error. */
export async function declarationOrThrow(ctx: AppContext, caseId: string, documentId: string): Promise<DeclarationView> {
  const d = (await declarationsOf(ctx, caseId)).find((x) => x.documentId === documentId);
  if (!d) throw new ApiInputError(`declarationId: no signed declaration ${documentId} is stored with case ${caseId} (declarations.store first)`);
  return d;
}

export function declarationsHandlers(ctx: AppContext): Handlers<typeof declarationsContract> {
  return {
    'declarations.store': async ({ id, signedName, signedOn, statement, mediaType, contentBase64 }, meta) => {
      if (!(await ctx.cases.get(id))) throw new ApiNotFoundError(`no case ${id}`);
      const text = `${statement ?? DEFAULT_DECLARATION}\n\nSigned: ${signedName}\nDate: ${signedOn}\nCase: ${id}\n`;
      const doc = mediaType && contentBase64
        ? { kind: 'signed-declaration', mediaType, contentBase64 }
        : { kind: 'signed-declaration', mediaType: 'text/plain', contentBase64: Buffer.from(text, 'utf8').toString('base64') };
      const stored = await storeDocument(ctx, doc);
      const t = ctx.clock();
      await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'declaration.stored', detail: {
        documentId: stored.id, signedOn, mediaType: doc.mediaType, bytes: stored.bytes, sha256: stored.sha256, note: `signed by ${signedName}`,
      } }, t);
      return { documentId: stored.id, caseId: id, signedOn, mediaType: doc.mediaType, bytes: stored.bytes, sha256: stored.sha256, storedAt: t.toISOString(), storedBy: meta.actor };
    },
    'declarations.forCase': async ({ id }) => {
      if (!(await ctx.cases.get(id))) throw new ApiNotFoundError(`no case ${id}`);
      return declarationsOf(ctx, id);
    },
    'declarations.read': async ({ id, documentId }, meta) => {
      await declarationOrThrow(ctx, id, documentId);
      const d = await readDocument(ctx, documentId);
      await ctx.audit.append({ caseId: id, actor: meta.actor, action: 'declaration.viewed', detail: { documentId } }, ctx.clock());
      return { mediaType: d.mediaType, contentBase64: Buffer.from(d.content).toString('base64') };
    },
  };
}
