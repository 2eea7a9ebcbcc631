import { describe, it, expect } from 'vitest';
import { errorText, isTransient, SendFailedError, withRetry } from '../../../shared/channels/email/retry';

const transient = () => Object.assign(new Error('slow down'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
const permanent = () => Object.assign(new Error('Email address is not verified: jane.doe@example.com'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });

describe('retry with backoff', () => {
  it('retries transient failures with growing waits, then succeeds', async () => {
    const waits: number[] = [];
    let n = 0;
    const r = await withRetry(async () => { n += 1; if (n < 3) throw transient(); return 'ok'; }, { attempts: 5, baseMs: 100, sleep: async (ms) => { waits.push(ms); } });
    expect(r).toEqual({ value: 'ok', attempts: 3 });
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50); expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100); expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the attempts and says how many', async () => {
    const e = await withRetry(async () => { throw transient(); }, { attempts: 3, baseMs: 1, sleep: async () => undefined }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SendFailedError);
    expect((e as SendFailedError).attempts).toBe(3);
    expect((e as SendFailedError).permanent).toBe(false);
  });

  it('does not retry a permanent rejection, and masks addresses in the error', async () => {
    let n = 0;
    const e = await withRetry(async () => { n += 1; throw permanent(); }, { attempts: 4, baseMs: 1, sleep: async () => undefined }).catch((x: unknown) => x) as SendFailedError;
    expect(n).toBe(1);
    expect(e.permanent).toBe(true);
    expect(isTransient(permanent())).toBe(false);
    const text = errorText(permanent());
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toContain('j***@example.com');
  });
});
