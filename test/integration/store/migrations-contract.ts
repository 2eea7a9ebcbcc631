// Migrations, run on SQLite and PostgreSQL: each migration is applied to a database that already
// holds data, the data survives and the new shape works; the runner refuses a newer schema, rolls
// a failed migration back whole, and lets two processes migrate the same database at once.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, Migration } from '../../../shared/store/db';
import { appliedVersions, migrate, MigrationError } from '../../../shared/store/migrate';
import { migrations } from '../../../shared/store/migrations/index';
import { SqlCaseRepo } from '../../../shared/store/case-repo';
import { SqlAuditLog, GENESIS_HASH, entryHash, keyedEntryHash } from '../../../shared/store/audit-log';
import { SqlStepJournal } from '../../../shared/store/step-journal';
import { createPiiCrypto } from '../../../shared/crypto/envelope';
import { makeCase } from './store-contract';

export interface EmptyDb {
  db: Db;
  /** A second connection to the same database (another process). */
  openAnother(): Promise<Db>;
  close(): Promise<void>;
}

async function indexNames(db: Db): Promise<string[]> {
  const rows = db.dialect === 'sqlite'
    ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'")
    : await db.all<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'");
  return rows.map((r) => r.name);
}

export function migrationsContract(label: string, openEmpty: () => Promise<EmptyDb>): void {
  const t = (name: string, fn: (e: EmptyDb, dataDir: string) => Promise<void>) => it(name, async () => {
    const e = await openEmpty();
    const dataDir = mkdtempSync(join(tmpdir(), 'pd-mig-keys-'));
    try {
      await fn(e, dataDir);
    } finally {
      await e.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe(`migrations (${label})`, () => {
    t('001-core: migrates a database that already holds other data', async ({ db }, dataDir) => {
      await db.exec('CREATE TABLE legacy_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      await db.run('INSERT INTO legacy_notes (id, body) VALUES (?, ?), (?, ?)', [1, 'first', 2, 'second']);
      const r = await migrate(db, { upTo: 1 });
      expect(r.applied).toEqual([{ version: 1, name: 'core' }]);
      expect(await db.all('SELECT id, body FROM legacy_notes ORDER BY id')).toEqual([{ id: 1, body: 'first' }, { id: 2, body: 'second' }]);
      const crypto = await createPiiCrypto({ dataDir, kmsKeyArn: '' });
      const cases = new SqlCaseRepo(db, crypto);
      await cases.insert(makeCase('PD-1'), { email: 'one@example.com' }, null);
      expect(await cases.identities('PD-1')).toEqual({ email: 'one@example.com' });
      await new SqlStepJournal(db).complete('PD-1', 'acknowledge#1', null, new Date());
      expect(await indexNames(db)).toEqual(expect.arrayContaining(['cases_respond_by_idx', 'cases_status_idx', 'cases_received_at_idx', 'case_identity_hashes_hash_idx']));
    });

    t('002-audit-head: migrates a version-1 database holding cases and an audit chain', async ({ db }, dataDir) => {
      await migrate(db, { upTo: 1 });
      const crypto = await createPiiCrypto({ dataDir, kmsKeyArn: '' });
      const cases = new SqlCaseRepo(db, crypto);
      await cases.insert(makeCase('PD-1', { assignee: 'alice' }), { email: 'one@example.com', phone: '+14155550101' }, null);
      await cases.insert(makeCase('PD-2'), { email: 'two@example.com' }, null);
      // An audit chain as version 1 wrote it (no chain head table yet).
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const e = { seq, caseId: 'PD-1', at: new Date(Date.UTC(2026, 0, seq)).toISOString(), actor: 'engine', action: 'case.event', detail: { seq } };
        const hash = entryHash(prev, e);
        await db.run('INSERT INTO audit_log (seq, case_id, at, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [seq, e.caseId, e.at, e.actor, e.action, JSON.stringify(e.detail), prev, hash]);
        prev = hash;
      }

      const r = await migrate(db, { upTo: 2 });
      expect(r.applied).toEqual([{ version: 2, name: 'audit-head' }]);
      // Data survived.
      expect(await cases.identities('PD-1')).toEqual({ email: 'one@example.com', phone: '+14155550101' });
      expect((await cases.get('PD-2'))?.id).toBe('PD-2');
      // The head was filled from the existing chain, and appends continue it.
      expect(await db.get('SELECT seq, hash FROM audit_head WHERE id = 1')).toEqual({ seq: 3, hash: prev });
      // Up to date (090: the keyed chain): the legacy entries verify as they are, and the keyed
      // segment starts at the next entry, whose MAC covers the last legacy hash.
      await migrate(db);
      const audit = new SqlAuditLog(db, crypto);
      expect(await audit.verify()).toEqual({ ok: true, entries: 3, firstBad: null });
      expect(await audit.ensureKeyed({ previouslyKeyed: false })).toEqual({ keyedFrom: 4, started: true });
      const next = await audit.append({ caseId: 'PD-2', actor: 'engine', action: 'case.event' }, new Date());
      expect(next).toMatchObject({ seq: 4, prevHash: prev });
      expect(next.hash).toBe(keyedEntryHash(crypto.auditMac!, prev, next));
      expect(await audit.verify()).toEqual({ ok: true, entries: 4, firstBad: null });
      // A legacy entry edited and its SHA-256 chain recomputed up to the keyed segment: caught there.
      await db.exec(db.dialect === 'postgres' ? 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update' : 'DROP TRIGGER audit_log_no_update');
      let p2 = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const e = { seq, caseId: 'PD-1', at: new Date(Date.UTC(2026, 0, seq)).toISOString(), actor: 'engine', action: 'case.event', detail: { seq, forged: true } };
        const hash = entryHash(p2, e);
        await db.run('UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?', [JSON.stringify(e.detail), p2, hash, seq]);
        p2 = hash;
      }
      expect((await audit.verify()).firstBad).toEqual({ seq: 3, problem: 'entry 3 was altered or replaced: entry 4 links to a different hash' });
      if (db.dialect === 'postgres') await db.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
      // New shape: append-only triggers and the assignee index.
      await expect(db.run('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/u);
      expect(await indexNames(db)).toContain('cases_assignee_idx');
      expect((await cases.list({ assignee: 'alice', sort: 'respondBy', order: 'asc', offset: 0, limit: 10 })).items.map((c) => c.id)).toEqual(['PD-1']);
    });

    t('002-audit-head: an empty log gets the genesis head', async ({ db }) => {
      await migrate(db, { upTo: 2 });
      expect(await db.get('SELECT seq, hash FROM audit_head WHERE id = 1')).toEqual({ seq: 0, hash: GENESIS_HASH });
    });

    t('applies every registered migration once, in order, and records it', async ({ db }) => {
      const first = await migrate(db);
      expect(first.applied.map((m) => m.version)).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b));
      const again = await migrate(db);
      expect(again.applied).toEqual([]);
      expect(again.current).toBe(first.current);
      const rows = await db.all<{ version: number; name: string; applied_at: string }>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(first.applied.map((m) => m.version));
      expect(rows.every((r) => !Number.isNaN(Date.parse(r.applied_at)))).toBe(true);
    });

    t('refuses a database whose schema is newer than the code', async ({ db }) => {
      await migrate(db);
      await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [9999, 'from-the-future', new Date().toISOString()]);
      const err = await migrate(db).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(/version 9999 .*upgrade PrivacyDesk/u);
    });

    t('rolls a failing migration back whole and records nothing', async ({ db }) => {
      const broken: Migration = {
        version: 3, name: 'broken', async up(d) {
          await d.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)');
          await d.run('INSERT INTO half_done (id) VALUES (1)');
          await d.run('INSERT INTO no_such_table (id) VALUES (1)');
        },
      };
      const list = [...migrations.filter((m) => m.version <= 2), broken];
      await expect(migrate(db, { list })).rejects.toThrow(/migration 3 \(broken\) failed/u);
      const versions = (await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));
      expect(versions).toEqual([1, 2]);
      const exists = db.dialect === 'sqlite'
        ? await db.get("SELECT name FROM sqlite_master WHERE name = 'half_done'")
        : await db.get("SELECT table_name FROM information_schema.tables WHERE table_name = 'half_done'");
      expect(exists).toBeUndefined();
    });

    t('refuses two migrations with the same version', async ({ db }) => {
      const dup: Migration = { version: 1, name: 'again', async up() { /* never runs */ } };
      await expect(migrate(db, { list: [...migrations, dup] })).rejects.toThrow(/both use version 1/u);
      expect((await appliedVersions(db)).size).toBe(0);
    });

    t('two processes migrating at once apply each migration once', async (e) => {
      const other = await e.openAnother();
      try {
        const [a, b] = await Promise.all([migrate(e.db), migrate(other)]);
        const all = [...a.applied, ...b.applied].map((m) => m.version).sort((x, y) => x - y);
        expect(all).toEqual(migrations.map((m) => m.version).sort((x, y) => x - y));
        expect(a.current).toBe(b.current);
      } finally {
        await other.close();
      }
    });
  });
}
