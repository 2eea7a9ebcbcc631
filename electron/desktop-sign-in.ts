// The desktop app's sign-in: the session token lives in <data folder>/desktop-session (0600, main
// process only; the page never sees it), so a restart keeps the session like web mode's cookie.
// First start (no users): the account "admin" is created and, while it has no password, the
// desktop app signs it in through a one-time link (the same path as web mode's printed link).
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { CallMeta } from '../shared/app/api';
import type { SessionKeeper } from './ipc-handler';

interface Backend { callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown> }
const SHELL: CallMeta = { actor: 'electron' };

export function fileSessionKeeper(file: string): SessionKeeper {
  let token: string | null = existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null;
  return {
    get: () => token,
    set(t) {
      token = t;
      if (t) { writeFileSync(file, t, { mode: 0o600 }); chmodSync(file, 0o600); } else rmSync(file, { force: true });
    },
  };
}

export async function desktopBootstrap(backend: Backend, sessions: SessionKeeper): Promise<void> {
  let { items } = await backend.callUnknown('users.list', {}, SHELL) as { items: Array<{ name: string; role: string; disabled: boolean; signIn: string[] }> };
  if (!items.length) {
    await backend.callUnknown('users.add', { name: 'admin', role: 'admin', displayName: 'Administrator', noPassword: true }, SHELL);
    ({ items } = await backend.callUnknown('users.list', {}, SHELL) as { items: typeof items });
  }
  if (sessions.get()) return;
  const waiting = items.find((u) => u.role === 'admin' && !u.disabled && u.signIn.length === 0);
  if (!waiting) return;
  const link = await backend.callUnknown('auth.link', { name: waiting.name, minutes: 1 }, SHELL) as { token: string };
  const s = await backend.callUnknown('auth.redeemLink', { token: link.token }, SHELL) as { token: string };
  sessions.set(s.token);
}
