// Requirement 3 (PII in a key): Fides' visit table, PRIMARY KEY (email, last_visit), email the
// identity. A delete removes Jo's visit rows or rewrites their email; a delete_pii keeps the rows
// and rewrites the email to a pseudonym. Never is a visit left holding Jo's email while the case
// closes.
import { expect, it } from 'vitest';
import { describeShop, rowsOf, type Run } from '../../support/shops/harness';
import { piiInKeyShop, VISIT_OWNER_BY_TIME, visitTime } from '../../support/shops/pii-in-key';

const JO = 'jo.doe@example.com';
const joVisits = (r: Run, when: 'before' | 'after') => rowsOf(r[when], 'fides-pg', 'visit').filter((v) => VISIT_OWNER_BY_TIME[visitTime(v.last_visit)] === 'jo');
const holdsJo = (v: { email?: unknown }) => String(v.email ?? '').trim().toLowerCase() === JO;

describeShop('PII in a composite primary key (Fides visit: email + last_visit)', piiInKeyShop, (suite) => {
  suite.scenario({ title: 'Jo asks for access', type: 'access', subject: 'jo', identities: { email: JO } }, (run) => {
    it('lists all three of Jo\'s visits (one stored with an upper-case email)', () => {
      expect(run().out.results!['fides_example:visit']).toHaveLength(3);
    });
  });

  suite.scenario({ title: 'Jo asks for deletion (exact)', type: 'delete', subject: 'jo', identities: { email: JO } }, (run) => {
    it('no visit row holds Jo\'s email any more: deleted, or the email rewritten', () => {
      const r = run();
      expect(rowsOf(r.after, 'fides-pg', 'visit').filter(holdsJo)).toEqual([]);
      expect(joVisits(r, 'after').filter(holdsJo)).toEqual([]);
    });
    it('the rewritten keys stay valid (not null, still unique)', () => {
      const left = joVisits(run(), 'after');
      expect(left.every((v) => v.email !== null && v.email !== '')).toBe(true);
      expect(new Set(left.map((v) => `${String(v.email)}|${String(v.last_visit)}`)).size).toBe(left.length);
    });
  });

  suite.scenario({ title: 'Jo asks for delete_pii (exact)', type: 'delete_pii', subject: 'jo', identities: { email: JO } }, (run) => {
    it('keeps Jo\'s three visit rows and rewrites their email to a pseudonym', () => {
      const left = joVisits(run(), 'after');
      expect(left).toHaveLength(3);
      for (const v of left) {
        expect(v.email).not.toBeNull();
        expect(String(v.email).trim().toLowerCase()).not.toBe(JO);
      }
    });
  });
});
