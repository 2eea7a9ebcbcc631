// The person a walk looks for: the request's identities, normalised (an email lower-cased, a phone
// in E.164, custom keys trimmed). Batch processing merges several subjects into one walk.
import { normalizeEmail, normalizePhone, type Address, type Identities } from '../../domain/identity';

export interface Subject {
  emails: Set<string>;
  /** E.164 */
  phones: Set<string>;
  addresses: Address[];
  /** custom key name -> values */
  custom: Map<string, Set<string>>;
}

export function emptySubject(): Subject {
  return { emails: new Set(), phones: new Set(), addresses: [], custom: new Map() };
}

/** A copy whose sets can grow without changing the original (addresses are shared, never changed). */
export function copySubject(s: Subject): Subject {
  return { emails: new Set(s.emails), phones: new Set(s.phones), addresses: s.addresses, custom: new Map([...s.custom].map(([k, v]) => [k, new Set(v)])) };
}

export function subjectOf(ids: Identities): Subject {
  const s = emptySubject();
  if (ids.email) s.emails.add(normalizeEmail(ids.email));
  if (ids.phone) { const p = normalizePhone(ids.phone); if (p) s.phones.add(p); }
  if (ids.address) s.addresses.push(ids.address);
  for (const k of ids.customKeys ?? []) {
    const set = s.custom.get(k.name) ?? new Set<string>();
    set.add(k.value.trim());
    s.custom.set(k.name, set);
  }
  return s;
}

/** Merge several subjects (batch processing: one walk for many requests). */
export function mergeSubjects(list: Subject[]): Subject {
  const out = emptySubject();
  for (const s of list) {
    s.emails.forEach((e) => out.emails.add(e));
    s.phones.forEach((p) => out.phones.add(p));
    out.addresses.push(...s.addresses);
    for (const [k, vs] of s.custom) { const set = out.custom.get(k) ?? new Set<string>(); vs.forEach((v) => set.add(v)); out.custom.set(k, set); }
  }
  return out;
}
