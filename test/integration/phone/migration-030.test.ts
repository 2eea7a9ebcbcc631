// Migration 030 (phone IVR attempts) on both case-store dialects, and the ledger operations on it.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../../shared/store/open-db';
import { migrate } from '../../../shared/store/migrate';
import { migrations } from '../../../shared/store/migrations';
import { migration030PhoneIvrAttempts } from '../../../shared/store/migrations/030-phone-ivr-attempts';
import { phoneHandlers } from '../../../shared/app/handlers/phone';
import type { AppContext } from '../../../shared/app/context';
import type { Db } from '../../../shared/store/db';
import type { CaseEngine } from '../../../shared/app/engine';
import { startPostgres } from '../../support/postgres';

function ledger(db: Db, now: { t: Date }, audit: unknown[]) {
  const ctx = {
    db, clock: () => now.t,
    crypto: { keyedHash: (kind: string, v: string) => `h:${kind}:${v.length}:${v.slice(-2)}` },
    audit: { append: async (e: unknown) => { audit.push(e); return e; } },
  } as unknown as AppContext;
  return phoneHandlers(ctx, null as unknown as CaseEngine); // the ledger does not open cases
}

async function exercise(db: Db) {
  await migrate(db);
  const now = { t: new Date('2026-11-23T10:00:00Z') };
  const audit: Array<{ action: string; detail: Record<string, unknown> }> = [];
  const h = ledger(db, now, audit);
  const meta = { actor: 'lambda:intake' };
  expect(await h['phone.ivrGate']({ phone: '+14155550100' }, meta)).toEqual({ allowed: true, failures: 0, limit: 5, windowHours: 24 });
  for (let i = 0; i < 4; i += 1) await h['phone.ivrAttempt']({ phone: '+14155550100', contactId: `c${i}`, matched: 1, asked: 2, passed: false }, meta);
  await h['phone.ivrAttempt']({ phone: '+14155550100', contactId: 'ok', matched: 2, asked: 2, passed: true }, meta);
  expect((await h['phone.ivrGate']({ phone: '+14155550100' }, meta)).failures).toBe(4);
  const locked = await h['phone.ivrAttempt']({ phone: '+14155550100', contactId: 'c5', matched: 0, asked: 2, passed: false, caseId: 'PD-1' }, meta);
  expect(locked).toMatchObject({ allowed: false, failures: 5 });
  expect(audit.filter((e) => e.action === 'phone.ivr_locked')).toHaveLength(1);
  expect(JSON.stringify(audit)).not.toContain('4155550100');
  // Staff can clear the lock (audited with the reason).
  expect(await h['phone.ivrUnlock']({ phone: '+14155550100', reason: 'caller verified by email code' }, { actor: 'staff:ana' })).toMatchObject({ allowed: true, failures: 0 });
  expect(audit.at(-1)).toMatchObject({ action: 'phone.ivr_unlocked', detail: { reason: 'caller verified by email code', cleared: 5 } });
  for (let i = 0; i < 5; i += 1) await h['phone.ivrAttempt']({ phone: '+14155550100', contactId: `d${i}`, matched: 0, asked: 2, passed: false }, meta);
  // Another number is not affected; after the window the number may try again.
  expect((await h['phone.ivrGate']({ phone: '+14155550111' }, meta)).allowed).toBe(true);
  now.t = new Date('2026-11-24T10:00:01Z');
  expect(await h['phone.ivrGate']({ phone: '+14155550100' }, meta)).toMatchObject({ allowed: true, failures: 0 });
  const rows = await db.all<{ phone_hash: string }>('SELECT phone_hash FROM phone_ivr_attempts');
  expect(rows).toHaveLength(6); // 5 failures after the unlock + the one passed check
  for (const r of rows) expect(r.phone_hash).not.toContain('4155550100');
}

describe('migration 030 phone-ivr-attempts', () => {
  it('is registered once, as version 30', () => {
    expect(migrations.filter((m) => m.version === 30)).toEqual([migration030PhoneIvrAttempts]);
  });

  it('applies on SQLite and backs the IVR ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm030-'));
    const db = await openDb({ kind: 'sqlite', file: join(dir, 'c.sqlite') });
    try { await exercise(db); } finally { await db.close(); rmSync(dir, { recursive: true, force: true }); }
  });

  it('applies on PostgreSQL and backs the IVR ledger', async () => {
    const server = await startPostgres();
    const db = await openDb({ kind: 'postgres', url: server.url });
    try { await exercise(db); } finally { await db.close(); await server.stop(); }
  });
});
