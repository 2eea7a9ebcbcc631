// privacy-desk users add|list|disable|role|reset-password|link|four-eyes: staff accounts (docs/CONSOLE.md "Accounts").
//   users add NAME --role viewer|analyst|approver|admin [--display-name T] [--email E] [--password-stdin | --no-password] [--oidc-subject SUB --oidc-issuer URL]
//   users list [--json]            users disable NAME            users role NAME ROLE
//   users reset-password NAME [--password-stdin]                 users link NAME [--minutes N] [--base-url URL]
//   users four-eyes [--execute on|off|auto] [--deny on|off|auto] [--extend on|off|auto]
// A generated password is printed once; nothing else about a password is ever printed or stored.
import type { CommandGroup, CliIO } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { json, one, parse } from '../args';
import type { UserView } from '../../shared/app/contract/accounts';
import { RoleSchema } from '../../shared/domain/roles';
import { FourEyesSettingSchema } from '../../shared/domain/four-eyes';

const meta = () => ({ actor: process.env.PRIVACY_DESK_USER ? `staff:${process.env.PRIVACY_DESK_USER}` : 'cli' });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/u, '');
}

function line(u: UserView): string {
  const how = u.signIn.length ? u.signIn.join('+') : 'link only';
  return `${u.name.padEnd(16)} ${u.role.padEnd(9)} ${(u.disabled ? 'disabled' : 'active').padEnd(9)} ${how.padEnd(13)} ${u.displayName ?? ''}${u.email ? ` <${u.email}>` : ''}`;
}

function printPassword(io: CliIO, name: string, password: string | null): void {
  if (password) io.stdout(`One-time password for ${name} (shown once; give it to them in person): ${password}\n`);
}

export const users: CommandGroup = {
  add: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, {
      role: { type: 'string' }, 'display-name': { type: 'string' }, email: { type: 'string' },
      'password-stdin': { type: 'boolean' }, 'no-password': { type: 'boolean' },
      'oidc-subject': { type: 'string' }, 'oidc-issuer': { type: 'string' }, json: { type: 'boolean' },
    });
    const name = one(positionals, 'user name');
    const role = RoleSchema.safeParse(values.role);
    if (!role.success) throw new UsageError('--role: one of viewer, analyst, approver, admin');
    const password = values['password-stdin'] ? await readStdin() : undefined;
    const app = await openApp(globals, { work: 'none' });
    try {
      const r = await app.call('users.add', {
        name, role: role.data, displayName: values['display-name'], email: values.email, password,
        oidcSubject: values['oidc-subject'], oidcIssuer: values['oidc-issuer'], noPassword: values['no-password'] ?? false,
      }, meta());
      if (values.json) io.stdout(json(r));
      else { io.stdout(`Added ${line(r.user)}\n`); printPassword(io, name, r.password); }
      return 0;
    } finally { await app.close(); }
  },
  list: async (argv, globals, io) => {
    const { values } = parse(argv, { json: { type: 'boolean' } }, false);
    const app = await openApp(globals, { work: 'none' });
    try {
      const r = await app.call('users.list', {}, meta());
      if (values.json) io.stdout(json(r));
      else io.stdout(r.items.length ? `${r.items.map(line).join('\n')}\n` : 'No users yet (web mode creates "admin" on its first start; or: privacy-desk users add NAME --role admin).\n');
      return 0;
    } finally { await app.close(); }
  },
  disable: async (argv, globals, io) => {
    const { positionals } = parse(argv, {});
    const name = one(positionals, 'user name');
    const app = await openApp(globals, { work: 'none' });
    try {
      io.stdout(`Disabled (sessions ended): ${line(await app.call('users.disable', { name }, meta()))}\n`);
      return 0;
    } finally { await app.close(); }
  },
  role: async (argv, globals, io) => {
    const { positionals } = parse(argv, {});
    if (positionals.length !== 2) throw new UsageError('usage: privacy-desk users role NAME viewer|analyst|approver|admin');
    const role = RoleSchema.safeParse(positionals[1]);
    if (!role.success) throw new UsageError('role: one of viewer, analyst, approver, admin');
    const app = await openApp(globals, { work: 'none' });
    try {
      io.stdout(`${line(await app.call('users.setRole', { name: positionals[0]!, role: role.data }, meta()))}\n`);
      return 0;
    } finally { await app.close(); }
  },
  'reset-password': async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { 'password-stdin': { type: 'boolean' } });
    const name = one(positionals, 'user name');
    const password = values['password-stdin'] ? await readStdin() : undefined;
    const app = await openApp(globals, { work: 'none' });
    try {
      const r = await app.call('users.resetPassword', { name, password }, meta());
      io.stdout(`New password set for ${name}; their sessions ended.\n`);
      if (!password) printPassword(io, name, r.password);
      return 0;
    } finally { await app.close(); }
  },
  link: async (argv, globals, io) => {
    const { values, positionals } = parse(argv, { minutes: { type: 'string' }, 'base-url': { type: 'string' } });
    const name = one(positionals, 'user name');
    const app = await openApp(globals, { work: 'none' });
    try {
      const r = await app.call('auth.link', { name, minutes: values.minutes ? Number(values.minutes) : 15 }, meta());
      const base = (values['base-url'] ?? 'http://127.0.0.1:4817').replace(/\/+$/u, '');
      io.stdout(`One-time sign-in link for ${name} (until ${r.expiresAt}): ${base}/auth/link?t=${r.token}\n`);
      return 0;
    } finally { await app.close(); }
  },
  'four-eyes': async (argv, globals, io) => {
    const { values } = parse(argv, { execute: { type: 'string' }, deny: { type: 'string' }, extend: { type: 'string' }, json: { type: 'boolean' } }, false);
    const set: Record<string, 'on' | 'off' | 'auto'> = {};
    for (const k of ['execute', 'deny', 'extend'] as const) {
      if (values[k] === undefined) continue;
      const v = FourEyesSettingSchema.safeParse(values[k]);
      if (!v.success) throw new UsageError(`--${k}: one of on, off, auto`);
      set[k] = v.data;
    }
    const app = await openApp(globals, { work: 'none' });
    try {
      if (Object.keys(set).length) await app.call('fourEyes.set', set, meta());
      const r = await app.call('fourEyes.get', {}, meta());
      if (values.json) io.stdout(json(r));
      else {
        for (const k of ['execute', 'deny', 'extend'] as const) io.stdout(`${k.padEnd(8)} ${r.policy[k].padEnd(5)} ${r.effective[k] ? 'applies now' : 'does not apply now'}\n`);
        io.stdout(`(${r.activeUsers} active user(s); "auto" applies with two or more)\n`);
      }
      return 0;
    } finally { await app.close(); }
  },
};
export default users;
