// No PII at rest in plain text (issue 13 item 4): a subject with distinctive values (email, phone,
// name) goes through every kind of action - intake, a verification note naming them, discovery in
// a registered data system, a hold and its resume with notes, approval, erasure, the check, the
// response; an access request (its report), a denial with a note, a staff delivery note, a code
// unlock note - and then every file of the data folder is read byte for byte (the SQLite database,
// its WAL and SHM files while the app is open and after it closed, keys, reports, temp files) and
// searched for each value in every spelling it was given or normalised to. The outbox (mail to the
// consumer: their address is the envelope) and the SMS file are the deliveries themselves; they are
// listed and left out of the search, by name.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { createApp, type App } from '../../../shared/app/app';
import { SEALED_LIST_TEXT } from '../../../shared/store/sealed-notes';

const EMAIL = 'Quillon.Zephyrine@Example.org';
const PHONE = '+1 415 555 0142';
const NAME = 'Quillon Zephyrine';
/** Every spelling that must not appear (given, normalised, as the source system holds it). */
const NEEDLES = ['Quillon.Zephyrine@Example.org', 'quillon.zephyrine@example.org', 'Zephyrine', 'zephyrine', '+14155550142', '4155550142', '415) 555-0142', '555-0142', '555 0142'];
/** Deliveries to the consumer (their address is the envelope), not stored state: named, not searched. */
const DELIVERIES = [/^outbox\//u, /^sms\//u];

const MAP = {
  dataset: 'shop',
  collections: [
    { name: 'customers', erasure: 'delete', fields: [
      { name: 'id', primaryKey: true }, { name: 'email', identity: 'email', categories: ['user.contact.email'] },
      { name: 'phone', identity: 'phone', categories: ['user.contact.phone_number'] }, { name: 'name', categories: ['user.name'] }] },
    { name: 'orders', erasure: 'mask', fields: [
      { name: 'id', primaryKey: true }, { name: 'customer_id', references: [{ collection: 'customers', field: 'id', direction: 'from' }] },
      { name: 'note', categories: ['user.content'] }] },
  ],
};

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Every (file, needle) found in the data folder, deliveries left out. */
function search(dataDir: string): { hits: string[]; searched: string[]; skipped: string[] } {
  const hits: string[] = [];
  const searched: string[] = [];
  const skipped: string[] = [];
  for (const f of files(dataDir)) {
    const rel = relative(dataDir, f);
    if (DELIVERIES.some((re) => re.test(rel))) { skipped.push(rel); continue; }
    searched.push(`${rel} (${statSync(f).size} B)`);
    const bytes = readFileSync(f);
    for (const n of NEEDLES) if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) hits.push(`${rel}: ${n}`);
  }
  return { hits, searched, skipped };
}

/** Where in the case database a value is (table.column and a row excerpt), to name a failure. */
function whereInDb(file: string, needles: readonly string[]): string[] {
  const db = new Database(file, { readonly: true });
  const out: string[] = [];
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of tables) {
      const cols = (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).all() as Array<{ name: string }>).map((c) => c.name);
      for (const c of cols) {
        for (const n of needles) {
          const row = db.prepare(`SELECT CAST("${c}" AS TEXT) AS v FROM "${t}" WHERE instr(CAST("${c}" AS TEXT), ?) > 0 LIMIT 1`).get(n) as { v: string } | undefined;
          if (row) { const i = row.v.indexOf(n); out.push(`${t}.${c} holds "${n}": …${row.v.slice(Math.max(0, i - 80), i + n.length + 40)}…`); }
        }
      }
    }
  } finally {
    db.close();
  }
  return out;
}

describe('no PII at rest in plain text', () => {
  it('a full case with distinctive values leaves none of them readable in the data folder (database, WAL, SHM, files)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-pii-rest-'));
    const dataDir = join(dir, 'data');
    const shop = join(dir, 'shop.sqlite'); // the business's own system: outside the data folder
    const src = new Database(shop);
    src.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, name TEXT);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, note TEXT);
      INSERT INTO customers VALUES (1, '${EMAIL}', '(415) 555-0142', '${NAME}'), (2, 'someone.else@example.com', '+14155550999', 'Other Person');
      INSERT INTO orders VALUES (1, 1, 'gift wrap for ${NAME}'), (2, 2, 'none');`);
    src.close();
    let app: App | null = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') } });
    const meta = { actor: 'staff:tester' };
    try {
      const a = app;
      await a.call('datamap.systems.add', { name: 'shop', engine: 'sqlite', location: shop, datamap: MAP } as never, meta);
      const ids = { email: EMAIL, phone: PHONE, name: NAME };

      // Erasure, start to end, with notes that name the subject at every step that takes one.
      const del = await a.call('cases.create', { type: 'delete', jurisdiction: 'CA', channel: 'email', identities: ids }, meta);
      await a.settle(del.id);
      await a.call('cases.verify', { id: del.id, method: 'staff', note: `Called ${NAME} back on ${PHONE}; confirmed ${EMAIL} and the last order`, dataPoints: 2 }, meta);
      await a.settle(del.id);
      await a.call('cases.hold', { id: del.id, reason: 'legal_hold', note: `Litigation hold asked about ${NAME} (${EMAIL})` }, meta);
      await a.call('cases.resume', { id: del.id }, meta);
      await a.settle(del.id);
      let c = await a.call('cases.get', { id: del.id }, meta);
      if (c.status === 'verified') { await a.call('cases.discover', { id: del.id }, meta); await a.settle(del.id); c = await a.call('cases.get', { id: del.id }, meta); }
      if (c.status === 'in_review') { await a.call('cases.approve', { id: del.id }, meta); await a.settle(del.id); c = await a.call('cases.get', { id: del.id }, meta); }
      if (c.status === 'approved') { await a.call('cases.approve', { id: del.id }, meta); await a.settle(del.id); c = await a.call('cases.get', { id: del.id }, meta); }
      expect(c.status, JSON.stringify((await a.call('cases.audit', { id: del.id }, meta)).map((e) => e.action))).toBe('closed');
      // The erasure really happened in the source system.
      const after = new Database(shop, { readonly: true });
      expect(after.prepare('SELECT COUNT(*) AS n FROM customers WHERE id = 1').get()).toEqual({ n: 0 });
      after.close();

      // Access (report), a denial with a note, a staff delivery note, a code unlock note.
      const acc = await a.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'phone', identities: { phone: '+1 415 555 0142', name: NAME } }, meta);
      await a.settle(acc.id);
      await a.call('cases.verify', { id: acc.id, method: 'staff', note: `${NAME} confirmed by phone`, dataPoints: 2 }, meta).catch(() => undefined);
      await a.settle(acc.id);
      await a.call('codes.unlock', { id: acc.id, note: `unlocked for ${NAME} after a call from ${PHONE}` }, meta).catch(() => undefined);
      await a.call('responses.deliver', { id: acc.id, method: 'post', note: `Posted to ${NAME}` }, meta).catch(() => undefined);
      const den = await a.call('cases.create', { type: 'know', jurisdiction: 'CA', channel: 'email', identities: { email: EMAIL } } as never, meta).catch(() =>
        a.call('cases.create', { type: 'access', jurisdiction: 'CA', channel: 'email', identities: { email: EMAIL } }, meta));
      await a.settle(den.id);
      await a.call('cases.deny', { id: den.id, reason: 'unverifiable', note: `Could not verify ${NAME} at ${EMAIL}` } as never, meta).catch(() => undefined);
      await a.settle(den.id);

      // Sealed at rest, read as written: the case shows its note, the timeline every note; a list shows none.
      const VERIFY_NOTE = `Called ${NAME} back on ${PHONE}; confirmed ${EMAIL} and the last order`;
      expect((await a.call('cases.get', { id: del.id }, meta)).verification.note).toBe(VERIFY_NOTE);
      const timeline = await a.call('cases.audit', { id: del.id }, meta);
      expect(timeline.find((e) => e.action === 'case.verify')?.detail.note).toBe(VERIFY_NOTE);
      expect(timeline.find((e) => e.action === 'case.hold')?.detail.note).toBe(`Litigation hold asked about ${NAME} (${EMAIL})`);
      const listed = (await a.call('cases.list', { limit: 10 } as never, meta)).items.find((x) => x.id === del.id);
      expect(listed?.verification.note).toBe(SEALED_LIST_TEXT);
      // The chain still verifies over the sealed details.
      expect((await a.ctx.audit.verify()).ok).toBe(true);

      // While the app is open: the WAL holds the latest writes.
      const open = search(dataDir);
      console.log(`searched while open: ${open.searched.join(', ')}; deliveries left out: ${open.skipped.join(', ') || 'none'}`);
      expect(open.hits, whereInDb(join(dataDir, 'privacy-desk.sqlite'), NEEDLES).join('\n')).toEqual([]);
      await a.close();
      app = null;
      const closed = search(dataDir);
      console.log(`searched after close: ${closed.searched.join(', ')}`);
      expect(closed.hits).toEqual([]);
    } finally {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
