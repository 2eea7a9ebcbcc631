import { describe, it, expect } from 'vitest';
import {
  buildAccessReport, ccpaCategoryOf, CCPA_LETTERS, parseCsv, reportCsv, reportHtml, reportJson, REPORT_CSV_HEADER,
} from '../../../shared/domain/report';
import { sampleDiscovery } from '../../support/responses-discovery';

const opts = { businessName: 'Acme & Co', generatedAt: '2026-03-10T12:00:00.000Z', receivedAt: '2026-03-02T15:00:00.000Z',
  disclosures: [{ system: 'crm', sources: ['You (sign-up form)'], purposes: ['Customer support'], thirdParties: ['Mailer Inc.'] }] };

describe('CCPA category mapping', () => {
  it('maps fideslang categories by the table (the category or its nearest listed ancestor)', () => {
    expect(ccpaCategoryOf('user.contact.email')).toBe('A');
    expect(ccpaCategoryOf('user.contact.address.street')).toBe('B');
    expect(ccpaCategoryOf('user.government_id')).toBe('L');
    expect(ccpaCategoryOf('user.financial.bank_account.number')).toBe('L');
    expect(ccpaCategoryOf('user.financial.account_number')).toBe('B');
    expect(ccpaCategoryOf('user.location.precise')).toBe('L');
    expect(ccpaCategoryOf('user.location.imprecise')).toBe('G');
    expect(ccpaCategoryOf('user.inference.profile')).toBe('K');
    expect(ccpaCategoryOf('user.demographic.age_range')).toBe('C');
    expect(ccpaCategoryOf('user.content.self_image')).toBe('H');
    expect(ccpaCategoryOf('user.sensor')).toBe('H');
    expect(ccpaCategoryOf('user.workplace')).toBe('I');
    expect(ccpaCategoryOf('user.education')).toBe('J');
    expect(ccpaCategoryOf('user.biometric.fingerprint')).toBe('E');
    expect(ccpaCategoryOf('user.device.ip_address')).toBe('A');
    expect(ccpaCategoryOf('user.behavior.browsing_history')).toBe('F');
    expect(ccpaCategoryOf('user.commercial.purchase')).toBe('D');
  });
});

describe('access report', () => {
  const d = sampleDiscovery('PD-20260302-ABCDEF');
  const r = buildAccessReport(d, opts);

  it('lists every category A-L, marking the collected ones', () => {
    expect(r.categories.map((c) => c.letter)).toEqual(CCPA_LETTERS);
    expect(r.categories.filter((c) => c.collected).map((c) => c.letter).join('')).toBe('ABCDEFGHIJKL');
    expect(r.categories.find((c) => c.letter === 'L')!.fields).toEqual(['customers.ssn']);
  });

  it('withholds rows shared with another person and keeps the rest grouped by system and collection', () => {
    expect(r.withheldShared).toBe(1);
    expect(r.totals.rows).toBe(5);
    expect(r.systems.map((s) => s.system)).toEqual(['crm', 'hr', 'shop']);
    const shop = r.systems.find((s) => s.system === 'shop')!;
    expect(shop.collections.map((c) => [c.collection, c.rows.length])).toEqual([['orders', 2], ['sessions', 1]]);
    expect(r.data.collections.flatMap((c) => c.rows).some((x) => x.shared)).toBe(false);
    expect(r.systems.find((s) => s.system === 'crm')!.purposes).toEqual(['Customer support']);
  });

  it('renders HTML with every category, escaped values and no script', () => {
    const html = reportHtml(r);
    for (const c of r.categories) expect(html).toContain(c.label.replace(/&/gu, '&amp;'));
    expect(html).toContain('Acme &amp; Co');
    expect(html).toContain('=HYPERLINK(&quot;x&quot;)');
    expect(html).not.toMatch(/<script/iu);
    expect(html).toContain('1 record also concerns another person');
    expect(html).not.toContain('203.0.113.10'); // the shared row
  });

  it('renders CSV that parses back to one line per piece, with formula cells neutralised', () => {
    const rows = parseCsv(reportCsv(r));
    expect(rows[0]).toEqual([...REPORT_CSV_HEADER]);
    const pieces = r.systems.flatMap((s) => s.collections.flatMap((c) => c.rows.flatMap((x) => Object.keys(x.values)))).length;
    expect(rows.length - 1).toBe(pieces);
    expect(rows.every((x) => x.length === REPORT_CSV_HEADER.length)).toBe(true);
    const item = rows.find((x) => x[4] === 'item' && x[5]!.includes('HYPERLINK'))!;
    expect(item[5]).toBe(`'=HYPERLINK("x")`);
    expect(rows.some((x) => x[5] === 'Book, "quoted"\nsecond line')).toBe(true);
    expect(rows.find((x) => x[4] === 'ssn')!.slice(6, 9)).toEqual(['user.government_id', 'L', 'Sensitive personal information']);
  });

  it('renders JSON whose data is the disclosed discovery result', () => {
    const j = JSON.parse(reportJson(r)) as { data: typeof d; categories: unknown[]; withheldShared: number };
    expect(j.categories).toHaveLength(12);
    expect(j.withheldShared).toBe(1);
    expect(j.data.collections.map((c) => c.rows.length)).toEqual([1, 2, 1, 1]);
    const noShared = { ...d, collections: d.collections.map((c) => ({ ...c, rows: c.rows.filter((x) => !x.shared) })) };
    // ...with the two values the law forbids sending replaced by a statement (§7024(d)).
    const crm = noShared.collections[0]!;
    noShared.collections[0] = { ...crm, rows: [{ ...crm.rows[0]!, values: { ...crm.rows[0]!.values,
      ssn: "[not shown: we hold a government-issued identification number (such as a Social Security, driver's licence or passport number); for your security it is never sent]",
      fingerprint_hash: '[not shown: we hold unique biometric data; for your security it is never sent]' } }] };
    expect(j.data).toEqual(noShared);
  });

  it('never sends a government id, account number, password or biometric value, but says it holds one (CCPA regs §7024(d))', () => {
    expect(r.withheldPieces).toEqual([
      { system: 'crm', collection: 'customers', field: 'ssn', kind: 'government_id', label: expect.stringContaining('Social Security') as string, records: 1 },
      { system: 'crm', collection: 'customers', field: 'fingerprint_hash', kind: 'biometric', label: 'unique biometric data', records: 1 },
    ]);
    for (const out of [reportHtml(r), reportCsv(r), reportJson(r)]) {
      expect(out).not.toContain('123-45-6789');
      expect(out).not.toContain('ab12cd');
      expect(out).toContain('jane.doe@example.com');
    }
    // The category and the field stay listed: the consumer learns, with particularity, what is held.
    expect(r.categories.find((c) => c.letter === 'L')!.fields).toEqual(['customers.ssn']);
    expect(reportHtml(r)).toMatch(/We hold a government-issued identification number .*; unique biometric data \(Government-issued identification number, Fingerprint\)/u);
    expect(JSON.parse(reportJson(r)).withheldPieces).toHaveLength(2);
  });
});

describe('categories-only report (requester verified to the reasonable tier)', () => {
  const r = buildAccessReport(sampleDiscovery('PD-1'), { ...opts, includePieces: false });
  it('names categories, systems and record counts but no values anywhere', () => {
    expect(r.scope).toBe('categories');
    expect(r.categories.filter((c) => c.collected)).toHaveLength(12);
    expect(r.systems.find((s) => s.system === 'shop')!.collections.map((c) => [c.collection, c.rowCount, c.rows.length])).toEqual([['orders', 2, 0], ['sessions', 1, 0]]);
    for (const out of [reportHtml(r), reportCsv(r), reportJson(r)]) {
      expect(out).not.toContain('jane.doe@example.com');
      expect(out).not.toContain('123-45-6789');
      expect(out).not.toContain('203.0.113.9');
    }
    expect(reportHtml(r)).toContain('To receive the specific pieces of information');
    const csv = parseCsv(reportCsv(r));
    expect(csv.slice(1).every((x) => x[3] === '' && x[5] === '')).toBe(true);
    expect(csv.find((x) => x[4] === 'ssn')!.slice(6, 11)).toEqual(['user.government_id', 'L', 'Sensitive personal information', 'crm', 'Government-issued identification number']);
  });
});
