// Ledger replay (issue 18 goal 4: 1M customers <= 10 s, >= 250,000 identity rows/s): after a
// "restore", every identity value of a generated shop is scanned and matched against the deletion
// ledger. Measured in one run, on the same rows:
//   - scan only: the keyset scan of the identity fields, no matching (the floor of any replay), as
//     SqlDataSource.scan did before (a copy of every row) and as it does now (the driver's rows);
//   - old way: the scan as before + identityValue (libphonenumber parse of every phone) + createHmac
//     per value, as ledger-replay.ts did before b71f298;
//   - before this change (b7d4ca7): the scan as before + ledgerMatcher over the hashes only (one HMAC per value);
//   - new: the scan now + ledgerMatcher over ledgerIndex (32-bit keyed prefix first, the HMAC only
//     for a prefix hit; ./shared/app/datamap/ledger-match.ts);
//   - the product's path: `ledgerReplay` as a dry run (what `ledger replay --dry-run` runs), then
//     the real replay (scan + batch erasure of everyone matched).
// The old, before and new paths must find exactly the same (kind, value, erasures) set; the bench fails otherwise.
// Data: customers (email, phone, loyalty id), consent (email), tickets (every other customer, email):
// 2.5 identity rows a customer. Phones in several written forms: E.164, US national with punctuation,
// "+1 415 …" with spaces, UK "+44 0…" whose E.164 differs from the written digits, invalid ones.
// Run: npm run bench -- ledger-replay   (or npx tsx bench/ledger-replay.ts)
// Scale: BENCH_CUSTOMERS (1000000), BENCH_LEDGER (10000), BENCH_ENGINES (sqlite,postgres),
//        BENCH_PG_CUSTOMERS (BENCH_CUSTOMERS), BENCH_ERASE (1: also run the real replay).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../shared/app/app';
import { datamapService } from '../shared/app/datamap/service';
import { openSqlSource, plainValue, type SourceConfig } from '../shared/adapters/sql-source';
import { takeTurn, turnDue } from '../shared/adapters/event-loop';
import { identityValue } from '../shared/app/datamap/ledger';
import { ledgerIndex, ledgerMatcher, type LedgerHit } from '../shared/app/datamap/ledger-match';
import { parseDataMap, type DataMap } from '../shared/domain/datamap';
import { normalizeEmail, normalizePhone } from '../shared/domain/identity';
import type { PiiCrypto } from '../shared/crypto/port';
import type { Db } from '../shared/store/db';
import { SqliteDb } from '../shared/store/sqlite-db';
import { PostgresDb } from '../shared/store/postgres-db';
import { startPostgres } from '../test/support/postgres';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const PG_CUSTOMERS = Number(process.env.BENCH_PG_CUSTOMERS ?? CUSTOMERS);
const LEDGER = Number(process.env.BENCH_LEDGER ?? 10_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const ERASE = process.env.BENCH_ERASE !== '0';
const GOAL = 250_000;

const f = (x: number, d = 2) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

const MAP: DataMap = parseDataMap({
  dataset: 'bench_ledger',
  collections: [
    { name: 'customers', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] }, { name: 'name', categories: ['user.name'] },
      { name: 'loyalty_id', identity: 'loyalty_id', categories: ['user.unique_id'] }] },
    { name: 'consent', erasure: 'delete', fields: [
      { name: 'email', primaryKey: true, identity: 'email', categories: ['user.contact.email'] }, { name: 'do_not_sell', categories: ['user.privacy_preferences'] }] },
    { name: 'tickets', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] }, { name: 'subject', categories: ['user.content'] }] },
  ],
});

// Written forms, by customer i (the SQL below writes the same strings).
const n7 = (i: number) => String(2_000_000 + i);
function phoneOf(i: number): string {
  if (i % 1000 === 7) return `+44020${7_000_000 + (i % 1_000_000)}`; // E.164 drops the 0: +44207…
  if (i % 1000 === 11) return `555-${String(i % 10000).padStart(4, '0')}`; // not a valid number
  if (i % 7 === 0) return `+1 415 ${n7(i).slice(0, 3)} ${n7(i).slice(3)}`;
  return i % 3 === 0 ? `(415) ${n7(i).slice(0, 3)}-${n7(i).slice(3)}` : `+1415${n7(i)}`;
}
const emailOf = (i: number) => (i % 5 === 0 ? ` User${i}@Example.com` : `user${i}@example.com`);
const txt = (e: string) => `CAST(${e} AS TEXT)`;
const N7 = txt('2000000 + i');
const EMAIL_SQL = `CASE WHEN i % 5 = 0 THEN ' User' || ${txt('i')} || '@Example.com' ELSE 'user' || ${txt('i')} || '@example.com' END`;
const PHONE_SQL = `CASE WHEN i % 1000 = 7 THEN '+44020' || ${txt('7000000 + i % 1000000')}
  WHEN i % 1000 = 11 THEN '555-' || substr(${txt('10000 + i % 10000')}, 2)
  WHEN i % 7 = 0 THEN '+1 415 ' || substr(${N7}, 1, 3) || ' ' || substr(${N7}, 4)
  WHEN i % 3 = 0 THEN '(415) ' || substr(${N7}, 1, 3) || '-' || substr(${N7}, 4) ELSE '+1415' || ${N7} END`;

async function generate(db: Db, n: number): Promise<number> {
  const pg = db.dialect === 'postgres';
  let rows = 0;
  await db.tx(async (t) => {
    await t.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, name TEXT NOT NULL, loyalty_id TEXT);
      CREATE TABLE consent (email TEXT PRIMARY KEY, do_not_sell INTEGER NOT NULL);
      CREATE TABLE tickets (id INTEGER PRIMARY KEY, email TEXT NOT NULL, subject TEXT NOT NULL)`);
    if (pg) await t.exec(`CREATE TEMP TABLE bench_n ON COMMIT DROP AS SELECT i FROM generate_series(0, ${n - 1}) AS g(i)`);
    else await t.exec(`CREATE TEMP TABLE bench_n (i INTEGER PRIMARY KEY);
      INSERT INTO bench_n WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < ${n}) SELECT i FROM r`);
    for (const sql of [
      `INSERT INTO customers SELECT i, ${EMAIL_SQL}, ${PHONE_SQL}, 'Person ' || ${txt('i')}, 'L-' || ${txt('i')} FROM bench_n`,
      `INSERT INTO consent SELECT 'user' || ${txt('i')} || '@example.com', 0 FROM bench_n`,
      `INSERT INTO tickets SELECT i, ${EMAIL_SQL}, 'help' FROM bench_n WHERE i % 2 = 0`,
    ]) rows += (await t.run(sql)).changes;
    if (!pg) await t.exec('DROP TABLE bench_n');
  });
  await db.exec(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
  return rows;
}

/** The ledger: LEDGER people at the end of the range, a third each by email, phone and loyalty id, plus every "+44 0…" phone. */
type Entry = { hash: string; kind: string; system: string; caseId: null; erasure: string; prefix: number | null };
function ledgerEntries(crypto: PiiCrypto, n: number): Entry[] {
  const out: Entry[] = [];
  // As identityHashes records them: the keyed hash and the 32-bit keyed prefix (migration 145).
  const add = (kind: string, value: string | null, erasure = 'delete') => {
    if (value) out.push({ hash: crypto.keyedHash(kind, value), kind, system: 'shop', caseId: null, erasure, prefix: crypto.keyedPrefixer?.(kind)(value) ?? null });
  };
  for (let i = Math.max(0, n - LEDGER); i < n; i += 1) {
    if (i % 3 === 0) add('email', normalizeEmail(emailOf(i)));
    else if (i % 3 === 1) add('phone', normalizePhone(phoneOf(i)), i % 2 ? 'delete' : 'delete_pii:user.contact.phone_number');
    else add('custom:loyalty_id', `L-${i}`);
  }
  for (let i = 7; i < n; i += 1000) add('phone', normalizePhone(phoneOf(i)));
  return out;
}

type Matcher = (identity: string, v: unknown) => LedgerHit | null;
/** The replay's scan loop (as in ledger-replay.ts), with a given matcher; returns the matched set. */
async function scanAndMatch(conn: SourceConfig, match: Matcher | null, oldScan = false): Promise<{ scanned: number; matched: Set<string>; s: number }> {
  const t0 = performance.now();
  const src = await openSqlSource(conn);
  if (oldScan) src.scan = (c, fields, size) => scanBefore(conn, c, fields, size);
  const matched = new Set<string>();
  let scanned = 0;
  try {
    for (const c of MAP.collections) {
      const idFields = c.fields.filter((x) => x.identity);
      const key = c.fields.find((x) => x.primaryKey)!.name;
      for await (const rows of src.scan!(c.name, [...new Set([key, ...idFields.map((x) => x.name)])], 10_000)) {
        scanned += rows.length;
        if (!match) continue;
        for (const row of rows) {
          if (turnDue()) await takeTurn();
          for (const fl of idFields) {
            const v = row[fl.name];
            if (v === null || v === undefined) continue;
            const m = match(fl.identity!, v);
            if (m) matched.add(`${c.name}.${fl.name}|${m.kind}|${m.value}|${[...m.erasures].sort().join(',')}`);
          }
        }
      }
    }
  } finally {
    await src.close();
  }
  return { scanned, matched, s: (performance.now() - t0) / 1000 };
}

/** SqlDataSource.scan before this change (b7d4ca7): the same keyset pages, every row copied through Object.fromEntries + plainValue. */
async function* scanBefore(conn: SourceConfig, collection: string, fields: string[], n = 5000): AsyncIterable<Record<string, unknown>[]> {
  const db: Db = conn.engine === 'postgres' ? new PostgresDb(conn.url) : new SqliteDb(conn.file);
  const q = (x: string) => `"${x}"`;
  try {
    const cols = fields.map(q).join(', ');
    let after: unknown;
    for (;;) {
      const rows: Record<string, unknown>[] = after === undefined
        ? await db.all(`SELECT ${cols} FROM ${q(collection)} ORDER BY ${q(fields[0]!)} LIMIT ${n}`)
        : await db.all(`SELECT ${cols} FROM ${q(collection)} WHERE ${q(fields[0]!)} > ? ORDER BY ${q(fields[0]!)} LIMIT ${n}`, [after as string | number]);
      if (!rows.length) return;
      after = rows[rows.length - 1]![fields[0]!];
      yield rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plainValue(v)])));
      if (rows.length < n) return;
    }
  } finally {
    await db.close();
  }
}

/** Before: identityValue (libphonenumber parse + validity of every phone) and one createHmac per value. */
const oldMatcher = (crypto: PiiCrypto, hashes: Map<string, Set<string>>): Matcher => (identity, v) => {
  const { kind, value } = identityValue(identity, v);
  const erasures = value ? hashes.get(crypto.keyedHash(kind, value)) : undefined;
  return value && erasures ? { kind, value, erasures } : null;
};

let failed = false;
async function benchEngine(engine: string): Promise<void> {
  const n = engine === 'postgres' ? PG_CUSTOMERS : CUSTOMERS;
  const dir = mkdtempSync(join(tmpdir(), `bench-ledger-${engine}-`));
  const pg = engine === 'postgres' ? await startPostgres({ durable: true }) : null;
  let conn: SourceConfig;
  let db: Db;
  if (pg) {
    const admin = new PostgresDb(pg.url);
    await admin.exec('CREATE DATABASE shop');
    await admin.close();
    conn = { engine: 'postgres', url: pg.url.replace(/\/[^/]+$/u, '/shop') };
    db = new PostgresDb(conn.url);
  } else {
    conn = { engine: 'sqlite', file: join(dir, 'shop.sqlite') };
    db = new SqliteDb(conn.file);
  }
  const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
  try {
    let t = performance.now();
    const rows = await generate(db, n);
    console.log(`\n== ${engine}: ${f(n, 0)} customers, ${f(rows, 0)} rows in 3 identity collections, generated in ${f((performance.now() - t) / 1000, 1)} s [${load()}]`);
    const svc = datamapService(app.ctx);
    await svc.addSystem({ name: 'shop', connection: conn, map: MAP }, 'bench');
    const entries = ledgerEntries(app.ctx.crypto, n);
    await svc.repo.addLedger(entries, new Date());
    const index = ledgerIndex(entries);
    const hashes = index.hashes;
    console.log(`ledger: ${f(entries.length, 0)} entries (${f(hashes.size, 0)} distinct identities), all with a keyed prefix: ${[...index.prefixes.values()].every(Boolean) ? 'yes' : 'no'}`);

    const rate = (r: { scanned: number; s: number }) => r.scanned / r.s;
    const line = (what: string, r: { scanned: number; s: number }) =>
      `${what}: ${f(r.s, 2)} s, ${f(r.scanned, 0)} identity rows, ${f(rate(r), 0)} rows/s = ${f(rate(r) / GOAL)}x the 250k/s goal`;
    // Before and after interleaved in the same run: the scan before / now, then the three matchers.
    const scanOld = await scanAndMatch(conn, null, true);
    console.log(line('scan only, as before (a row copy each; no matching)', scanOld) + ` [${load()}]`);
    const scan = await scanAndMatch(conn, null);
    console.log(line('scan only, now (the driver rows as they are; the floor)', scan) + `; before / now = ${f(scanOld.s / scan.s)}x [${load()}]`);
    const old = await scanAndMatch(conn, oldMatcher(app.ctx.crypto, hashes), true);
    console.log(line('old way (scan as before + identityValue + createHmac per value)', old) + `; ${f(old.matched.size, 0)} matches [${load()}]`);
    const mid = await scanAndMatch(conn, ledgerMatcher(app.ctx.crypto, hashes), true);
    console.log(line('before this change (b7d4ca7: scan as before + HMAC of every value, ledger-match without prefixes)', mid) + `; ${f(mid.matched.size, 0)} matches [${load()}]`);
    const neu = await scanAndMatch(conn, ledgerMatcher(app.ctx.crypto, index));
    console.log(line('new: scan now + keyed-prefix filter, HMAC only on a prefix hit', neu) + `; ${f(neu.matched.size, 0)} matches; old way / new = ${f(old.s / neu.s)}x, before / new = ${f(mid.s / neu.s)}x [${load()}]`);
    const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((k) => b.has(k));
    const same = sameSet(old.matched, neu.matched) && sameSet(old.matched, mid.matched);
    console.log(`  same matches, old way = before = new (kind, normalised value, erasures, per field): ${same ? 'yes' : 'NO'}`);
    if (!same) failed = true;

    t = performance.now();
    const dry = (await svc.ledgerReplay('bench', { dryRun: true })).systems[0]!;
    const dryS = (performance.now() - t) / 1000;
    const dryR = { scanned: dry.scanned, s: dryS };
    console.log(line('ledgerReplay --dry-run (the product path)', dryR) + `; ${f(dry.matched, 0)} matches${dry.error ? `; error ${dry.error}` : ''}; old way / this = ${f(old.s / dryS)}x, before / this = ${f(mid.s / dryS)}x [${load()}]`);
    if (dry.matched !== neu.matched.size || dry.error) failed = true;
    if (n < 1_000_000) {
      const at1M = (dry.scanned / n) * 1_000_000 / rate(dryR);
      console.log(`  extrapolated to 1M customers (measured ${f(n, 0)}): ${f(at1M, 1)} s = ${f(10 / at1M)}x the 10 s goal; old way ${f((old.scanned / n) * 1_000_000 / rate(old), 1)} s`);
    } else console.log(`  1M customers: ${f(dryS, 1)} s = ${f(10 / dryS)}x the 10 s goal (old way ${f(old.s, 1)} s = ${f(10 / old.s)}x)`);

    if (ERASE) {
      t = performance.now();
      const r = (await svc.ledgerReplay('bench')).systems[0]!;
      const s = (performance.now() - t) / 1000;
      console.log(`ledgerReplay (real): ${f(s, 2)} s, ${f(r.matched, 0)} matched, ${f(r.deleted, 0)} rows deleted + ${f(r.masked, 0)} masked${r.error ? `; error ${r.error}` : ''} [${load()}]`);
      const again = (await svc.ledgerReplay('bench', { dryRun: true })).systems[0]!;
      console.log(`  dry run after it: ${f(again.matched, 0)} matches left (rows the erasure's walk did not reach)`);
      if (r.error) failed = true;
    }
  } finally {
    await app.close();
    await db.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`ledger replay bench, ${new Date().toISOString()}, node ${process.version} [${load()}]`);
for (const e of ENGINES) await benchEngine(e);
console.log(`\npeak rss ${f(process.memoryUsage().rss / 1e6, 0)} MB [${load()}]`);
if (failed) { console.log('FAILED: the matches differ or the replay failed'); process.exit(1); }
