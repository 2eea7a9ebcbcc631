// Find-and-forget over a generated Parquet table (Hive partitions, Snappy, like S3 Find and
// Forget's published scenario), for a batch of identities: one scan per partition for the whole
// batch + each affected file rewritten once, against one request at a time (a sample of single
// requests, timed and extrapolated to the batch size).
//
//   npm run bench -- lake   (or npx tsx bench/lake-find-and-forget.ts)
//   LAKE_ROWS=50000000 LAKE_FILES=200 LAKE_PARTITIONS=20 LAKE_PAYLOAD_COLUMNS=5 npm run bench -- lake
//     (the issue's 10 GB class: ~205 bytes a row on disk; docs/BENCHMARKS.md)
//
// Env: LAKE_ROWS (5,000,000), LAKE_FILES (50), LAKE_PARTITIONS (10), LAKE_BATCH (1000),
// LAKE_SINGLE_SAMPLE (3 single requests timed), LAKE_PAYLOAD_COLUMNS (1: incompressible 32-character
// columns, ~36 bytes a row each on disk; the rest of a row is ~25 bytes), LAKE_DIR (temp folder,
// removed at the end). Generation is one DuckDB COPY per file; the bench refuses to start when the
// folder's file system has less free space than the table's estimated size plus a margin.
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckSession, quoteLiteral } from '../shared/adapters/lake/duckdb-session';
import { ParquetLakeSource } from '../shared/adapters/lake/parquet-lake';

const ROWS = Number(process.env.LAKE_ROWS ?? 5_000_000);
const FILES = Number(process.env.LAKE_FILES ?? 50);
const PARTITIONS = Math.min(FILES, Number(process.env.LAKE_PARTITIONS ?? 10));
const BATCH = Number(process.env.LAKE_BATCH ?? 1000);
const SINGLE = Number(process.env.LAKE_SINGLE_SAMPLE ?? 3);
const PAYLOAD = Math.max(1, Number(process.env.LAKE_PAYLOAD_COLUMNS ?? 1));
/** Rough on-disk bytes a row (measured: ~25 + ~36 per payload column). */
const EST_ROW_BYTES = 25 + 36 * PAYLOAD;
const CUSTOMERS = Math.max(BATCH + SINGLE + 1, Math.floor(ROWS / 5));

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const mb = (b: number) => (b >= 1024 ** 3 ? `${fmt(b / 1024 ** 3)} GiB` : `${fmt(b / 1024 / 1024)} MB`);

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** payload, payload_2, ...: 32 hex characters each, unique per row (Snappy cannot shrink them). */
function payloadColumns(): string {
  return Array.from({ length: PAYLOAD }, (_, k) => (k === 0 ? 'md5(CAST(i AS VARCHAR)) AS payload' : `md5(CAST(i AS VARCHAR) || '/${k + 1}') AS payload_${k + 1}`)).join(', ');
}

async function generate(root: string): Promise<void> {
  const duck = await DuckSession.open(2);
  try {
    const perFile = Math.ceil(ROWS / FILES);
    for (let f = 0; f < FILES; f += 1) {
      const day = `2024-01-${String((f % PARTITIONS) + 1).padStart(2, '0')}`;
      const dir = join(root, 'orders', `day=${day}`);
      mkdirSync(dir, { recursive: true });
      const start = f * perFile;
      const end = Math.min(ROWS, start + perFile);
      // customer of row i: a hash spread, so each customer's ~5 rows land in different files
      await duck.run(`COPY (SELECT i AS order_id, c AS customer_id, 'customer' || c || '@example.com' AS email,
          '+1415' || lpad(CAST(c % 10000000 AS VARCHAR), 7, '0') AS phone,
          round((i % 9973) / 7.0, 2) AS amount, TIMESTAMP '2024-01-01' + INTERVAL (i % 86400) SECOND AS ordered_at,
          'sku-' || (i % 5000) AS sku, ${payloadColumns()}
        FROM (SELECT i, (hash(i) % ${CUSTOMERS}) AS c FROM range(${start}, ${end}) t(i)))
        TO ${quoteLiteral(join(dir, `part-${String(f).padStart(4, '0')}.parquet`))} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`);
    }
  } finally {
    duck.close();
  }
}

/** Bytes of the identity column chunks (what a columnar find reads) vs all bytes. */
async function columnBytes(root: string): Promise<{ identity: number; total: number }> {
  const duck = await DuckSession.open(2);
  try {
    const [r] = await duck.all(`SELECT sum(total_compressed_size) FILTER (WHERE path_in_schema = 'email') AS id, sum(total_compressed_size) AS total
      FROM parquet_metadata(${quoteLiteral(join(root, 'orders/*/*.parquet'))})`);
    return { identity: Number(r!.id), total: Number(r!.total) };
  } finally {
    duck.close();
  }
}

async function main(): Promise<void> {
  const root = process.env.LAKE_DIR ? process.env.LAKE_DIR : mkdtempSync(join(tmpdir(), 'bench-lake-'));
  console.log(`lake find-and-forget: ${fmt(ROWS)} rows in ${FILES} Parquet files (Snappy), ${PARTITIONS} partitions, ${fmt(CUSTOMERS)} customers, ${PAYLOAD} payload column(s); batch ${BATCH}, single-request sample ${SINGLE}`);
  mkdirSync(root, { recursive: true });
  const fsInfo = statfsSync(root);
  const free = fsInfo.bavail * fsInfo.bsize;
  const need = ROWS * EST_ROW_BYTES * 1.2 + 2 * 1024 ** 3;
  console.log(`estimated table size ${mb(ROWS * EST_ROW_BYTES)}; free space in ${root}: ${mb(free)}`);
  if (free < need) {
    if (!process.env.LAKE_DIR) rmSync(root, { recursive: true, force: true });
    throw new Error(`not enough free disk space for the table (${mb(need)} needed with margin, ${mb(free)} free): lower LAKE_ROWS / LAKE_PAYLOAD_COLUMNS or point LAKE_DIR elsewhere`);
  }
  try {
    let t = performance.now();
    await generate(root);
    const bytes = await columnBytes(root);
    console.log(`generated in ${fmt((performance.now() - t) / 1000)} s (one DuckDB COPY per file): ${mb(bytes.total)} of column data, ${fmt(bytes.total / ROWS)} bytes a row (${mb(bytes.identity)} in the email column)`);

    const config = { location: root, tables: [{ name: 'orders', path: 'orders', partitionBy: ['day'], identities: [{ column: 'email', kind: 'email' as const }] }] };
    const lake = ParquetLakeSource.open(config);
    const ids = Array.from({ length: BATCH + SINGLE }, (_, i) => Math.floor(((i + 1) * 7919 * 104729) % CUSTOMERS));
    const req = (c: number, i: number) => ({ id: `r${i}`, matches: [{ field: 'email', values: [`Customer${c}@Example.com `] }] });

    // One request at a time (the sample): each is a full scan plus its own file rewrites.
    const single: number[] = [];
    let singleFiles = 0;
    let singleRows = 0;
    for (let i = 0; i < SINGLE; i += 1) {
      t = performance.now();
      const r = await lake.eraseBatch('orders', [req(ids[BATCH + i]!, i)]);
      single.push(performance.now() - t);
      singleFiles += r.filesRewritten;
      singleRows += r.rowsDeleted;
    }
    single.sort((a, b) => a - b);
    const singleMean = single.reduce((a, b) => a + b, 0) / single.length;

    // Find only (dry run) for the batch: one scan per partition.
    t = performance.now();
    const dry = await lake.eraseBatch('orders', ids.slice(0, BATCH).map(req), { dryRun: true });
    const findMs = performance.now() - t;

    // The batch: one scan per partition, each affected file rewritten once.
    t = performance.now();
    const res = await lake.eraseBatch('orders', ids.slice(0, BATCH).map(req));
    const batchMs = performance.now() - t;
    const bytesRewritten = res.files.reduce((a, f) => a + f.bytesBefore, 0);
    const verify = await lake.findBatch('orders', ids.slice(0, BATCH).map(req));
    const left = [...verify.values()].reduce((a, rows) => a + rows.length, 0);
    await lake.close();

    const extrapolated = singleMean * BATCH;
    console.log('');
    console.log(`batch of ${BATCH}: ${fmt(batchMs / 1000)} s total (find-only dry run ${fmt(findMs / 1000)} s)`);
    console.log(`  partitions scanned ${res.partitions}, files scanned ${res.filesScanned}, rows scanned ${fmt(res.rowsScanned)} -> ${fmt(res.rowsScanned / (batchMs / 1000))} rows/s (find phase: ${fmt(dry.rowsScanned / (findMs / 1000))} rows/s)`);
    console.log(`  files rewritten ${res.filesRewritten} of ${res.filesScanned}, rows deleted ${fmt(res.rowsDeleted)} (dry run counted ${fmt(dry.rowsDeleted)}), ${mb(bytesRewritten)} rewritten, errors ${res.errors.length}, rows left after verify ${left}`);
    console.log(`one request at a time (${SINGLE} timed): p50 ${fmt(pct(single, 50))} ms, p95 ${fmt(pct(single, 95))} ms, mean ${fmt(singleMean)} ms per request; ${fmt(singleFiles / SINGLE)} files rewritten and ${fmt(singleRows / SINGLE)} rows deleted per request`);
    console.log(`  -> ${BATCH} requests one at a time ≈ ${fmt(extrapolated / 1000)} s (extrapolated from the ${SINGLE} timed: ${fmt(BATCH * singleFiles / SINGLE)} file rewrites, ${fmt(BATCH * ROWS)} rows scanned)`);
    console.log(`ratio: batch is ${fmt(extrapolated / batchMs)}x faster than one at a time (extrapolated); ${fmt((BATCH * singleFiles / SINGLE) / Math.max(1, res.filesRewritten))}x fewer file rewrites; ${fmt(BATCH)}x fewer rows scanned`);
    console.log(`work vs S3 Find and Forget's published scenario (docs/COST_OVERVIEW.md, Scenario 1: 100 GB Snappy Parquet, 2 partitions, Athena scanned 6.8 GB = 6.8%, Fargate processed 100 GB = 100%):`);
    const readShare = (bytes.identity / bytes.total) * 100;
    const rewriteShare = (bytesRewritten / bytes.total) * 100;
    console.log(`  find read ${fmt(readShare)}% of the column data (identity column only; F&F 6.8%: ${fmt(readShare / 6.8)}x its share); forget rewrote ${fmt(rewriteShare)}% (${res.filesRewritten}/${res.filesScanned} files; F&F 100%: ${fmt(rewriteShare / 100)}x)`);
    console.log(`  both run one job over a queued batch (F&F: 1 concurrent job, up to 375 KB of queue items per job; here ${BATCH} requests in one call)`);
    console.log(`peak RSS ${mb(peakRss)}`);
  } finally {
    clearInterval(sampler);
    if (!process.env.LAKE_DIR) rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
