// The Lambdas' only logger: one JSON line per event, with a fixed vocabulary of safe fields
// (ids, codes, counts, durations). There is deliberately no way to log free text or caller input:
// values of unknown keys are dropped, and string values are limited to safe shapes.
export type LogLevel = 'info' | 'warn' | 'error';
type SafeValue = string | number | boolean | null;

const SAFE_KEYS = new Set([
  'contactId', 'caseId', 'result', 'reason', 'code', 'field', 'factor', 'factors', 'count', 'matched', 'asked',
  'attempt', 'ms', 'found', 'status', 'type', 'handler', 'keyIds', 'dialect', 'problem', 'phoneHash',
]);
// Ids, codes, enum-like words and zod paths; no spaces-and-digits runs that could be input.
const SAFE_STRING = /^[A-Za-z0-9_.:;,/ ()[\]=-]{0,200}$/u;

export interface LambdaLogger { (level: LogLevel, event: string, fields?: Record<string, SafeValue>): void }

let defaultSink: (line: string) => void = (l) => { console.log(l); };
/** Where loggers without their own sink write (CloudWatch via stdout in Lambda; stderr in the CLI simulator). */
export function setLogSink(sink: ((line: string) => void) | null): void {
  defaultSink = sink ?? ((l) => { console.log(l); });
}

export function makeLogger(handler: string, sink?: (line: string) => void): LambdaLogger {
  return (level, event, fields = {}) => {
    const safe: Record<string, SafeValue> = { level, handler, event };
    for (const [k, v] of Object.entries(fields)) {
      if (!SAFE_KEYS.has(k)) continue;
      if (typeof v === 'string' && (!SAFE_STRING.test(v) || /\d{5,}/u.test(v.replace(/PD-\d{8}-/gu, '')) && k !== 'contactId' && k !== 'phoneHash')) continue;
      safe[k] = v;
    }
    (sink ?? defaultSink)(JSON.stringify(safe));
  };
}

/** A content-free code for an error: its `code` or class name, never its message. */
export function errorCode(e: unknown): string {
  const err = e as { name?: string; code?: unknown };
  return typeof err?.code === 'string' ? err.code.slice(0, 40) : (err?.name ?? 'Error').slice(0, 40);
}
