// The graph walk (shared/app/datamap/find-system.ts) over an in-memory DataSource that implements the
// port the way the SQL sources do (IN-lists, the email/phone/postal normalisation hints): cycles,
// join tables, shared rows, both strategies, address matching on every part, hostile values.
import { describe, expect, it } from 'vitest';
import type { AppliedCounts, CollectionSchema, DataSource, FieldMatch, Row, RowChange } from '../../../shared/adapters/port';
import { subjectOf } from '../../../shared/app/datamap/subject';
import { walkSystem } from '../../../shared/app/datamap/find-system';
import { parseDataMap, type DataMapInput } from '../../../shared/domain/datamap';
import type { Identities } from '../../../shared/domain/identity';

class MemorySource implements DataSource {
  readonly engine = 'memory';
  readonly asked: FieldMatch[] = [];
  constructor(private readonly tables: Record<string, Row[]>, private readonly keys: Record<string, string[]>) {}
  async introspect(): Promise<CollectionSchema[]> {
    return Object.entries(this.tables).map(([name, rows]) => ({
      name,
      fields: Object.keys(rows[0] ?? {}).map((f) => ({ name: f, dataType: typeof rows[0]![f] === 'number' ? 'integer' : 'text', nullable: true, primaryKey: (this.keys[name] ?? []).includes(f) })),
    }));
  }
  async find(collection: string, matches: FieldMatch[]): Promise<Row[]> {
    const norm = (m: FieldMatch, v: unknown): string => {
      const s = v === null || v === undefined ? '' : String(v);
      if (m.normalize === 'email') return s.trim().toLowerCase();
      if (m.normalize === 'phone') return s.replace(/[\s\-().+]/gu, '');
      if (m.normalize === 'postal') return s.trim().toUpperCase().replace(/ /gu, '');
      return s;
    };
    this.asked.push(...matches);
    return (this.tables[collection] ?? []).filter((r) => matches.some((m) => m.values.some((v) => r[m.field] !== null && norm(m, r[m.field]) === String(v))));
  }
  /** The walk never erases: this source changes nothing, so it reports nothing changed. */
  async apply(changes: RowChange[]): Promise<AppliedCounts> {
    return { deleted: 0, updated: 0, byCollection: Object.fromEntries(changes.map((c) => [c.collection, { deleted: 0, updated: 0 }])), perChange: changes.map(() => 0) };
  }
  async sample(): Promise<unknown[]> { return []; }
  async close(): Promise<void> { /* nothing to release */ }
}

const from = (collection: string, field: string) => [{ collection, field, direction: 'from' as const }];
const to = (collection: string, field: string) => [{ collection, field, direction: 'to' as const }];

const MAP: DataMapInput = {
  dataset: 'd',
  collections: [
    { name: 'people', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] },
      { name: 'best_friend', references: [{ collection: 'people', field: 'id' }] }] },
    { name: 'members', fields: [
      { name: 'id', primaryKey: true }, { name: 'person_id', references: from('people', 'id') }, { name: 'household_id', references: to('households', 'id') }] },
    { name: 'households', fields: [
      { name: 'id', primaryKey: true }, { name: 'street', addressPart: 'line1', categories: ['user.contact.address.street'] },
      { name: 'unit', addressPart: 'line2', categories: ['user.contact.address.street'] },
      { name: 'city', addressPart: 'city', categories: ['user.contact.address.city'] },
      { name: 'state', addressPart: 'state', categories: ['user.contact.address.state'] },
      { name: 'zip', addressPart: 'postalCode', categories: ['user.contact.address.postal_code'] },
      { name: 'country', addressPart: 'country', categories: ['user.contact.address.country'] }] },
    { name: 'calls', fields: [
      { name: 'id', primaryKey: true }, { name: 'caller', identity: 'phone', categories: ['user.contact.phone_number'] }, { name: 'notes', categories: ['user.content'] }] },
  ],
};

function source(): MemorySource {
  return new MemorySource({
    people: [
      { id: 1, email: ' Pat@Example.COM', phone: '(415) 555-0101', best_friend: 2 },
      { id: 2, email: 'sam@example.com', phone: null, best_friend: 1 },
      { id: 3, email: 'kim@example.com', phone: '+1 415 555 0103', best_friend: null },
    ],
    members: [{ id: 10, person_id: 1, household_id: 100 }, { id: 11, person_id: 3, household_id: 100 }, { id: 12, person_id: 2, household_id: 101 }],
    households: [
      { id: 100, street: '1 Elm St', unit: 'Apt 2', city: 'Springfield', state: 'IL', zip: '12345', country: 'US' },
      { id: 101, street: '1 Elm St', unit: 'Apt 3', city: 'Springfield', state: 'IL', zip: '12345', country: 'US' },
    ],
    calls: [{ id: 7, caller: '415.555.0101', notes: 'asked about order' }, { id: 8, caller: '+14155550103', notes: 'kim' }],
  }, { people: ['id'], members: ['id'], households: ['id'], calls: ['id'] });
}

async function walk(ids: Identities, strategy: 'exact' | 'connected_pii' = 'exact', src = source()) {
  const r = await walkSystem(src, parseDataMap(MAP), subjectOf(ids), { strategy });
  const by = Object.fromEntries(r.collections.map((c) => [c.collection, c.rows]));
  const keys = (c: string) => (by[c] ?? []).map((x) => x.key.id).sort();
  return { r, by, keys, src };
}

describe('graph walk', () => {
  it('follows a reference cycle (people.best_friend both ways) to a fixed point and stops', async () => {
    const { keys, by } = await walk({ email: 'pat@example.com' });
    // best_friend has no direction: 1 -> 2 and 2 -> 1; each row is reached once. Sam (2) is another
    // person (his email is not Pat's): listed with the reason, never expanded, never Pat's data.
    expect(keys('people')).toEqual([1, 2]);
    const sam = by.people!.find((x) => x.key.id === 2)!;
    expect(sam.other?.reason).toMatch(/another person/u);
    expect(sam.values).toEqual({});
    expect(by.people!.find((x) => x.key.id === 1)!.other).toBeNull();
  });

  it('marks a household shared when another person\'s membership points at it, and never expands it', async () => {
    const { by, keys } = await walk({ email: 'PAT@example.com ' });
    expect(keys('members')).toEqual([10]); // Pat's own; best friend Sam's (12) is Sam's, never reached
    const hh = by.households!;
    const h100 = hh.find((x) => x.key.id === 100)!;
    expect(h100.shared?.reason).toMatch(/another person/u); // Kim's membership (11) also points at it
    expect(keys('members')).not.toContain(11);
    expect(keys('people')).not.toContain(3);
  });

  it('exact uses only the given identities; connected_pii also follows identities found in reached rows', async () => {
    const exact = await walk({ email: 'pat@example.com' }, 'exact');
    expect(exact.keys('calls')).toEqual([]);
    const connected = await walk({ email: 'pat@example.com' }, 'connected_pii');
    expect(connected.keys('calls')).toEqual([7]); // Pat's phone, written another way
    expect(connected.keys('calls')).not.toContain(8);
  });

  it('phones compare in E.164 whatever the punctuation', async () => {
    const { keys } = await walk({ phone: '+1-415-555-0103' });
    expect(keys('people')).toEqual([3]);
    expect(keys('calls')).toEqual([8]);
  });

  it('an address matches only when every part matches (a different unit in the same building does not)', async () => {
    const { keys } = await walk({ address: { line1: '1 elm st', line2: 'APT 3', city: 'springfield', state: 'il', postalCode: '12345', country: 'US' } });
    expect(keys('households')).toEqual([101]);
    // A different state is a different address; so is a request without the state.
    expect((await walk({ address: { line1: '1 elm st', line2: 'APT 3', city: 'springfield', state: 'WI', postalCode: '12345', country: 'US' } })).keys('households')).toEqual([]);
  });

  it('hostile values are passed as values, never as SQL, and find nothing', async () => {
    for (const v of ["' OR 1=1 --", '"; DROP TABLE people; --', 'ünï\u202ecødé', 'x'.repeat(10_000)]) {
      const { r, src } = await walk({ email: v });
      expect(r.collections.every((c) => c.rows.length === 0)).toBe(true);
      expect(src.asked.some((m) => m.field === 'email' && m.values.includes(v.trim().toLowerCase()))).toBe(true);
    }
  });
});
