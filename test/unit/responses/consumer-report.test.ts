// The access report as a consumer reads it (issue 21), built from the demo shop's data map and a
// discovery of Ann's rows (values from DEMO_SHOP_DATA): plain-language labels (never
// collection.field in the consumer's copy), amounts, dates and booleans formatted, categories by
// the CCPA table, the stop at staff review when a system declares no sources / purposes /
// recipients, the portable JSON and CSV in their documented schema, and Spanish.
import { describe, expect, it } from 'vitest';
import { DEMO_SHOP_SYSTEM } from '../../../shared/adapters/demo-shop';
import {
  AccessReportJsonSchema, buildAccessReport, CCPA_TABLE, ccpaCategoryOf, parseCsv, REPORT_CSV_HEADER, reportCsv, reportEmailSummary,
  reportHtml, reportJson,
} from '../../../shared/domain/report';
import { reportReviewReason } from '../../../shared/app/services/responses';
import { annDiscovery, demoMap, demoReportOptions, LONG } from '../../support/demo-shop-report';

const map = demoMap;
const opts = demoReportOptions;
/** Every `collection.field` of the map and every field name with an underscore: none may reach the consumer. */
const rawNames = map.collections.flatMap((c) => c.fields.flatMap((f) => [`${c.name}.${f.name}`, ...(f.name.includes('_') ? [f.name] : [])]));
const visible = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/u, '').replace(/<[^>]+>/gu, ' ');

describe('the CCPA table', () => {
  it('maps by the table, with no catch-all: system.* and unlisted user.* categories map to nothing', () => {
    expect(ccpaCategoryOf('user.contact.email')).toBe('A');
    expect(ccpaCategoryOf('user.device.ip_address')).toBe('A');
    expect(ccpaCategoryOf('user.content')).toBe('D'); // support-ticket text: not (H)
    expect(ccpaCategoryOf('user.content.private')).toBe('D');
    expect(ccpaCategoryOf('user.content.self_image')).toBe('H');
    expect(ccpaCategoryOf('user.financial')).toBe('B');
    expect(ccpaCategoryOf('user.financial.credit_card')).toBe('L');
    expect(ccpaCategoryOf('user.behavior')).toBe('F');
    expect(ccpaCategoryOf('system.operations')).toBeNull();
    expect(ccpaCategoryOf('user')).toBeNull();
    expect(ccpaCategoryOf('user.made_up_thing')).toBeNull();
  });

  it('every row names the statute text it rests on and each fideslang key appears once', () => {
    for (const [fides, letter, basis] of CCPA_TABLE) {
      expect(fides).toMatch(/^user\.[a-z_.]+$/u);
      expect(letter).toMatch(/^[A-L]$/u);
      expect(basis).toMatch(/§1798\.(140|80|120)/u);
    }
    expect(new Set(CCPA_TABLE.map(([f]) => f)).size).toBe(CCPA_TABLE.length);
  });
});

describe('the consumer report of a case with known data', () => {
  const r = buildAccessReport(annDiscovery(), opts());
  const html = reportHtml(r);
  const text = visible(html);

  it('shows plain-language labels under the system display name, never collection.field', () => {
    for (const raw of rawNames) expect(text, raw).not.toContain(raw);
    expect(html).toContain('<h3>Demo shop</h3>');
    for (const label of ['Email address', 'Phone number', 'First name', 'Name on card', 'Order total', 'Signed in at', 'Newsletter subscription', 'Your message to support', 'Payment cards', 'Support requests'])
      expect(text).toContain(label);
    expect(r.review).toEqual([]);
    // The store's own keys with no personal category (order id, card id) are bookkeeping: not on the consumer's page.
    for (const key of ['Card id', 'Shipping address id', 'Address id']) expect(text).not.toContain(key);
    expect(reportHtml(r, { audience: 'staff' })).toContain('<code class="staff-only">orders.card_id</code>');
    expect(JSON.parse(reportJson(r)).data.collections.find((c: { collection: string }) => c.collection === 'orders').rows[0].values.card_id).toBe(20);
  });

  it('formats amounts, dates in the consumer zone, booleans and codes; long text complete', () => {
    expect(text).toContain('$42.50');
    expect(text).toContain('$19.99');
    expect(text).not.toContain('4250');
    expect(text).toMatch(/July 14, 2024(,| at) 2:00\s?AM PDT/u); // 09:00 UTC in Los Angeles
    expect(text).toContain('April 12, 1988'); // a date of birth is never shifted by a zone
    expect(text).toMatch(/Newsletter subscription\s+Yes/u);
    expect(text).toMatch(/Do not sell or share my information\s+No/u);
    expect(text).toMatch(/Address type\s+Work/u);
    expect(html).toContain(`<div class="long">${LONG}</div>`);
    expect(text).not.toContain('2024-07-14T09:00:00Z');
  });

  it('files each piece under the category the table gives; system.* is not personal information', () => {
    const byLetter = Object.fromEntries(r.categories.filter((c) => c.collected).map((c) => [c.letter, c.fields]));
    expect(Object.keys(byLetter).join('')).toBe('ABCDFL');
    expect(byLetter.A).toEqual(['customer_addresses.customer_id', 'customers.email', 'customers.first_name', 'customers.id', 'customers.last_name', 'customers.loyalty_id', 'customers.phone',
      'logins.customer_id', 'logins.ip_address', 'marketing_consent.email', 'orders.customer_id', 'payment_cards.customer_id', 'support_tickets.customer_id', 'support_tickets.email'].sort());
    expect(byLetter.D).toEqual(['marketing_consent.do_not_sell', 'marketing_consent.newsletter', 'orders.gift_message', 'orders.total_cents', 'support_tickets.body', 'support_tickets.subject']);
    expect(byLetter.F).toEqual(['logins.at', 'logins.user_agent']);
    expect(byLetter.B).toEqual(['payment_cards.expiry', 'payment_cards.holder_name']);
    expect(byLetter.L).toEqual(['payment_cards.card_number']);
    expect(r.categories.find((c) => c.letter === 'H')!.collected).toBe(false);
    const all = r.categories.flatMap((c) => c.fields);
    for (const f of ['orders.placed_at', 'orders.id', 'logins.id', 'customers.created_at', 'customer_addresses.kind']) expect(all).not.toContain(f);
    // ...but the record still shows when the order was placed.
    expect(text).toMatch(/Ordered on\s+June 1, 2024(,| at) 3:00\s?AM PDT/u);
  });

  it('leaves out another person\'s row and withholds the shared one; never shows a card number', () => {
    expect(text).not.toContain('From Ann with love');
    expect(text).not.toContain('$12.00');
    expect(r.withheldShared).toBe(1);
    expect(text).toContain('1 record also concerns another person');
    for (const out of [html, reportCsv(r), reportJson(r)]) expect(out).not.toContain('4111111111111111');
    expect(text).toContain('Not shown: for your security this is never sent');
  });

  it('says where the data came from, why and to whom, and never "None recorded"', () => {
    expect(text).toContain('Parcel Co (delivery)');
    expect(text).toContain('Order fulfilment and delivery');
    expect(text).not.toMatch(/None recorded/iu);
  });

  it('the staff copy shows collection.field beside the label, on screen only', () => {
    const staff = reportHtml(r, { audience: 'staff' });
    expect(staff).toContain('Order total<code class="staff-only">orders.total_cents</code>');
    expect(staff).toMatch(/@media print\{[^@]*\.staff-only\{display:none\}/u);
  });

  it('is accessible: one h1, headings in order, captioned tables with header cells, lang set', () => {
    expect(html.match(/<h1>/gu)).toHaveLength(1);
    expect(html).toContain('<html lang="en">');
    const levels = [...html.matchAll(/<h([1-4])>/gu)].map((m) => Number(m[1]));
    levels.forEach((l, i) => { if (i) expect(l - levels[i - 1]!).toBeLessThanOrEqual(1); });
    const tables = html.match(/<table/gu)!.length;
    expect(html.match(/<caption>/gu)).toHaveLength(tables);
    expect(html).toContain('<th scope="row">');
    expect(html).not.toMatch(/<script|<img/iu);
  });

  it('stops at staff review when a system with personal data declares no sources, purposes or recipients', () => {
    const none = buildAccessReport(annDiscovery(), opts({ disclosures: [] }));
    expect(none.review).toEqual([expect.objectContaining({ system: DEMO_SHOP_SYSTEM, kind: 'disclosures', missing: ['sources', 'purposes', 'recipients'] })]);
    expect(reportReviewReason(none)).toMatch(/^staff review: declare them for system demo-shop: sources, business purposes, recipients .* missing .*#\/datamap.*disclosures set --system demo-shop/u);
    const noPurpose = buildAccessReport(annDiscovery(), opts({ disclosures: [{ system: DEMO_SHOP_SYSTEM, sources: ['You'], purposes: [], thirdParties: [] }] }));
    expect(noPurpose.review.map((x) => x.missing)).toEqual([['purposes']]);
    // Recipients declared as none: the report says so in words.
    const noOne = buildAccessReport(annDiscovery(), opts({ disclosures: [{ system: DEMO_SHOP_SYSTEM, sources: ['You'], purposes: ['Orders'], thirdParties: [] }] }));
    expect(noOne.review).toEqual([]);
    expect(visible(reportHtml(noOne))).toContain('We did not disclose it to anyone');
    expect(reportReviewReason(r)).toBeNull();
  });

  it('stops at staff review for a user.* category the table does not map', () => {
    const d = annDiscovery();
    d.collections[0]!.rows[0]!.categories.loyalty_id = 'user.loyalty_tier';
    const u = buildAccessReport(d, opts());
    expect(u.review).toEqual([expect.objectContaining({ kind: 'unmapped_category', missing: ['user.loyalty_tier'] })]);
    expect(reportReviewReason(u)).toMatch(/map user\.loyalty_tier \(system demo-shop\) to a CCPA category/u);
  });
});

describe('portable copies', () => {
  const r = buildAccessReport(annDiscovery(), opts());

  it('JSON follows the documented schema, with labels next to the machine keys', () => {
    const j = AccessReportJsonSchema.parse(JSON.parse(reportJson(r)));
    const orders = j.systems[0]!.collections.find((c) => c.collection === 'orders')!;
    expect(orders.label).toBe('Orders');
    expect(orders.fieldDetails.find((f) => f.field === 'total_cents')).toEqual({ field: 'total_cents', label: 'Order total', dataCategory: 'user.commercial.purchase', ccpaCategory: 'D', personal: true });
    expect(orders.fieldDetails.find((f) => f.field === 'placed_at')).toMatchObject({ ccpaCategory: null, personal: false });
    expect(j.systems[0]!.displayName).toBe('Demo shop');
    expect(j.data.collections.flatMap((c) => c.rows).some((x) => x.other || x.shared)).toBe(false);
  });

  it('CSV keeps its column order (new columns appended) and adds the label and the formatted value', () => {
    const rows = parseCsv(reportCsv(r));
    expect(rows[0]).toEqual([...REPORT_CSV_HEADER]);
    expect(REPORT_CSV_HEADER.slice(0, 9)).toEqual(['system', 'dataset', 'collection', 'row', 'field', 'value', 'data_category', 'ccpa_category', 'ccpa_label']);
    const total = rows.find((x) => x[4] === 'total_cents')!;
    expect(total).toEqual(['demo-shop', 'demo_shop', 'orders', '1', 'total_cents', '4250', 'user.commercial.purchase', 'D', 'Commercial information', 'Demo shop', 'Order total', '$42.50',
      'none', 'none', 'Delivery services']); // §1798.115: not sold, not shared, disclosed for a business purpose (the map's transfers)
    expect(rows.find((x) => x[4] === 'placed_at')!.slice(6, 9)).toEqual(['system.operations', '', '']);
  });
});

describe('in Spanish', () => {
  const r = buildAccessReport(annDiscovery(), opts({ locale: 'es', timeZone: 'Europe/Madrid' }));
  const text = visible(reportHtml(r));
  it('labels, values, categories and headings in Spanish', () => {
    expect(reportHtml(r)).toContain('<html lang="es">');
    for (const w of ['Qué tenemos sobre usted', 'Categorías de información personal', 'Nombre en la tarjeta', 'Total del pedido', 'Correo electrónico', 'Información comercial', 'De dónde la obtuvimos'])
      expect(text).toContain(w);
    expect(text).toMatch(/42,50\s?US\$/u);
    expect(text).toMatch(/14 de julio de 2024/u);
    expect(text).toMatch(/Suscripción al boletín\s+Sí/u);
    for (const raw of rawNames) expect(text).not.toContain(raw);
    expect(text).toContain('Tenemos un número de cuenta financiera o de tarjeta de pago (Número de tarjeta de pago)');
    expect(reportEmailSummary(r).text).toMatch(/^Qué tenemos sobre usted:\n- Demo shop: Identificadores, /u);
  });
});
