// Requirement 8 (partial addresses): a request with a full address matches only rows where all of
// address, address2, city, state, postal and country match (after normalisation); a collection
// that maps only some of the parts is never matched on those; an address that matches two people
// (Dan and Eve share Apt 4) goes to review instead of being erased.
import { expect, it } from 'vitest';
import { describeShop, listedAsKept, rowsOf } from '../../support/shops/harness';
import { DAN_ADDRESS, FRANK_ADDRESS, partialAddressShop } from '../../support/shops/partial-address';
import type { Row } from '../../support/shops/types';

const ids = (rows: Row[] | undefined) => (rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b);
const frank = { email: 'frank.ode@example.com', address: FRANK_ADDRESS };
const dan = { email: 'dan.ruiz@example.com', address: DAN_ADDRESS };

describeShop('partial addresses (address groups)', partialAddressShop, (suite) => {
  suite.scenario({ title: 'Frank asks for access with his full address', type: 'access', subject: 'frank', identities: frank }, (run) => {
    it('matches only the rows where every part of the address matches', () => {
      const r = run().out.results!;
      expect(ids(r['addr_shop:addresses'])).toEqual([11]);
      expect(ids(r['addr_shop:catalog_requests'])).toEqual([31]);
    });
    it('never matches a collection that maps only some address parts (city + postal, state + country)', () => {
      const r = run().out.results!;
      expect(r['addr_shop:store_pickups'] ?? []).toEqual([]);
      expect(r['addr_shop:regional_leads'] ?? []).toEqual([]);
    });
  });

  suite.scenario({ title: 'Frank asks for deletion with his full address', type: 'delete', subject: 'frank', identities: frank }, (run) => {
    it('erases his catalog request (matched by the full address) and his address', () => {
      const r = run();
      const c = rowsOf(r.after, 'shop', 'catalog_requests').find((x) => x.id === 31);
      expect(c?.recipient ?? null).not.toBe('Frank Ode');
      expect(c?.address2 ?? null).not.toBe('Apt 5');
      expect(rowsOf(r.after, 'shop', 'addresses').find((x) => x.id === 11)?.address2 ?? null).not.toBe('Apt 5');
    });
    it('leaves the partially mapped collections alone', () => {
      const r = run();
      for (const t of ['store_pickups', 'regional_leads']) expect(rowsOf(r.after, 'shop', t), t).toEqual(rowsOf(r.before, 'shop', t));
    });
  });

  suite.scenario({ title: 'Dan asks for access with his full address (shared with Eve)', type: 'access', subject: 'dan', identities: dan }, (run) => {
    it('finds his own catalog request (typed differently) and not Frank\'s, Gina\'s or the unnamed one', () => {
      const got = ids(run().out.results!['addr_shop:catalog_requests']);
      expect(got).toContain(30);
      for (const id of [31, 32, 33]) expect(got).not.toContain(id);
    });
    it('reports the shared home address as shared (review)', () => {
      expect(listedAsKept(run().out, 'addr_shop:addresses', { id: 10 })?.kind).toBe('review');
    });
  });

  suite.scenario({ title: 'Dan asks for deletion with his full address (shared with Eve)', type: 'delete', subject: 'dan', identities: dan }, (run) => {
    it('the address row both live at goes to review with a reason, unchanged', () => {
      const r = run();
      const kept = listedAsKept(r.out, 'addr_shop:addresses', { id: 10 });
      expect(kept?.kind).toBe('review');
      expect(kept?.reason.trim()).not.toBe('');
      expect(rowsOf(r.after, 'shop', 'addresses').find((x) => x.id === 10)).toEqual(rowsOf(r.before, 'shop', 'addresses').find((x) => x.id === 10));
    });
    it('Eve\'s catalog request at that address is matched by it, so it goes to review, unchanged', () => {
      const r = run();
      expect(listedAsKept(r.out, 'addr_shop:catalog_requests', { id: 34 })?.kind).toBe('review');
      expect(rowsOf(r.after, 'shop', 'catalog_requests').find((x) => x.id === 34)).toEqual(rowsOf(r.before, 'shop', 'catalog_requests').find((x) => x.id === 34));
    });
  });
});
