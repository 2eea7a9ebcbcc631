// Four-eyes rule: an irreversible decision (executing a deletion plan; as configured, a denial or a
// deadline extension) needs a second person: a user with the approver role (or admin) who did not
// prepare (discover, review) or verify the case. Pure: the app passes who did what (from the audit
// log) and the policy; the engine refuses the event when this returns a reason.
import { z } from 'zod';
import { roleAtLeast, type Role } from './roles';

export const FourEyesSettingSchema = z.enum(['on', 'off', 'auto']);
export type FourEyesSetting = z.infer<typeof FourEyesSettingSchema>;
export const FourEyesActionSchema = z.enum(['execute', 'deny', 'extend']);
export type FourEyesAction = z.infer<typeof FourEyesActionSchema>;

export const FourEyesPolicySchema = z.object({
  execute: FourEyesSettingSchema, deny: FourEyesSettingSchema, extend: FourEyesSettingSchema,
}).strict();
export type FourEyesPolicy = z.infer<typeof FourEyesPolicySchema>;

/** Default: erasure needs two people as soon as the store has two or more active users; denials and extensions one. */
export const DEFAULT_FOUR_EYES: FourEyesPolicy = { execute: 'auto', deny: 'off', extend: 'off' };

/** 'auto' is on in a multi-user setup (two or more active users), off for a single local operator. */
export function fourEyesApplies(setting: FourEyesSetting, activeUsers: number): boolean {
  return setting === 'on' || (setting === 'auto' && activeUsers >= 2);
}

export interface FourEyesQuestion {
  action: FourEyesAction;
  caseId: string;
  /** The deciding user (actor string and role), or null for a caller that names no user (CLI without --as, a Lambda). */
  decider: { actor: string; role: Role } | null;
  /** Actors who verified the case, started its discovery or decided review rows. */
  preparers: readonly string[];
}

const WHAT: Record<FourEyesAction, string> = { execute: 'executing the deletion plan', deny: 'denying the request', extend: 'extending the deadline' };

/** null when allowed, else the reason (names the rule, never PII). */
export function fourEyesRefusal(q: FourEyesQuestion): string | null {
  const what = WHAT[q.action];
  if (!q.decider) return `four-eyes: ${what} of case ${q.caseId} needs a signed-in approver (CLI: --as USER or PRIVACY_DESK_USER)`;
  if (!roleAtLeast(q.decider.role, 'approver')) return `four-eyes: ${what} of case ${q.caseId} needs the approver role (${q.decider.actor} is ${q.decider.role})`;
  if (q.preparers.includes(q.decider.actor)) return `four-eyes: ${q.decider.actor} prepared or verified case ${q.caseId}; ${what} needs a second approver`;
  return null;
}
