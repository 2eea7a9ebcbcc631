// The accounts repository of an app context (one per app, registered in ctx.services).
import type { AppContext } from '../context';
import { AccountsRepo } from '../../store/accounts-repo';

export function accountsOf(ctx: AppContext): AccountsRepo {
  let repo = ctx.services.get('accounts') as AccountsRepo | undefined;
  if (!repo) { repo = new AccountsRepo(ctx.db); ctx.services.set('accounts', repo); }
  return repo;
}

/** The audit actor of a staff user. */
export function staffActor(name: string): string {
  return `staff:${name}`;
}
