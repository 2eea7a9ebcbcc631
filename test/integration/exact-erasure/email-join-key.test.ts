// Requirement 5 (the email as a join key): subscriptions.user_email and email_prefs.user_email
// reference customers.email (the identity). After delete / delete_pii no table holds Ann's email,
// and where rows are kept the join still holds (subscriptions.user_email equals the customer's new
// email, a pseudonym, not null) - or the rows are sent to review with a reason. Never silent.
import { expect, it } from 'vitest';
import { describeShop, listedAsKept, rowsOf } from '../../support/shops/harness';
import { emailJoinKeyShop } from '../../support/shops/email-join-key';
import { canon } from '../../support/shops/dump';

const ANN = 'ann@example.com';

describeShop('the email as a join key (subscriptions.user_email -> customers.email)', emailJoinKeyShop, (suite) => {
  suite.scenario({ title: 'Ann asks for access', type: 'access', subject: 'ann', identities: { email: ANN } }, (run) => {
    it('finds her subscriptions and preferences through the email join (not Anne\'s)', () => {
      const r = run().out.results!;
      expect((r['email_shop:subscriptions'] ?? []).map((x) => Number(x.id)).sort()).toEqual([10, 11]);
      expect((r['email_shop:email_prefs'] ?? []).map((x) => x.user_email)).toEqual([ANN]);
    });
  });

  for (const type of ['delete', 'delete_pii'] as const) {
    suite.scenario({ title: `Ann asks for ${type} (exact)`, type, subject: 'ann', identities: { email: ANN } }, (run) => {
      it('no table holds Ann\'s email any more, except in rows sent to review with a reason', () => {
        const r = run();
        const left: string[] = [];
        for (const [table, t] of Object.entries(r.after.shop!)) {
          for (const row of t.rows) {
            if (!canon(row).toLowerCase().includes(`"${ANN}"`)) continue;
            if (listedAsKept(r.out, `email_shop:${table}`, row)?.kind === 'review') continue;
            left.push(`${table} ${canon(row)}`);
          }
        }
        expect(left).toEqual([]);
      });
      it('kept subscriptions still join to the kept customer row (same pseudonym, not null)', () => {
        const r = run();
        const customer = rowsOf(r.after, 'shop', 'customers').find((x) => x.id === 1);
        const subs = rowsOf(r.after, 'shop', 'subscriptions').filter((x) => x.id === 10 || x.id === 11)
          .filter((x) => listedAsKept(r.out, 'email_shop:subscriptions', x)?.kind !== 'review');
        if (!customer) {
          // the customer row went: a kept subscription must not point at Ann's email either
          for (const s of subs) expect(String(s.user_email).toLowerCase()).not.toBe(ANN);
          return;
        }
        for (const s of subs) {
          expect(s.user_email).not.toBeNull();
          expect(s.user_email).toBe(customer.email);
        }
      });
      it('Anne\'s and Bo\'s subscriptions still join to their customer rows', () => {
        const r = run();
        const customers = rowsOf(r.after, 'shop', 'customers');
        for (const s of rowsOf(r.after, 'shop', 'subscriptions').filter((x) => Number(x.id) >= 12)) {
          expect(customers.some((c) => c.email === s.user_email), `subscription ${String(s.id)}`).toBe(true);
        }
      });
    });
  }
});
