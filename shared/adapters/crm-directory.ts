// The CRM directory: find the customer behind a calling number, and the facts the IVR may check
// (account number, date of birth, postal code) for knowledge-based verification. The table and
// column names come from configuration: each is checked against the live schema before use and
// quoted; values are bound. Verification facts never leave this module except for comparison.
import { timingSafeEqual, createHash } from 'node:crypto';
import { z } from 'zod';
import { normalizePhone } from '../domain/identity';
import { FACTORS, normaliseFactor, type CrmCustomer, type Factor } from '../domain/crm-factors';
import type { CrmConnection } from './crm-connection';

const Ident = z.string().trim().min(1).max(63).regex(/^[A-Za-z_][A-Za-z0-9_]*$/u, 'must be a plain SQL name (letters, digits, _)');

export const CrmDirectoryConfigSchema = z.object({
  /** `table` or `schema.table` (PostgreSQL). */
  table: z.string().trim().min(1).max(127).regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/u, 'table must be a plain SQL name, optionally schema.table'),
  columns: z.object({
    phone: Ident,
    customerId: Ident,
    firstName: Ident.optional(),
    email: Ident.optional(),
    accountNumber: Ident.optional(),
    dateOfBirth: Ident.optional(),
    postalCode: Ident.optional(),
  }).strict(),
}).strict();
export type CrmDirectoryConfig = z.infer<typeof CrmDirectoryConfigSchema>;

// The factors, the customer record and their keyed form are pure (shared/domain/crm-factors.ts).
export { FACTORS, normaliseFactor, type CrmCustomer, type Factor };

export class CrmConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'CrmConfigError'; }
}

const q = (name: string) => `"${name.replace(/"/gu, '""')}"`;

/** Constant-time equality of two factor values (hashed first so lengths do not leak). */
export function factorEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length > 0;
}

/** The forms a phone number may be stored in: E.164 first, then common national forms (NANP). */
export function phoneCandidates(e164: string): string[] {
  const out = [e164];
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/u.exec(e164);
  if (m) out.push(`${m[1]}${m[2]}${m[3]}`, `1${m[1]}${m[2]}${m[3]}`, `(${m[1]}) ${m[2]}-${m[3]}`, `${m[1]}-${m[2]}-${m[3]}`);
  else out.push(e164.slice(1));
  return out;
}

export class CrmDirectory {
  readonly config: CrmDirectoryConfig;
  private checked: Promise<void> | null = null;
  private byPhoneSql = '';
  private byIdSql = '';

  constructor(private readonly conn: CrmConnection, config: unknown) {
    const r = CrmDirectoryConfigSchema.safeParse(config);
    if (!r.success) throw new CrmConfigError(`CRM directory config: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.config = r.data;
  }

  /** Checks the configured table and columns against the live schema (once) and builds the SQL. */
  ready(): Promise<void> {
    this.checked ??= this.check().catch((e: unknown) => { this.checked = null; throw e; });
    return this.checked;
  }

  private async check(): Promise<void> {
    const { table, columns } = this.config;
    const [schema, name] = table.includes('.') ? table.split('.') as [string, string] : [null, table];
    let live: string[];
    if (this.conn.dialect === 'sqlite') {
      if (schema) throw new CrmConfigError('CRM directory config: table: SQLite tables have no schema prefix');
      live = (await this.conn.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [name])).map((r) => r.name);
    } else {
      live = (await this.conn.all<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?', [schema ?? 'public', name],
      )).map((r) => r.column_name);
    }
    if (!live.length) throw new CrmConfigError(`CRM directory config: table: "${table}" does not exist in the CRM database`);
    const liveSet = new Set(live);
    for (const [field, col] of Object.entries(columns)) {
      if (col && !liveSet.has(col)) throw new CrmConfigError(`CRM directory config: columns.${field}: column "${col}" does not exist in table "${table}"`);
    }
    const from = schema ? `${q(schema)}.${q(name)}` : q(name);
    const select = Object.entries(columns).filter(([, c]) => c).map(([field, c]) => `${q(c!)} AS ${q(field)}`).join(', ');
    const n = phoneCandidates('+14155550123').length;
    this.byPhoneSql = `SELECT ${select} FROM ${from} WHERE ${q(columns.phone)} IN (${Array(n).fill('?').join(', ')}) ORDER BY ${q(columns.customerId)} LIMIT 5`;
    this.byIdSql = `SELECT ${select} FROM ${from} WHERE ${q(columns.customerId)} = ? LIMIT 1`;
  }

  /** Customers whose phone is this number (0, 1, or several when a number is shared). */
  async findByPhone(phone: string): Promise<CrmCustomer[]> {
    await this.ready();
    const e164 = normalizePhone(phone);
    if (!e164) return [];
    const candidates = phoneCandidates(e164);
    const n = phoneCandidates('+14155550123').length;
    while (candidates.length < n) candidates.push(candidates[candidates.length - 1]!);
    const rows = await this.conn.all<Record<string, unknown>>(this.byPhoneSql, candidates.slice(0, n));
    return rows.map((r) => toCustomer(r, e164));
  }

  async findById(customerId: string): Promise<CrmCustomer | null> {
    await this.ready();
    const rows = await this.conn.all<Record<string, unknown>>(this.byIdSql, [customerId]);
    return rows[0] ? toCustomer(rows[0], normalizePhone(String(rows[0].phone ?? '')) ?? String(rows[0].phone ?? '')) : null;
  }

  /** Which configured factors this directory can check. */
  factorsAvailable(): Factor[] {
    return FACTORS.filter((f) => this.config.columns[f]);
  }
}

function toCustomer(r: Record<string, unknown>, phone: string): CrmCustomer {
  const s = (v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    // pg returns DATE columns as a Date at local midnight: keep the calendar date.
    if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
    return String(v);
  };
  const factors: Partial<Record<Factor, string>> = {};
  for (const f of FACTORS) {
    const v = s(r[f]);
    if (v) factors[f] = normaliseFactor(f, v);
  }
  return { customerId: String(r.customerId), firstName: s(r.firstName), email: s(r.email), phone, factors };
}
