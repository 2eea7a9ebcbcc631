// The privacy-desk command. Global options (anywhere on the line): --db FILE | --database-url URL,
// --data-dir DIR. Then a group and a verb: `privacy-desk request create ...`. Each group lives in
// cli/commands/<group>.ts and is loaded only when used. Exit status: 0 ok, 1 failed, 2 bad input, 4 refused (the role or the four-eyes rule),
// 3 partly done (some input refused, the rest written: requests import).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError, type CliGlobals, type CliIO, type CommandGroup } from './command';
import { ApiAuthError, ApiForbiddenError, ApiInputError, ApiNotFoundError, ApiStateError } from '../shared/app/api';

const here = dirname(fileURLToPath(import.meta.url));
const commandsDir = join(here, 'commands');

export function extractGlobals(argv: string[]): { globals: CliGlobals; rest: string[] } {
  const globals: CliGlobals = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? (eq > 0 ? a.slice(0, eq) : a) : '';
    const take = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i += 1;
      return v;
    };
    if (name === '--db') globals.db = take();
    else if (name === '--database-url') globals.databaseUrl = take();
    else if (name === '--data-dir') globals.dataDir = take();
    else if (name === '--as') globals.as = take();
    else rest.push(a);
  }
  if (globals.db && globals.databaseUrl) throw new UsageError('use either --db or --database-url, not both');
  return { globals, rest };
}

export function listGroups(): string[] {
  if (!existsSync(commandsDir)) return [];
  return readdirSync(commandsDir).filter((f) => /\.(ts|js|mjs)$/u.test(f) && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.(ts|js|mjs)$/u, '')).sort();
}

async function loadGroup(name: string): Promise<CommandGroup | undefined> {
  if (!/^[a-z][a-z0-9-]*$/u.test(name)) return undefined;
  for (const ext of ['ts', 'js', 'mjs']) {
    const file = join(commandsDir, `${name}.${ext}`);
    if (existsSync(file)) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const group = (mod.default ?? mod.commands ?? mod.group ?? Object.values(mod).find((v) => v && typeof v === 'object')) as CommandGroup | undefined;
      return group;
    }
  }
  return undefined;
}

function usage(): string {
  return [
    'usage: privacy-desk [--db FILE | --database-url URL] [--data-dir DIR] [--as USER] <group> <verb> [options]',
    `groups: ${listGroups().join(', ')}`,
    'run `privacy-desk <group>` to list its verbs.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const { globals, rest } = extractGlobals(argv);
    // --as USER: every call of this command names that staff account (cli/open-app.ts).
    if (globals.as !== undefined) process.env.PRIVACY_DESK_USER = globals.as;
    const [groupName, verb, ...args] = rest;
    if (!groupName || groupName === '--help' || groupName === 'help') {
      io.stdout(`${usage()}\n`);
      return groupName ? 0 : 2;
    }
    const group = await loadGroup(groupName);
    if (!group) throw new UsageError(`unknown command group "${groupName}"\n${usage()}`);
    const verbs = Object.keys(group).filter((k) => k !== '');
    const fn = verb !== undefined && !verb.startsWith('--') ? group[verb] : group[''];
    if (!fn) {
      throw new UsageError(verb ? `unknown command "${groupName} ${verb}"; verbs: ${verbs.join(', ')}` : `usage: privacy-desk ${groupName} <${verbs.join('|')}> ...`);
    }
    const fnArgs = verb !== undefined && !verb.startsWith('--') ? args : [verb, ...args].filter((x): x is string => x !== undefined);
    return await fn(fnArgs, globals, io);
  } catch (e) {
    return reportError(e, io);
  }
}

/**
 * Control characters (ESC, CR, BEL, C1 ...) escaped as \\xNN / \\u{NNNN}: messages echo what the user
 * typed, and a terminal must never interpret it. Newlines and tabs of the message itself stay.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    const n = c.codePointAt(0)!;
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

export function reportError(e: unknown, io: CliIO): number {
  const raw = io;
  io = { ...raw, stderr: (t) => raw.stderr(escapeControl(t)) };
  if (e instanceof UsageError || e instanceof ApiInputError) {
    io.stderr(`privacy-desk: ${e.message}\n`);
    return 2;
  }
  if (e instanceof ApiNotFoundError) {
    io.stderr(`privacy-desk: ${e.message}\n`);
    return 2;
  }
  if (e instanceof ApiStateError) {
    io.stderr(`privacy-desk: ${e.message}\n`);
    return 1;
  }
  if (e instanceof ApiForbiddenError || e instanceof ApiAuthError) {
    io.stderr(`privacy-desk: refused: ${e.message}\n`);
    return 4;
  }
  io.stderr(`privacy-desk: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.PRIVACY_DESK_DEBUG && e instanceof Error) io.stderr(`${e.stack}\n`);
  return 1;
}

export const processIO: CliIO = {
  // On a terminal, control characters in what is echoed are escaped; piped output stays byte-exact
  // (JSON escapes them anyway).
  stdout: (t) => { process.stdout.write(process.stdout.isTTY ? escapeControl(t) : t); },
  stderr: (t) => { process.stderr.write(escapeControl(t)); },
  isTTY: Boolean(process.stderr.isTTY),
};

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  main(process.argv.slice(2), processIO).then((code) => { process.exitCode = code; });
}
