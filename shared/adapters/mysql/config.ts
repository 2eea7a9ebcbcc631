// A MySQL / MariaDB system's connection: one mysql:// URL (stored encrypted like a PostgreSQL URL),
// its options in the query string, checked with zod when the source is opened:
//
//   mysql://user:password@host:3306/database?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/rds.pem
//   mysql://iam_user@db.xyz.us-east-1.rds.amazonaws.com/shop?auth=iam&region=us-east-1&ssl-ca=rds
//
// ssl-mode (MySQL client names): DISABLED (default without IAM) | REQUIRED (TLS, certificate not
// checked) | VERIFY_CA (certificate checked, host name not) | VERIFY_IDENTITY (both; default with
// IAM). ssl-ca: a PEM file, or `rds` for the Amazon RDS CA bundle that ships with mysql2;
// ssl-cert / ssl-key: a client certificate. auth=iam: the password is an RDS IAM authentication
// token (@aws-sdk/rds-signer, the default AWS credential chain, `region` or the environment's),
// made afresh for each new connection (a token lives 15 minutes); RDS requires TLS for it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const SslMode = z.enum(['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY']);

const QuerySchema = z.object({
  'ssl-mode': z.string().transform((s) => s.toUpperCase()).pipe(SslMode).optional(),
  'ssl-ca': z.string().min(1).max(4096).optional(),
  'ssl-cert': z.string().min(1).max(4096).optional(),
  'ssl-key': z.string().min(1).max(4096).optional(),
  auth: z.enum(['password', 'iam']).default('password'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/u, 'region must look like us-east-1').optional(),
  'connect-timeout': z.coerce.number().int().min(1000).max(120_000).optional(),
}).strict().superRefine((q, ctx) => {
  if (q.auth === 'iam' && q['ssl-mode'] === 'DISABLED') ctx.addIssue({ code: 'custom', path: ['ssl-mode'], message: 'IAM authentication needs TLS (ssl-mode DISABLED is refused)' });
  if (!!q['ssl-cert'] !== !!q['ssl-key']) ctx.addIssue({ code: 'custom', path: ['ssl-cert'], message: 'ssl-cert and ssl-key go together' });
  if (q['ssl-mode'] === 'DISABLED' && (q['ssl-ca'] || q['ssl-cert'])) ctx.addIssue({ code: 'custom', path: ['ssl-mode'], message: 'ssl-ca / ssl-cert given with ssl-mode DISABLED' });
});

export interface MySqlConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslMode: z.infer<typeof SslMode>;
  sslCa?: string;
  sslCert?: string;
  sslKey?: string;
  auth: 'password' | 'iam';
  region?: string;
  connectTimeout: number;
}

export class MySqlConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'MySqlConfigError'; }
}

/** The URL without its password (for messages). */
export function redactMySqlUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'mysql://(unparseable URL)';
  }
}

/** Parse and check a mysql:// (or mariadb://) URL; problems as one MySqlConfigError naming the option. */
export function parseMySqlUrl(url: string): MySqlConfig {
  let u: URL;
  try { u = new URL(url); } catch { throw new MySqlConfigError('the MySQL URL cannot be parsed (expected mysql://user:password@host:3306/database)'); }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') throw new MySqlConfigError(`the MySQL URL must start with mysql:// (got ${u.protocol}//)`);
  if (!u.hostname) throw new MySqlConfigError('the MySQL URL needs a host');
  const database = decodeURIComponent(u.pathname.replace(/^\//u, ''));
  if (!database || database.includes('/')) throw new MySqlConfigError('the MySQL URL needs the database name as its path (mysql://host/database)');
  const user = decodeURIComponent(u.username);
  if (!user) throw new MySqlConfigError('the MySQL URL needs a user name');
  const query: Record<string, string> = {};
  for (const [k, v] of u.searchParams) query[k] = v;
  const q = QuerySchema.safeParse(query);
  if (!q.success) throw new MySqlConfigError(`MySQL URL options: ${q.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ')}`);
  const port = u.port ? Number(u.port) : 3306;
  const iam = q.data.auth === 'iam';
  return {
    host: u.hostname.replace(/^\[|\]$/gu, ''), port, user, password: decodeURIComponent(u.password), database,
    sslMode: q.data['ssl-mode'] ?? (iam ? 'VERIFY_IDENTITY' : 'DISABLED'),
    ...(q.data['ssl-ca'] ? { sslCa: q.data['ssl-ca'] } : {}),
    ...(q.data['ssl-cert'] ? { sslCert: q.data['ssl-cert'], sslKey: q.data['ssl-key']! } : {}),
    auth: q.data.auth,
    ...(q.data.region ? { region: q.data.region } : {}),
    connectTimeout: q.data['connect-timeout'] ?? 10_000,
  };
}

/** The TLS options for mysql2 (undefined: no TLS). Files are read here; `rds` names mysql2's RDS CA bundle. */
export function tlsOptions(c: MySqlConfig): string | Record<string, unknown> | undefined {
  if (c.sslMode === 'DISABLED') return undefined;
  const read = (what: string, path: string) => {
    try { return readFileSync(path, 'utf8'); } catch { throw new MySqlConfigError(`MySQL URL option ${what}: cannot read ${path}`); }
  };
  if (c.sslCa === 'rds' && !c.sslCert && c.sslMode === 'VERIFY_IDENTITY') return 'Amazon RDS';
  if (c.sslCa === 'rds') throw new MySqlConfigError('MySQL URL option ssl-ca=rds works with ssl-mode VERIFY_IDENTITY and no client certificate; give a PEM file otherwise');
  const out: Record<string, unknown> = { rejectUnauthorized: c.sslMode !== 'REQUIRED' };
  if (c.sslCa) out.ca = read('ssl-ca', c.sslCa);
  if (c.sslCert) { out.cert = read('ssl-cert', c.sslCert); out.key = read('ssl-key', c.sslKey!); }
  if (c.sslMode === 'VERIFY_CA') out.checkServerIdentity = () => undefined;
  return out;
}
