// The authenticated head of the audit chain, kept outside the database (docs/STORE.md "Anchors"):
// a later `audit verify --anchor` fails when the log was cut at or before it, emptied or rewritten.
import { z } from 'zod';

export const AuditAnchorSchema = z.object({
  kind: z.literal('privacy-desk.audit-anchor'),
  version: z.literal(1),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/u),
  keyedFrom: z.number().int().min(1),
  at: z.string().datetime(),
  mac: z.string().regex(/^[0-9a-f]{64}$/u),
}).strict();
export type AuditAnchor = z.infer<typeof AuditAnchorSchema>;
