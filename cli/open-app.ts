// Opens the app for a CLI command from the global options: --db FILE (SQLite, the embedded
// default) or --database-url URL (PostgreSQL), --data-dir DIR (keys, outbox, reports).
import { createApp, type App, type CreateAppOptions } from '../shared/app/app';
import { appConfigFrom, clockFrom, leaseFrom } from '../shared/app/config-from-env';
import type { CliGlobals } from './command';

// Shared with web mode and Electron (shared/app/config-from-env.ts); re-exported for the commands.
export { appConfigFrom, clockFrom, defaultDataDir, leaseFrom } from '../shared/app/config-from-env';

/**
 * Open the app for one command. `work` (AppConfig.work): a CLI command is never a worker unless it
 * is `privacy-desk worker` (`all`); a command that changes a case runs that case's steps under its
 * lease (`own`, the default); a read-only command passes `none` and never runs a step.
 * (`runEngine` is accepted for older callers and ignored: only `work: 'all'` claims other cases.)
 */
export async function openApp(globals: CliGlobals, options: CreateAppOptions & { runEngine?: boolean; work?: 'all' | 'own' | 'none' } = {}): Promise<App> {
  const config = appConfigFrom(globals);
  const { runEngine: _ignored, work = 'own', ...rest } = options;
  const app = await createApp({ ...config, work, runEngine: work === 'all', lease: leaseFrom() }, { clock: clockFrom(), ...rest });
  return asConfiguredUser(app, process.env.PRIVACY_DESK_USER);
}

/**
 * `--as USER` / PRIVACY_DESK_USER: every call names that staff account, so the app checks its role
 * and the audit names it (docs/CONSOLE.md "Accounts"). Without it the CLI is the local operator:
 * no role check (it holds the database anyway), but a four-eyes decision refuses it.
 */
export function asConfiguredUser(app: App, user: string | undefined): App {
  if (!user) return app;
  const callUnknown = app.callUnknown;
  const named = (meta: { actor: string }) => ({ ...meta, user });
  return {
    ...app,
    callUnknown: (op, input, meta) => callUnknown(op, input, named(meta)),
    call: (op, input, meta) => callUnknown(op as string, input, named(meta)) as never,
  };
}
