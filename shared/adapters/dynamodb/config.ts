// A DynamoDB system: which tables hold personal data, which attributes identify a person (and the
// global secondary index that is keyed on each, if any), and how a person's items are erased
// (deleted, or attributes removed/masked). Validated with zod when the system is registered.
import { z } from 'zod';

const AttrName = z.string().min(1).max(255).regex(/^[A-Za-z0-9_.-]+$/u, 'attribute names: letters, digits, _ . -');

export const DynamoIdentitySchema = z.object({
  attribute: AttrName,
  /** email: looked up trimmed+lower-cased and as given; phone: E.164 and as given; custom: as given. */
  kind: z.enum(['email', 'phone', 'custom']),
  /** A global secondary index whose partition key is this attribute (else: the table key, or a scan). */
  index: z.string().min(3).max(255).regex(/^[A-Za-z0-9_.-]+$/u).optional(),
}).strict();

export const DynamoTableSchema = z.object({
  /** The collection name the data map uses. */
  name: z.string().min(1).max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/u, 'collection names: letters, digits, _'),
  /** The DynamoDB table name. */
  table: z.string().min(3).max(255).regex(/^[A-Za-z0-9_.-]+$/u, 'DynamoDB table names: letters, digits, _ . -'),
  identities: z.array(DynamoIdentitySchema).min(1, 'a table needs at least one identity attribute'),
  /** Other attributes the data map may name (DynamoDB has no fixed schema to introspect). */
  attributes: z.array(AttrName).max(200).default([]),
  erasure: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('delete') }).strict(),
    z.object({ mode: z.literal('mask'), attributes: z.record(AttrName, z.enum(['remove', 'redacted'])) }).strict(),
  ]).default({ mode: 'delete' }),
}).strict();
export type DynamoTable = z.infer<typeof DynamoTableSchema>;

export const DynamoConfigSchema = z.object({
  region: z.string().min(1).max(32).default('us-east-1'),
  /** A DynamoDB-compatible endpoint (local DynamoDB, a VPC endpoint); default: AWS. */
  endpoint: z.url().optional(),
  defaultCountry: z.string().length(2).default('US'),
  /**
   * A key or index Query compares exactly, so an email / phone identity looked up that way is found
   * only in the forms tried (as given, lower-cased; a phone in its common formats). A table whose
   * DescribeTable ItemCount (refreshed by DynamoDB about every six hours) is under this bound is
   * looked up by one Scan instead, compared ignoring case and punctuation; at or above it the exact
   * look-up is all there is and the engine names the limit (lookupLimits) for review. 0: never scan.
   */
  scanLookupBelowItems: z.number().int().min(0).max(100_000_000).default(10_000),
  tables: z.array(DynamoTableSchema).min(1),
}).strict();
export type DynamoConfig = z.infer<typeof DynamoConfigSchema>;
