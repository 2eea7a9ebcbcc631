// What discovery found for one case: the shape the data-map layer produces, the console shows,
// the access report is built from, and the deletion plan starts from. Contains PII (row values):
// stored encrypted, never logged.
import { z } from 'zod';

export const FoundRowSchema = z.object({
  /** Primary key of the row, field -> value. */
  key: z.record(z.string(), z.unknown()),
  /** The row as stored, column -> value (only fields in the data map). */
  values: z.record(z.string(), z.unknown()),
  /** fideslang category per field (field -> category), from the data map. */
  categories: z.record(z.string(), z.string()),
  /** How this row was reached: 'identity:email', 'reference:orders.customer_id', ... */
  via: z.string(),
  /** Set when the row also belongs to another person; never erased automatically. */
  shared: z.object({ reason: z.string() }).nullable(),
  /** Set when a retention reason or legal hold keeps the row. */
  exempt: z.object({ reason: z.string() }).nullable(),
  /** Set when the row is another person's (reached from the subject's rows, e.g. a referral): never changed, never reported to the subject. */
  other: z.object({ reason: z.string() }).nullable().optional(),
});
export type FoundRow = z.infer<typeof FoundRowSchema>;

export const CollectionResultSchema = z.object({
  system: z.string(),
  dataset: z.string(),
  collection: z.string(),
  rows: z.array(FoundRowSchema),
});
export type CollectionResult = z.infer<typeof CollectionResultSchema>;

export const SystemErrorSchema = z.object({ system: z.string(), error: z.string(), at: z.string() });

export const DiscoveryResultSchema = z.object({
  caseId: z.string(),
  strategy: z.enum(['exact', 'connected_pii']),
  at: z.string(),
  collections: z.array(CollectionResultSchema),
  errors: z.array(SystemErrorSchema),
  /** Systems queried successfully. */
  systems: z.array(z.string()),
});
export type DiscoveryResult = z.infer<typeof DiscoveryResultSchema>;
