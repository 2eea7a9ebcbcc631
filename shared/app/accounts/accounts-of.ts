// The accounts repository of an app context (one per app: ctx.services.accounts).
import type { AppContext } from '../context';
import { AccountsRepo } from '../../store/accounts-repo';

export function accountsOf(ctx: AppContext): AccountsRepo {
  return (ctx.services.accounts ??= new AccountsRepo(ctx.db));
}

/** The audit actor of a staff user. */
export function staffActor(name: string): string {
  return `staff:${name}`;
}
