// Requirement 7 (two datasets, two systems): billing.accounts.crm_contact_id references
// crm.contacts.id across datasets (Fides fides_meta.references with `dataset: crm`). Sara's billing
// account and payments are found through her crm contact, and erased with it; nobody else's.
import { expect, it } from 'vitest';
import { describeShop, rowsOf } from '../../support/shops/harness';
import { crossDatasetShop } from '../../support/shops/cross-dataset';
import type { Row } from '../../support/shops/types';

const ids = (rows: Row[] | undefined) => (rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b);

describeShop('two datasets, one referencing the other (billing -> crm)', crossDatasetShop, (suite) => {
  suite.scenario({ title: 'Sara asks for access', type: 'access', subject: 'sara', identities: { email: 'sara.lind@example.com' } }, (run) => {
    it('finds her billing account and payments through her crm contact', () => {
      const r = run().out.results!;
      expect(ids(r['crm:contacts'])).toEqual([1]);
      expect(ids(r['billing:accounts'])).toEqual([2]);
      expect(ids(r['billing:payments'])).toEqual([9001, 9002]);
    });
  });

  suite.scenario({ title: 'Sara asks for deletion (exact)', type: 'delete', subject: 'sara', identities: { email: 'sara.lind@example.com' } }, (run) => {
    it('masks her billing account and payments in the second system', () => {
      const r = run();
      const acct = rowsOf(r.after, 'billing', 'accounts').find((x) => x.id === 2);
      expect(acct?.holder_name ?? null).not.toBe('Sara Lind');
      expect(acct?.iban ?? null).not.toBe('DE44500105175407324931');
      for (const id of [9001, 9002]) expect(rowsOf(r.after, 'billing', 'payments').find((x) => x.id === id)?.card_name ?? null).not.toBe('SARA LIND');
    });
    it('leaves Tom\'s account 1 (whose id equals Sara\'s contact id) alone', () => {
      const r = run();
      expect(rowsOf(r.after, 'billing', 'accounts').find((x) => x.id === 1)).toEqual(rowsOf(r.before, 'billing', 'accounts').find((x) => x.id === 1));
    });
  });
});
