// The deletion ledger: keyed hashes of the identities an erasure removed, recorded per system
// before the change (./apply.ts) so that rows coming back later (a re-import, a restored backup)
// can be found and erased again (./ledger-replay.ts). No value is stored, only keyed hashes, each
// with a 32-bit keyed prefix (PiiCrypto.keyedPrefixer, migration 145) the replay filters with.
import type { AppContext } from '../context';
import type { DataMap } from '../../domain/datamap';
import type { DiscoveryResult } from '../../domain/discovery';
import { normalizeEmail, normalizePhone, type Identities } from '../../domain/identity';
import type { Plan } from './plan-rows';

/** The ledger's hash kind and normalised value of an identity field's value (null: nothing to hash). */
export function identityValue(identity: string, v: unknown): { kind: string; value: string | null } {
  if (identity === 'email') return { kind: 'email', value: normalizeEmail(String(v)) };
  if (identity === 'phone') return { kind: 'phone', value: normalizePhone(String(v)) };
  return { kind: `custom:${identity}`, value: String(v).trim() };
}

/**
 * Keyed hashes of the identities one system's erasure removed: for delete, the case's identities and
 * every identity value in the erased rows; for delete_pii, only identity values in fields it masked.
 */
export function identityHashes(ctx: AppContext, ids: Identities | null, plan: Plan, result: DiscoveryResult, system: string, map: DataMap): Array<{ hash: string; kind: string; prefix: number | null }> {
  const pairs = new Map<string, { kind: string; prefix: number | null }>();
  const prefixers = new Map<string, ((v: string) => number) | null>();
  const prefix = (kind: string, value: string): number | null => {
    let p = prefixers.get(kind);
    if (p === undefined) { p = ctx.crypto.keyedPrefixer?.(kind) ?? null; prefixers.set(kind, p); }
    return p ? p(value) : null;
  };
  const add = (kind: string, value: string | null) => { if (value) pairs.set(ctx.crypto.keyedHash(kind, value), { kind, prefix: prefix(kind, value) }); };
  const addField = (identity: string, v: unknown) => {
    if (v === null || v === undefined) return;
    const { kind, value } = identityValue(identity, v);
    add(kind, value);
  };
  if (ids) {
    if (ids.email) add('email', normalizeEmail(ids.email));
    if (ids.phone) add('phone', normalizePhone(ids.phone));
    for (const k of ids.customKeys ?? []) add(`custom:${k.name}`, k.value.trim());
  }
  for (const c of plan.collections.filter((x) => x.system === system)) {
    const coll = map.collections.find((x) => x.name === c.collection);
    if (!coll) continue;
    const idFields = coll.fields.filter((f) => f.identity);
    for (const u of c.updates) for (const f of idFields) if (f.name in u.set) addField(f.identity!, u.original[f.name]);
  }
  if (ids) {
    // delete: every identity value held by a row this erasure removed or masked
    for (const c of result.collections.filter((x) => x.system === system)) {
      const coll = map.collections.find((x) => x.name === c.collection);
      for (const r of c.rows) {
        if (r.shared || r.exempt || !coll) continue;
        for (const f of coll.fields) if (f.identity) addField(f.identity, r.values[f.name]);
      }
    }
  }
  return [...pairs].map(([hash, { kind, prefix: p }]) => ({ hash, kind, prefix: p }));
}
