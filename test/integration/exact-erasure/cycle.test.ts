// Requirement 2 (cycle): accounts.gift_id -> gifts.id and gifts.giver_id -> accounts.id run in a
// cycle through two people's records (Pat and Quinn gave each other a gift). A request by one of
// them changes nobody else's rows and still finds all of the subject's own data.
import { expect, it } from 'vitest';
import { describeShop, listedAsKept, rowsOf } from '../../support/shops/harness';
import { cycleShop } from '../../support/shops/cycle';
import type { Row } from '../../support/shops/types';

const ids = (rows: Row[] | undefined) => (rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b);

describeShop('cycle between two people (accounts.gift_id <-> gifts.giver_id)', cycleShop, (suite) => {
  suite.scenario({ title: 'Pat asks for access', type: 'access', subject: 'pat', identities: { email: 'pat.kim@example.com' } }, (run) => {
    it('finds Pat\'s account and both gifts Pat gave; the account is not "shared"', () => {
      const out = run().out;
      expect(ids(out.results!['gift_app:accounts'])).toContain(1);
      expect(ids(out.results!['gift_app:gifts'])).toEqual(expect.arrayContaining([10, 11]));
      expect(listedAsKept(out, 'gift_app:accounts', { id: 1 })).toBeNull();
    });
    it('does not report Quinn\'s account as Pat\'s', () => {
      const out = run().out;
      expect(ids(out.results!['gift_app:accounts'])).toEqual([1]);
    });
  });

  suite.scenario({ title: 'Pat asks for deletion (exact)', type: 'delete', subject: 'pat', identities: { email: 'pat.kim@example.com' } }, (run) => {
    it('keeps Quinn\'s account and Quinn\'s gift exactly as they were', () => {
      const r = run();
      const quinn = (d: typeof r.before) => [rowsOf(d, 'gifts-app', 'accounts').filter((x) => x.id === 2), rowsOf(d, 'gifts-app', 'gifts').filter((x) => x.giver_id === 2)];
      expect(quinn(r.after)).toEqual(quinn(r.before));
    });
    it('erases Pat\'s account and the gift Pat gave that nobody received (11)', () => {
      const r = run();
      expect(rowsOf(r.after, 'gifts-app', 'accounts').filter((x) => x.id === 1)).toEqual([]);
      const g11 = rowsOf(r.after, 'gifts-app', 'gifts').find((x) => x.id === 11);
      expect(g11?.giver_name ?? null).not.toBe('Pat Kim');
      expect(g11?.message ?? null).not.toBe('See you soon');
    });
  });

  suite.scenario({ title: 'Quinn asks for deletion (exact)', type: 'delete', subject: 'quinn', identities: { email: 'QUINN.ROE@example.com ' } }, (run) => {
    it('keeps Pat\'s account and Pat\'s gifts exactly as they were', () => {
      const r = run();
      const pat = (d: typeof r.before) => [rowsOf(d, 'gifts-app', 'accounts').filter((x) => x.id === 1), rowsOf(d, 'gifts-app', 'gifts').filter((x) => x.giver_id === 1)];
      expect(pat(r.after)).toEqual(pat(r.before));
    });
  });
});
