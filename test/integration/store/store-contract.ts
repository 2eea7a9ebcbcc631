// The case store's contract, written once and run against SQLite (store-sqlite.test.ts) and a real
// PostgreSQL server (store-postgres.test.ts). Each test gets a fresh, migrated database.
import { describe, it, expect } from 'vitest';
import type { Db } from '../../../shared/store/db';
import type { PiiCrypto } from '../../../shared/crypto/port';
import type { StoredCase } from '../../../shared/store/ports';
import type { Identities } from '../../../shared/domain/identity';
import { createStore, type Store } from '../../../shared/store/create-store';
import { CaseNotFoundError, CasePurgedError, IDENTITIES_PURPOSE } from '../../../shared/store/case-repo';
import { GENESIS_HASH, entryHash, keyedEntryHash } from '../../../shared/store/audit-log';
import { StepAlreadyCompletedError } from '../../../shared/store/step-journal';
import { PiiDecryptError } from '../../../shared/crypto/envelope';
import { purgeExpired } from '../../../shared/store/retention';

export interface StoreHarness {
  db: Db;
  crypto: PiiCrypto;
  /**
   * Everything a person holding the storage could read: for SQLite the database file and its WAL
   * (the harness closes the database), for PostgreSQL every row of every table as text.
   */
  atRest(): Promise<string>;
  /** Drop the append-only triggers (what an attacker with write access would do first). */
  dropAuditTriggers(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_EMAIL = 'Store.Contract.Person@Example.com';
export const TEST_PHONE = '+14155550177';
export const TEST_NAME = 'Zebediah Quarrington';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const iso = (days: number) => new Date(T0 + days * 86_400_000).toISOString();

export function makeCase(id: string, over: Partial<StoredCase> = {}): StoredCase {
  return {
    id, type: 'delete', strategy: 'exact', jurisdiction: 'CA', channel: 'web', status: 'verifying',
    receivedAt: iso(0), acknowledgeBy: '2026-01-16', respondBy: '2026-02-19', assignee: null, closedAt: null,
    updatedAt: iso(0), createdAt: iso(0), snapshot: { version: 1, input: { caseId: id }, machine: null },
    snapshotVersion: 1, purgedAt: null, ...over,
  };
}

const ids = (n: number): Identities => ({ email: `person${n}@example.org`, phone: `+1415555${String(1000 + n).padStart(4, '0')}` });

async function withStore(open: () => Promise<StoreHarness>, fn: (h: StoreHarness, s: Store) => Promise<void>): Promise<void> {
  const h = await open();
  try {
    await fn(h, createStore(h.db, h.crypto));
  } finally {
    await h.close();
  }
}

export function storeContract(label: string, open: () => Promise<StoreHarness>): void {
  const t = (name: string, fn: (h: StoreHarness, s: Store) => Promise<void>) => it(name, () => withStore(open, fn));

  describe(`case store contract (${label})`, () => {
    describe('cases', () => {
      t('opened identities are served again only for the same sealed bytes: what another process re-seals or purges is what the next read gives', async (h, s) => {
        const other = createStore(h.db, h.crypto); // another process on the same store
        await s.cases.insert(makeCase('PD-SEAL'), ids(1), { name: 'Agent', permissionRef: 'doc-1' });
        expect(await s.cases.identities('PD-SEAL')).toEqual(ids(1));
        expect(await s.cases.identitiesAndAgent('PD-SEAL')).toEqual({ identities: ids(1), agent: { name: 'Agent', permissionRef: 'doc-1' } });
        // A correction sealed by the other process: new bytes, read afresh.
        const resealed = await h.crypto.encrypt(new TextEncoder().encode(JSON.stringify(ids(2))), { purpose: IDENTITIES_PURPOSE, caseId: 'PD-SEAL' });
        await h.db.run('UPDATE case_pii SET identities_enc = ? WHERE case_id = ?', [resealed, 'PD-SEAL']);
        expect(await s.cases.identities('PD-SEAL')).toEqual(ids(2));
        expect(await other.cases.identities('PD-SEAL')).toEqual(ids(2));
        // Purged by the other process: refused, never served from what was opened before.
        await h.db.run("UPDATE cases SET status = 'closed', closed_at = ? WHERE id = ?", ['2026-01-06T00:00:00.000Z', 'PD-SEAL']);
        expect(await other.cases.purgeClosedBefore('2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z')).toBe(1);
        await expect(s.cases.identities('PD-SEAL')).rejects.toBeInstanceOf(CasePurgedError);
        await expect(s.cases.identitiesAndAgent('PD-SEAL')).rejects.toBeInstanceOf(CasePurgedError);
      });

      t('inserts, reads back, decrypts identities and agent', async (_h, s) => {
        const c = makeCase('PD-1', { assignee: 'alice', snapshot: { nested: { a: [1, 2, 3] }, flag: true } });
        const agent = { name: 'Agent Smith', permissionRef: 'doc-123', organization: 'Helpers LLC' };
        await s.cases.insert(c, { email: TEST_EMAIL.toLowerCase(), phone: TEST_PHONE, name: TEST_NAME }, agent);
        expect(await s.cases.get('PD-1')).toEqual(c);
        expect(await s.cases.identities('PD-1')).toEqual({ email: TEST_EMAIL.toLowerCase(), phone: TEST_PHONE, name: TEST_NAME });
        expect(await s.cases.agent('PD-1')).toEqual(agent);
        expect(await s.cases.get('PD-404')).toBeUndefined();
        await expect(s.cases.identities('PD-404')).rejects.toBeInstanceOf(CaseNotFoundError);
        await s.cases.insert(makeCase('PD-2'), ids(2), null);
        expect(await s.cases.agent('PD-2')).toBeNull();
      });

      t('refuses a duplicate id and leaves the first case intact', async (_h, s) => {
        await s.cases.insert(makeCase('PD-1'), ids(1), null);
        await expect(s.cases.insert(makeCase('PD-1', { type: 'access' }), ids(2), null)).rejects.toThrow();
        expect((await s.cases.get('PD-1'))?.type).toBe('delete');
        expect(await s.cases.identities('PD-1')).toEqual(ids(1));
        expect(await s.cases.findByIdentityHash([s.cases.identityHashes(ids(2))[0]!.hash])).toEqual([]);
      });

      t('updates the fields it is given and refuses unknown cases and fields', async (_h, s) => {
        await s.cases.insert(makeCase('PD-1'), ids(1), null);
        await s.cases.update('PD-1', { status: 'closed', closedAt: iso(3), updatedAt: iso(3), snapshot: { x: 1 }, snapshotVersion: 2, assignee: 'bob' });
        const got = await s.cases.get('PD-1');
        expect(got).toMatchObject({ status: 'closed', closedAt: iso(3), updatedAt: iso(3), snapshot: { x: 1 }, snapshotVersion: 2, assignee: 'bob', type: 'delete' });
        await s.cases.update('PD-1', { assignee: null });
        expect((await s.cases.get('PD-1'))?.assignee).toBeNull();
        await expect(s.cases.update('PD-404', { status: 'closed' })).rejects.toBeInstanceOf(CaseNotFoundError);
        await expect(s.cases.update('PD-1', { bogus: 1 } as never)).rejects.toThrow(/unknown field "bogus"/u);
      });

      t('lists with filters, sorting, paging and search', async (_h, s) => {
        const statuses = ['verifying', 'closed', 'in_review', 'denied', 'verifying', 'executing'] as const;
        for (let i = 0; i < 12; i++) {
          await s.cases.insert(makeCase(`PD-${String(i).padStart(2, '0')}`, {
            status: statuses[i % statuses.length]!, type: i % 2 ? 'access' : 'delete', channel: i % 3 ? 'web' : 'phone',
            jurisdiction: i < 6 ? 'CA' : 'EU', assignee: i % 4 === 0 ? 'alice' : null,
            receivedAt: iso(i), respondBy: `2026-03-${String(28 - i).padStart(2, '0')}`,
          }), ids(i), null);
        }
        const base = { sort: 'id' as const, order: 'asc' as const, offset: 0, limit: 100 };
        const all = await s.cases.list(base);
        expect(all.total).toBe(12);
        expect(all.items.map((c) => c.id)).toEqual(Array.from({ length: 12 }, (_, i) => `PD-${String(i).padStart(2, '0')}`));
        expect((await s.cases.list({ ...base, status: 'verifying' })).items.map((c) => c.id)).toEqual(['PD-00', 'PD-04', 'PD-06', 'PD-10']);
        expect((await s.cases.list({ ...base, type: 'access', jurisdiction: 'EU' })).items.map((c) => c.id)).toEqual(['PD-07', 'PD-09', 'PD-11']);
        expect((await s.cases.list({ ...base, channel: 'phone' })).total).toBe(4);
        expect((await s.cases.list({ ...base, assignee: 'alice' })).items.map((c) => c.id)).toEqual(['PD-00', 'PD-04', 'PD-08']);
        // Overdue: respond_by before 2026-03-20 (ids 9..11) and still open (not closed/denied).
        const overdue = await s.cases.list({ ...base, overdueAsOf: '2026-03-20' });
        expect(overdue.items.map((c) => c.id)).toEqual(['PD-10', 'PD-11']); // PD-09 is denied
        // Sorting: respondBy ascending is id descending here; ties broken by id.
        expect((await s.cases.list({ ...base, sort: 'respondBy' })).items[0]!.id).toBe('PD-11');
        expect((await s.cases.list({ ...base, sort: 'receivedAt', order: 'desc' })).items[0]!.id).toBe('PD-11');
        const byStatus = (await s.cases.list({ ...base, sort: 'status' })).items.map((c) => c.status);
        expect(byStatus).toEqual([...byStatus].sort());
        expect((await s.cases.list({ ...base, sort: 'type', order: 'desc' })).items[0]!.type).toBe('delete');
        // Paging: total counts every match, items only the page.
        const page = await s.cases.list({ ...base, offset: 5, limit: 4 });
        expect(page.total).toBe(12);
        expect(page.items.map((c) => c.id)).toEqual(['PD-05', 'PD-06', 'PD-07', 'PD-08']);
        expect((await s.cases.list({ ...base, offset: 20, limit: 4 })).items).toEqual([]);
        // Search by id prefix (LIKE wildcards in the input match literally) and by identity hash.
        expect((await s.cases.list({ ...base, idPrefix: 'PD-1' })).items.map((c) => c.id)).toEqual(['PD-10', 'PD-11']);
        expect((await s.cases.list({ ...base, idPrefix: 'PD-%' })).total).toBe(0);
        expect((await s.cases.list({ ...base, idPrefix: 'PD_' })).total).toBe(0);
        const phoneHash = s.cases.identityHashes(ids(7)).find((h) => h.kind === 'phone')!.hash;
        expect((await s.cases.list({ ...base, identityHashes: [phoneHash] })).items.map((c) => c.id)).toEqual(['PD-07']);
        expect((await s.cases.list({ ...base, identityHashes: [] })).total).toBe(0);
        expect((await s.cases.list({ ...base, idPrefix: 'PD-03', identityHashes: [phoneHash] })).items.map((c) => c.id)).toEqual(['PD-03', 'PD-07']);
        const open = await s.cases.listOpen();
        expect(open.map((c) => c.id)).toEqual(all.items.filter((c) => c.status !== 'closed' && c.status !== 'denied').map((c) => c.id));
      });

      t('finds cases by the keyed hash of a normalised identity', async (h, s) => {
        await s.cases.insert(makeCase('PD-A'), { email: 'shared@example.com' }, null);
        await s.cases.insert(makeCase('PD-B'), { email: 'shared@example.com', phone: TEST_PHONE }, null);
        await s.cases.insert(makeCase('PD-C'), { phone: '+14155550100' }, null);
        const email = h.crypto.keyedHash('email', 'shared@example.com');
        expect(await s.cases.findByIdentityHash([email])).toEqual(['PD-A', 'PD-B']);
        expect(await s.cases.findByIdentityHash([h.crypto.keyedHash('phone', TEST_PHONE), h.crypto.keyedHash('phone', '+14155550100')])).toEqual(['PD-B', 'PD-C']);
        // The kind is part of the hash: the same text as another kind does not match.
        expect(await s.cases.findByIdentityHash([h.crypto.keyedHash('name', 'shared@example.com')])).toEqual([]);
        expect(await s.cases.findByIdentityHash([])).toEqual([]);
      });
    });

    describe('transactions', () => {
      t('a transaction that throws leaves nothing behind', async (h, s) => {
        await expect(h.db.tx(async () => {
          await s.cases.insert(makeCase('PD-1'), ids(1), null);
          await s.audit.append({ caseId: 'PD-1', actor: 'test', action: 'case.created' }, new Date(T0));
          await s.steps.complete('PD-1', 'acknowledge#1', { ok: true }, new Date(T0));
          expect(await s.cases.get('PD-1')).toBeDefined(); // visible inside
          throw new Error('boom');
        })).rejects.toThrow('boom');
        expect(await s.cases.get('PD-1')).toBeUndefined();
        expect(await s.cases.findByIdentityHash(s.cases.identityHashes(ids(1)).map((x) => x.hash))).toEqual([]);
        expect(await s.steps.get('PD-1', 'acknowledge#1')).toBeUndefined();
        expect(await s.audit.verify()).toEqual({ ok: true, entries: 0, firstBad: null });
        const e = await s.audit.append({ caseId: null, actor: 'test', action: 'after' }, new Date(T0));
        expect(e).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
      });

      t('a nested transaction joins the outer one; a caught inner failure undoes only the inner writes', async (h, s) => {
        await h.db.tx(async () => {
          await s.cases.insert(makeCase('PD-1'), ids(1), null);
          await h.db.tx(async () => { await s.cases.update('PD-1', { assignee: 'inner' }); });
          await expect(h.db.tx(async () => {
            await s.cases.update('PD-1', { assignee: 'undone' });
            await s.cases.insert(makeCase('PD-2'), ids(2), null);
            throw new Error('inner');
          })).rejects.toThrow('inner');
          expect((await s.cases.get('PD-1'))?.assignee).toBe('inner');
          expect(await s.cases.get('PD-2')).toBeUndefined();
        });
        expect((await s.cases.get('PD-1'))?.assignee).toBe('inner');
        await expect(h.db.tx(async () => {
          await h.db.tx(async () => { await s.cases.insert(makeCase('PD-3'), ids(3), null); });
          throw new Error('outer');
        })).rejects.toThrow('outer');
        expect(await s.cases.get('PD-3')).toBeUndefined();
      });

      t('callers outside a transaction never see its uncommitted writes', async (h, s) => {
        let committed = false;
        let release!: () => void;
        const gate = new Promise<void>((r) => { release = r; });
        let inserted!: () => void;
        const insertedP = new Promise<void>((r) => { inserted = r; });
        const txp = h.db.tx(async () => {
          await s.cases.insert(makeCase('PD-1'), ids(1), null);
          inserted();
          await gate;
        }).then(() => { committed = true; });
        await insertedP;
        const outside = s.cases.get('PD-1').then((c) => ({ seen: !!c, committed }));
        const outsideCount = h.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases').then((r) => ({ n: Number(r?.n), committed }));
        release();
        await txp;
        const o = await outside;
        if (o.seen) expect(o.committed).toBe(true);
        const c = await outsideCount;
        if (c.n > 0) expect(c.committed).toBe(true);
        expect(await s.cases.get('PD-1')).toBeDefined();
      });

      t('concurrent transactions each commit whole', async (h, s) => {
        await Promise.all(Array.from({ length: 20 }, (_, i) => h.db.tx(async () => {
          await s.cases.insert(makeCase(`PD-${i}`), ids(i), null);
          await s.audit.append({ caseId: `PD-${i}`, actor: 'test', action: 'case.created', detail: { i } }, new Date(T0 + i));
          await s.steps.complete(`PD-${i}`, 'acknowledge#1', null, new Date(T0 + i));
        })));
        expect((await s.cases.list({ sort: 'id', order: 'asc', offset: 0, limit: 100 })).total).toBe(20);
        expect(await s.audit.verify()).toEqual({ ok: true, entries: 20, firstBad: null });
      });
    });

    describe('audit log', () => {
      t('chains entries from the genesis hash and reads them back per case', async (h, s) => {
        const a = await s.audit.append({ caseId: 'PD-1', actor: 'staff:alice', action: 'case.created', detail: { type: 'delete', kinds: ['email'] } }, new Date(T0));
        const b = await s.audit.append({ caseId: null, actor: 'system', action: 'retention.purge', detail: { note: 'Zoë — 東京 \u0000 "quoted" \\ 😀', n: 1.5, list: [true, null] } }, new Date(T0 + 1000));
        const c = await s.audit.append({ caseId: 'PD-1', actor: 'engine', action: 'case.status', detail: { from: 'received', to: 'verifying' } }, new Date(T0 + 2000));
        expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
        expect(b.prevHash).toBe(a.hash);
        expect(c).toMatchObject({ seq: 3, prevHash: b.hash });
        expect(a.hash).toBe(keyedEntryHash(h.crypto.auditMac!, GENESIS_HASH, { seq: 1, caseId: 'PD-1', at: new Date(T0).toISOString(), actor: 'staff:alice', action: 'case.created', detail: { type: 'delete', kinds: ['email'] } }));
        expect(await s.audit.forCase('PD-1')).toEqual([a, c]);
        expect(await s.audit.verify()).toEqual({ ok: true, entries: 3, firstBad: null });
      });

      t('concurrent appends keep one valid chain', async (_h, s) => {
        const entries = await Promise.all(Array.from({ length: 60 }, (_, i) =>
          s.audit.append({ caseId: `PD-${i % 7}`, actor: 'engine', action: 'case.event', detail: { i } }, new Date(T0 + i))));
        expect(new Set(entries.map((e) => e.seq)).size).toBe(60);
        expect(entries.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(await s.audit.verify()).toEqual({ ok: true, entries: 60, firstBad: null });
      });

      t('verifies a log that grows while it is being read (no false "removed")', async (h, s) => {
        const { SqlAuditLog } = await import('../../../shared/store/audit-log');
        for (let i = 0; i < 10; i++) await s.audit.append({ caseId: 'PD-1', actor: 'engine', action: 'case.event', detail: { i } }, new Date(T0 + i));
        // A second writer appends between the verifier's reads of the log and of the chain head
        // (as a case running in another process does): the verifier sees the head move on.
        let appended = 0;
        const racing: Db = {
          ...h.db,
          dialect: h.db.dialect,
          all: (sql, params) => h.db.all(sql, params),
          get: async (sql, params) => {
            if (/FROM audit_head/u.test(sql) && appended < 2) {
              appended += 1;
              await s.audit.append({ caseId: 'PD-2', actor: 'engine', action: 'case.event', detail: { late: appended } }, new Date(T0 + 100 + appended));
            }
            return h.db.get(sql, params);
          },
        } as Db;
        const verifier = new SqlAuditLog(racing, h.crypto, { pageSize: 4 });
        expect(await verifier.verify()).toEqual({ ok: true, entries: 12, firstBad: null });
        // ...and a real cut at the end is still named.
        await h.dropAuditTriggers();
        await h.db.run('DELETE FROM audit_log WHERE seq >= 11');
        expect((await s.audit.verify()).firstBad?.problem).toMatch(/entries 11\.\.12 .*removed/u);
      });

      t('is append-only in the database itself', async (h, s) => {
        await s.audit.append({ caseId: 'PD-1', actor: 'test', action: 'a' }, new Date(T0));
        await expect(h.db.run('UPDATE audit_log SET actor = ? WHERE seq = 1', ['mallory'])).rejects.toThrow(/append-only/u);
        await expect(h.db.run('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/u);
        expect(await s.audit.verify()).toMatchObject({ ok: true, entries: 1 });
      });

      const tamperSetup = async (h: StoreHarness, s: Store) => {
        for (let i = 1; i <= 8; i++) await s.audit.append({ caseId: 'PD-1', actor: 'engine', action: 'case.event', detail: { i, note: `event ${i}` } }, new Date(T0 + i * 1000));
        await h.dropAuditTriggers();
      };

      t('names the entry whose detail was altered', async (h, s) => {
        await tamperSetup(h, s);
        await h.db.run('UPDATE audit_log SET detail = ? WHERE seq = 4', [JSON.stringify({ i: 4, note: 'nothing happened' })]);
        const r = await s.audit.verify();
        expect(r.ok).toBe(false);
        expect(r.firstBad?.seq).toBe(4);
        expect(r.firstBad?.problem).toMatch(/entry 4 was altered/u);
      });

      t('names an altered entry even when its hash was recomputed', async (h, s) => {
        await tamperSetup(h, s);
        const row = await h.db.get<{ prev_hash: string; at: string }>('SELECT prev_hash, at FROM audit_log WHERE seq = 3');
        const forged = entryHash(row!.prev_hash, { seq: 3, caseId: 'PD-1', at: row!.at, actor: 'engine', action: 'case.event', detail: { i: 3, note: 'forged' } });
        await h.db.run('UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 3', [JSON.stringify({ i: 3, note: 'forged' }), forged]);
        const r = await s.audit.verify();
        expect(r.firstBad?.seq).toBe(3);
        // Keyed chain: a hash recomputed without the audit key does not match.
        expect(r.firstBad?.problem).toMatch(/entry 3 was altered: its content does not match its keyed hash/u);
      });

      t('names the entry that was removed from the middle', async (h, s) => {
        await tamperSetup(h, s);
        await h.db.run('DELETE FROM audit_log WHERE seq = 5');
        const r = await s.audit.verify();
        expect(r).toMatchObject({ ok: false, entries: 4, firstBad: { seq: 5 } });
        expect(r.firstBad?.problem).toMatch(/entry 5 was removed/u);
      });

      t('names entries cut off the end of the log', async (h, s) => {
        await tamperSetup(h, s);
        await h.db.run('DELETE FROM audit_log WHERE seq >= 7');
        const r = await s.audit.verify();
        expect(r).toMatchObject({ ok: false, entries: 6, firstBad: { seq: 7 } });
        expect(r.firstBad?.problem).toMatch(/entries 7\.\.8 .*removed/u);
      });

      t('verifies a long chain page by page', async (h) => {
        const { SqlAuditLog } = await import('../../../shared/store/audit-log');
        const small = new SqlAuditLog(h.db, h.crypto, { pageSize: 7 });
        for (let i = 0; i < 30; i++) await small.append({ caseId: null, actor: 'engine', action: 'tick', detail: { i } }, new Date(T0 + i));
        expect(await small.verify()).toEqual({ ok: true, entries: 30, firstBad: null });
        await h.dropAuditTriggers();
        await h.db.run('UPDATE audit_log SET actor = ? WHERE seq = 22', ['mallory']);
        expect((await small.verify()).firstBad?.seq).toBe(22);
      });

      t('masks a data subject\'s email or phone in a detail and names the fields it masked', async (h, s) => {
        await s.cases.insert(makeCase('PD-1'), { email: TEST_EMAIL.toLowerCase(), phone: TEST_PHONE }, null);
        const e = await s.audit.append({ caseId: 'PD-1', actor: 'ses', action: 'message.failed', detail: {
          error: `Address blacklisted: ${TEST_EMAIL} (twice: ${TEST_EMAIL.toUpperCase()})`, phones: ['(415) 555-0177'], n: 3,
          // Masked values, staff user names and unrelated addresses pass untouched.
          assignee: 'alice@company.example', masked: 's***@example.com', other: '+1 212 555 0199',
        } }, new Date(T0));
        expect(e.detail).toEqual({
          error: 'Address blacklisted: s***@example.com (twice: s***@example.com)', phones: ['(+1******0177'], n: 3,
          assignee: 'alice@company.example', masked: 's***@example.com', other: '+1 212 555 0199',
          _redacted: ['detail.error', 'detail.phones[0]'],
        });
        const stored = (await s.audit.forCase('PD-1'))[0]!;
        expect(stored).toEqual(e);
        expect(JSON.stringify(stored).toLowerCase()).not.toContain('store.contract.person');
        expect(JSON.stringify(stored)).not.toContain('555-0177');
        expect(await s.audit.verify()).toMatchObject({ ok: true, entries: 1 });
        const plain = await s.audit.append({ caseId: 'PD-1', actor: 'staff:alice', action: 'case.assign', detail: { assignee: 'alice@company.example' } }, new Date(T0));
        expect(plain.detail).toEqual({ assignee: 'alice@company.example' });
      });
    });

    describe('step journal', () => {
      t('records a step once; a second completion is refused without spoiling the transaction', async (h, s) => {
        await s.steps.complete('PD-1', 'discover#1', { rows: 3 }, new Date(T0));
        expect(await s.steps.get('PD-1', 'discover#1')).toEqual({ result: { rows: 3 }, at: new Date(T0).toISOString() });
        expect(await s.steps.count('PD-1', 'discover#1')).toBe(1);
        expect(await s.steps.count('PD-1', 'discover#2')).toBe(0);
        await expect(s.steps.complete('PD-1', 'discover#1', { rows: 4 }, new Date(T0))).rejects.toBeInstanceOf(StepAlreadyCompletedError);
        await h.db.tx(async () => {
          await expect(s.steps.complete('PD-1', 'discover#1', { rows: 5 }, new Date(T0))).rejects.toBeInstanceOf(StepAlreadyCompletedError);
          await s.steps.complete('PD-1', 'execute#1', null, new Date(T0));
        });
        expect(await s.steps.get('PD-1', 'execute#1')).toEqual({ result: null, at: new Date(T0).toISOString() });
        expect((await s.steps.get('PD-1', 'discover#1'))?.result).toEqual({ rows: 3 });
      });
    });

    describe('retention', () => {
      t('purges the PII of cases closed more than 24 months ago and keeps the audit skeleton', async (h, s) => {
        const now = new Date('2028-06-15T00:00:00Z');
        const cutoff = new Date('2026-06-15T00:00:00Z').toISOString(); // now - 24 months
        await s.cases.insert(makeCase('PD-OLD', { status: 'closed', closedAt: '2026-05-01T10:00:00.000Z' }), { email: TEST_EMAIL.toLowerCase(), phone: TEST_PHONE }, { name: 'Agent', permissionRef: 'doc-1' });
        await s.cases.insert(makeCase('PD-DENIED', { status: 'denied', closedAt: '2026-01-01T10:00:00.000Z' }), ids(2), null);
        await s.cases.insert(makeCase('PD-RECENT', { status: 'closed', closedAt: '2026-07-01T10:00:00.000Z' }), ids(3), null);
        await s.cases.insert(makeCase('PD-OPEN', { status: 'on_hold', closedAt: null, receivedAt: '2025-01-01T00:00:00.000Z' }), ids(4), null);
        await s.audit.append({ caseId: 'PD-OLD', actor: 'engine', action: 'case.status', detail: { to: 'closed' } }, new Date('2026-05-01T10:00:00Z'));
        const oldHashes = s.cases.identityHashes({ email: TEST_EMAIL.toLowerCase(), phone: TEST_PHONE }).map((x) => x.hash);

        expect(await s.cases.purgeClosedBefore(cutoff, now.toISOString())).toBe(2);
        expect(await s.cases.purgeClosedBefore(cutoff, now.toISOString())).toBe(0); // idempotent

        const old = await s.cases.get('PD-OLD');
        expect(old).toMatchObject({ id: 'PD-OLD', status: 'closed', purgedAt: now.toISOString() });
        await expect(s.cases.identities('PD-OLD')).rejects.toBeInstanceOf(CasePurgedError);
        expect(await s.cases.agent('PD-OLD')).toBeNull();
        expect(await s.cases.findByIdentityHash(oldHashes)).toEqual([]);
        await expect(s.cases.identities('PD-DENIED')).rejects.toBeInstanceOf(CasePurgedError);
        expect(await s.cases.identities('PD-RECENT')).toEqual(ids(3));
        expect(await s.cases.identities('PD-OPEN')).toEqual(ids(4));
        expect((await s.cases.get('PD-RECENT'))?.purgedAt).toBeNull();
        const pii = await h.db.get<{ identities_enc: unknown; agent_enc: unknown }>('SELECT identities_enc, agent_enc FROM case_pii WHERE case_id = ?', ['PD-OLD']);
        expect(pii).toEqual({ identities_enc: null, agent_enc: null });
        expect((await s.audit.forCase('PD-OLD')).map((e) => e.action)).toEqual(['case.status']);
        expect(await s.audit.verify()).toMatchObject({ ok: true, entries: 1 });
      });
      t('purgeExpired purges by calendar months and audits each case and the run', async (h, s) => {
        await s.cases.insert(makeCase('PD-OLD', { status: 'closed', closedAt: '2026-06-14T23:59:59.000Z' }), ids(1), null);
        await s.cases.insert(makeCase('PD-EDGE', { status: 'closed', closedAt: '2026-06-15T00:00:00.000Z' }), ids(2), null);
        const r = await purgeExpired(h.db, s, new Date('2028-06-15T00:00:00.000Z'));
        expect(r).toEqual({ cutoff: '2026-06-15T00:00:00.000Z', purged: 1, caseIds: ['PD-OLD'] });
        expect((await s.audit.forCase('PD-OLD')).map((e) => e.action)).toEqual(['case.pii_purged']);
        expect(await s.audit.forCase('PD-EDGE')).toEqual([]);
        expect(await s.audit.verify()).toMatchObject({ ok: true, entries: 2 });
      });
    });

    describe('encryption at rest', () => {
      t('keeps no plain email, phone or name in storage', async (h, s) => {
        for (let i = 0; i < 3; i++) {
          await s.cases.insert(makeCase(`PD-${i}`), { email: TEST_EMAIL.toLowerCase(), phone: TEST_PHONE, name: TEST_NAME }, { name: TEST_NAME, email: TEST_EMAIL, permissionRef: 'letter on file' });
          await s.audit.append({ caseId: `PD-${i}`, actor: 'engine', action: 'case.created', detail: { kinds: ['email', 'phone', 'name'] } }, new Date(T0));
        }
        expect(await s.cases.identities('PD-2')).toMatchObject({ email: TEST_EMAIL.toLowerCase() });
        const raw = (await h.atRest()).toLowerCase();
        expect(raw.length).toBeGreaterThan(1000);
        expect(raw).toContain('pd-2'); // the case ids are there: we are reading the right storage
        for (const secret of [TEST_EMAIL.toLowerCase(), 'store.contract.person', TEST_PHONE, '4155550177', TEST_NAME.toLowerCase(), 'quarrington']) {
          expect(raw).not.toContain(secret.toLowerCase());
          expect(raw).not.toContain(Buffer.from(secret).toString('hex'));
        }
      });

      t('does not decrypt one case\'s identities as another case\'s', async (h, s) => {
        await s.cases.insert(makeCase('PD-A'), ids(1), null);
        await s.cases.insert(makeCase('PD-B'), ids(2), null);
        const a = await h.db.get<{ identities_enc: Uint8Array }>('SELECT identities_enc FROM case_pii WHERE case_id = ?', ['PD-A']);
        await h.db.run('UPDATE case_pii SET identities_enc = ? WHERE case_id = ?', [a!.identities_enc, 'PD-B']);
        await expect(s.cases.identities('PD-B')).rejects.toBeInstanceOf(PiiDecryptError);
        expect(await s.cases.identities('PD-A')).toEqual(ids(1));
      });
    });
  });
}
