// Migration 145 (the deletion ledger's keyed prefix) on both case-store dialects: a ledger written
// before it keeps working (its entries read back with prefix null and still match through the full
// HMAC), an old entry recorded again gets its prefix, and new entries carry it.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type DbConfig } from '../../../shared/store/open-db';
import { migrate } from '../../../shared/store/migrate';
import { migrations } from '../../../shared/store/migrations';
import { migration145LedgerHashPrefix } from '../../../shared/store/migrations/145-ledger-hash-prefix';
import { DatamapRepo } from '../../../shared/store/datamap-repo';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import { ledgerIndex, ledgerMatcher } from '../../../shared/app/datamap/ledger-match';
import { startPostgres } from '../../support/postgres';

const AT = '2026-12-01T10:00:00.000Z';

async function exercise(config: DbConfig, dir: string) {
  const crypto = await createPiiCrypto({ dataDir: dir });
  const db = await openDb(config);
  try {
    await migrate(db, { list: migrations.filter((m) => m.version !== 145) });
    const oldHash = crypto.keyedHash('email', 'old@example.com');
    const againHash = crypto.keyedHash('email', 'again@example.com');
    for (const h of [oldHash, againHash]) {
      await db.run('INSERT INTO deletion_ledger (identity_hash, kind, system, case_id, erasure, erased_at) VALUES (?, ?, ?, ?, ?, ?)', [h, 'email', 'shop', 'PD-1', 'delete', AT]);
    }
    const r = await migrate(db);
    expect(r.applied).toEqual([{ version: 145, name: 'ledger-hash-prefix' }]);

    const repo = new DatamapRepo(db, crypto);
    expect((await repo.ledger('shop')).map((e) => [e.hash, e.prefix])).toEqual(expect.arrayContaining([[oldHash, null], [againHash, null]]));

    const p = crypto.keyedPrefixer('email');
    const phone = crypto.keyedPrefixer('phone');
    // Recorded again (the same identity erased again): the old entry gets its prefix; a new one carries it.
    expect(await repo.addLedger([
      { hash: againHash, kind: 'email', system: 'shop', caseId: 'PD-2', erasure: 'delete', prefix: p('again@example.com') },
      { hash: crypto.keyedHash('phone', '+14155550123'), kind: 'phone', system: 'shop', caseId: 'PD-2', erasure: 'delete', prefix: phone('+14155550123') },
    ], new Date(AT))).toBe(1);
    const byHash = new Map((await repo.ledger('shop')).map((e) => [e.hash, e]));
    expect(byHash.get(oldHash)!.prefix).toBeNull();
    expect(byHash.get(againHash)!.prefix).toBe(p('again@example.com'));
    expect(byHash.get(againHash)!.caseId).toBe('PD-1'); // the entry itself is unchanged
    expect(byHash.get(crypto.keyedHash('phone', '+14155550123'))!.prefix).toBe(phone('+14155550123'));
    // The 32-bit prefix round-trips as the same signed integer (INTEGER on both engines).
    const negative = [...Array(200).keys()].map((i) => `n${i}@example.com`).find((v) => p(v) < 0)!;
    await repo.addLedger([{ hash: crypto.keyedHash('email', negative), kind: 'email', system: 'other', caseId: null, erasure: 'delete', prefix: p(negative) }], new Date(AT));
    expect((await repo.ledger('other'))[0]!.prefix).toBe(p(negative));

    // The mixed ledger still matches: the old email entry through the full HMAC, the phone through its prefix.
    const index = ledgerIndex(await repo.ledger('shop'));
    expect(index.prefixes.get('email')).toBeNull();
    expect(index.prefixes.get('phone')).toBeInstanceOf(Set);
    const match = ledgerMatcher(crypto, index);
    expect(match('email', ' Old@Example.com')?.value).toBe('old@example.com');
    expect(match('email', 'again@example.com')?.value).toBe('again@example.com');
    expect(match('email', 'new@example.com')).toBeNull();
    expect(match('phone', '(415) 555-0123')?.value).toBe('+14155550123');
    expect(match('phone', '(415) 555-0124')).toBeNull();
    expect(match('loyalty_id', 'L-1')).toBeNull();
  } finally {
    await db.close();
  }
}

describe('migration 145 ledger-hash-prefix', () => {
  it('is registered once, as version 145', () => {
    expect(migrations.filter((m) => m.version === 145)).toEqual([migration145LedgerHashPrefix]);
  });

  it('applies on SQLite to a ledger written before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm145-'));
    try { await exercise({ kind: 'sqlite', file: join(dir, 'c.sqlite') }, dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('applies on PostgreSQL to a ledger written before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm145-pg-'));
    const server = await startPostgres();
    try { await exercise({ kind: 'postgres', url: server.url }, dir); } finally { await server.stop(); rmSync(dir, { recursive: true, force: true }); }
  }, 120_000);
});
