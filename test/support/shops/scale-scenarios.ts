// The exact-erasure requirements of self-reference, cycle, two emails and nested JSON, declared for a
// scale engine (./scale-harness.ts): the same shops and scenarios as the SQLite/PostgreSQL tests
// (test/integration/exact-erasure/{self-reference,cycle,two-emails,nested-json}.test.ts), with the
// shop's own assertions next to the generic ones. Called by the *-dynamodb / *-lake test files.
import { describe, expect, it } from 'vitest';
import { listedAsKept } from './invariants';
import { parsedJson, valueAt } from './dump';
import { rowsOf } from './harness';
import { DYNAMO, describeScaleShop, registrationError, type RawItems, type ScaleEngine, type ScaleOptions, type ScaleRun, type ScenarioOptions } from './scale-harness';
import { selfReferenceShop } from './self-reference';
import { cycleShop } from './cycle';
import { twoEmailsShop } from './two-emails';
import { MIA_PROFILE, NOAH_PROFILE, nestedJsonShop } from './nested-json';
import type { DataMap } from '../../../shared/domain/datamap';
import type { Row, Scenario, ShopDef } from './types';

const ANOTHER = /another (person|customer|subject|data subject)|someone else|other person|belongs to/iu;
const ids = (rows: Row[] | undefined) => (rows ?? []).map((r) => Number(r.id)).sort((a, b) => a - b);

// --- requirement 1: self-reference ---------------------------------------------------------------

export interface SuiteVariant {
  /** The orders table's key on the engine (default ['id']); ['customer_id', 'id'] is the DynamoDB way (orders partitioned by customer, sorted by order id: a look-up by customer is a Query). */
  ordersKey?: string[];
  /** Engine options (DynamoDB: a GSI on every email / phone identity attribute). */
  options?: ScaleOptions;
  /** A note for the suite's title. */
  note?: string;
  /** Known engine problems of a scenario (see ScenarioOptions), by its type. */
  known?: Partial<Record<Scenario['type'], ScenarioOptions['known']>>;
}

/** Self-reference suites, for both ways of writing referred_by. */
export function selfReferenceSuites(engine: ScaleEngine, variant: SuiteVariant = {}): void {
  const ordersKey = variant.ordersKey ?? ['id'];
  const shopOf = (direction: 'to' | 'both'): ShopDef => {
    const shop = selfReferenceShop(direction);
    // The map declares the table's whole key (DynamoDB addresses an item by all of it), or none.
    const map = (m: DataMap): DataMap => ({
      ...m,
      collections: m.collections.map((c) => (c.name === 'orders' ? { ...c, fields: c.fields.map((f) => ({ ...f, primaryKey: ordersKey.includes(f.name) })) } : c)),
    });
    return { ...shop, systems: shop.systems.map((sys) => ({ ...sys, map: () => map(sys.map()), tables: sys.tables.map((t) => (t.name === 'orders' ? { ...t, primaryKey: ordersKey } : t)) })) };
  };
  const keyNote = (ordersKey.join(',') === 'id' ? '' : ordersKey.length ? `, orders keyed (${ordersKey.join(', ')})` : ', orders without a primary key') + (variant.note ? `, ${variant.note}` : '');
  const known = (sc: Scenario): ScenarioOptions | undefined => (variant.known?.[sc.type] ? { known: variant.known[sc.type] } : undefined);
  const annRows = (r: ScaleRun, when: 'before' | 'after') => ({
    customers: rowsOf(r[when], 'shop', 'customers').filter((x) => x.id === 1),
    orders: rowsOf(r[when], 'shop', 'orders').filter((x) => x.customer_id === 1),
    subscriptions: rowsOf(r[when], 'shop', 'subscriptions').filter((x) => x.customer_id === 1),
  });
  for (const direction of ['to', 'both'] as const) {
    describeScaleShop(`self-reference, referred_by written ${direction === 'to' ? 'as a foreign key (direction: to)' : 'without a direction'}${keyNote}`, engine, () => shopOf(direction), (base) => {
      const suite = { ...base, scenario: (sc: Scenario, extra?: (run: () => ScaleRun) => void) => base.scenario(sc, extra, known(sc)) };
      suite.scenario({ title: 'Ann asks for access', type: 'access', subject: 'ann', identities: { email: 'ann.lee@example.com' } }, (run) => {
        it('includes her own orders and her subscription', () => {
          const r = run().out.results!;
          expect(ids(r['referral_shop:customers'])).toContain(1);
          expect(ids(r['referral_shop:orders'])).toEqual([100, 101]);
          expect(ids(r['referral_shop:subscriptions'])).toEqual([20]);
        });
        it('her own customer row is not "shared"', () => {
          expect(listedAsKept(run().out, 'referral_shop:customers', { id: 1 })).toBeNull();
        });
        it('does not include Bob (who was referred by her) or his orders', () => {
          const r = run().out.results!;
          expect(ids(r['referral_shop:customers'])).toEqual([1]);
          expect(JSON.stringify(r).toLowerCase()).not.toContain('bob');
        });
      });

      suite.scenario({ title: 'Bob asks for deletion (exact)', type: 'delete', subject: 'bob', identities: { email: 'bob.ray@example.com' } }, (run) => {
        it('changes none of Ann\'s items/rows (customers, orders, subscriptions)', () => {
          const r = run();
          expect(annRows(r, 'after')).toEqual(annRows(r, 'before'));
        });
        it('lists Ann\'s customer row for review with a reason saying it belongs to another person', () => {
          const kept = listedAsKept(run().out, 'referral_shop:customers', { id: 1 });
          expect(kept?.kind).toBe('review');
          expect(kept?.reason).toMatch(ANOTHER);
        });
        it('erases Bob\'s own data: his customer row and subscription gone, his order masked', () => {
          const r = run();
          expect(rowsOf(r.after, 'shop', 'customers').filter((x) => x.id === 2)).toEqual([]);
          expect(rowsOf(r.after, 'shop', 'subscriptions').filter((x) => x.id === 21)).toEqual([]);
          const order = rowsOf(r.after, 'shop', 'orders').find((x) => x.id === 102);
          expect(order, 'the order is masked (erasure: mask), not deleted').toBeDefined();
          expect(order?.ship_name ?? null).not.toBe('Bob Ray');
          expect(order?.ship_note ?? null).not.toBe('ring twice');
          expect(order?.total_cents).toBe(900);
        });
        it('Cleo (whom Bob referred) is untouched', () => {
          const r = run();
          const cleo = (d: typeof r.before) => [rowsOf(d, 'shop', 'customers').filter((x) => x.id === 3), rowsOf(d, 'shop', 'orders').filter((x) => x.customer_id === 3)];
          expect(cleo(r.after)).toEqual(cleo(r.before));
        });
      });

      suite.scenario({ title: 'Bob asks for deletion by his phone, written otherwise (exact)', type: 'delete', subject: 'bob', identities: { phone: '415.555.0102' } }, (run) => {
        it('erases Bob\'s customer row and changes none of Ann\'s', () => {
          const r = run();
          expect(rowsOf(r.after, 'shop', 'customers').filter((x) => x.id === 2)).toEqual([]);
          expect(annRows(r, 'after')).toEqual(annRows(r, 'before'));
        });
      });

      suite.scenario({ title: 'Ann asks for deletion (exact)', type: 'delete', subject: 'ann', identities: { email: 'ann.lee@example.com' } }, (run) => {
        it('erases Ann\'s own data and keeps Bob\'s row (which points at hers) as it was', () => {
          const r = run();
          expect(annRows(r, 'after').customers).toEqual([]);
          expect(annRows(r, 'after').subscriptions).toEqual([]);
          expect(annRows(r, 'after').orders.map((o) => o.ship_name)).not.toContain('Ann Lee');
          expect(rowsOf(r.after, 'shop', 'customers').find((x) => x.id === 2)).toEqual(rowsOf(r.before, 'shop', 'customers').find((x) => x.id === 2));
        });
      });
    }, variant.options);
  }
}

// --- requirement 2: cycle ------------------------------------------------------------------------

/** Cycle suites. `giftsKey`: the gifts table's key ([giver_id, id] on DynamoDB: gifts partitioned by giver, a look-up by giver is a Query). */
export function cycleSuites(engine: ScaleEngine, giftsKey: string[] = ['id']): void {
  const shop = (): ShopDef => {
    const base = cycleShop();
    if (giftsKey.join(',') === 'id') return base;
    return {
      ...base,
      systems: base.systems.map((sys) => ({
        ...sys,
        tables: sys.tables.map((t) => (t.name === 'gifts' ? { ...t, primaryKey: giftsKey } : t)),
        map: () => {
          const m = sys.map();
          return { ...m, collections: m.collections.map((c) => (c.name === 'gifts' ? { ...c, fields: c.fields.map((f) => ({ ...f, primaryKey: giftsKey.includes(f.name) })) } : c)) };
        },
      })),
    };
  };
  const note = giftsKey.join(',') === 'id' ? '' : `, gifts keyed (${giftsKey.join(', ')})`;
  describeScaleShop(`cycle between two people (accounts.gift_id <-> gifts.giver_id)${note}`, engine, shop, (suite) => {
    suite.scenario({ title: 'Pat asks for access', type: 'access', subject: 'pat', identities: { email: 'pat.kim@example.com' } }, (run) => {
      it('finds Pat\'s account and both gifts Pat gave; the account is not "shared" and Quinn\'s is not Pat\'s', () => {
        const out = run().out;
        expect(ids(out.results!['gift_app:accounts'])).toEqual([1]);
        expect(ids(out.results!['gift_app:gifts'])).toEqual(expect.arrayContaining([10, 11]));
        expect(listedAsKept(out, 'gift_app:accounts', { id: 1 })).toBeNull();
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
}

// --- requirement 9: a person with two emails -------------------------------------------------------

export function twoEmailsSuites(engine: ScaleEngine): void {
  const othersOf = (r: ScaleRun, when: 'before' | 'after') => ({
    customers: rowsOf(r[when], 'desk', 'customers').filter((x) => x.id !== 1),
    tickets: rowsOf(r[when], 'desk', 'support_tickets').filter((x) => x.id === 72 || x.id === 73),
    newsletter: rowsOf(r[when], 'desk', 'newsletter').filter((x) => String(x.email) === 'kai@chenfamily.org' || String(x.email) === 'jon.chen@example.com'),
    orders: rowsOf(r[when], 'desk', 'orders').filter((x) => x.customer_id !== 1),
  });
  describeScaleShop('a person with two emails (email + alt_email)', engine, twoEmailsShop, (suite) => {
    suite.scenario({ title: 'Ivy asks for access by her main email (connected_pii)', type: 'access', subject: 'ivy', identities: { email: 'ivy.chen@example.com' }, strategy: 'connected_pii' }, (run) => {
      it('finds the tickets and the newsletter row under her second email', () => {
        const r = run().out.results!;
        expect(ids(r['help_desk:support_tickets'])).toEqual([70, 71]);
        expect((r['help_desk:newsletter'] ?? []).map((x) => String(x.email).toLowerCase())).toEqual(['ivy@chenfamily.org']);
      });
      it('finds none of Kai\'s or Jon\'s', () => {
        const r = run().out.results!;
        expect(ids(r['help_desk:customers'])).toEqual([1]);
        expect(JSON.stringify(r).toLowerCase()).not.toMatch(/kai|jon/u);
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
            expect(t, `ticket ${id} is masked (erasure: mask), not deleted`).toBeDefined();
            expect(String(t?.email ?? '').toLowerCase()).not.toMatch(/ivy/u);
            expect(String(t?.body ?? '')).not.toMatch(/Ivy/u);
          }
        });
        it('Kai (same domain as her second email) and Jon are untouched', () => {
          const r = run();
          expect(othersOf(r, 'after')).toEqual(othersOf(r, 'before'));
        });
      });
    }

    // delete_pii keeps the rows: the newsletter row's key is her second email, rewritten to a
    // pseudonym in place (docs/DATAMAP.md section 3: keys holding personal data; a key that cannot
    // be rewritten is kept as key_field). DynamoDB cannot change a key attribute in place: the plan
    // keeps it as key_field there ("only deleting the item removes it").
    // (the kept key is named in the output's review list, so the generic requirements judge it).
    const piiKnown: ScenarioOptions | undefined = undefined;
    suite.scenario({ title: 'Ivy asks for delete_pii by her main email (connected_pii)', type: 'delete_pii', subject: 'ivy', identities: { email: 'ivy.chen@example.com' }, strategy: 'connected_pii' }, (run) => {
      it('deletes no row (delete_pii keeps them)', () => {
        const r = run();
        for (const t of ['customers', 'support_tickets', 'newsletter', 'orders']) expect(rowsOf(r.after, 'desk', t).length, t).toBe(rowsOf(r.before, 'desk', t).length);
      });
      it('Kai (same domain as her second email) and Jon are untouched', () => {
        const r = run();
        expect(othersOf(r, 'after')).toEqual(othersOf(r, 'before'));
      });
    }, piiKnown);

  });
}

// --- requirement 6: nested fields (DynamoDB maps) ---------------------------------------------------

export function nestedSuites(engine: ScaleEngine): void {
  const json = (v: unknown) => parsedJson(v) as Record<string, unknown> | null;
  const mia = (r: ScaleRun) => rowsOf(r.after, 'crm', 'customers').find((x) => x.id === 1);
  const miaOrder = (r: ScaleRun) => rowsOf(r.after, 'crm', 'orders').find((x) => x.id === 100);
  describeScaleShop('nested fields in a map attribute (profile.name, profile.address.city)', engine, nestedJsonShop, (suite) => {
    suite.scenario({ title: 'Mia asks for access', type: 'access', subject: 'mia', identities: { email: 'mia.roth@example.com' } }, (run) => {
      it('reports the nested personal values of her profile and order, nothing of Noah', () => {
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
        expect(row, 'the customers item is masked (erasure: mask), not deleted').toBeDefined();
        expect(valueAt(row!, 'profile.name') ?? null).not.toBe('Mia Roth');
        expect(valueAt(row!, 'profile.address.city') ?? null).not.toBe('Leipzig');
      });
      it('every other key of the profile map is kept as it was (tier, preferences, address.zip)', () => {
        const p = json(mia(run())?.profile);
        expect(p).not.toBeNull();
        expect(p!.tier).toBe(MIA_PROFILE.tier);
        expect(p!.preferences).toEqual(MIA_PROFILE.preferences);
        expect((p!.address as Record<string, unknown> | undefined)?.zip).toBe(MIA_PROFILE.address.zip);
      });
      it('the profile is still a map (not rewritten as text)', () => {
        const p = mia(run())?.profile;
        expect(typeof p).toBe('object');
      });
      it('orders.delivery.recipient.name is gone, the rest of delivery kept', () => {
        const d = json(miaOrder(run())?.delivery);
        expect(d).not.toBeNull();
        expect((d!.recipient as Record<string, unknown> | undefined)?.name ?? null).not.toBe('Mia Roth');
        expect((d!.recipient as Record<string, unknown> | undefined)?.floor).toBe(3);
        expect(d!.window).toBe('am');
      });
      it('Noah\'s profile (same city) and order are untouched', () => {
        const r = run();
        expect(rowsOf(r.after, 'crm', 'customers').find((x) => x.id === 2)?.profile).toEqual(NOAH_PROFILE);
        expect(rowsOf(r.after, 'crm', 'orders').find((x) => x.id === 101)).toEqual(rowsOf(r.before, 'crm', 'orders').find((x) => x.id === 101));
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
}

/**
 * DynamoDB with a global secondary index on each email / phone identity attribute (how a DynamoDB
 * table is usually looked up by email): the self-reference shop, whose rows hold Bob's email as
 * "Bob.Ray@example.com" and his phone as "(415) 555-0102" (the SQL engines match both ignoring case
 * and punctuation: docs/DATAMAP.md section 2). An index Query is exact, so the engine tries an email
 * as given and lower-cased and a phone in its common formats, and on a table under the scan bound
 * (scanLookupBelowItems: docs/DATA-STORES.md) compares emails and phones ignoring case and format
 * by a Scan: Bob's request by "bob.ray@example.com" or "415.555.0102" finds his items, and none of
 * Ann's.
 */
export function indexedLookupSuites(): void {
  describeScaleShop('self-reference, DynamoDB looked up through a GSI on email and phone', 'dynamodb', () => selfReferenceShop('to'), (suite) => {
    suite.scenario({ title: 'Ann asks for deletion (exact; her email is stored as she writes it)', type: 'delete', subject: 'ann', identities: { email: 'ann.lee@example.com' } }, (run) => {
      it('erases Ann\'s customer row and keeps Bob\'s row as it was', () => {
        const r = run();
        expect(rowsOf(r.after, 'shop', 'customers').filter((x) => x.id === 1)).toEqual([]);
        expect(rowsOf(r.after, 'shop', 'customers').find((x) => x.id === 2)).toEqual(rowsOf(r.before, 'shop', 'customers').find((x) => x.id === 2));
      });
    });
    for (const [how, identities] of [['email', { email: 'bob.ray@example.com' }], ['phone', { phone: '415.555.0102' }]] as const) {
      suite.scenario({ title: `Bob asks for deletion by his ${how}, stored in another case/format (exact)`, type: 'delete', subject: 'bob', identities }, (run) => {
        it('changes none of Ann\'s items', () => {
          const r = run();
          const ann = (d: typeof r.before) => rowsOf(d, 'shop', 'customers').filter((x) => x.id === 1);
          expect(ann(r.after)).toEqual(ann(r.before));
        });
        it('erases Bob\'s customer item (his email/phone match ignoring case and punctuation)', () => {
          expect(rowsOf(run().after, 'shop', 'customers').filter((x) => x.id === 2)).toEqual([]);
        });
      });
    }
  }, { dynamoIndexes: true });
}

/** A lake cannot hold nested fields: registering the nested shop's map is refused, naming each field. */
export function nestedRefusedSuite(engine: ScaleEngine): void {
  describe(`nested fields are refused on ${engine}, naming the fields (never dropped)`, () => {
    it('registering the nested-JSON shop\'s map fails naming customers.profile and orders.delivery and their nested paths', async () => {
      const e = await registrationError(engine, nestedJsonShop());
      expect(e, 'the map was registered although the engine cannot honour nested fields').not.toBeNull();
      const m = e!.message;
      expect(m).toMatch(new RegExp(`not supported on engine ${engine}`, 'u'));
      for (const part of ['customers.profile', 'profile.name', 'profile.address.city', 'orders.delivery', 'delivery.recipient.name']) expect(m).toContain(part);
    }, 120_000);
  });
}

/**
 * DynamoDB maps hold what JSON does not: string sets, numbers beyond 2^53, binary. Masking a nested
 * field rewrites the map attribute; every other key must come back as it was stored, type included
 * (docs/DATAMAP.md section 3: "each personal nested path is masked, the other keys kept, the column
 * written back as it was stored"). The nested-JSON shop, Mia's and Noah's profiles with such values
 * added, and a nested field whose name holds a space ("display name", hashed).
 */
export function nestedDynamoTypesSuites(): void {
  const extra = (who: 'mia' | 'noah') => ({
    'display name': who === 'mia' ? 'Mia R.' : 'Noah B.',
    tags: { [DYNAMO]: { SS: who === 'mia' ? ['vip', 'beta'] : ['beta'] } },
    loyalty_no: { [DYNAMO]: { N: who === 'mia' ? '12345678901234567890' : '98765432109876543210' } },
    avatar: { [DYNAMO]: { B: Buffer.from(who === 'mia' ? 'mia-avatar' : 'noah-avatar') } },
    score: 0.25,
  });
  const shop = (): ShopDef => {
    const base = nestedJsonShop();
    return {
      ...base,
      personal: { ...base.personal, 'crm.customers': [...base.personal['crm.customers']!, { path: 'profile.display name', category: 'user.name' }] },
      systems: base.systems.map((sys) => ({
        ...sys,
        tables: sys.tables.map((t) => (t.name !== 'customers' ? t : {
          ...t,
          rows: t.rows.map((r) => ({ ...r, profile: { ...(r.profile as Row), ...extra(r.id === 1 ? 'mia' : 'noah') } })),
        })),
        map: () => {
          const m = sys.map();
          return {
            ...m,
            collections: m.collections.map((c) => (c.name !== 'customers' ? c : {
              ...c,
              fields: c.fields.map((f) => (f.name !== 'profile' ? f : { ...f, fields: [...(f.fields ?? []), { name: 'display name', categories: ['user.name'], mask: { strategy: 'hash' as const } }] })),
            })),
          } as DataMap;
        },
      })),
    };
  };
  const profileOf = (items: RawItems | undefined, id: number) => items?.customers?.[JSON.stringify([id])]?.profile?.M;
  describeScaleShop('nested fields in a DynamoDB map holding a string set, a big number and binary', 'dynamodb', shop, (suite) => {
    suite.scenario({ title: 'Mia asks for deletion (exact)', type: 'delete', subject: 'mia', identities: { email: 'mia.roth@example.com' } }, (run) => {
      it('profile.name, profile.address.city and profile["display name"] are gone', () => {
        const row = rowsOf(run().after, 'crm', 'customers').find((x) => x.id === 1)!;
        expect(valueAt(row, 'profile.name') ?? null).not.toBe('Mia Roth');
        expect(valueAt(row, 'profile.address.city') ?? null).not.toBe('Leipzig');
        expect(valueAt(row, 'profile.display name') ?? null).not.toBe('Mia R.');
      });
      // Masking a nested field writes only its document path (shared/adapters/dynamodb/nested-update.ts):
      // the map's other keys are never rewritten, so what JSON cannot hold keeps its type.
      const keeps = (k: string, what: string) => it(`profile.${k} (${what}) keeps its DynamoDB type and value`, () => {
        const r = run();
        const before = profileOf(r.rawBefore?.crm, 1)!;
        const after = profileOf(r.rawAfter?.crm, 1);
        expect(after, 'the profile is still a map').toBeDefined();
        expect(after![k]).toEqual(before[k]);
      });
      keeps('tags', 'a string set, SS');
      keeps('loyalty_no', 'a number beyond 2^53, N');
      keeps('avatar', 'binary, B');
      keeps('score', 'a number, N');
      keeps('tier', 'a string, S');
      keeps('preferences', 'a nested map, M');
      it('profile.address.zip (next to the masked city) is kept', () => {
        const r = run();
        expect(profileOf(r.rawAfter?.crm, 1)?.address?.M?.zip).toEqual(profileOf(r.rawBefore?.crm, 1)?.address?.M?.zip);
      });
      it('Noah\'s item is exactly as it was (as DynamoDB holds it)', () => {
        const r = run();
        expect(r.rawAfter?.crm?.customers?.[JSON.stringify([2])]).toEqual(r.rawBefore?.crm?.customers?.[JSON.stringify([2])]);
      });
    });
  });
}
