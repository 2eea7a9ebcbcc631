// The audit log as a whole (an administrator's): its anchor, written outside the database, and
// every entry for export. audit.verify (checking the chain, with or without an anchor) is in cases.ts.
import { z } from 'zod';
import { op } from './define';
import { AuditAnchorSchema } from '../../domain/audit-anchor';

export const AuditExportEntrySchema = z.object({
  seq: z.number().int(), caseId: z.string().nullable(), at: z.string(), actor: z.string(), action: z.string(),
  detail: z.record(z.string(), z.unknown()), prevHash: z.string(), hash: z.string(),
});

export const auditContract = {
  'audit.anchor': op('command', z.object({
    /** Also write it to S3 as an object (s3://bucket or s3://bucket/prefix; Object Lock retention where the bucket has it). */
    to: z.string().trim().min(1).max(1100).optional(),
  }).strict(), z.object({
    anchor: AuditAnchorSchema,
    stored: z.object({ url: z.string(), objectLock: z.boolean(), retainUntil: z.string().nullable() }).nullable(),
  }), 'The authenticated head of the audit chain (seq, hash, time, MAC) to keep outside the database; optionally written to S3'),
  'audit.export': op('query', z.object({
    /** Entries after this sequence number (0: from the first). */
    after: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(5000).default(2000),
  }).strict(), z.object({ entries: z.array(AuditExportEntrySchema) }),
  'A page of the audit log, oldest first (details hold no raw PII); page on with after = the last seq'),
};
