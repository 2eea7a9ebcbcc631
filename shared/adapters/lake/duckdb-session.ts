// One in-process DuckDB per lake source, used only on local files (no extensions, no network).
// Identifiers are validated names quoted with ""; file paths are quoted string literals (they come
// from our own listings); identity values never enter SQL text: they are loaded into temp tables
// through the appender.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/gu, '""')}"`;
}
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/gu, "''")}'`;
}
export function fileList(paths: string[]): string {
  return `[${paths.map(quoteLiteral).join(', ')}]`;
}

/** DuckDB values as plain JSON-friendly values: bigints as numbers when safe, dates as ISO text. */
export function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  return v;
}

export class DuckSession {
  private constructor(private readonly instance: DuckDBInstance, readonly conn: DuckDBConnection) {}

  static async open(threads = 2): Promise<DuckSession> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    return new DuckSession(instance, await instance.connect());
  }

  async all(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.conn.runAndReadAll(sql);
    return r.getRowObjectsJS() as Record<string, unknown>[];
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  /** (Re)create a temp table of VARCHAR columns and fill it with rows (null allowed). */
  async loadTable(name: string, columns: string[], rows: Array<Array<string | null>>): Promise<void> {
    await this.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
    const app = await this.conn.createAppender(name, 'main', 'temp');
    try {
      for (const r of rows) {
        for (const v of r) {
          if (v === null) app.appendNull(); else app.appendVarchar(v);
        }
        app.endRow();
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
