// How the renderer reaches the back end: one `call(op, input)`; IPC through the preload bridge in
// Electron, HTTP (POST /api/<op> with the session cookie; automation: a Bearer token) in web mode.
// Errors come back as ApiError.

export interface ApiIssue { path: string; message: string }
export type ApiErrorType = 'input' | 'not_found' | 'state' | 'auth' | 'forbidden' | 'internal' | 'network';

export class ApiError extends Error {
  constructor(readonly type: ApiErrorType, message: string, readonly issues: ApiIssue[] = [], readonly status = 0) {
    super(message); this.name = 'ApiError';
  }
}

/** The envelope both shells answer with. */
export type Envelope = { ok: true; result: unknown } | { ok: false; error: { type: ApiErrorType; message: string; issues?: ApiIssue[] } };

/** What electron/preload.ts exposes as window.privacyDesk. */
export interface PreloadBridge {
  call(op: string, input: unknown): Promise<Envelope>;
}

export interface Transport { call(op: string, input: unknown): Promise<unknown> }

export function bridgeTransport(bridge: PreloadBridge): Transport {
  return {
    async call(op, input) {
      const r = await bridge.call(op, input);
      if (r.ok) return r.result;
      throw new ApiError(r.error.type, r.error.message, r.error.issues ?? []);
    },
  };
}

/** `token`: automation's Bearer token (#token=...); empty: the HttpOnly session cookie signs the call. */
export function httpTransport(token: string, base = ''): Transport {
  return {
    async call(op, input) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${op}`, {
          method: 'POST',
          headers: token ? { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } : { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: token ? 'omit' : 'same-origin',
          cache: 'no-store',
        });
      } catch {
        throw new ApiError('network', 'The PrivacyDesk server is not reachable. Is it still running?');
      }
      const body = await res.json().catch(() => null) as { result?: unknown; error?: { type: ApiErrorType; message: string; issues?: ApiIssue[] } } | null;
      if (res.ok && body && 'result' in body) return body.result;
      const err = body?.error;
      if (res.status === 401 && !token) window.dispatchEvent(new Event('privacy-desk:signed-out'));
      throw new ApiError(err?.type ?? 'internal', err?.message ?? `HTTP ${res.status}`, err?.issues ?? [], res.status);
    },
  };
}

/** Reads the web-mode session token from the URL fragment (#token=...), keeps it for this tab only. */
export function takeSessionToken(loc: Location, storage: Storage): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/u.exec(loc.hash);
  if (m) {
    storage.setItem('privacy-desk-token', m[1]!);
    history.replaceState(null, '', `${loc.pathname}${loc.search}#/queue`);
    return m[1]!;
  }
  return storage.getItem('privacy-desk-token');
}
