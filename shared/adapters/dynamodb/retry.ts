// Retry of throttled DynamoDB calls: exponential backoff with full jitter, capped, a bounded number
// of attempts. Throttling and transient server errors are retried; everything else fails at once.
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseMs: 50, capMs: 5_000 };

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'InternalServerError', 'ServiceUnavailable', 'LimitExceededException', 'TransactionInProgressException',
]);

export function isRetryable(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (err?.name && RETRYABLE.has(err.name)) return true;
  const status = err?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

export function backoffMs(attempt: number, p: RetryPolicy): number {
  const ceiling = Math.min(p.capMs, p.baseMs * 2 ** attempt);
  return Math.floor((p.random ?? Math.random)() * ceiling);
}

export class RetryStats {
  retries = 0;
  sleptMs = 0;
}

export async function withRetry<T>(fn: () => Promise<T>, p: RetryPolicy, stats?: RetryStats): Promise<T> {
  const sleep = p.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetryable(e) || attempt + 1 >= p.maxAttempts) throw e;
      const ms = backoffMs(attempt, p);
      if (stats) { stats.retries += 1; stats.sleptMs += ms; }
      await sleep(ms);
    }
  }
}
