// How a field reads in the access report: its plain-language label and how its values are written
// out (amounts with their currency, dates and times in the consumer's zone and locale, booleans as
// yes/no, codes as words). The data map may declare both per field (`label`, `display`; a Fides
// field's `description` comes in as `description`); otherwise the fideslang category's own name is
// the label and the value's type decides. Pure (Intl only).
import { z } from 'zod';
import { categoryName, REPORT_LOCALES, reportWords, type ReportLocale } from './report-words';

/** A text the map may give in one language, or per report locale (`{ en: ..., es: ... }`). */
export const LocalTextSchema = z.union([
  z.string().trim().min(1).max(200),
  z.object({ en: z.string().trim().min(1).max(200), es: z.string().trim().min(1).max(200).optional() }).strict(),
]);
export type LocalText = z.infer<typeof LocalTextSchema>;

export const FieldDisplaySchema = z.discriminatedUnion('type', [
  /** An amount: `minorUnits` = how many decimal places the stored integer is scaled by (cents: 2). */
  z.object({ type: z.literal('currency'), currency: z.string().regex(/^[A-Z]{3}$/u, 'currency must be an ISO 4217 code like USD'), minorUnits: z.number().int().min(0).max(4).default(0) }).strict(),
  /** A calendar date (no time of day): never shifted by a time zone. */
  z.object({ type: z.literal('date') }).strict(),
  /** An instant: shown in the consumer's time zone. */
  z.object({ type: z.literal('datetime') }).strict(),
  /** true/false, 1/0, "t"/"f", "yes"/"no": shown as yes/no. */
  z.object({ type: z.literal('boolean') }).strict(),
  /** Stored codes and the words they stand for; a code not listed is shown as stored. */
  z.object({ type: z.literal('codes'), codes: z.record(z.string().min(1).max(100), LocalTextSchema) }).strict(),
  /** Shown as stored (no guessing). */
  z.object({ type: z.literal('text') }).strict(),
]);
export type FieldDisplay = z.infer<typeof FieldDisplaySchema>;

/** What the data map says about a field, for the report. */
export interface FieldInfo {
  /** Fides `description` of the field (wins). */
  description?: string;
  /** A short label the map declares. */
  label?: LocalText;
  display?: FieldDisplay;
  /** The field's data type as the map gives it (Fides data_type): a hint for dates and booleans. */
  dataType?: string;
  /** A primary key or join key of the store: without a personal category it is internal bookkeeping (the consumer's page leaves it out; JSON and CSV keep it). */
  key?: boolean;
}

export interface ValueContext {
  locale: ReportLocale;
  /** IANA zone instants are shown in (the consumer's, i.e. their jurisdiction's). */
  timeZone: string;
}

export function localText(t: LocalText, locale: ReportLocale): string {
  return typeof t === 'string' ? t : (t[locale] ?? t.en);
}

const humanize = (name: string): string => {
  const s = name.replace(/[_\-.]+/gu, ' ').replace(/([a-z])([A-Z])/gu, '$1 $2').trim().toLowerCase();
  return s ? s[0]!.toUpperCase() + s.slice(1) : name;
};

/**
 * The label of a field: the map's description, else its declared label, else the name of its
 * fideslang category ("Email address"), else (no category) the field's name in words.
 */
export function fieldLabel(field: string, fidesCategory: string | undefined, info: FieldInfo | undefined, locale: ReportLocale): string {
  if (info?.description?.trim()) return info.description.trim();
  if (info?.label) return localText(info.label, locale);
  const byCategory = fidesCategory ? categoryName(fidesCategory, locale) : null;
  return byCategory ?? humanize(field.split('.').pop() ?? field);
}

/** A collection's name as a heading: its description from the map, else its name in words. */
export function collectionLabel(collection: string, description: string | undefined): string {
  return description?.trim() || humanize(collection);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/u;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/u;
const TRUE = new Set(['true', '1', 't', 'y', 'yes']);
const FALSE = new Set(['false', '0', 'f', 'n', 'no']);

function intlLocale(locale: ReportLocale): string {
  return locale === 'es' ? 'es-ES' : 'en-US';
}

function formatDate(v: unknown, ctx: ValueContext): string | null {
  const s = v instanceof Date ? v.toISOString() : String(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})/u.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return null;
  return new Intl.DateTimeFormat(intlLocale(ctx.locale), { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

function formatInstant(v: unknown, ctx: ValueContext): string | null {
  let d: Date;
  if (v instanceof Date) d = v;
  else if (typeof v === 'number') d = new Date(v > 1e11 ? v : v * 1000);
  else {
    const s = String(v).trim();
    if (!ISO_INSTANT.test(s)) return ISO_DATE.test(s) ? formatDate(s, ctx) : null;
    // No offset: stored as UTC (what our engines return for timestamps without a zone).
    d = new Date(/(Z|[+-]\d{2}:?\d{2})$/u.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
  }
  if (Number.isNaN(d.getTime())) return null;
  const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: ctx.timeZone, timeZoneName: 'short' };
  return new Intl.DateTimeFormat(intlLocale(ctx.locale), opts).format(d);
}

function formatBoolean(v: unknown, ctx: ValueContext): string | null {
  const s = String(v).trim().toLowerCase();
  const w = reportWords(ctx.locale);
  if (TRUE.has(s)) return w.yes;
  if (FALSE.has(s)) return w.no;
  return null;
}

function formatCurrency(v: unknown, d: Extract<FieldDisplay, { type: 'currency' }>, ctx: ValueContext): string | null {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) return null;
  return new Intl.NumberFormat(intlLocale(ctx.locale), { style: 'currency', currency: d.currency }).format(n / 10 ** d.minorUnits);
}

/** Raw text of a value (machine copies): strings as-is, dates ISO, objects JSON. */
export function rawText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/**
 * A value as a person reads it. Declared display first; otherwise booleans as yes/no, ISO instants
 * in the consumer's zone, and the data type's hint (date, timestamp, boolean). Anything that does
 * not fit its declaration is shown as stored (never dropped, never invented).
 */
export function formatValue(v: unknown, info: FieldInfo | undefined, ctx: ValueContext): string {
  if (v === null || v === undefined || v === '') return '';
  const d = info?.display;
  const raw = rawText(v);
  if (d) {
    switch (d.type) {
      case 'currency': return formatCurrency(v, d, ctx) ?? raw;
      case 'date': return formatDate(v, ctx) ?? raw;
      case 'datetime': return formatInstant(v, ctx) ?? raw;
      case 'boolean': return formatBoolean(v, ctx) ?? raw;
      case 'codes': { const t = d.codes[raw]; return t ? localText(t, ctx.locale) : raw; }
      default: return raw;
    }
  }
  if (typeof v === 'boolean') return formatBoolean(v, ctx)!;
  const type = (info?.dataType ?? '').toLowerCase();
  if (/^bool/u.test(type)) return formatBoolean(v, ctx) ?? raw;
  if (type === 'date') return formatDate(v, ctx) ?? raw;
  if (/time|timestamp/u.test(type)) return formatInstant(v, ctx) ?? raw;
  if (v instanceof Date || (typeof v === 'string' && ISO_INSTANT.test(v.trim()) && /[T ]\d{2}:/u.test(v))) return formatInstant(v, ctx) ?? raw;
  if (typeof v === 'string' && ISO_DATE.test(v.trim())) return formatDate(v, ctx) ?? raw;
  return raw;
}

export { REPORT_LOCALES, type ReportLocale };
