// Requirement 6 (nested JSON): customers.profile (jsonb / JSON text) with nested personal fields
// declared in the data map as nested `fields` (profile.name, profile.address.city;
// orders.delivery.recipient.name). After the erasure the nested personal values are gone and every
// other key of the JSON is kept. (If parseDataMap does not accept nested `fields` yet, every test
// here fails on registering the system: the format is being extended.)
import { expect, it } from 'vitest';
import { describeShop, rowsOf, type Run } from '../../support/shops/harness';
import { MIA_PROFILE, nestedJsonShop } from '../../support/shops/nested-json';
import { parsedJson, valueAt } from '../../support/shops/dump';

const mia = (r: Run) => rowsOf(r.after, 'crm', 'customers').find((x) => x.id === 1);
const miaOrder = (r: Run) => rowsOf(r.after, 'crm', 'orders').find((x) => x.id === 100);
const json = (v: unknown) => parsedJson(v) as Record<string, unknown> | null;

describeShop('nested JSON fields (profile.name, profile.address.city)', nestedJsonShop, (suite) => {
  suite.scenario({ title: 'Mia asks for access', type: 'access', subject: 'mia', identities: { email: 'mia.roth@example.com' } }, (run) => {
    it('reports the nested personal values of her profile and order', () => {
      const r = run().out.results!;
      const text = JSON.stringify([r['json_crm:customers'], r['json_crm:orders']]);
      expect(text).toContain('Mia Roth');
      expect(text).toContain('Leipzig');
      expect(text).not.toContain('Noah');
    });
  });

  suite.scenario({ title: 'Mia asks for deletion (exact)', type: 'delete', subject: 'mia', identities: { email: 'mia.roth@example.com' } }, (run) => {
    it('profile.name and profile.address.city are gone', () => {
      const row = mia(run());
      expect(row, 'the customers row is masked (erasure: mask), not deleted').toBeDefined();
      expect(valueAt(row!, 'profile.name') ?? null).not.toBe('Mia Roth');
      expect(valueAt(row!, 'profile.address.city') ?? null).not.toBe('Leipzig');
    });
    it('every other key of the profile is kept as it was (tier, preferences, address.zip)', () => {
      const p = json(mia(run())?.profile);
      expect(p).not.toBeNull();
      expect(p!.tier).toBe(MIA_PROFILE.tier);
      expect(p!.preferences).toEqual(MIA_PROFILE.preferences);
      expect((p!.address as Record<string, unknown> | undefined)?.zip).toBe(MIA_PROFILE.address.zip);
    });
    it('orders.delivery.recipient.name is gone, the rest of delivery kept', () => {
      const d = json(miaOrder(run())?.delivery);
      expect(d).not.toBeNull();
      expect((d!.recipient as Record<string, unknown> | undefined)?.name ?? null).not.toBe('Mia Roth');
      expect((d!.recipient as Record<string, unknown> | undefined)?.floor).toBe(3);
      expect(d!.window).toBe('am');
    });
  });

  suite.scenario({ title: 'Mia asks for delete_pii of user.name only', type: 'delete_pii', subject: 'mia', identities: { email: 'mia.roth@example.com' }, categories: ['user.name'] }, (run) => {
    it('profile.name is gone; the city, the email and the other keys are kept', () => {
      const row = mia(run());
      expect(valueAt(row!, 'profile.name') ?? null).not.toBe('Mia Roth');
      expect(valueAt(row!, 'profile.address.city')).toBe('Leipzig');
      expect(valueAt(row!, 'profile.tier')).toBe('gold');
      expect(row!.email).toBe('mia.roth@example.com');
      expect(valueAt(miaOrder(run())!, 'delivery.recipient.name') ?? null).not.toBe('Mia Roth');
    });
  });
});
