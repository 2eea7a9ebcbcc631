// Unified Compliance (seed 002): per request one row per matched record and action, and the
// Unified Compliance Overview with one row per request; plus the inbound-request CSV (Amperity's
// inbound columns) and a small RFC 4180 CSV reader/writer. Pure.
import { z } from 'zod';
import { isPersonal } from './categories';
import type { CaseType, Strategy } from './case';
import type { DiscoveryResult } from './discovery';
import { AddressSchema, EmailSchema, IdentitiesSchema, PhoneSchema, type Identities } from './identity';

export const UC_COLUMNS = [
  'Request Datasource', 'Request ID', 'Request Type', 'Request Strategy', 'Request Semantic', 'Request Semantic Value',
  'Request Match Category', 'Amperity ID', 'Datasource', 'PK', 'PII columns', 'Action',
] as const;
export const UC_OVERVIEW_COLUMNS = [
  'Request Datasource', 'Record Completion Date', 'Request ID', 'Request Type', 'Request Strategy', 'Request Email',
  'Request Phone', 'Request Address', 'Request Address2', 'Request City', 'Request State', 'Request Postal',
  'Request Country', 'Request Custom Key', 'Rows Found',
] as const;
export type UcRow = Record<(typeof UC_COLUMNS)[number], string>;
export type UcOverviewRow = Record<(typeof UC_OVERVIEW_COLUMNS)[number], string>;

/** Our case type as a seed-002 request type. */
export function requestTypeOf(type: CaseType): string {
  return type === 'access' ? 'dsar' : type;
}

export interface UcRequest {
  requestId: string;
  datasource: string;
  type: CaseType;
  strategy: Strategy;
  identities: Identities;
  completedAt: string | null;
  result: DiscoveryResult | null;
  /** Per "dataset:collection": what execution did (delete/mask counts), for the Action column. */
  executed: boolean;
}

function semanticOf(via: string, ids: Identities): { semantic: string; value: string; category: string } {
  if (via.startsWith('identity:')) {
    const kind = via.slice('identity:'.length);
    if (kind === 'email') return { semantic: 'email', value: ids.email ?? '', category: 'direct' };
    if (kind === 'phone') return { semantic: 'phone', value: ids.phone ?? '', category: 'direct' };
    if (kind === 'address') return { semantic: 'address', value: ids.address ? [ids.address.line1, ids.address.city, ids.address.postalCode].join(', ') : '', category: 'direct' };
    const k = ids.customKeys?.find((c) => c.name === kind);
    return { semantic: 'custom-key', value: k?.value ?? '', category: k ? 'direct' : 'connected' };
  }
  return { semantic: 'linkage', value: via.slice('reference:'.length), category: 'linkage_table' };
}

/** One row per matched record and action. */
export function unifiedComplianceRows(req: UcRequest): UcRow[] {
  const out: UcRow[] = [];
  if (!req.result) return out;
  const eraseType = req.type === 'delete' || req.type === 'delete_pii';
  for (const c of req.result.collections) {
    for (const r of c.rows) {
      if (r.other) continue; // another person's row: not part of this person's record
      const s = semanticOf(r.via, req.identities);
      // A direct email match on a value other than the request's (connected_pii) is "connected".
      const piiColumns = Object.entries(r.categories).filter(([f, cat]) => isPersonal(cat) && r.values[f] !== null && r.values[f] !== undefined).map(([f]) => f);
      const action = r.exempt ? 'exempt' : r.shared ? 'review' : eraseType && req.executed ? (req.type === 'delete' ? 'erased' : 'pii_erased') : req.type === 'opt_out' && req.executed ? 'opted_out' : 'found';
      const pkValues = Object.values(r.key);
      out.push({
        'Request Datasource': req.datasource, 'Request ID': req.requestId, 'Request Type': requestTypeOf(req.type), 'Request Strategy': req.strategy,
        'Request Semantic': s.semantic, 'Request Semantic Value': s.value, 'Request Match Category': s.category, 'Amperity ID': '',
        Datasource: `${c.dataset}.${c.collection}`, PK: pkValues.length === 1 ? String(pkValues[0]) : JSON.stringify(r.key),
        'PII columns': piiColumns.join(','), Action: action,
      });
    }
  }
  return out;
}

export function unifiedComplianceOverview(req: UcRequest): UcOverviewRow {
  const a = req.identities.address;
  let rows = 0;
  for (const c of req.result?.collections ?? []) rows += c.rows.filter((r) => !r.other).length;
  return {
    'Request Datasource': req.datasource, 'Record Completion Date': req.completedAt ?? '', 'Request ID': req.requestId,
    'Request Type': requestTypeOf(req.type), 'Request Strategy': req.strategy, 'Request Email': req.identities.email ?? '',
    'Request Phone': req.identities.phone ?? '', 'Request Address': a?.line1 ?? '', 'Request Address2': a?.line2 ?? '',
    'Request City': a?.city ?? '', 'Request State': a?.state ?? '', 'Request Postal': a?.postalCode ?? '', 'Request Country': a?.country ?? '',
    'Request Custom Key': (req.identities.customKeys ?? []).map((k) => k.value).join(';'), 'Rows Found': String(rows),
  };
}

// --- CSV ------------------------------------------------------------------------------------------

/** A cell safe for spreadsheets: quoted when needed, formula starts neutralised. */
export function csvCell(v: string): string {
  const s = /^[=+\-@\t\r]/u.test(v) ? `'${v}` : v;
  return /[",\r\n]/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s;
}

export function toCsv<K extends string>(columns: readonly K[], rows: ReadonlyArray<Record<K, string>>): string {
  const lines = [columns.map((c) => csvCell(c)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A CSV record and the 1-based line of the file it starts on (a quoted field may span lines). */
export interface CsvRecord { line: number; cells: string[] }

/**
 * RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes; blank lines are skipped.
 * Each record keeps the file line it starts on. Throws naming the line.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const rows: CsvRecord[] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let opened = 1;
  const src = text.replace(/^\uFEFF/u, '');
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') { cell += '"'; i += 1; } else quoted = false;
      } else { if (ch === '\n') line += 1; cell += ch; }
      continue;
    }
    if (ch === '"') {
      if (cell !== '') throw new Error(`line ${line}: a quote inside an unquoted field`);
      quoted = true;
      opened = line;
    } else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      row.push(cell); cell = '';
      if (row.some((c) => c !== '') || row.length > 1) rows.push({ line: start, cells: row });
      row = [];
      line += 1;
      start = line;
    } else cell += ch;
  }
  if (quoted) throw new Error(`line ${opened}: unterminated quoted field (the quote opened there never closes)`);
  if (cell !== '' || row.length) { row.push(cell); rows.push({ line: start, cells: row }); }
  return rows;
}

/** RFC 4180 reader: the cells of each record (parseCsvRecords without the line numbers). */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.cells);
}

// --- Inbound requests (Amperity's inbound columns) -----------------------------------------------

export const INBOUND_COLUMNS = ['id', 'type', 'strategy', 'email', 'phone', 'address', 'address2', 'city', 'state', 'postal', 'country', 'custom_key', 'custom_key_2', 'custom_key_3'] as const;
export type InboundColumn = (typeof INBOUND_COLUMNS)[number];

export interface InboundRequest {
  /** The 1-based line of the file the row starts on. */
  line: number;
  requestId: string;
  type: 'access' | 'delete' | 'delete_pii';
  strategy: Strategy;
  identities: Identities;
}

/** A refused row: the line it starts on and, per column, what is wrong with it (never the value). */
export interface InboundLineError { line: number; problems: Array<{ column: string; problem: string }> }

export interface InboundParse {
  /** The good rows, in file order. */
  requests: InboundRequest[];
  /** The bad rows, in file order. */
  refused: InboundLineError[];
  /** Problems of the file as a whole (CSV syntax, header): then nothing in it can be imported. */
  fileErrors: string[];
  /** Data rows read (after the header). */
  rows: number;
}

const TYPE_MAP: Record<string, InboundRequest['type']> = { dsar: 'access', access: 'access', delete: 'delete', delete_pii: 'delete_pii' };
const DEFAULT_CUSTOM_KEY_NAMES = ['custom_key', 'custom_key_2', 'custom_key_3'] as const;
const ADDRESS_COLUMN: Record<string, InboundColumn> = { line1: 'address', line2: 'address2', city: 'city', state: 'state', postalCode: 'postal', country: 'country' };

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max, `is longer than ${max} characters`).optional());
/** One of `values`, case-insensitively; a blank or missing cell is `fallback`. */
function choice<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], message: string) {
  return z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : fallback), z.enum(values, { error: message }));
}

/**
 * One row of the inbound CSV (cells keyed by column), checked and turned into an InboundRequest
 * (without its line). Issue paths are CSV column names; messages never quote the cell.
 */
export function inboundRowSchema(customKeyNames: readonly string[] = DEFAULT_CUSTOM_KEY_NAMES) {
  return z.object({
    id: z.preprocess(blankToUndefined, z.string({ error: 'is required' }).trim().max(100, 'is longer than 100 characters')),
    type: choice(['dsar', 'access', 'delete', 'delete_pii'], 'dsar', 'must be dsar, delete or delete_pii'),
    strategy: choice(['exact', 'connected_pii'], 'exact', 'must be exact or connected_pii'),
    email: z.preprocess(blankToUndefined, EmailSchema.optional()),
    phone: z.preprocess(blankToUndefined, PhoneSchema.optional()),
    address: optionalText(200), address2: optionalText(200), city: optionalText(100), state: optionalText(100),
    postal: optionalText(20), country: optionalText(56),
    custom_key: optionalText(256), custom_key_2: optionalText(256), custom_key_3: optionalText(256),
  }).transform((v, ctx): Omit<InboundRequest, 'line'> => {
    let bad = false;
    const refuse = (column: string, message: string) => { bad = true; ctx.addIssue({ code: 'custom', path: [column], message }); };
    let address: Identities['address'];
    if (v.address || v.address2 || v.city || v.state || v.postal) {
      const a = AddressSchema.safeParse({ line1: v.address ?? '', line2: v.address2, city: v.city ?? '', state: v.state, postalCode: v.postal ?? '', country: v.country ?? 'US' });
      if (a.success) address = a.data;
      else {
        for (const i of a.error.issues) {
          const column = ADDRESS_COLUMN[String(i.path[0])] ?? 'address';
          const message = i.code !== 'too_small' ? i.message : column === 'country' ? 'must be at least 2 characters' : 'is required with the other address columns';
          refuse(column, message);
        }
      }
    }
    const customKeys = (['custom_key', 'custom_key_2', 'custom_key_3'] as const)
      .map((c, k) => ({ column: c, name: customKeyNames[k] ?? c, value: v[c] }))
      .filter((x): x is { column: typeof x.column; name: string; value: string } => !!x.value);
    if (!v.email && !v.phone && !customKeys.length) {
      refuse('email', 'at least one of email, phone or custom_key is required (an address group only narrows the match)');
    }
    const ids = IdentitiesSchema.safeParse({
      email: v.email, phone: v.phone, address, customKeys: customKeys.length ? customKeys.map((k) => ({ name: k.name, value: k.value })) : undefined,
    });
    if (!ids.success) {
      for (const i of ids.error.issues) {
        const column = i.path[0] === 'customKeys' ? (customKeys[Number(i.path[1] ?? 0)]?.column ?? 'custom_key') : String(i.path[0] ?? 'email');
        refuse(column, i.message);
      }
    }
    if (bad || !ids.success) return z.NEVER;
    return { requestId: v.id, type: TYPE_MAP[v.type]!, strategy: v.strategy as Strategy, identities: ids.data };
  });
}

function problemsOf(error: z.ZodError): InboundLineError['problems'] {
  const out: InboundLineError['problems'] = [];
  for (const i of error.issues) {
    const column = i.path.length ? String(i.path[0]) : '(row)';
    if (!out.some((p) => p.column === column && p.problem === i.message)) out.push({ column, problem: i.message });
  }
  return out;
}

/** "line 4: email: must be a valid email address; phone: ..." (no cell value). */
export function formatLineError(e: InboundLineError): string {
  return `line ${e.line}: ${e.problems.map((p) => `${p.column}: ${p.problem}`).join('; ')}`;
}

/**
 * Inbound requests from CSV text. Column names are matched case-insensitively with "-" and "_"
 * alike. Every row is checked with inboundRowSchema; a bad row is refused naming its line (where it
 * starts in the file) and column, never the value, and the others are kept. A CSV syntax error or a
 * bad header makes the whole file unusable (fileErrors).
 */
export function parseInboundRequests(text: string, customKeyNames: readonly string[] = DEFAULT_CUSTOM_KEY_NAMES): InboundParse {
  let table: CsvRecord[];
  try { table = parseCsvRecords(text); } catch (e) { return { requests: [], refused: [], fileErrors: [(e as Error).message], rows: 0 }; }
  if (!table.length) return { requests: [], refused: [], fileErrors: ['the file is empty'], rows: 0 };
  const header = table[0]!.cells.map((h) => h.trim().toLowerCase().replace(/-/gu, '_'));
  const fileErrors: string[] = header.filter((h) => h && !(INBOUND_COLUMNS as readonly string[]).includes(h))
    .map((h) => `header: unknown column "${h.slice(0, 40)}" (expected ${INBOUND_COLUMNS.join(', ')})`);
  if (!header.includes('id')) fileErrors.push('header: the "id" column is required');
  const repeated = header.filter((h, i) => h && header.indexOf(h) !== i);
  for (const h of new Set(repeated)) fileErrors.push(`header: the column "${h.slice(0, 40)}" appears more than once`);
  const rows = table.length - 1;
  if (fileErrors.length) return { requests: [], refused: [], fileErrors, rows };
  const schema = inboundRowSchema(customKeyNames);
  const requests: InboundRequest[] = [];
  const refused: InboundLineError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, cells } of table.slice(1)) {
    if (cells.length > header.length) {
      refused.push({ line, problems: [{ column: '(row)', problem: `has ${cells.length} fields but the header has ${header.length} (an unquoted comma?)` }] });
      continue;
    }
    const raw: Record<string, string> = {};
    header.forEach((h, k) => { if (h) raw[h] = cells[k] ?? ''; });
    const r = schema.safeParse(raw);
    if (!r.success) { refused.push({ line, problems: problemsOf(r.error) }); continue; }
    const first = firstLineOf.get(r.data.requestId);
    if (first !== undefined) { refused.push({ line, problems: [{ column: 'id', problem: `repeats the id of line ${first}` }] }); continue; }
    firstLineOf.set(r.data.requestId, line);
    requests.push({ line, ...r.data });
  }
  return { requests, refused, fileErrors, rows };
}
