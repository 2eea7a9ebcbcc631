// Web mode from the command line (bin/start.mjs): open the app on the data folder, load the demo
// data on an empty store, serve the console on 127.0.0.1 and print the URL with its session token.
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createApp } from '../shared/app/app';
import { loadDemoDataIfEmpty } from '../shared/app/demo-data';
import { clockFrom, defaultDataDir } from '../cli/open-app';
import { startWebServer } from './web-server';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const StartArgsSchema = z.object({
  dataDir: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65535).default(4817),
  host: z.enum(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'),
  demo: z.boolean().default(true),
}).strict();
export type StartArgs = z.infer<typeof StartArgsSchema>;

export function parseStartArgs(argv: string[]): StartArgs {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--data-dir') raw.dataDir = value();
    else if (flag === '--port') raw.port = value();
    else if (flag === '--host') raw.host = value();
    else if (flag === '--no-demo') raw.demo = false;
    else if (flag === '--web') continue;
    else throw new Error(`unknown option ${flag} (options: --data-dir DIR, --port N, --host 127.0.0.1, --no-demo)`);
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
  const dataDir = args.dataDir ? resolve(args.dataDir) : defaultDataDir(env);
  const app = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') } }, { clock: clockFrom(env) });
  if (args.demo) {
    const made = await loadDemoDataIfEmpty(app);
    if (made) process.stdout.write(`Loaded demo data: ${made} cases.\n`);
  }
  const web = await startWebServer({ backend: app, staticDir: join(root, 'renderer', 'dist'), actor: `staff:${userInfo().username}`, host: args.host, port: args.port });
  process.stdout.write(`PrivacyDesk web mode (data: ${dataDir})\nOpen: ${web.url}\n`);
  const stop = async () => { await web.close(); await app.close(); process.exit(0); };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
