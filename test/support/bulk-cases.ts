// Fast generation of many cases for the queue's scale tests and benchmarks. Real cases made through
// the app API (the demo data) serve as templates; clones of them are written through the case
// store's Db in ONE transaction (multi-row inserts). On SQLite the cases table's secondary indexes
// are dropped for the insert and created again after it, in the same transaction (building an
// index from sorted rows is far quicker than updating fifteen b-trees a row: 1M rows in about a
// minute instead of many), with a larger page cache for the build. Each clone gets
// its own id and receipt date, with its deadlines recomputed by the legal clock and its persisted
// machine snapshot rewritten to match, so the queue, sorting and filters see real-looking rows.
// Clones carry no identities (their case_pii rows are absent): they exist to be listed, not opened.
import type { App } from '../../shared/app/app';
import { computeDeadlines } from '../../shared/domain/deadlines';
import type { CaseContext } from '../../shared/domain/case-machine';

const DAY = 86_400_000;

interface TemplateRow {
  type: string; strategy: string; jurisdiction: string; channel: string; status: string; assignee: string | null;
  closed_at: string | null; snapshot: string; snapshot_version: number; received_at: string;
}

export async function generateCases(app: App, count: number, opts: { seed?: number; now?: Date } = {}): Promise<{ inserted: number; ms: number }> {
  const t0 = performance.now();
  const templates = await app.ctx.db.all<TemplateRow>('SELECT type, strategy, jurisdiction, channel, status, assignee, closed_at, snapshot, snapshot_version, received_at FROM cases WHERE purged_at IS NULL AND status IN (\'verifying\', \'verified\', \'in_review\', \'closed\', \'denied\')');
  if (!templates.length) throw new Error('generateCases: no template cases (load the demo data first)');
  const now = (opts.now ?? app.ctx.clock()).getTime();
  let rnd = opts.seed ?? 42;
  const next = () => { rnd = (rnd * 1103515245 + 12345) % 2147483648; return rnd / 2147483648; };
  const assignees = [null, 'alex', 'sam', 'jo', 'kim'];
  const COLS = 'id, type, strategy, jurisdiction, channel, status, received_at, acknowledge_by, respond_by, assignee, closed_at, updated_at, created_at, snapshot, snapshot_version, purged_at';
  const BATCH = 200; // rows per INSERT statement (16 bound values each)
  const stamp = new Date(now).toISOString();
  const parsed = templates.map((t) => JSON.parse(t.snapshot) as { input: { caseId: string; receivedAt: string }; machine: { context?: CaseContext } | null });
  const sqlite = app.ctx.db.dialect === 'sqlite';
  if (sqlite) await app.ctx.db.exec('PRAGMA cache_size = -262144'); // 256 MB for this connection
  await app.ctx.db.tx(async (db) => {
    // Secondary indexes (not the primary key's): dropped now, created again once the rows are in.
    const indexes = sqlite && count >= 10_000
      ? await db.all<{ name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL")
      : [];
    for (const ix of indexes) await db.exec(`DROP INDEX "${ix.name}"`);
    let batch: Array<string | number | null> = [];
    let rows = 0;
    const flush = async () => {
      if (!rows) return;
      await db.run(`INSERT INTO cases (${COLS}) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ')}`, batch);
      batch = []; rows = 0;
    };
    for (let i = 0; i < count; i += 1) {
      const t = templates[i % templates.length]!;
      const id = `PD-BULK-${String(i + 1).padStart(7, '0')}`;
      const receivedAt = new Date(now - Math.floor(next() * 120 * DAY)).toISOString();
      const snap = parsed[i % templates.length]!; // rewritten in place, then serialised below
      snap.input.caseId = id;
      snap.input.receivedAt = receivedAt;
      const ctx = snap.machine?.context;
      if (ctx) {
        ctx.caseId = id;
        ctx.receivedAt = receivedAt;
        ctx.extension = null;
        ctx.pauses = [];
      }
      const d = computeDeadlines({ jurisdiction: t.jurisdiction as CaseContext['jurisdiction'], type: t.type as CaseContext['type'], receivedAt, extended: false, pauses: [] });
      const closedAt = t.closed_at ? new Date(Math.min(now, Date.parse(receivedAt) + Math.floor(next() * 40 * DAY))).toISOString() : null;
      batch.push(id, t.type, t.strategy, t.jurisdiction, t.channel, t.status, receivedAt, d.acknowledge, d.respond,
        assignees[i % assignees.length] ?? null, closedAt, stamp, stamp, JSON.stringify(snap), t.snapshot_version);
      rows += 1;
      if (rows === BATCH) await flush();
    }
    await flush();
    for (const ix of indexes) await db.exec(ix.sql);
  });
  if (sqlite) await app.ctx.db.exec('PRAGMA cache_size = -2000'); // SQLite's default again
  return { inserted: count, ms: Math.round(performance.now() - t0) };
}
