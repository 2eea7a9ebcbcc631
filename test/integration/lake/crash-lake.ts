// The lake used by the crash test: one large file (so a rewrite takes a while) and a small one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckSession, quoteLiteral } from '../../../shared/adapters/lake/duckdb-session';

export const VICTIM = 'victim@example.com';
export const BIG_ROWS = 1_000_000;
export const VICTIM_ROWS = 3;

export async function writeCrashLake(dir: string): Promise<void> {
  const duck = await DuckSession.open(2);
  try {
    mkdirSync(join(dir, 'events/day=2024-01-01'), { recursive: true });
    mkdirSync(join(dir, 'events/day=2024-01-02'), { recursive: true });
    await duck.run(`COPY (SELECT i AS id, CASE WHEN i IN (10, 500000, 999000) THEN ${quoteLiteral(VICTIM)} ELSE 'user' || i || '@example.com' END AS email, md5(i::VARCHAR) AS payload FROM range(${BIG_ROWS}) t(i)) `
      + `TO ${quoteLiteral(join(dir, 'events/day=2024-01-01/big.parquet'))} (FORMAT parquet, COMPRESSION ZSTD, ROW_GROUP_SIZE 50000)`);
    await duck.run(`COPY (SELECT i AS id, 'small' || i || '@example.com' AS email, md5(i::VARCHAR) AS payload FROM range(100) t(i)) `
      + `TO ${quoteLiteral(join(dir, 'events/day=2024-01-02/small.parquet'))} (FORMAT parquet, COMPRESSION ZSTD)`);
  } finally {
    duck.close();
  }
}

export function crashLakeConfig(dir: string) {
  return { location: dir, tables: [{ name: 'events', path: 'events', identities: [{ column: 'email', kind: 'email' as const }] }] };
}
