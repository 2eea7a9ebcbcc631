// Inbound requests: a CSV file of requests received elsewhere (seed 002's inbound columns, checked
// line by line by shared/domain/unified-compliance.ts) into cases, idempotently (a request id of a
// file never gets two cases). The CLI's `requests import` is a shell over this operation.
import { z } from 'zod';
import { op } from './define';
import { JurisdictionSchema } from '../../domain/case';

const ImportedRowSchema = z.object({ line: z.number().int(), requestId: z.string(), caseId: z.string() });

export const requestsContract = {
  'requests.import': op('command', z.object({
    /** The file's name: with each request id, the key that makes an import idempotent. */
    datasource: z.string().trim().min(1).max(255),
    /** The file's text (CSV with a header row). */
    csv: z.string().max(200_000_000),
    jurisdiction: JurisdictionSchema.default('CA'),
    /** The custom-key columns of the file (default: the seed's). */
    customKeyNames: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/u, 'letters, digits, _ . -')).min(1).max(20).optional(),
    /** Leave each new case's plan for staff review (false: approved without review; an approver's call). */
    review: z.boolean().default(false),
    /** One refused line and nothing is imported. */
    allOrNothing: z.boolean().default(false),
    /** Run each new case now and answer with its status (default: the case engine works them). */
    run: z.boolean().default(false),
  }).strict(), z.object({
    file: z.string(),
    /** Data rows read (after the header). */
    rows: z.number().int(),
    allOrNothing: z.boolean(),
    imported: z.array(ImportedRowSchema),
    alreadyImported: z.array(ImportedRowSchema),
    /** Refused lines: the line and, per column, what is wrong (never the value). */
    refused: z.array(z.object({ line: z.number().int(), problems: z.array(z.object({ column: z.string(), problem: z.string() })) })),
    /** With run: each new case's status and how many systems failed. */
    run: z.array(z.object({ requestId: z.string(), caseId: z.string(), status: z.string(), errors: z.number().int() })).optional(),
  }), 'Import a CSV of inbound requests as cases (idempotent per file name and request id); refused lines are named with what is wrong, never their values'),
};
