// Test helper: writes a small Hive-partitioned Parquet table with DuckDB.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckSession, quoteLiteral } from '../../../shared/adapters/lake/duckdb-session';

export interface Person { id: number; email: string | null; phone: string | null; name: string; region: string; amount: number }

export const PEOPLE: Person[] = [
  { id: 1, email: 'Alice@Example.com ', phone: '(415) 555-0101', name: 'Alice', region: 'us', amount: 10 },
  { id: 2, email: 'bob@example.com', phone: '+1 415 555 0102', name: 'Bob', region: 'us', amount: 20 },
  { id: 3, email: 'carol@example.com', phone: null, name: 'Carol', region: 'eu', amount: 30 },
  { id: 4, email: "o'brien@example.com", phone: '4155550104', name: "O'Brien", region: 'eu', amount: 40 },
  { id: 5, email: null, phone: '+44 20 7946 0958', name: 'Dave', region: 'eu', amount: 50 },
  { id: 6, email: 'alice@example.com', phone: null, name: 'Alice again', region: 'eu', amount: 60 },
  { id: 7, email: 'erin@example.com', phone: '415-555-0107', name: 'Erin', region: 'us', amount: 70 },
  { id: 8, email: 'frank@example.com', phone: null, name: 'Frank', region: 'us', amount: 80 },
];

/** orders/region=<r>/part-<n>.parquet, two files per region (rows split by id parity), ZSTD. */
export async function writeOrders(root: string, people: Person[] = PEOPLE, codec = 'ZSTD'): Promise<void> {
  const duck = await DuckSession.open(1);
  try {
    for (const region of [...new Set(people.map((p) => p.region))]) {
      for (const part of [0, 1]) {
        const rows = people.filter((p) => p.region === region && p.id % 2 === part);
        if (rows.length === 0) continue;
        const dir = join(root, 'orders', `region=${region}`);
        mkdirSync(dir, { recursive: true });
        const values = rows.map((p) => `(${p.id}, ${p.email === null ? 'NULL' : quoteLiteral(p.email)}, ${p.phone === null ? 'NULL' : quoteLiteral(p.phone)}, ${quoteLiteral(p.name)}, ${p.amount}::DOUBLE, TIMESTAMP '2024-01-0${p.id} 10:00:00')`).join(', ');
        await duck.run(`COPY (SELECT * FROM (VALUES ${values}) v(id, email, phone, name, amount, ordered_at)) TO ${quoteLiteral(join(dir, `part-${part}.parquet`))} (FORMAT parquet, COMPRESSION ${codec})`);
      }
    }
  } finally {
    duck.close();
  }
}

export function ordersConfig(location: string, erasure: unknown = { mode: 'delete' }, primaryKey: string[] = []) {
  return {
    location,
    tables: [{
      name: 'orders', path: 'orders', partitionBy: ['region'], primaryKey, erasure,
      identities: [{ column: 'email', kind: 'email' }, { column: 'phone', kind: 'phone' }],
    }],
  };
}
