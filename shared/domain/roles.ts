// Staff roles and which operation each role may call. Pure: the app (shared/app/app.ts) applies it
// to every call that names a signed-in user; screens only hide what the API would refuse anyway.
//   viewer   reads cases, queue, dashboard, data map (no identities, no reports)
//   analyst  works cases: create, verify, discover, review, hold, deny/extend (unless four-eyes), messages
//   approver everything an analyst does, plus approving plans (the erasure itself)
//   admin    everything, plus users, the four-eyes policy, systems and store-wide operations
import { z } from 'zod';

export const ROLES = ['viewer', 'analyst', 'approver', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** 'service': only a shell itself may call it (sign-in, session look-up), never on behalf of a user. */
export type Requirement = Role | 'service';

const SERVICE_ONLY = new Set([
  'auth.login', 'auth.session', 'auth.logout', 'auth.redeemLink', 'auth.oidc', 'sms.inbound',
]);

const ADMIN = new Set([
  'users.add', 'users.list', 'users.disable', 'users.resetPassword', 'users.setRole', 'auth.link', 'fourEyes.set',
  'retention.purge', 'stores.purgeForgotten', 'datamap.systems.add', 'datamap.options.set', 'datamap.systems.hold',
  'datamap.ledger.replay', 'datamap.piiDiscovery.save', 'processors.add', 'processors.deactivate',
  'snapshots.add', 'snapshots.replay', 'disclosures.set',
  // They open a connection the caller names (a file path or a database URL).
  'datamap.draft', 'datamap.validate',
  'audit.anchor', 'audit.export', 'store.status', 'store.reencrypt',
]);

const APPROVER = new Set(['cases.approve']);

/** Queries that show personal data: an analyst's, not a viewer's. */
const ANALYST_QUERIES = new Set(['reports.download', 'reports.preview', 'reports.files', 'compliance.unified', 'datamap.dryRun']);

/** The privacy center's operations (public.*): only the public server calls them, for a consumer. */
const SERVICE_PREFIXES = ['public.'];

export function requiredRole(op: string, kind: 'command' | 'query'): Requirement {
  if (SERVICE_ONLY.has(op) || SERVICE_PREFIXES.some((p) => op.startsWith(p))) return 'service';
  if (ADMIN.has(op)) return 'admin';
  if (APPROVER.has(op)) return 'approver';
  if (kind === 'query') return ANALYST_QUERIES.has(op) ? 'analyst' : 'viewer';
  return 'analyst';
}
