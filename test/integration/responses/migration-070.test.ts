// Migration 070 (codes by text and call) on both case-store dialects: applied to a database that
// already holds email codes (kept: channel email, purpose verification), the per-recipient index
// is there, and sms_opt_outs keeps one row per number hash.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type DbConfig } from '../../../shared/store/open-db';
import { migrate } from '../../../shared/store/migrate';
import { migrations } from '../../../shared/store/migrations';
import { migration070PhoneCodes } from '../../../shared/store/migrations/070-phone-codes';
import { SmsOptOuts } from '../../../shared/channels/sms/opt-outs';
import { startPostgres } from '../../support/postgres';

const AT = '2026-11-23T10:00:00.000Z';

async function exercise(config: DbConfig) {
  const db = await openDb(config);
  try {
    await migrate(db, { list: migrations.filter((m) => m.version !== 70) });
    await db.run(`INSERT INTO verification_codes (id, case_id, code_hash, recipient_hash, status, attempts, created_at, expires_at)
      VALUES (?, ?, ?, ?, 'active', 0, ?, ?)`, ['c1', 'PD-1', 'h', 'r', AT, '2026-11-23T10:10:00.000Z']);
    const r = await migrate(db);
    expect(r.applied).toEqual([{ version: 70, name: 'phone-codes' }]);
    expect(await db.all('SELECT id, channel, purpose, status FROM verification_codes')).toEqual([{ id: 'c1', channel: 'email', purpose: 'verification', status: 'active' }]);
    const indexes = db.dialect === 'sqlite'
      ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'")
      : await db.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'");
    expect(indexes.map((i) => i.name)).toContain('verification_codes_recipient_idx');
    const optOuts = new SmsOptOuts(db);
    expect(await optOuts.isOptedOut('p1')).toBe(false);
    await optOuts.optOut('p1', 'reply', new Date(AT));
    await optOuts.optOut('p1', 'provider:end-user-messaging', new Date(AT));
    expect(await optOuts.isOptedOut('p1')).toBe(true);
    await optOuts.optIn('p1', 'reply', new Date(AT));
    expect(await optOuts.isOptedOut('p1')).toBe(false);
    expect(await db.all('SELECT phone_hash, opted_out_at, source FROM sms_opt_outs')).toEqual([{ phone_hash: 'p1', opted_out_at: null, source: 'reply' }]);
  } finally {
    await db.close();
  }
}

describe('migration 070 phone-codes', () => {
  it('is registered once, as version 70', () => {
    expect(migrations.filter((m) => m.version === 70)).toEqual([migration070PhoneCodes]);
  });

  it('applies on SQLite to a database holding email codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm070-'));
    try { await exercise({ kind: 'sqlite', file: join(dir, 'c.sqlite') }); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('applies on PostgreSQL to a database holding email codes', async () => {
    const server = await startPostgres();
    try { await exercise({ kind: 'postgres', url: server.url }); } finally { await server.stop(); }
  }, 120_000);
});
