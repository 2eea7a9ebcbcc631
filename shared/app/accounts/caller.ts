// Every call through the app passes here first: a call that names a user is checked against that
// user's account (exists, not disabled) and role (shared/domain/roles.ts); `role` is set from the
// store, whatever the shell sent. A call without a user is a trusted local caller.
import type { CallMeta } from '../api';
import { ApiAuthError, ApiForbiddenError } from '../api';
import type { AppContext } from '../context';
import { requiredRole, roleAtLeast } from '../../domain/roles';
import { accountsOf, staffActor } from './accounts-of';

export async function checkCaller(ctx: AppContext, op: string, kind: 'command' | 'query', meta: CallMeta): Promise<CallMeta> {
  const need = requiredRole(op, kind);
  if (meta.user === undefined) {
    const { role: _ignored, ...rest } = meta;
    return rest;
  }
  const user = await accountsOf(ctx).get(meta.user);
  if (!user || user.disabledAt) throw new ApiAuthError(`user "${meta.user}" is unknown or disabled`);
  if (need === 'service') throw new ApiForbiddenError(`${op}: not an operation a signed-in user may call`);
  if (!roleAtLeast(user.role, need)) throw new ApiForbiddenError(`${op} needs the ${need} role (${user.name} is ${user.role})`);
  return { actor: staffActor(user.name), user: user.name, role: user.role };
}
