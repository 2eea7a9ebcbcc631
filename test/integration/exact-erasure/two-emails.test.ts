// Requirement 9 (a person with two emails): customers.email and customers.alt_email are both
// identity email. Under connected_pii, a request by either address finds the rows held under the
// other one too, and a delete erases them all; Kai (same domain as Ivy's second address) and Jon
// are untouched.
import { expect, it } from 'vitest';
import { describeShop, rowsOf } from '../../support/shops/harness';
import { twoEmailsShop } from '../../support/shops/two-emails';

describeShop('a person with two emails (email + alt_email)', twoEmailsShop, (suite) => {
  suite.scenario({ title: 'Ivy asks for access by her main email (connected_pii)', type: 'access', subject: 'ivy', identities: { email: 'ivy.chen@example.com' }, strategy: 'connected_pii' }, (run) => {
    it('finds the tickets and the newsletter row under her second email', () => {
      const r = run().out.results!;
      expect((r['help_desk:support_tickets'] ?? []).map((x) => Number(x.id)).sort()).toEqual([70, 71]);
      expect((r['help_desk:newsletter'] ?? []).map((x) => String(x.email).toLowerCase())).toEqual(['ivy@chenfamily.org']);
    });
  });

  for (const email of ['ivy.chen@example.com', 'ivy@chenfamily.org']) {
    suite.scenario({ title: `Ivy asks for deletion by ${email} (connected_pii)`, type: 'delete', subject: 'ivy', identities: { email }, strategy: 'connected_pii' }, (run) => {
      it('erases what is held under both of her emails', () => {
        const r = run();
        expect(rowsOf(r.after, 'desk', 'customers').filter((x) => x.id === 1)).toEqual([]);
        expect(rowsOf(r.after, 'desk', 'newsletter').map((x) => String(x.email).toLowerCase())).not.toContain('ivy@chenfamily.org');
        for (const id of [70, 71]) {
          const t = rowsOf(r.after, 'desk', 'support_tickets').find((x) => x.id === id);
          expect(String(t?.email ?? '').toLowerCase()).not.toMatch(/ivy/u);
        }
      });
    });
  }
});
