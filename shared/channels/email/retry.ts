// Retry with exponential backoff and jitter, for sends that fail for transient reasons
// (throttling, 5xx, network). A permanent error (message rejected, bad request) is not retried.
export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  retryable?: (err: unknown) => boolean;
  onRetry?: (attempt: number, err: unknown, waitMs: number) => void;
}

export class SendFailedError extends Error {
  constructor(message: string, readonly attempts: number, readonly permanent: boolean, override readonly cause?: unknown) {
    super(message); this.name = 'SendFailedError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => { setTimeout(r, ms); });

/** AWS SDK / fetch errors: retry throttling, 5xx and network failures; not 4xx rejections. */
export function isTransient(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status === 429 || status >= 500;
  const name = `${e?.name ?? ''} ${e?.code ?? ''}`;
  if (/Throttl|TooManyRequests|Timeout|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up|ServiceUnavailable|InternalFailure/iu.test(name)) return true;
  if (err instanceof TypeError && /fetch failed/iu.test(err.message)) return true;
  return false;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<{ value: T; attempts: number }> {
  const sleep = o.sleep ?? defaultSleep;
  const retryable = o.retryable ?? isTransient;
  let last: unknown;
  for (let attempt = 1; attempt <= o.attempts; attempt += 1) {
    try {
      return { value: await fn(attempt), attempts: attempt };
    } catch (e) {
      last = e;
      const msg = errorText(e);
      if (!retryable(e)) throw new SendFailedError(msg, attempt, true, e);
      if (attempt === o.attempts) throw new SendFailedError(msg, attempt, false, e);
      const wait = Math.min(o.maxMs ?? 30_000, o.baseMs * 2 ** (attempt - 1));
      const jittered = Math.round(wait / 2 + Math.random() * (wait / 2));
      o.onRetry?.(attempt, e, jittered);
      await sleep(jittered);
    }
  }
  throw new SendFailedError(errorText(last), o.attempts, false, last);
}

/** An error as a short message (no request bodies: they could hold PII). */
export function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode ? ` (HTTP ${err.$metadata.httpStatusCode})` : '';
  const raw = `${err?.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err?.message ?? String(e)}${status}`;
  // Providers quote addresses in errors ("identities failed the check: a@b.com"): mask them.
  const m = raw.replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)/gu, '$1***@$2').replace(/\+\d{6,15}/gu, '+***');
  return m.length > 300 ? `${m.slice(0, 300)}…` : m;
}
