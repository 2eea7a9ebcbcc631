// The demo shop's access report with known data (issue 21): Ann's rows as discovery finds them
// (values from DEMO_SHOP_DATA, one shared row, one row of another person), the map's labels,
// formats and disclosures. Used by the unit proof and the Chromium screenshots.
import { demoShopDataMap, DEMO_SHOP_SYSTEM } from '../../shared/adapters/demo-shop';
import { systemInfoFromMap, type BuildReportOptions, type SystemDisclosure } from '../../shared/domain/report';
import type { DiscoveryResult, FoundRow } from '../../shared/domain/discovery';

const map = demoShopDataMap();
export { map as demoMap };
const cats = (collection: string): Record<string, string> => Object.fromEntries(map.collections.find((c) => c.name === collection)!.fields.map((f) => [f.name, f.categories[0]!]));
const row = (collection: string, values: Record<string, unknown>, extra: Partial<FoundRow> = {}): FoundRow => ({
  key: { id: values.id ?? values.email }, values, categories: cats(collection), via: 'identity:email', shared: null, exempt: null, ...extra,
});
const col = (collection: string, rows: FoundRow[]) => ({ system: DEMO_SHOP_SYSTEM, dataset: 'demo_shop', collection, rows });

export const LONG = `My order 100 arrived late and the mug was chipped. ${'I would like a replacement sent to my office address, please. '.repeat(6)}Thank you.`;

export function annDiscovery(caseId = 'PD-20260302-ANN001'): DiscoveryResult {
  return {
    caseId, strategy: 'connected_pii', at: '2026-03-02T15:00:00.000Z', systems: [DEMO_SHOP_SYSTEM], errors: [],
    collections: [
      col('customers', [row('customers', { id: 1, email: 'Ann.Lee@Example.com ', phone: '(415) 555-0101', first_name: 'Ann', last_name: 'Lee', birth_date: '1988-04-12', loyalty_id: 'L-1001', created_at: '2024-01-05T10:00:00Z' })]),
      col('customer_addresses', [
        row('customer_addresses', { customer_id: 1, address_id: 11, kind: 'work' }),
        row('customer_addresses', { customer_id: 1, address_id: 10, kind: 'home' }, { shared: { reason: 'address 10 is also Bob\'s home' } }),
      ]),
      col('payment_cards', [row('payment_cards', { id: 20, customer_id: 1, card_number: '4111111111111111', holder_name: 'Ann Lee', expiry: '12/28' })]),
      col('orders', [
        row('orders', { id: 100, customer_id: 1, card_id: 20, shipping_address_id: 10, total_cents: 4250, gift_message: 'Happy birthday!', placed_at: '2024-06-01T10:00:00Z' }),
        row('orders', { id: 101, customer_id: 1, card_id: 20, shipping_address_id: 11, total_cents: 1999, gift_message: null, placed_at: '2024-06-15T10:00:00Z' }),
        // Carol's order paid with Ann's card: another person's row, never in Ann's report.
        row('orders', { id: 103, customer_id: 3, card_id: 20, shipping_address_id: 12, total_cents: 1200, gift_message: 'From Ann with love', placed_at: '2024-07-01T10:00:00Z' }, { other: { reason: 'customer 3' } }),
      ]),
      col('logins', [row('logins', { id: 500, customer_id: 1, ip_address: '203.0.113.10', user_agent: 'Firefox', at: '2024-07-14T09:00:00Z' })]),
      col('marketing_consent', [row('marketing_consent', { email: 'ann.lee@example.com', newsletter: 1, do_not_sell: 0, updated_at: '2024-01-05T10:00:00Z' })]),
      col('support_tickets', [row('support_tickets', { id: 700, customer_id: 1, email: 'ann.lee@example.com', subject: 'Where is my order?', body: LONG, opened_at: '2024-06-05T10:00:00Z' })]),
    ],
  };
}

export const declared: SystemDisclosure[] = [{ system: DEMO_SHOP_SYSTEM, ...map.disclosures! }];
export const demoReportOptions = (over: Partial<BuildReportOptions> = {}): BuildReportOptions => ({
  businessName: 'Acme Outdoor', generatedAt: '2026-03-10T12:00:00.000Z', receivedAt: '2026-03-02T15:00:00.000Z',
  disclosures: declared, systemInfo: { [DEMO_SHOP_SYSTEM]: systemInfoFromMap(map) }, timeZone: 'America/Los_Angeles', ...over,
});
