// Web mode from the command line (bin/start.mjs): open the app on the data folder, load the demo
// data on an empty store, serve the console on 127.0.0.1 and print where to sign in. On the first
// start (no users) it creates the account "admin" (role admin, no password yet) and, while that
// account has no password, prints a one-time sign-in link for it on every start (docs/CONSOLE.md).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createApp } from '../shared/app/app';
import { loadDemoDataIfEmpty } from '../shared/app/demo-data';
import { appConfigFrom, clockFrom } from '../shared/app/config-from-env';
import { startWebServer } from './web-server';
import { oidcConfigFrom, oidcSignIn } from './oidc-sign-in';
import type { App } from '../shared/app/app';

const SHELL = { actor: 'web' };

/** First start: an "admin" account; a one-time link while no user can sign in otherwise. */
export async function bootstrapSignIn(app: App, origin: string): Promise<{ created: boolean; link: string | null }> {
  let { items } = await app.call('users.list', {}, SHELL);
  let created = false;
  if (!items.length) {
    await app.call('users.add', { name: 'admin', role: 'admin', displayName: 'Administrator', noPassword: true }, SHELL);
    created = true;
    ({ items } = await app.call('users.list', {}, SHELL));
  }
  const waiting = items.find((u) => u.role === 'admin' && !u.disabled && u.signIn.length === 0);
  if (!waiting) return { created, link: null };
  const { token } = await app.call('auth.link', { name: waiting.name, minutes: 60 }, SHELL);
  return { created, link: `${origin}/auth/link?t=${token}` };
}

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const StartArgsSchema = z.object({
  dataDir: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//u, 'must be a postgres:// or postgresql:// URL').optional(),
  port: z.coerce.number().int().min(0).max(65535).default(4817),
  host: z.enum(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
  demo: z.boolean().default(true),
}).strict().refine((a) => !(a.db && a.databaseUrl), { message: 'use either --db or --database-url, not both', path: ['db'] });
export type StartArgs = z.infer<typeof StartArgsSchema>;

export function parseStartArgs(argv: string[]): StartArgs {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--data-dir') raw.dataDir = value();
    else if (flag === '--db') raw.db = value();
    else if (flag === '--database-url') raw.databaseUrl = value();
    else if (flag === '--port') raw.port = value();
    else if (flag === '--host') raw.host = value();
    else if (flag === '--no-demo') raw.demo = false;
    else if (flag === '--web') continue;
    else throw new Error(`unknown option ${flag} (options: --data-dir DIR, --db FILE | --database-url URL, --port N, --host 127.0.0.1, --no-demo)`);
  }
  const parsed = StartArgsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'option').replace(/[A-Z]/gu, (c) => `-${c.toLowerCase()}`)}: ${i.message}`).join('; '));
  return parsed.data;
}

export async function runWebMode(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let args: StartArgs;
  try { args = parseStartArgs(argv); } catch (e) {
    process.stderr.write(`privacy-desk: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // The same store the CLI opens: --db / --database-url, else PRIVACY_DESK_DATABASE_URL / PRIVACY_DESK_DB,
  // else <data folder>/privacy-desk.sqlite.
  const config = appConfigFrom({ dataDir: args.dataDir, db: args.db, databaseUrl: args.databaseUrl }, env);
  const dataDir = config.dataDir;
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, { clock: clockFrom(env) });
  } catch (e) {
    process.stderr.write(`privacy-desk: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (args.demo) {
    const made = await loadDemoDataIfEmpty(app);
    if (made) process.stdout.write(`Loaded demo data: ${made} cases.\n`);
  }
  let oidc = null;
  try {
    const cfg = oidcConfigFrom(env);
    oidc = cfg ? oidcSignIn(cfg) : null;
  } catch (e) {
    process.stderr.write(`privacy-desk: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const web = await startWebServer({
    backend: app, staticDir: join(root, 'renderer', 'dist'), host: args.host, port: args.port, oidc,
    secureCookies: env.PRIVACY_DESK_COOKIE_SECURE === '1',
  });
  const where = config.db.kind === 'postgres' ? 'PostgreSQL (--database-url)' : config.db.file;
  const boot = await bootstrapSignIn(app, web.origin);
  process.stdout.write(`PrivacyDesk web mode (data: ${dataDir}, store: ${where})\n`);
  if (boot.created) process.stdout.write('Created the account "admin" (role admin). Set its password: privacy-desk users reset-password admin; add staff: privacy-desk users add NAME --role analyst\n');
  if (boot.link) {
    process.stdout.write(`One-time sign-in link for admin (valid 60 minutes, printed on each start until admin has a password):\nOpen: ${boot.link}\n`);
  } else {
    process.stdout.write(`Open: ${web.url}  (sign in; a one-time link for a user: privacy-desk users link NAME)\n`);
  }
  const stop = async () => { await web.close(); await app.close(); process.exit(0); };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
