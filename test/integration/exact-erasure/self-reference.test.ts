// Requirement 1 (self-reference): customers.referred_by -> customers.id; Bob was referred by Ann
// (and referred Cleo). Bob's delete (exact) changes none of Ann's rows and lists Ann's row for review
// with a reason saying it is someone else's; Ann's access includes her orders and subscription and
// her own customer row is not "shared". Run for both ways of writing the reference (see the shop).
import { expect, it } from 'vitest';
import { describeShop, listedAsKept, rowsOf, type Run } from '../../support/shops/harness';
import { selfReferenceShop } from '../../support/shops/self-reference';
import type { Row } from '../../support/shops/types';

const ANOTHER = /another (person|customer|subject|data subject)|someone else|other person|belongs to/iu;
const ids = (rows: Row[] | undefined) => (rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b);
const annRows = (r: Run, when: 'before' | 'after') => ({
  customers: rowsOf(r[when], 'shop', 'customers').filter((x) => x.id === 1),
  orders: rowsOf(r[when], 'shop', 'orders').filter((x) => x.customer_id === 1),
  subscriptions: rowsOf(r[when], 'shop', 'subscriptions').filter((x) => x.customer_id === 1),
});

for (const direction of ['to', 'both'] as const) {
  describeShop(`self-reference, referred_by written ${direction === 'to' ? 'as a foreign key (direction: to)' : 'without a direction'}`, () => selfReferenceShop(direction), (suite) => {
    suite.scenario({ title: 'Ann asks for access', type: 'access', subject: 'ann', identities: { email: 'ann.lee@example.com' } }, (run) => {
      it('includes her orders and her subscription', () => {
        const r = run().out.results!;
        expect(ids(r['referral_shop:customers'])).toContain(1);
        expect(ids(r['referral_shop:orders'])).toEqual([100, 101]);
        expect(ids(r['referral_shop:subscriptions'])).toEqual([20]);
      });
      it('her own customer row is not "shared"', () => {
        const out = run().out;
        expect(listedAsKept(out, 'referral_shop:customers', { id: 1 })).toBeNull();
      });
      it('does not include Bob (who was referred by her) or his orders', () => {
        const r = run().out.results!;
        expect(ids(r['referral_shop:customers'])).toEqual([1]);
        expect(JSON.stringify(r).toLowerCase()).not.toContain('bob');
      });
    });

    suite.scenario({ title: 'Bob asks for access', type: 'access', subject: 'bob', identities: { email: 'bob.ray@example.com' } }, (run) => {
      it('includes his order and subscription, and his customer row is not "shared"', () => {
        const out = run().out;
        expect(ids(out.results!['referral_shop:orders'])).toEqual([102]);
        expect(ids(out.results!['referral_shop:subscriptions'])).toEqual([21]);
        expect(listedAsKept(out, 'referral_shop:customers', { id: 2 })).toBeNull();
      });
      it('includes none of Ann\'s orders or subscription', () => {
        const r = run().out.results!;
        expect(ids(r['referral_shop:orders'])).not.toContain(100);
        expect(ids(r['referral_shop:subscriptions'])).not.toContain(20);
      });
    });

    suite.scenario({ title: 'Bob asks for deletion (exact)', type: 'delete', subject: 'bob', identities: { email: 'bob.ray@example.com' } }, (run) => {
      it('changes none of Ann\'s rows (customers, orders, subscriptions)', () => {
        const r = run();
        expect(annRows(r, 'after')).toEqual(annRows(r, 'before'));
      });
      it('lists Ann\'s customer row for review with a reason saying it belongs to another person', () => {
        const kept = listedAsKept(run().out, 'referral_shop:customers', { id: 1 });
        expect(kept?.kind).toBe('review');
        expect(kept?.reason).toMatch(ANOTHER);
      });
      it('erases Bob\'s own rows: his customer row and subscription gone, his order masked', () => {
        const r = run();
        expect(rowsOf(r.after, 'shop', 'customers').filter((x) => x.id === 2)).toEqual([]);
        expect(rowsOf(r.after, 'shop', 'subscriptions').filter((x) => x.id === 21)).toEqual([]);
        const order = rowsOf(r.after, 'shop', 'orders').find((x) => x.id === 102);
        expect(order?.ship_name).not.toBe('Bob Ray');
        expect(order?.ship_note).not.toBe('ring twice');
      });
    });

    suite.scenario({ title: 'Ann asks for deletion (exact)', type: 'delete', subject: 'ann', identities: { email: 'ann.lee@example.com' } }, (run) => {
      it('erases Ann\'s own rows and keeps Bob\'s row (which points at hers) as it was', () => {
        const r = run();
        expect(annRows(r, 'after').customers).toEqual([]);
        expect(annRows(r, 'after').subscriptions).toEqual([]);
        expect(annRows(r, 'after').orders.map((o) => o.ship_name)).not.toContain('Ann Lee');
        expect(rowsOf(r.after, 'shop', 'customers').find((x) => x.id === 2)).toEqual(rowsOf(r.before, 'shop', 'customers').find((x) => x.id === 2));
      });
    });
  });
}
