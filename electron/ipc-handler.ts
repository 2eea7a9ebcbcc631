// Main-process side of the IPC: validate the envelope with zod, check the calling frame is our own
// page, call the app as the signed-in staff user, and answer with an envelope (errors keep their
// type across the bridge). Sign-in works as in web mode: the page's login screen sends
// auth.signIn / auth.signOut / auth.state, which this handler answers itself; the session token
// stays in the main process (kept by `sessions`, so a restart keeps the session) and never reaches
// the page. Without `sessions` (tests) every call acts as the trusted `actor`.
import { z } from 'zod';
import { ApiAuthError, ApiForbiddenError, ApiInputError, ApiNotFoundError, ApiStateError, type CallMeta } from '../shared/app/api';
import { IpcCallSchema } from './ipc-contract';

export interface IpcBackend { callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown> }

export type IpcEnvelope =
  | { ok: true; result: unknown }
  | { ok: false; error: { type: 'input' | 'not_found' | 'state' | 'auth' | 'forbidden' | 'internal'; message: string; issues?: Array<{ path: string; message: string }> } };

/** Where the main process keeps the session token (a 0600 file in the data folder). */
export interface SessionKeeper { get(): string | null; set(token: string | null): void }

const SHELL: CallMeta = { actor: 'electron' };
const SignInSchema = z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }).strict();

export function makeIpcHandler(backend: IpcBackend, actor: string, isTrustedUrl: (url: string) => boolean, log: (msg: string) => void = () => undefined, sessions?: SessionKeeper) {
  async function signedInUser(): Promise<{ name: string } | null> {
    const token = sessions?.get();
    if (!token) return null;
    try {
      return ((await backend.callUnknown('auth.session', { token }, SHELL)) as { user: { name: string } }).user;
    } catch { sessions!.set(null); return null; }
  }
  async function authOp(op: string, input: unknown): Promise<IpcEnvelope> {
    if (op === 'auth.state') {
      const token = sessions!.get();
      if (!token) return { ok: true, result: { user: null } };
      try { return { ok: true, result: { user: ((await backend.callUnknown('auth.session', { token }, SHELL)) as { user: unknown }).user } }; } catch {
        sessions!.set(null);
        return { ok: true, result: { user: null } };
      }
    }
    if (op === 'auth.signIn') {
      const parsed = SignInSchema.safeParse(input);
      if (!parsed.success) return { ok: false, error: { type: 'input', message: 'enter your user name and password' } };
      try {
        const s = (await backend.callUnknown('auth.login', parsed.data, SHELL)) as { token: string; user: unknown };
        sessions!.set(s.token);
        return { ok: true, result: { user: s.user } };
      } catch { return { ok: false, error: { type: 'auth', message: 'wrong user name or password' } }; }
    }
    const token = sessions!.get();
    if (token) await backend.callUnknown('auth.logout', { token }, SHELL).catch(() => undefined);
    sessions!.set(null);
    return { ok: true, result: { user: null } };
  }
  return async (senderUrl: string | undefined, payload: unknown): Promise<IpcEnvelope> => {
    if (!senderUrl || !isTrustedUrl(senderUrl)) return { ok: false, error: { type: 'auth', message: 'call from an untrusted frame refused' } };
    const parsed = IpcCallSchema.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(call)', message: i.message }));
      return { ok: false, error: { type: 'input', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues } };
    }
    if (sessions && ['auth.state', 'auth.signIn', 'auth.signOut'].includes(parsed.data.op)) return authOp(parsed.data.op, parsed.data.input ?? {});
    let meta: CallMeta = { actor };
    if (sessions) {
      const user = await signedInUser();
      if (!user) return { ok: false, error: { type: 'auth', message: 'not signed in (or the session ended): sign in again' } };
      meta = { actor: `staff:${user.name}`, user: user.name };
    }
    try {
      const result = await backend.callUnknown(parsed.data.op, parsed.data.input ?? {}, meta);
      return { ok: true, result: result ?? null };
    } catch (e) {
      if (e instanceof ApiInputError) return { ok: false, error: { type: /^unknown operation/u.test(e.message) ? 'not_found' : 'input', message: e.message, issues: e.issues } };
      if (e instanceof ApiNotFoundError) return { ok: false, error: { type: 'not_found', message: e.message } };
      if (e instanceof ApiStateError) return { ok: false, error: { type: 'state', message: e.message } };
      if (e instanceof ApiForbiddenError) return { ok: false, error: { type: 'forbidden', message: e.message } };
      if (e instanceof ApiAuthError) { sessions?.set(null); return { ok: false, error: { type: 'auth', message: e.message } }; }
      if (e instanceof z.ZodError) return { ok: false, error: { type: 'input', message: 'invalid input' } };
      log(`${parsed.data.op} failed: ${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`);
      return { ok: false, error: { type: 'internal', message: 'internal error (see the log)' } };
    }
  };
}
