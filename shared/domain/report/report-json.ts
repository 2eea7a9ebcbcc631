// The access report as JSON: the summary (categories, systems with sources, purposes and third
// parties, each collection's fields with their labels and categories) plus `data`, the disclosed
// discovery result (shared rows withheld, §7024(d) values replaced by a statement; `withheldPieces`
// lists them). Portable and machine-readable (CCPA §1798.130(a)(2)(B); GDPR Art 20(1) "structured,
// commonly used and machine-readable format"). The schema is `AccessReportJsonSchema` below, written
// out in docs/RESPONSES.md ("Portable copies"); fields are only ever added, never renamed.
import { z } from 'zod';
import type { AccessReport } from './access-report';
import { CCPA_LETTERS } from './ccpa-categories';
import { DiscoveryResultSchema } from '../discovery';
import { TRANSFER_KINDS } from './disclosure-breakdown';

const Letter = z.enum(CCPA_LETTERS as [string, ...string[]]);
const Names = z.array(z.string());

export const AccessReportJsonSchema = z.object({
  format: z.literal('privacydesk.access-report/1'),
  scope: z.enum(['categories', 'specific-pieces']),
  caseId: z.string(),
  businessName: z.string(),
  locale: z.enum(['en', 'es']),
  timeZone: z.string(),
  receivedAt: z.string().nullable(),
  generatedAt: z.string(),
  categories: z.array(z.object({
    letter: Letter, label: z.string(), collected: z.boolean(), items: z.array(z.string()),
    dataCategories: z.array(z.string()), fields: z.array(z.string()), systems: z.array(z.string()),
  })),
  /** Per collected category (§1798.115): categories of recipients it was sold to, shared with, disclosed to for a business purpose. */
  disclosed: z.array(z.object({
    letter: Letter, label: z.string(), sold: Names, shared: Names, businessPurpose: Names,
    itemised: z.boolean(), unitemisedRecipients: Names, systems: Names,
  })),
  systems: z.array(z.object({
    system: z.string(), displayName: z.string(), sources: z.array(z.string()), purposes: z.array(z.string()), thirdParties: z.array(z.string()),
    transfers: z.array(z.object({ kind: z.enum(TRANSFER_KINDS), recipients: Names, categories: z.array(Letter).optional() })).nullable(),
    categories: z.array(Letter), rowCount: z.number().int(),
    collections: z.array(z.object({
      dataset: z.string(), collection: z.string(), label: z.string(), records: z.number().int(), fields: z.array(z.string()),
      fieldDetails: z.array(z.object({ field: z.string(), label: z.string(), dataCategory: z.string().nullable(), ccpaCategory: Letter.nullable(), personal: z.boolean() })),
    })),
  })),
  totals: z.object({ systems: z.number().int(), collections: z.number().int(), rows: z.number().int(), values: z.number().int() }),
  withheldShared: z.number().int(),
  withheldPieces: z.array(z.object({ system: z.string(), collection: z.string(), field: z.string(), kind: z.string(), label: z.string(), records: z.number().int() })),
  unavailableSystems: z.array(z.object({ system: z.string(), at: z.string() })),
  data: DiscoveryResultSchema,
});
export type AccessReportJson = z.infer<typeof AccessReportJsonSchema>;

export function reportJson(report: AccessReport): string {
  const summary: AccessReportJson = {
    format: report.format,
    scope: report.scope,
    caseId: report.caseId,
    businessName: report.businessName,
    locale: report.locale,
    timeZone: report.timeZone,
    receivedAt: report.receivedAt,
    generatedAt: report.generatedAt,
    categories: report.categories.map((c) => ({
      letter: c.letter, label: c.label, collected: c.collected, items: c.items, dataCategories: c.dataCategories, fields: c.fields, systems: c.systems,
    })),
    disclosed: report.disclosed,
    systems: report.systems.map((s) => ({
      system: s.system, displayName: s.displayName, sources: s.sources, purposes: s.purposes, thirdParties: s.thirdParties, transfers: s.transfers, categories: s.categories,
      rowCount: s.rowCount,
      collections: s.collections.map((c) => ({
        dataset: c.dataset, collection: c.collection, label: c.label, records: c.rowCount, fields: c.fields,
        fieldDetails: c.fieldDetails.map((f) => ({ field: f.field, label: f.label, dataCategory: f.dataCategory, ccpaCategory: f.personal ? f.ccpa : null, personal: f.personal })),
      })),
    })),
    totals: report.totals,
    withheldShared: report.withheldShared,
    withheldPieces: report.withheldPieces,
    unavailableSystems: report.unavailableSystems,
    data: report.data,
  };
  return JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
