// Signed declarations (issue 14 item 5; CCPA regs §7060(d), §7062(c)): the consumer's declaration
// under penalty of perjury, stored encrypted with the case (its text or a scan), and named by the
// verification that relies on it, instead of a yes/no flag.
import { z } from 'zod';
import { op } from './define';
import { InstantSchema, LocalDateSchema } from '../../domain/case';

export const DEFAULT_DECLARATION = 'I declare under penalty of perjury under the laws of the State of California that I am the consumer whose personal information is the subject of this request.';

export const DeclarationViewSchema = z.object({
  documentId: z.string(),
  caseId: z.string(),
  signedOn: LocalDateSchema,
  mediaType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  storedAt: InstantSchema,
  storedBy: z.string(),
});
export type DeclarationView = z.infer<typeof DeclarationViewSchema>;

const CaseId = z.string().min(1).max(64);

export const declarationsContract = {
  'declarations.store': op('command', z.object({
    id: CaseId,
    /** The name the consumer signed with (kept only inside the encrypted declaration and a sealed audit note). */
    signedName: z.string().trim().min(1).max(200),
    signedOn: LocalDateSchema,
    /** The statement signed (default: the §7062 wording); ignored when a scan is given. */
    statement: z.string().trim().min(1).max(4000).optional(),
    /** A scan or photo of the signed declaration, instead of the text. */
    mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg']).optional(),
    contentBase64: z.string().min(4).max(14_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/u, 'contentBase64: must be base64').optional(),
  }).strict().superRefine((v, ctx) => {
    if ((v.mediaType === undefined) !== (v.contentBase64 === undefined)) ctx.addIssue({ code: 'custom', path: ['contentBase64'], message: 'contentBase64: give the scan with its mediaType' });
  }), DeclarationViewSchema, 'Store a consumer\'s signed declaration with the case (encrypted); cases.verify names it (declarationId).'),
  'declarations.forCase': op('query', z.object({ id: CaseId }).strict(), z.array(DeclarationViewSchema), 'The signed declarations stored with a case (no content).'),
  'declarations.read': op('command', z.object({ id: CaseId, documentId: z.string().min(1).max(64) }).strict(),
    z.object({ mediaType: z.string(), contentBase64: z.string() }), 'Open a stored declaration (audited).'),
};
