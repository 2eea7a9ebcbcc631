// `privacy-desk requests import FILE.csv` on SQLite and on PostgreSQL (embedded): good and bad rows
// mixed (bad ones refused by line and column, never echoing the value; the good ones imported),
// --all-or-nothing, a re-run that creates nothing, two imports of one file at the same time (one
// case per request: the unique key decides), the request id written with its case, the audit chain
// intact, progress on a terminal, and --run working the new cases through the case machine.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliGlobals, CliIO } from '../../../cli/command';
import { UsageError } from '../../../cli/command';
import { EXIT_PARTIAL, requests } from '../../../cli/commands/requests';
import { openApp } from '../../../cli/open-app';
import { importInboundRequests } from '../../../shared/app/requests-import';
import { parseInboundRequests } from '../../../shared/domain/unified-compliance';
import { startPostgres, type PostgresServer } from '../../support/postgres';
import { createDatabase } from '../store/postgres-harness';

interface Out { line: number; requestId: string; caseId: string }
interface Summary {
  file: string; rows: number; allOrNothing: boolean;
  imported: Out[]; alreadyImported: Out[];
  refused: Array<{ line: number; problems: Array<{ column: string; problem: string }> }>;
  run?: Array<{ requestId: string; caseId: string; status: string; errors: number }>;
}

function io(isTTY = false): CliIO & { out: string[]; err: string[]; text(): string } {
  const out: string[] = []; const err: string[] = [];
  return { out, err, isTTY, stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, text: () => out.join('') + err.join('') };
}
const summaryOf = (x: { out: string[] }) => JSON.parse(x.out.join('')) as Summary;

/** n good rows R-1..R-n with distinct emails (and a phone on every third). */
function goodRows(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1 + offset;
    return `R-${i},${['dsar', 'delete', 'delete_pii'][i % 3]},exact,person${i}@example.org,${i % 3 === 0 ? `+1415555${String(1000 + i).slice(-4)}` : ''},,,,,`;
  });
}
const HEADER = 'id,type,strategy,email,phone,address,city,state,postal,custom_key';

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); }, 180_000);
afterAll(async () => { await server?.stop(); });

const stores: Array<{ name: string; globals: (dir: string) => Promise<CliGlobals> }> = [
  { name: 'SQLite', globals: async (dir) => ({ db: join(dir, 'cases.sqlite'), dataDir: dir }) },
  { name: 'PostgreSQL', globals: async (dir) => ({ databaseUrl: await createDatabase(server), dataDir: dir }) },
];

describe.each(stores)('requests import on $name', ({ globals: globalsFor }) => {
  let dir: string;
  let globals: CliGlobals;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-import-'));
    globals = await globalsFor(dir);
  });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  async function store<T>(fn: (app: Awaited<ReturnType<typeof openApp>>) => Promise<T>): Promise<T> {
    const app = await openApp(globals, { runEngine: false });
    try { return await fn(app); } finally { await app.close(); }
  }
  const count = (sql: string) => store(async (app) => Number((await app.ctx.db.get<{ n: number }>(sql))?.n ?? 0));

  const MIXED = [
    HEADER,
    'R-1,dsar,exact,ann@example.org,,,,,,',                 // line 2
    'R-2,wipe,exact,bob@example.org,,,,,,',                 // line 3: type
    'R-3,delete,exact,"not-an-email@",,,,,,',               // line 4: email (value never echoed)
    '"R-4",delete_pii,exact,carol@example.org,,"1 Main St',  // line 5: a quoted address over two lines
    'Apt 2",Springfield,IL,62701,',                         // line 6
    '',                                                     // line 7: blank
    ',dsar,exact,dan@example.org,,,,,,',                    // line 8: id missing
    'R-1,delete,exact,eve@example.org,,,,,,',               // line 9: repeats line 2
    'R-5,dsar,exact,,+1 (415) 555-0100,,,,,',               // line 10
    'R-6,dsar,exact,,,1 Elm St,,,,',                        // line 11: address group without city/postal, no identity
    'R-7,dsar,exact,,,,,,,L-77',                            // line 12: custom key only
    'R-8,dsar,sideways,frank@example.org,,,,,,',            // line 13: strategy
  ].join('\n');

  it('imports the good rows and refuses the bad ones by line and column, never echoing a value', async () => {
    const csv = join(dir, 'mixed.csv');
    writeFileSync(csv, MIXED);
    const a = io();
    expect(await requests.import!([csv, '--json'], globals, a)).toBe(EXIT_PARTIAL);
    const s = summaryOf(a);
    expect(s.imported.map((r) => [r.line, r.requestId])).toEqual([[2, 'R-1'], [5, 'R-4'], [10, 'R-5'], [12, 'R-7']]);
    expect(s.imported.every((r) => /^PD-\d{8}-[A-Z0-9]{6}$/u.test(r.caseId))).toBe(true);
    expect(s.alreadyImported).toEqual([]);
    expect(s.refused.map((r) => [r.line, r.problems.map((p) => p.column)])).toEqual([
      [3, ['type']], [4, ['email']], [8, ['id']], [9, ['id']], [11, ['city', 'postal', 'email']], [13, ['strategy']],
    ]);
    expect(s.refused.find((r) => r.line === 9)!.problems[0]!.problem).toBe('repeats the id of line 2');
    // No identity from the file in the output, good or bad.
    for (const v of ['not-an-email', 'ann@', 'carol@', '555-0100', 'L-77', 'Main St', 'sideways', 'wipe']) expect(a.text()).not.toContain(v);

    // Without --json: the refusals on stderr, the imported rows on stdout.
    writeFileSync(join(dir, 'mixed2.csv'), MIXED);
    const b = io();
    expect(await requests.import!([join(dir, 'mixed2.csv')], globals, b)).toBe(EXIT_PARTIAL);
    expect(b.err.join('')).toContain('mixed2.csv: line 4: email: must be a valid email address');
    expect(b.out.join('')).toMatch(/mixed2\.csv: 4 imported, 0 already imported, 6 refused/u);
    expect(b.text()).not.toContain('not-an-email');

    await store(async (app) => {
      expect(Number((await app.ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))?.n)).toBe(8);
      const rows = await app.ctx.db.all<{ case_id: string; request_id: string; datasource: string }>("SELECT case_id, request_id, datasource FROM datamap_requests WHERE datasource = 'mixed.csv' ORDER BY request_id");
      expect(rows.map((r) => [r.request_id, r.case_id])).toEqual(s.imported.map((r) => [r.requestId, r.caseId]).sort());
      // The case: staff channel, verified by staff attestation with its creation, identities as given (normalised).
      const c = await app.call('cases.get', { id: s.imported[2]!.caseId }, { actor: 'test' });
      expect(c).toMatchObject({ status: 'received', channel: 'staff', type: 'access' });
      expect(c.verification).toMatchObject({ level: 'reasonable', method: 'staff' });
      expect(await app.ctx.cases.identities(s.imported[1]!.caseId)).toMatchObject({ email: 'carol@example.org', address: { line1: '1 Main St\nApt 2', city: 'Springfield', postalCode: '62701' } });
      expect(await app.ctx.cases.identities(s.imported[2]!.caseId)).toEqual({ phone: '+14155550100' });
      const audit = await app.ctx.audit.forCase(s.imported[0]!.caseId);
      expect(audit.map((e) => e.action)).toEqual(['case.created', 'case.verify']);
      expect(audit[0]!.detail).toMatchObject({ channel: 'staff', import: { file: 'mixed.csv', line: 2 } });
      expect(JSON.stringify(await app.ctx.audit.forCase(s.imported[1]!.caseId))).not.toContain('carol');
      expect(await app.ctx.audit.verify()).toMatchObject({ ok: true, entries: 16 });
    });
  });

  it('--all-or-nothing refuses the whole file when one row is bad, and imports a clean one', async () => {
    const csv = join(dir, 'mixed.csv');
    writeFileSync(csv, MIXED);
    const a = io();
    expect(await requests.import!([csv, '--all-or-nothing', '--json'], globals, a)).toBe(2);
    const s = summaryOf(a);
    expect(s).toMatchObject({ allOrNothing: true, imported: [], alreadyImported: [] });
    expect(s.refused.map((r) => r.line)).toEqual([3, 4, 8, 9, 11, 13]);
    expect(a.err.join('')).toMatch(/6 of 10 row\(s\) refused; nothing imported \(--all-or-nothing\)/u);
    expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM datamap_requests')).toBe(0);

    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, [HEADER, ...goodRows(5)].join('\r\n'));
    const b = io();
    expect(await requests.import!([clean, '--all-or-nothing', '--json'], globals, b)).toBe(0);
    expect(summaryOf(b).imported).toHaveLength(5);
    // Every row bad: nothing to import, bad input even without the flag.
    writeFileSync(join(dir, 'bad.csv'), `${HEADER}\nR-9,nope,exact,x@example.org,,,,,,\n`);
    expect(await requests.import!([join(dir, 'bad.csv')], globals, io())).toBe(2);
    // A broken header or CSV syntax: the whole file, exit 2 (UsageError), naming the problem.
    writeFileSync(join(dir, 'hdr.csv'), 'id,emial\nR-1,a@example.org\n');
    await expect(requests.import!([join(dir, 'hdr.csv')], globals, io())).rejects.toThrow(UsageError);
    await expect(requests.import!([join(dir, 'hdr.csv')], globals, io())).rejects.toThrow(/header: unknown column "emial"/u);
    writeFileSync(join(dir, 'open.csv'), 'id,email\nR-1,"a@example.org\n');
    await expect(requests.import!([join(dir, 'open.csv')], globals, io())).rejects.toThrow(/line 2: unterminated quoted field/u);
    expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(5);
  });

  it('importing the same file again creates nothing and reports the rows as already imported', async () => {
    const csv = join(dir, 'inbound.csv');
    writeFileSync(csv, [HEADER, ...goodRows(600)].join('\n'));
    const first = io();
    expect(await requests.import!([csv, '--json'], globals, first)).toBe(0);
    const s1 = summaryOf(first);
    expect(s1.imported).toHaveLength(600);
    // The file grows: the old rows are already imported, the new ones get cases.
    writeFileSync(csv, [HEADER, ...goodRows(600), ...goodRows(30, 600)].join('\n'));
    const second = io();
    expect(await requests.import!([csv, '--json'], globals, second)).toBe(0);
    const s2 = summaryOf(second);
    expect(s2.imported.map((r) => r.requestId)).toEqual(goodRows(30, 600).map((l) => l.split(',')[0]));
    expect(s2.alreadyImported).toEqual(s1.imported);
    expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(630);
    expect(await count('SELECT COUNT(DISTINCT request_id) AS n FROM datamap_requests')).toBe(630);
    await store(async (app) => { expect(await app.ctx.audit.verify()).toMatchObject({ ok: true, entries: 1260 }); });
  });

  it('two imports of one file at the same time: one case per request, the unique key decides', async () => {
    const csv = join(dir, 'inbound.csv');
    writeFileSync(csv, [HEADER, ...goodRows(700)].join('\n'));
    const [a, b] = [io(), io()];
    const codes = await Promise.all([requests.import!([csv, '--json'], globals, a), requests.import!([csv, '--json'], globals, b)]);
    expect(codes).toEqual([0, 0]);
    const [sa, sb] = [summaryOf(a), summaryOf(b)];
    expect(sa.imported.length + sb.imported.length).toBe(700);
    expect(sa.imported.length + sa.alreadyImported.length).toBe(700);
    expect(sb.imported.length + sb.alreadyImported.length).toBe(700);
    // Both report the same case for every request.
    const caseOf = (s: Summary) => new Map([...s.imported, ...s.alreadyImported].map((r) => [r.requestId, r.caseId]));
    expect([...caseOf(sa)].sort()).toEqual([...caseOf(sb)].sort());
    expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(700);
    expect(await count('SELECT COUNT(*) AS n FROM datamap_requests')).toBe(700);

    // The same race below the CLI, both past their "already imported?" look-up before either
    // writes: the second's claims meet the first's rows and report them, its cases never written.
    const parsed = parseInboundRequests([HEADER, ...goodRows(300, 1000)].join('\n'));
    const apps = [await openApp(globals, { runEngine: false }), await openApp(globals, { runEngine: false })];
    try {
      const opts = { datasource: 'race.csv', jurisdiction: 'CA' as const, autoApprove: true, meta: { actor: 'cli' }, batchSize: 300 };
      const [ra, rb] = await Promise.all(apps.map((app) => importInboundRequests(app, parsed.requests, opts)));
      expect(ra!.imported.length + rb!.imported.length).toBe(300);
      expect(Math.min(ra!.imported.length, rb!.imported.length)).toBe(0);
      const loser = ra!.imported.length ? rb! : ra!;
      const winner = ra!.imported.length ? ra! : rb!;
      expect(loser.alreadyImported).toEqual(winner.imported);
      expect(await apps[0]!.ctx.audit.verify()).toMatchObject({ ok: true, entries: 2 * 1000 });
    } finally {
      for (const app of apps) await app.close();
    }
    expect(await count('SELECT COUNT(*) AS n FROM cases')).toBe(1000);
  });

  it('shows progress on a terminal only, and --run works the new cases through the case machine', async () => {
    const csv = join(dir, 'inbound.csv');
    writeFileSync(csv, [HEADER, ...goodRows(3)].join('\n'));
    const quiet = io(false);
    expect(await requests.import!([csv], globals, quiet)).toBe(0);
    expect(quiet.err).toEqual([]);
    expect(quiet.out.join('')).toContain('the case engine works the new cases (or import with --run)');

    writeFileSync(join(dir, 'more.csv'), [HEADER, ...goodRows(3, 10)].join('\n'));
    const tty = io(true);
    expect(await requests.import!([join(dir, 'more.csv'), '--run', '--json'], globals, tty)).toBe(0);
    expect(tty.err.join('')).toMatch(/importing: 3\/3 rows \(3 new, 0 already imported\), \d+ rows\/s/u);
    expect(tty.err.join('')).toMatch(/running: 3\/3 PD-/u);
    const s = summaryOf(tty);
    // No system registered: nothing found, each request answered and closed.
    expect(s.run!.map((r) => [r.requestId, r.status, r.errors])).toEqual([['R-11', 'closed', 0], ['R-12', 'closed', 0], ['R-13', 'closed', 0]]);
    await store(async (app) => {
      const actions = (await app.ctx.audit.forCase(s.imported[0]!.caseId)).map((e) => e.action);
      expect(actions.slice(0, 2)).toEqual(['case.created', 'case.verify']);
      expect(actions).toContain('step.completed');
      expect((await app.call('cases.get', { id: s.imported[0]!.caseId }, { actor: 'test' })).status).toBe('closed');
      expect(await app.ctx.audit.verify()).toMatchObject({ ok: true });
    });
  });
});
