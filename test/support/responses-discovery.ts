// Discovery results for Responses tests and benchmarks: a small one touching every CCPA category
// A-L, and a generated one of N rows across M collections.
import type { DiscoveryResult, FoundRow } from '../../shared/domain/discovery';

const row = (key: Record<string, unknown>, values: Record<string, unknown>, categories: Record<string, string>, extra: Partial<FoundRow> = {}): FoundRow => ({
  key, values, categories, via: 'identity:email', shared: null, exempt: null, ...extra,
});

/** One subject, three systems, every category A-L present, one shared row and one exempt row. */
export function sampleDiscovery(caseId: string): DiscoveryResult {
  return {
    caseId, strategy: 'connected_pii', at: '2026-03-02T15:00:00.000Z', systems: ['crm', 'shop', 'hr'], errors: [],
    collections: [
      { system: 'crm', dataset: 'crm_db', collection: 'customers', rows: [
        row({ id: 7 }, { id: 7, email: 'jane.doe@example.com', name: 'Jane Doe', street: '1 Main St, Springfield', birth_year: 1985, ssn: '123-45-6789', fingerprint_hash: 'ab12cd', lat: '37.77' },
          { id: 'user.unique_id', email: 'user.contact.email', name: 'user.name', street: 'user.contact.address.street', birth_year: 'user.demographic.age_range', ssn: 'user.government_id', fingerprint_hash: 'user.biometric.fingerprint', lat: 'user.location.imprecise' }),
      ] },
      { system: 'shop', dataset: 'shop_db', collection: 'orders', rows: [
        row({ id: 101 }, { id: 101, customer_id: 7, total: 42.5, item: '=HYPERLINK("x")' }, { customer_id: 'user.unique_id', total: 'user.commercial.purchase', item: 'user.commercial.purchase' }, { via: 'reference:customers.id' }),
        row({ id: 102 }, { id: 102, customer_id: 7, total: 10, item: 'Book, "quoted"\nsecond line' }, { customer_id: 'user.unique_id', total: 'user.commercial.purchase', item: 'user.commercial.purchase' }, { via: 'reference:customers.id', exempt: { reason: 'tax and accounting retention (7 years)' } }),
      ] },
      { system: 'shop', dataset: 'shop_db', collection: 'sessions', rows: [
        row({ sid: 's1' }, { sid: 's1', ip: '203.0.113.9', pages: '/tents, /boots', voice_note: 'call-1.wav', segment: 'bargain hunter' }, { ip: 'user.device.ip_address', pages: 'user.behavior.browsing_history', voice_note: 'user.sensor', segment: 'user.inference.profile' }),
        row({ sid: 's2' }, { sid: 's2', ip: '203.0.113.10', voice_note: null, segment: 'family' }, { ip: 'user.device.ip_address', segment: 'user.inference.profile' }, { shared: { reason: 'family account' } }),
      ] },
      { system: 'hr', dataset: 'hr_db', collection: 'applicants', rows: [
        row({ id: 'a1' }, { id: 'a1', employer: 'Acme', degree: 'BSc' }, { employer: 'user.workplace', degree: 'user.education' }),
      ] },
    ],
  };
}

/** `rows` rows spread over `collections` collections in two systems, 8 fields each. */
export function generatedDiscovery(caseId: string, rows: number, collections: number): DiscoveryResult {
  const cats = ['user.contact.email', 'user.name', 'user.contact.address.street', 'user.commercial.purchase', 'user.device.ip_address', 'user.location.imprecise', 'user.inference.profile', 'user.financial.account_number'];
  const cols = [];
  for (let c = 0; c < collections; c += 1) {
    const rs: FoundRow[] = [];
    const n = Math.floor(rows / collections) + (c < rows % collections ? 1 : 0);
    for (let i = 0; i < n; i += 1) {
      const values: Record<string, unknown> = { id: i };
      const categories: Record<string, string> = {};
      cats.forEach((cat, k) => { values[`f${k}`] = k === 3 ? i * 1.5 : `value ${c}-${i}-${k} <tag> & "q"`; categories[`f${k}`] = cat; });
      rs.push(row({ id: i }, values, categories));
    }
    cols.push({ system: `system${c % 2}`, dataset: `ds${c % 2}`, collection: `collection${c}`, rows: rs });
  }
  return { caseId, strategy: 'exact', at: '2026-03-02T15:00:00.000Z', systems: ['system0', 'system1'], errors: [], collections: cols };
}
