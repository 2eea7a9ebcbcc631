// Type parsers for `pg` pools whose values must round-trip exactly (the case store's PostgresDb and
// the data sources over it, Redshift). By default pg turns date, timestamp and timestamptz into JS
// Dates built in the *process* time zone: a `timestamp` '2024-03-10 02:30:00' read in New York
// becomes 07:30Z (02:30 does not exist there), microseconds are cut to milliseconds, and a value
// written back no longer matches its row. Here date, time, timetz, timestamp and interval come back
// as the server's text, which PostgreSQL parses back to the same value when bound as a parameter;
// timestamptz comes back as text in UTC ('2024-03-10 07:30:00.5+00', what the server prints with
// TimeZone=UTC), whatever the session time zone, so the same instant always reads the same. Arrays
// of these types come back as arrays of that text. Binary-format results keep pg's parsers.
// Installed per pool through the `types` option, never globally on pg.types (other pools in the
// process keep their own parsers).
import pg from 'pg';

type Parser = (value: string) => unknown;
type GetTypeParser = (oid: number, format?: 'text' | 'binary') => unknown;

const DATE = 1082;
const TIME = 1083;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const INTERVAL = 1186;
const TIMETZ = 1266;
const DATE_ARRAY = 1182;
const TIME_ARRAY = 1183;
const TIMESTAMP_ARRAY = 1115;
const TIMESTAMPTZ_ARRAY = 1185;
const INTERVAL_ARRAY = 1187;
const TIMETZ_ARRAY = 1270;
const TEXT_ARRAY = 1009;

const AS_TEXT = new Set([DATE, TIME, TIMESTAMP, INTERVAL, TIMETZ]);
const AS_TEXT_ARRAY = new Set([DATE_ARRAY, TIME_ARRAY, TIMESTAMP_ARRAY, INTERVAL_ARRAY, TIMETZ_ARRAY]);

const TSTZ = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/u;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A timestamptz as PostgreSQL prints it (DateStyle ISO, any session time zone) rewritten to UTC:
 * '2024-03-09 21:30:00.123456-05' -> '2024-03-10 02:30:00.123456+00'. The fraction is kept as
 * printed (microseconds). Text in another form ('infinity', a non-ISO DateStyle, a year JavaScript
 * cannot hold) is returned unchanged: it still names the same instant when bound back.
 */
export function timestamptzToUtc(text: string): string {
  const m = TSTZ.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh, om = '0', os = '0', bc] = m;
  const offset = (Number(oh) * 3600 + Number(om) * 60 + Number(os)) * (sign === '-' ? -1 : 1);
  if (offset === 0) return text;
  const t = new Date(0);
  // Astronomical year numbering: 1 BC is year 0. setUTCFullYear keeps years 0-99 as they are.
  t.setUTCFullYear(bc ? 1 - Number(y) : Number(y), Number(mo) - 1, Number(d));
  t.setUTCHours(Number(h), Number(mi), Number(s) - offset, 0);
  if (Number.isNaN(t.getTime())) return text;
  const year = t.getUTCFullYear();
  const date = `${pad(year > 0 ? year : 1 - year, 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}${frac}`;
  return `${date} ${time}+00${year > 0 ? '' : ' BC'}`;
}

function mapDeep(v: unknown, f: (s: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => mapDeep(x, f));
  return typeof v === 'string' ? f(v) : v;
}

const asText: Parser = (v) => v;

/**
 * A `types` option for pg.Pool / pg.Client: date and time types as exact text (above), every other
 * type from `base` (default: pg's own parsers).
 */
export function exactTypes(base: GetTypeParser = pg.types.getTypeParser as GetTypeParser): pg.CustomTypesConfig {
  const textArray = (pg.types.getTypeParser as GetTypeParser)(TEXT_ARRAY, 'text') as Parser;
  const getTypeParser = (oid: number, format?: 'text' | 'binary'): unknown => {
    if (format === 'binary') return base(oid, format);
    if (AS_TEXT.has(oid)) return asText;
    if (oid === TIMESTAMPTZ) return timestamptzToUtc;
    if (AS_TEXT_ARRAY.has(oid)) return textArray;
    if (oid === TIMESTAMPTZ_ARRAY) return (v: string) => mapDeep(textArray(v), timestamptzToUtc);
    return base(oid, format);
  };
  return { getTypeParser: getTypeParser as typeof pg.types.getTypeParser };
}
