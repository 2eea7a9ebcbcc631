// Claiming a message, once per dedupe key across processes: the claim reads the key, then inserts
// the row (ON CONFLICT DO NOTHING ... RETURNING *). When another process inserts the same key between
// that read and this insert, no row comes back: the claim sends nothing and answers the other
// process's row. The race is made to happen on real PostgreSQL (two pools, no group commit, where
// both transactions can be open at once): a wrapper of the first store lets the second claim right
// after the first one's read. Also: a message that was sent is never claimed again (SQLite, PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagesRepo, type NewMessage } from '../../../shared/channels/repos/messages-repo';
import type { Db } from '../../../shared/store/db';
import { migrate } from '../../../shared/store/migrate';
import { PostgresDb } from '../../../shared/store/postgres-db';
import { SqliteDb } from '../../../shared/store/sqlite-db';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

const message = (key: string): NewMessage => ({
  caseId: null, dedupeKey: key, template: 'verification-code', channel: 'email', provider: 'outbox',
  recipientMasked: 'd***@example.com', recipientHash: null, locale: 'en', detail: { n: 1 },
});

/** `db` whose transactions run `between` once, right after their first read of a dedupe key. */
function raceAfterRead(db: Db, between: () => Promise<unknown>): Db {
  let done = false;
  const inner = (t: Db): Db => new Proxy(t, {
    get(target, prop) {
      if (prop === 'get') {
        return async (sql: string, params?: readonly unknown[]) => {
          const r = await target.get(sql, params as never);
          if (!done && /dedupe_key = \?/u.test(sql)) { done = true; await between(); }
          return r;
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'tx') return <T>(fn: (t: Db) => Promise<T>) => target.tx((t) => fn(inner(t)));
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function sentOnce(a: Db, b: Db): Promise<void> {
  const ra = new MessagesRepo(a);
  const first = await ra.claim(message('sent-once'), new Date());
  expect(first.send).toBe(true);
  await ra.markSent(first.record.id, { providerMessageId: 'p-1', attempts: 1 }, new Date());
  const again = await new MessagesRepo(b).claim(message('sent-once'), new Date());
  expect(again).toMatchObject({ send: false, record: { id: first.record.id, status: 'sent', providerMessageId: 'p-1' } });
}

describe('message claims across two processes', () => {
  let server: PostgresServer;
  let dir: string;
  beforeAll(async () => { server = await startPostgres(); dir = mkdtempSync(join(tmpdir(), 'pd-claim-')); }, 120_000);
  afterAll(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('PostgreSQL: the same key inserted by another process between the read and the insert: this claim sends nothing and answers the stored row', async () => {
    const url = await createDatabase(server);
    const a = new PostgresDb(url);
    await migrate(a);
    const b = new PostgresDb(url);
    try {
      let other: Awaited<ReturnType<MessagesRepo['claim']>> | null = null;
      const raced = new MessagesRepo(raceAfterRead(a, async () => { other = await new MessagesRepo(b).claim(message('raced'), new Date()); }));
      const mine = await raced.claim(message('raced'), new Date());
      expect(other).toMatchObject({ send: true });
      expect(mine).toMatchObject({ send: false, record: { id: other!.record.id, dedupeKey: 'raced', status: 'sending', detail: { n: 1 } } });
      expect(Number((await a.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM messages WHERE dedupe_key = 'raced'"))!.n)).toBe(1);
      // No race: the row comes back from the insert itself, as stored.
      const plain = await new MessagesRepo(a).claim(message('plain'), new Date());
      expect(plain).toMatchObject({ send: true, record: { dedupeKey: 'plain', status: 'sending', attempts: 0, detail: { n: 1 } } });
      await sentOnce(a, b);
    } finally { await a.close(); await b.close(); }
  });

  it('SQLite: a message that was sent is never claimed again by another process', async () => {
    const file = join(dir, 'store.sqlite');
    const a = new SqliteDb(file);
    await migrate(a);
    const b = new SqliteDb(file);
    try { await sentOnce(a, b); } finally { await a.close(); await b.close(); }
  });
});
