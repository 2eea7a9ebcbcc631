// Requirement 4 (a table without a primary key holding the email and a name): the subject's rows
// are changed by value match - masked in newsletter_log, deleted in bounce_log - duplicates
// included; the one-letter-different email (Liam) and Ola are untouched.
import { expect, it } from 'vitest';
import { describeShop, rowsOf, type Run } from '../../support/shops/harness';
import { noPrimaryKeyShop } from '../../support/shops/no-primary-key';
import type { Row } from '../../support/shops/types';

const isLia = (r: Row) => String(r.email ?? '').trim().toLowerCase() === 'lia.moss@example.com';
const others = (r: Run, when: 'before' | 'after', table: string) => rowsOf(r[when], 'mailer', table).filter((x) => /liam|ola/u.test(String(x.email)));

describeShop('tables without a primary key', noPrimaryKeyShop, (suite) => {
  suite.scenario({ title: 'Lia asks for access', type: 'access', subject: 'lia', identities: { email: 'lia.moss@example.com' } }, (run) => {
    it('lists her rows of both keyless tables and no one else\'s', () => {
      const r = run().out.results!;
      expect((r['mailer:newsletter_log'] ?? []).every(isLia)).toBe(true);
      expect((r['mailer:newsletter_log'] ?? []).length).toBeGreaterThanOrEqual(2);
      expect((r['mailer:bounce_log'] ?? []).every(isLia)).toBe(true);
      expect((r['mailer:bounce_log'] ?? []).length).toBeGreaterThanOrEqual(1);
    });
  });

  for (const type of ['delete', 'delete_pii'] as const) {
    suite.scenario({ title: `Lia asks for ${type} (exact)`, type, subject: 'lia', identities: { email: 'lia.moss@example.com' } }, (run) => {
      it('no keyless row holds her email or name any more (duplicates included)', () => {
        const r = run();
        for (const t of ['newsletter_log', 'bounce_log']) {
          const left = rowsOf(r.after, 'mailer', t).filter((x) => isLia(x) || x.full_name === 'Lia Moss' || x.display_name === 'Lia M.');
          expect(left, t).toEqual([]);
        }
      });
      if (type === 'delete') {
        it('newsletter_log (erasure: mask) keeps the rows, masked; bounce_log (erasure: delete) loses them', () => {
          const r = run();
          expect(rowsOf(r.after, 'mailer', 'newsletter_log')).toHaveLength(6);
          expect(rowsOf(r.after, 'mailer', 'bounce_log')).toHaveLength(1);
        });
      }
      it('Liam\'s and Ola\'s rows are untouched', () => {
        const r = run();
        for (const t of ['newsletter_log', 'bounce_log']) expect(others(r, 'after', t), t).toEqual(others(r, 'before', t));
      });
    });
  }
});
