// Unified Compliance (seed 002): per request one row per matched record and action, and the
// Unified Compliance Overview with one row per request; plus the inbound-request CSV (Amperity's
// inbound columns) and a small RFC 4180 CSV reader/writer. Pure.
import { z } from 'zod';
import { isPersonal } from './categories';
import type { CaseType, Strategy } from './case';
import type { DiscoveryResult } from './discovery';
import { AddressSchema, IdentitiesSchema, type Identities } from './identity';

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
  for (const c of req.result?.collections ?? []) rows += c.rows.length;
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

/** RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes. Throws naming the line. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
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
    } else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      row.push(cell); cell = '';
      if (row.some((c) => c !== '') || row.length > 1) rows.push(row);
      row = [];
      line += 1;
    } else cell += ch;
  }
  if (quoted) throw new Error(`line ${line}: unterminated quoted field`);
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// --- Inbound requests (Amperity's inbound columns) -----------------------------------------------

export const INBOUND_COLUMNS = ['id', 'type', 'strategy', 'email', 'phone', 'address', 'address2', 'city', 'state', 'postal', 'country', 'custom_key', 'custom_key_2', 'custom_key_3'] as const;

export interface InboundRequest {
  line: number;
  requestId: string;
  type: 'access' | 'delete' | 'delete_pii';
  strategy: Strategy;
  identities: Identities;
}

const TYPE_MAP: Record<string, InboundRequest['type']> = { dsar: 'access', access: 'access', delete: 'delete', delete_pii: 'delete_pii' };

/**
 * Inbound requests from CSV text. Column names are matched case-insensitively with "-" and "_"
 * alike. Every row is checked; errors name the line and the column (never the value).
 */
export function parseInboundRequests(text: string, customKeyNames: readonly string[] = ['custom_key', 'custom_key_2', 'custom_key_3']): { requests: InboundRequest[]; errors: string[] } {
  let table: string[][];
  try { table = parseCsv(text); } catch (e) { return { requests: [], errors: [(e as Error).message] }; }
  if (!table.length) return { requests: [], errors: ['the file is empty'] };
  const header = table[0]!.map((h) => h.trim().toLowerCase().replace(/-/gu, '_'));
  const unknown = header.filter((h) => h && !(INBOUND_COLUMNS as readonly string[]).includes(h));
  const errors: string[] = unknown.map((h) => `header: unknown column "${h.slice(0, 40)}" (expected ${INBOUND_COLUMNS.join(', ')})`);
  if (!header.includes('id')) errors.push('header: the "id" column is required');
  const requests: InboundRequest[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const get = (c: string) => { const k = header.indexOf(c); return k >= 0 ? (cells[k] ?? '').trim() : ''; };
    const id = get('id');
    if (!id) { errors.push(`line ${line}: id is required`); return; }
    if (id.length > 100) { errors.push(`line ${line}: id is longer than 100 characters`); return; }
    if (seen.has(id)) { errors.push(`line ${line}: id repeats an earlier row`); return; }
    seen.add(id);
    const type = TYPE_MAP[(get('type') || 'dsar').toLowerCase()];
    if (!type) { errors.push(`line ${line}: type must be dsar, delete or delete_pii`); return; }
    const strategyRaw = (get('strategy') || 'exact').toLowerCase();
    if (strategyRaw !== 'exact' && strategyRaw !== 'connected_pii') { errors.push(`line ${line}: strategy must be exact or connected_pii`); return; }
    const addrParts = { line1: get('address'), line2: get('address2') || undefined, city: get('city'), state: get('state') || undefined, postalCode: get('postal'), country: get('country') || 'US' };
    const anyAddr = [get('address'), get('address2'), get('city'), get('state'), get('postal')].some(Boolean);
    let address;
    if (anyAddr) {
      const a = AddressSchema.safeParse(addrParts);
      if (!a.success) { errors.push(`line ${line}: address group: ${a.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`); return; }
      address = a.data;
    }
    const customKeys = (['custom_key', 'custom_key_2', 'custom_key_3'] as const).map((c, k) => ({ name: customKeyNames[k] ?? c, value: get(c) })).filter((x) => x.value);
    const raw = { email: get('email') || undefined, phone: get('phone') || undefined, address, customKeys: customKeys.length ? customKeys : undefined };
    if (!raw.email && !raw.phone && !raw.customKeys) { errors.push(`line ${line}: at least one of email, phone or custom_key is required (an address group only narrows the match)`); return; }
    const ids = IdentitiesSchema.safeParse(raw);
    if (!ids.success) { errors.push(`line ${line}: ${ids.error.issues.map((x) => `${x.path[0] === 'customKeys' ? 'custom_key' : String(x.path[0])}: ${x.message}`).join('; ')}`); return; }
    requests.push({ line, requestId: id, type, strategy: strategyRaw, identities: ids.data });
  });
  return { requests, errors };
}
