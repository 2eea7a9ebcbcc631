// The seeds of a walk in one system: the identity values to look for, what was already asked, and
// what is known to be the subject's.
// - seeds: the request's identities (connected_pii adds the subject's other ones found in the
//   subject's own rows, and looks those up too).
// - known: the seeds plus identity values of kinds the request did not give, found in the
//   subject's own rows (the customer row matched by loyalty id carries the subject's email). Used
//   to judge whose a reached row is; under `exact` only the seeds are looked up, and a second value
//   of a kind the request gave (an alternative email on a joint record) is not taken as the
//   subject's: rows holding only it are another person's until connected_pii says otherwise.
import { normalizeAddress, normalizeEmail, normalizePhone } from '../../domain/identity';
import type { DataMapCollection } from '../../domain/datamap';
import { fullAddressGroup } from '../../domain/ownership';
import type { FieldMatch } from '../../adapters/port';
import { copySubject, type Subject } from './subject';
import { str, type ReachedRow } from './find-frontier';

const phoneDigits = (e164: string): string[] => {
  const d = e164.replace(/^\+/u, '');
  const out = [d];
  if (e164.startsWith('+1') && d.length === 11) out.push(d.slice(1));
  return out;
};

/**
 * The identities known to be the subject's, with the phone numbers read from the subject's rows
 * parsed only when something reads `phones` (parsing one costs more than the look-up that read
 * it, and most walks never compare a phone: a row matched by its email is the subject's before its
 * phone is looked at). Whoever reads `phones` sees every number added so far, parsed.
 */
class KnownIdentities implements Subject {
  readonly emails: Set<string>;
  readonly addresses: Subject['addresses'];
  readonly custom: Map<string, Set<string>>;
  private readonly parsed: Set<string>;
  private unparsed: string[] = [];

  constructor(from: Subject, private readonly parse: (v: string) => string | null) {
    const c = copySubject(from);
    this.emails = c.emails; this.addresses = c.addresses; this.custom = c.custom; this.parsed = c.phones;
  }

  get phones(): Set<string> {
    if (this.unparsed.length) {
      const vs = this.unparsed;
      this.unparsed = [];
      for (const v of vs) { const p = this.parse(v); if (p) this.parsed.add(p); }
    }
    return this.parsed;
  }

  /** A phone number as written in a row, parsed when `phones` is next read. */
  addWritten(v: string): void { this.unparsed.push(v); }
}

export class Seeds {
  readonly seeds: Subject;
  readonly known: Subject;
  private readonly knownIds: KnownIdentities;
  /** Phone numbers as written already given to `known` (parsed or waiting to be). */
  private readonly knownWritten = new Set<string>();
  /** Set when `known` grew: rows read as someone else's may be the subject's after all. */
  learned = false;
  private readonly asked = { emails: new Set<string>(), phones: new Set<string>(), custom: new Map<string, Set<string>>(), addresses: false };
  private readonly given: { email: boolean; phone: boolean; custom: Set<string> };
  /** Phone numbers as written -> E.164 (or null), for this walk only: rows of one person repeat their number, and parsing one costs more than the look-up that read it. */
  private readonly phoneNorm = new Map<string, string | null>();

  constructor(subject: Subject, private readonly colls: Map<string, DataMapCollection>, private readonly strategy: 'exact' | 'connected_pii') {
    this.seeds = copySubject(subject);
    this.knownIds = new KnownIdentities(this.seeds, (v) => this.phone(v));
    this.known = this.knownIds;
    this.given = { email: subject.emails.size > 0, phone: subject.phones.size > 0, custom: new Set([...subject.custom.keys()]) };
  }

  /** Identity values of the row into `into` (`all`: also kinds the request gave); true when one was new. */
  private addIdentities(into: Subject, r: ReachedRow, all: boolean): boolean {
    const c = this.colls.get(r.collection)!;
    let added = false;
    const put = (set: Set<string>, v: string) => { if (!set.has(v)) { set.add(v); added = true; } };
    for (const f of c.fields) {
      const v = str(r.row[f.name]);
      if (!f.identity || v === null || v.trim() === '') continue;
      if (f.identity === 'email') { if (all || !this.given.email) put(into.emails, normalizeEmail(v)); }
      else if (f.identity === 'phone') {
        if (!all && this.given.phone) continue;
        if (into === this.known) {
          // Parsed when a verdict next compares phones; counted as new (the walk then re-judges
          // another person's rows against the same identities: nothing changes if it was not).
          if (!this.knownWritten.has(v)) { this.knownWritten.add(v); this.knownIds.addWritten(v); added = true; }
        } else { const p = this.phone(v); if (p) put(into.phones, p); }
      }
      else if (all || !this.given.custom.has(f.identity)) { const s = into.custom.get(f.identity) ?? new Set<string>(); into.custom.set(f.identity, s); put(s, v.trim()); }
    }
    return added;
  }

  private phone(v: string): string | null {
    let p = this.phoneNorm.get(v);
    if (p === undefined) { p = normalizePhone(v); this.phoneNorm.set(v, p); }
    return p;
  }

  /** A row of the subject's: what it says about the subject is known (and sought, under connected_pii). */
  learnFrom(r: ReachedRow): void {
    if (this.addIdentities(this.known, r, this.strategy === 'connected_pii')) this.learned = true;
    if (this.strategy === 'connected_pii') { this.addIdentities(this.seeds, r, true); this.addIdentities(this.known, r, true); }
  }

  /** The identity look-ups of a collection not asked yet. */
  matches(c: DataMapCollection): FieldMatch[] {
    const { seeds, asked } = this;
    const out: FieldMatch[] = [];
    for (const f of c.fields) {
      if (f.identity === 'email') {
        const v = [...seeds.emails].filter((e) => !asked.emails.has(e));
        if (v.length) out.push({ field: f.name, values: v, normalize: 'email' });
      } else if (f.identity === 'phone') {
        const v = [...seeds.phones].filter((p) => !asked.phones.has(p)).flatMap(phoneDigits);
        if (v.length) out.push({ field: f.name, values: v, normalize: 'phone' });
      } else if (f.identity) {
        const done = asked.custom.get(f.identity) ?? new Set<string>();
        const v = [...(seeds.custom.get(f.identity) ?? [])].filter((x) => !done.has(x));
        if (v.length) out.push({ field: f.name, values: v });
      }
    }
    if (!asked.addresses && seeds.addresses.length) {
      const group = fullAddressGroup(c);
      if (group) out.push({ field: group.get('postalCode')!, values: seeds.addresses.map((a) => normalizeAddress(a).postalCode), normalize: 'postal' });
    }
    return out;
  }

  /** Whether some seed was not looked up yet. */
  pending(): boolean {
    const { seeds, asked } = this;
    for (const e of seeds.emails) if (!asked.emails.has(e)) return true;
    for (const p of seeds.phones) if (!asked.phones.has(p)) return true;
    for (const [k, vs] of seeds.custom) { const done = asked.custom.get(k); for (const v of vs) if (!done?.has(v)) return true; }
    return !asked.addresses && seeds.addresses.length > 0;
  }

  /** Every seed was looked up (after an identity round). */
  markAsked(): void {
    const { seeds, asked } = this;
    seeds.emails.forEach((e) => asked.emails.add(e));
    seeds.phones.forEach((p) => asked.phones.add(p));
    for (const [k, vs] of seeds.custom) { const s = asked.custom.get(k) ?? new Set<string>(); vs.forEach((v) => s.add(v)); asked.custom.set(k, s); }
    asked.addresses = true;
  }
}
