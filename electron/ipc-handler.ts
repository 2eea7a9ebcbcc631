// Main-process side of the IPC: validate the envelope with zod, check the calling frame is our own
// page, call the app, and answer with an envelope (errors keep their type across the bridge).
import { z } from 'zod';
import { ApiInputError, ApiNotFoundError, ApiStateError, type CallMeta } from '../shared/app/api';
import { IpcCallSchema } from './ipc-contract';

export interface IpcBackend { callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown> }

export type IpcEnvelope =
  | { ok: true; result: unknown }
  | { ok: false; error: { type: 'input' | 'not_found' | 'state' | 'auth' | 'internal'; message: string; issues?: Array<{ path: string; message: string }> } };

export function makeIpcHandler(backend: IpcBackend, actor: string, isTrustedUrl: (url: string) => boolean, log: (msg: string) => void = () => undefined) {
  return async (senderUrl: string | undefined, payload: unknown): Promise<IpcEnvelope> => {
    if (!senderUrl || !isTrustedUrl(senderUrl)) return { ok: false, error: { type: 'auth', message: 'call from an untrusted frame refused' } };
    const parsed = IpcCallSchema.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(call)', message: i.message }));
      return { ok: false, error: { type: 'input', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues } };
    }
    try {
      const result = await backend.callUnknown(parsed.data.op, parsed.data.input ?? {}, { actor });
      return { ok: true, result: result ?? null };
    } catch (e) {
      if (e instanceof ApiInputError) return { ok: false, error: { type: /^unknown operation/u.test(e.message) ? 'not_found' : 'input', message: e.message, issues: e.issues } };
      if (e instanceof ApiNotFoundError) return { ok: false, error: { type: 'not_found', message: e.message } };
      if (e instanceof ApiStateError) return { ok: false, error: { type: 'state', message: e.message } };
      if (e instanceof z.ZodError) return { ok: false, error: { type: 'input', message: 'invalid input' } };
      log(`${parsed.data.op} failed: ${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`);
      return { ok: false, error: { type: 'internal', message: 'internal error (see the log)' } };
    }
  };
}
