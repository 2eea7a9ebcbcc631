// Helpers shared by the data-map command groups (systems, dsr, datamap, ledger, requests): the
// caller's identity for App.call and the flags that name identities and categories.
import { z } from 'zod';
import { UsageError } from './command';
import { IdentitiesSchema, type Identities } from '../shared/domain/identity';
import { isCategory } from '../shared/domain/categories';

export const cliMeta = { actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' };

const FLAG: Record<string, string> = { email: '--email', phone: '--phone', customKeys: '--custom-key', name: '--name', address: '--address-json' };

/** Identities from CLI flags, validated; errors name the flag (never echo the value). */
export function identitiesFrom(values: { email?: string; phone?: string; 'custom-key'?: string[] }): Identities {
  const customKeys = (values['custom-key'] ?? []).map((kv) => {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError('--custom-key: expected NAME=VALUE');
    return { name: kv.slice(0, i), value: kv.slice(i + 1) };
  });
  const raw = { email: values.email, phone: values.phone, customKeys: customKeys.length ? customKeys : undefined };
  if (!raw.email && !raw.phone && !raw.customKeys) throw new UsageError('--email, --phone or --custom-key is required');
  const r = IdentitiesSchema.safeParse(raw);
  if (!r.success) {
    throw new UsageError(r.error.issues.map((i) => `${FLAG[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
  }
  return r.data;
}

export const StrategyArg = z.enum(['exact', 'connected_pii']);

export function categoriesFrom(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) throw new UsageError('--categories: give a comma-separated list like user.contact,user.name');
  const bad = list.find((c) => !isCategory(c));
  if (bad) throw new UsageError(`--categories: "${bad.slice(0, 60)}" is not a data category (e.g. user.contact.email)`);
  return list;
}
