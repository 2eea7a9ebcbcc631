// Migration 031 (phone contact cases) on both case-store dialects: applied to a database that
// already holds IVR attempts (kept, with no attempt number), the primary key (contact_id, action)
// refuses a second case for the same contact and action even from another connection at the same
// moment, and the IVR ledger refuses a second row for the same contact and attempt.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type DbConfig } from '../../../shared/store/open-db';
import { migrate } from '../../../shared/store/migrate';
import { migrations } from '../../../shared/store/migrations';
import { migration031PhoneContactCases } from '../../../shared/store/migrations/031-phone-contact-cases';
import type { Db } from '../../../shared/store/db';
import { startPostgres } from '../../support/postgres';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const AT = '2026-11-23T10:00:00.000Z';

/** One claim as phone.openCase makes it: inside a transaction, ON CONFLICT DO NOTHING; optionally holds the transaction open. */
async function claim(db: Db, contactId: string, caseId: string, holdMs = 0): Promise<number> {
  return db.tx(async () => {
    const { changes } = await db.run(
      'INSERT INTO phone_contact_cases (contact_id, action, case_id, result, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (contact_id, action) DO NOTHING',
      [contactId, 'opt_out', caseId, 'recorded', AT],
    );
    if (holdMs) await sleep(holdMs);
    return changes;
  });
}

async function exercise(config: DbConfig) {
  const db = await openDb(config);
  let other: Db | undefined;
  try {
    // A database at the version before 031, holding IVR attempts as 030 wrote them.
    await migrate(db, { list: migrations.filter((m) => m.version !== 31) });
    await db.run('INSERT INTO phone_ivr_attempts (id, phone_hash, contact_id, matched, asked, passed, at) VALUES (?, ?, ?, ?, ?, ?, ?)', ['a1', 'h1', 'c-old', 1, 2, 0, AT]);
    await db.run('INSERT INTO phone_ivr_attempts (id, phone_hash, contact_id, matched, asked, passed, at) VALUES (?, ?, ?, ?, ?, ?, ?)', ['a2', 'h1', 'c-old', 0, 2, 0, AT]);
    const r = await migrate(db);
    expect(r.applied).toEqual([{ version: 31, name: 'phone-contact-cases' }]);
    expect(await db.all('SELECT id, contact_id, attempt FROM phone_ivr_attempts ORDER BY id')).toEqual([
      { id: 'a1', contact_id: 'c-old', attempt: null }, { id: 'a2', contact_id: 'c-old', attempt: null },
    ]);

    // One case per contact and action.
    const insert = (contactId: string, action: string, caseId: string) => db.run(
      'INSERT INTO phone_contact_cases (contact_id, action, case_id, result, created_at) VALUES (?, ?, ?, ?, ?)', [contactId, action, caseId, 'recorded', AT],
    );
    await insert('contact-1', 'opt_out', 'PD-20261123-AAAAAA');
    await expect(insert('contact-1', 'opt_out', 'PD-20261123-BBBBBB')).rejects.toThrow(/unique|constraint|duplicate/iu);
    await insert('contact-1', 'delete', 'PD-20261123-CCCCCC'); // another action in the same call
    await insert('contact-2', 'opt_out', 'PD-20261123-DDDDDD'); // another call
    expect(await claim(db, 'contact-1', 'PD-20261123-EEEEEE')).toBe(0);
    expect(await db.get('SELECT case_id FROM phone_contact_cases WHERE contact_id = ? AND action = ?', ['contact-1', 'opt_out'])).toEqual({ case_id: 'PD-20261123-AAAAAA' });

    // Two connections (two Lambda containers) claim the same contact at the same moment: the
    // first holds its transaction open; the second waits for it and then finds the key taken.
    other = await openDb(config);
    const first = claim(db, 'contact-race', 'PD-20261123-FFFFFF', 300);
    await sleep(50);
    const second = claim(other, 'contact-race', 'PD-20261123-GGGGGG');
    expect(await Promise.all([first, second])).toEqual([1, 0]);
    expect(await other.all('SELECT case_id FROM phone_contact_cases WHERE contact_id = ?', ['contact-race'])).toEqual([{ case_id: 'PD-20261123-FFFFFF' }]);

    // IVR checks: once per contact and attempt; rows without an attempt number never collide.
    const attempt = (id: string, contactId: string, n: number | null) => db.run(
      'INSERT INTO phone_ivr_attempts (id, phone_hash, contact_id, matched, asked, passed, at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [id, 'h2', contactId, 0, 2, 0, AT, n],
    );
    await attempt('b1', 'contact-1', 1);
    await attempt('b2', 'contact-1', 2);
    await expect(attempt('b3', 'contact-1', 1)).rejects.toThrow(/unique|constraint|duplicate/iu);
    await attempt('b4', 'contact-1', null);
    await attempt('b5', 'contact-1', null);
  } finally {
    await other?.close();
    await db.close();
  }
}

describe('migration 031 phone-contact-cases', () => {
  it('is registered once, as version 31', () => {
    expect(migrations.filter((m) => m.version === 31)).toEqual([migration031PhoneContactCases]);
  });

  it('applies on SQLite to a database holding IVR attempts, and enforces one case per contact and action', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm031-'));
    try { await exercise({ kind: 'sqlite', file: join(dir, 'c.sqlite') }); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('applies on PostgreSQL to a database holding IVR attempts, and enforces one case per contact and action', async () => {
    const server = await startPostgres();
    try { await exercise({ kind: 'postgres', url: server.url }); } finally { await server.stop(); }
  });
});
