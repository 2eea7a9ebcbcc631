// Sold / shared / disclosed for a business purpose per CCPA category (§1798.115) in the access
// report: the pure fold (disclosureBreakdown), the report's HTML table (en, es), JSON and CSV, the
// zod shape of a declaration, and system.* (ids, timestamps) kept out of the personal categories.
import { describe, expect, it } from 'vitest';
import {
  AccessReportJsonSchema, buildAccessReport, disclosureBreakdown, DisclosureTransfersSchema, parseCsv, reportCsv, reportHtml, reportJson,
  REPORT_CSV_HEADER, type SystemDisclosure,
} from '../../../shared/domain/report';
import { parseDataMap } from '../../../shared/domain/datamap';
import { DEMO_SHOP_DATAMAP_YAML } from '../../../shared/adapters/demo-shop';
import { parse as parseYaml } from 'yaml';
import { sampleDiscovery } from '../../support/responses-discovery';

const label = (l: string) => `cat ${l}`;

describe('disclosureBreakdown', () => {
  it('folds each system\'s declared transfers into one line per category it holds', () => {
    const lines = disclosureBreakdown([
      { system: 'crm', categories: ['A', 'B'], declared: true, thirdParties: ['Mailer Inc.', 'Broker Co'], transfers: [
        { kind: 'sold', recipients: ['Data brokers'], categories: ['A'] },
        { kind: 'business_purpose', recipients: ['Email delivery services'] },
      ] },
      { system: 'hr', categories: ['A', 'I'], declared: true, thirdParties: [], transfers: null },
      { system: 'ads', categories: ['F'], declared: true, thirdParties: ['AdNet'], transfers: [{ kind: 'shared', recipients: ['Advertising networks'] }, { kind: 'sold', recipients: ['Data brokers'], categories: ['A'] }] },
      { system: 'shop', categories: ['D'], declared: true, thirdParties: ['Analytics Co'], transfers: null },
    ], label);
    expect(lines.map((l) => l.letter)).toEqual(['A', 'B', 'D', 'F', 'I']);
    const at = (l: string) => lines.find((x) => x.letter === l)!;
    expect(at('A')).toEqual({ letter: 'A', label: 'cat A', sold: ['Data brokers'], shared: [], businessPurpose: ['Email delivery services'], itemised: true, unitemisedRecipients: [], systems: ['crm', 'hr'] });
    expect(at('B')).toMatchObject({ sold: [], shared: [], businessPurpose: ['Email delivery services'], itemised: true });
    // A letter limited to other categories does not apply ('ads' sells only A, which it does not hold).
    expect(at('F')).toMatchObject({ sold: [], shared: ['Advertising networks'], businessPurpose: [], itemised: true });
    // Declared as disclosed to no one: nothing sold, shared or disclosed, and that is known.
    expect(at('I')).toMatchObject({ sold: [], shared: [], businessPurpose: [], itemised: true });
    // Third parties named, not itemised: the report cannot say "not sold".
    expect(at('D')).toMatchObject({ sold: [], itemised: false, unitemisedRecipients: ['Analytics Co'] });
  });

  it('an undeclared system leaves its categories not itemised', () => {
    expect(disclosureBreakdown([{ system: 'x', categories: ['A'], declared: false, thirdParties: [], transfers: null }], label)[0]!.itemised).toBe(false);
  });

  it('the declaration shape: recipients required, letters A-L, null or [] allowed', () => {
    expect(DisclosureTransfersSchema.parse([{ kind: 'sold', recipients: ['Data brokers'], categories: ['A', 'F'] }])).toHaveLength(1);
    expect(DisclosureTransfersSchema.parse([])).toEqual([]);
    expect(DisclosureTransfersSchema.parse(null)).toBeNull();
    expect(DisclosureTransfersSchema.safeParse([{ kind: 'sold', recipients: [] }]).success).toBe(false);
    expect(DisclosureTransfersSchema.safeParse([{ kind: 'sold', recipients: ['X'], categories: ['Z'] }]).success).toBe(false);
    expect(DisclosureTransfersSchema.safeParse([{ kind: 'rented', recipients: ['X'] }]).success).toBe(false);
  });
});

const disclosures: SystemDisclosure[] = [
  { system: 'crm', sources: ['You'], purposes: ['Customer support'], thirdParties: ['Mailer Inc.', 'Broker Co'], transfers: [
    { kind: 'sold', recipients: ['Data brokers'], categories: ['A'] },
    { kind: 'business_purpose', recipients: ['Email delivery services'] },
  ] },
  { system: 'shop', sources: ['You'], purposes: ['Orders'], thirdParties: ['AdNet'], transfers: [{ kind: 'shared', recipients: ['Advertising networks'], categories: ['F'] }] },
  { system: 'hr', sources: ['Your job application'], purposes: ['Recruiting'], thirdParties: [] },
];
const opts = { businessName: 'Acme', generatedAt: '2026-03-10T12:00:00.000Z', receivedAt: '2026-03-02T15:00:00.000Z', disclosures };

describe('the access report\'s sold / shared / business-purpose table', () => {
  const r = buildAccessReport(sampleDiscovery('PD-20260302-ABCDEF'), opts);

  it('has one line per collected category, from every system holding it', () => {
    expect(r.disclosed.map((d) => d.letter).join('')).toBe('ABCDEFGHIJKL');
    const at = (l: string) => r.disclosed.find((x) => x.letter === l)!;
    expect(at('A')).toMatchObject({ label: 'Identifiers', sold: ['Data brokers'], shared: [], businessPurpose: ['Email delivery services'], systems: ['crm', 'shop'] });
    expect(at('F')).toMatchObject({ sold: [], shared: ['Advertising networks'], businessPurpose: [] });
    expect(at('D')).toMatchObject({ sold: [], shared: [], businessPurpose: [], itemised: true });
    expect(at('J')).toMatchObject({ sold: [], shared: [], businessPurpose: [], itemised: true, systems: ['hr'] });
    expect(r.systems.find((s) => s.system === 'hr')!.transfers).toBeNull();
  });

  it('renders a table in English and in Spanish', () => {
    const html = reportHtml(r);
    expect(html).toContain('<h2>Sold, shared or disclosed for a business purpose</h2>');
    const table = html.slice(html.indexOf('<table class="disclosed">'), html.indexOf('</table>', html.indexOf('<table class="disclosed">')));
    expect(table.match(/<tr>/gu)).toHaveLength(13); // header + 12 collected categories
    expect(table).toContain('<th scope="col">Sold to</th>');
    expect(table).toMatch(/<td class="letter">A<\/td><th scope="row">Identifiers<\/th><td><span class="tag">Data brokers<\/span><\/td><td class="no">Not shared<\/td><td><span class="tag">Email delivery services<\/span><\/td>/u);
    expect(table).toMatch(/<td class="letter">J<\/td><th scope="row">Education information<\/th><td class="no">Not sold<\/td><td class="no">Not shared<\/td><td class="no">Not disclosed<\/td>/u);
    const es = reportHtml(buildAccessReport(sampleDiscovery('PD-20260302-ABCDEF'), { ...opts, locale: 'es' }));
    expect(es).toContain('<h2>Vendida, compartida o comunicada con un fin empresarial</h2>');
    expect(es).toContain('<th scope="col">Vendida a</th>');
    expect(es).toMatch(/<th scope="row">Identificadores<\/th><td><span class="tag">Data brokers<\/span><\/td><td class="no">No compartida<\/td>/u);
  });

  it('says which recipients are not itemised rather than "not sold"', () => {
    const loose = buildAccessReport(sampleDiscovery('PD-20260302-ABCDEF'), { ...opts, disclosures: disclosures.map((d) => (d.system === 'shop' ? { ...d, transfers: null } : d)) });
    expect(loose.disclosed.find((d) => d.letter === 'K')).toMatchObject({ itemised: false, unitemisedRecipients: ['AdNet'] });
    expect(reportHtml(loose)).toContain('Disclosed to AdNet; we have not yet stated which of these applies');
  });

  it('JSON carries the table and each system\'s declaration, valid against the schema', () => {
    const j = AccessReportJsonSchema.parse(JSON.parse(reportJson(r)));
    expect(j.disclosed.find((d) => d.letter === 'A')).toMatchObject({ sold: ['Data brokers'], businessPurpose: ['Email delivery services'], itemised: true });
    expect(j.systems.find((s) => s.system === 'crm')!.transfers).toEqual(disclosures[0]!.transfers);
    expect(j.systems.find((s) => s.system === 'hr')!.transfers).toBeNull();
  });

  it('CSV appends sold_to, shared_with, disclosed_for_business_purpose_to to each piece by its category', () => {
    const rows = parseCsv(reportCsv(r));
    expect(rows[0]).toEqual([...REPORT_CSV_HEADER]);
    expect(REPORT_CSV_HEADER.slice(-3)).toEqual(['sold_to', 'shared_with', 'disclosed_for_business_purpose_to']);
    const cell = (field: string, col: (typeof REPORT_CSV_HEADER)[number]) => rows.find((x) => x[4] === field)![REPORT_CSV_HEADER.indexOf(col)];
    expect(rows.every((x) => x.length === REPORT_CSV_HEADER.length)).toBe(true);
    expect(cell('email', 'sold_to')).toBe('Data brokers');
    expect(cell('email', 'shared_with')).toBe('none');
    expect(cell('email', 'disclosed_for_business_purpose_to')).toBe('Email delivery services');
    expect(cell('pages', 'shared_with')).toBe('Advertising networks');
    expect(cell('sid', 'sold_to')).toBe(''); // no category: not personal information
    const cats = parseCsv(reportCsv(buildAccessReport(sampleDiscovery('PD-20260302-ABCDEF'), { ...opts, includePieces: false })));
    expect(cats.every((x) => x.length === REPORT_CSV_HEADER.length)).toBe(true);
    expect(cats.find((x) => x[4] === 'email')![REPORT_CSV_HEADER.indexOf('sold_to')]).toBe('Data brokers');
  });
});

describe('system.* and internal ids are not personal information', () => {
  it('ids and timestamps filed under system.* are never under a CCPA letter nor in the table', () => {
    const d = sampleDiscovery('PD-20260302-ABCDEF');
    const crm = d.collections[0]!.rows[0]!;
    crm.values = { ...crm.values, created_at: '2024-01-05T10:00:00Z', row_id: 99 };
    crm.categories = { ...crm.categories, created_at: 'system.operations', row_id: 'system.authentication' };
    const r = buildAccessReport(d, opts);
    const ids = r.categories.find((c) => c.letter === 'A')!;
    expect(ids.fields).not.toContain('customers.created_at');
    expect(ids.fields).not.toContain('customers.row_id');
    expect(r.categories.flatMap((c) => c.dataCategories).some((c) => c.startsWith('system.'))).toBe(false);
    const field = r.systems[0]!.collections[0]!.fieldDetails.find((f) => f.field === 'created_at')!;
    expect(field).toMatchObject({ personal: false, ccpa: null });
    const csvRow = parseCsv(reportCsv(r)).find((x) => x[4] === 'created_at')!;
    expect(csvRow[REPORT_CSV_HEADER.indexOf('ccpa_category')]).toBe('');
    expect(csvRow[REPORT_CSV_HEADER.indexOf('sold_to')]).toBe('');
  });

  it('the demo shop map declares its transfers and its ids and timestamps stay out of Identifiers', () => {
    const map = parseDataMap(parseYaml(DEMO_SHOP_DATAMAP_YAML));
    expect(map.disclosures!.transfers).toEqual([
      { kind: 'business_purpose', recipients: ['Delivery services'], categories: ['A', 'B', 'D'] },
      { kind: 'business_purpose', recipients: ['Payment processors'], categories: ['A', 'B', 'L'] },
    ]);
    const timestamps = map.collections.flatMap((c) => c.fields.filter((f) => /_at$/u.test(f.name) && f.name !== 'at').map((f) => f.categories[0]));
    expect(new Set(timestamps)).toEqual(new Set(['system.operations']));
  });
});
