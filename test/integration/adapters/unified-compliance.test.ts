// Inbound requests from a CSV (seed 002 columns) through the real app and the demo shop, and the
// Unified Compliance / Overview CSV export; bad rows are refused naming line and column (the whole
// file with --all-or-nothing). More on the import in requests-import.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliGlobals, CliIO } from '../../../cli/command';
import { UsageError } from '../../../cli/command';
import { requests } from '../../../cli/commands/requests';
import { request } from '../../../cli/commands/request';
import { systems } from '../../../cli/commands/systems';
import { unifiedCompliance } from '../../../cli/commands/compliance';
import { createApp } from '../../../shared/app/app';
import { ApiInputError } from '../../../shared/app/api';
import { requiredRole } from '../../../shared/domain/roles';
import { contract } from '../../../shared/app/contract';
import { parseCsv, UC_COLUMNS, UC_OVERVIEW_COLUMNS } from '../../../shared/domain/unified-compliance';

let dir: string;
let globals: CliGlobals;
function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = []; const err: string[] = [];
  return { out, err, stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, isTTY: false };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-uc-'));
  globals = { db: join(dir, 'cases.sqlite'), dataDir: dir };
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('requests import + report unified-compliance', () => {
  it('runs each row as a case and exports one row per matched record and one per request', async () => {
    expect(await systems.demo!([], globals, io())).toBe(0);
    const csv = join(dir, 'inbound.csv');
    writeFileSync(csv, 'id,type,strategy,email,phone,custom-key\r\nR-1,dsar,exact,  Ann.Lee@example.com ,,\r\nR-2,delete,exact,bob.lee@example.com,,\r\nR-3,delete,exact,,,L-1004\r\n');
    const a = io();
    expect(await requests.import!([csv, '--custom-key-names', 'loyalty_id', '--run', '--json'], globals, a)).toBe(0);
    const imported = JSON.parse(a.out.join('')) as { imported: unknown[]; run: Array<{ requestId: string; caseId: string; status: string }> };
    expect(imported.imported).toHaveLength(3);
    // The access closes; the deletions reach the demo shop's customers, who hold a government id
    // (sensitive): they wait in review for the high level (11 CCR §7062(d)) and change nothing yet.
    expect(imported.run.map((r) => r.status)).toEqual(['closed', 'in_review', 'in_review']);
    for (const [i, name] of [[1, 'Bob Lee'], [2, 'Loyalty Member']] as const) {
      const caseId = imported.run[i]!.caseId;
      const d = io();
      expect(await request.declaration!([caseId, '--signed-name', name, '--signed-on', '2026-11-20', '--json'], globals, d)).toBe(0);
      const doc = (JSON.parse(d.out.join('')) as { documentId: string }).documentId;
      expect(await request.verify!([caseId, '--method', 'staff', '--note', 'account number, postal code and date of birth', '--data-points', '3', '--declaration', doc], globals, io())).toBe(0);
      const approved = io();
      expect(await request.approve!([caseId, '--json'], globals, approved)).toBe(0);
      expect((JSON.parse(approved.out.join('')) as { status: string }).status).toBe('closed');
    }
    // importing the same file again creates nothing
    const again = io();
    expect(await requests.import!([csv, '--custom-key-names', 'loyalty_id', '--json'], globals, again)).toBe(0);
    expect((JSON.parse(again.out.join('')) as { imported: unknown[]; alreadyImported: unknown[] })).toMatchObject({ imported: [], alreadyImported: [{}, {}, {}] });

    const out = join(dir, 'uc');
    expect(await unifiedCompliance(['--out', out], globals, io())).toBe(0);
    const uc = parseCsv(readFileSync(join(out, 'unified_compliance.csv'), 'utf8'));
    expect(uc[0]).toEqual([...UC_COLUMNS]);
    const rows = uc.slice(1).map((r) => Object.fromEntries(UC_COLUMNS.map((c, i) => [c, r[i]])));
    const ann = rows.filter((r) => r['Request ID'] === 'R-1');
    expect(ann.find((r) => r.Datasource === 'demo_shop.customers')).toMatchObject({ 'Request Type': 'dsar', 'Request Semantic': 'email', 'Request Semantic Value': 'ann.lee@example.com', 'Request Match Category': 'direct', PK: '1', Action: 'found' });
    expect(ann.find((r) => r.Datasource === 'demo_shop.addresses' && r.PK === '10')!.Action).toBe('review');
    expect(ann.filter((r) => r.Datasource === 'demo_shop.invoices').every((r) => r.Action === 'exempt')).toBe(true);
    expect(rows.filter((r) => r['Request ID'] === 'R-2' && r.Datasource === 'demo_shop.customers')[0]!.Action).toBe('erased');
    expect(rows.find((r) => r['Request ID'] === 'R-3' && r.Datasource === 'demo_shop.customers')).toMatchObject({ 'Request Semantic': 'custom-key', 'Request Semantic Value': 'L-1004', Action: 'erased' });
    const ov = parseCsv(readFileSync(join(out, 'unified_compliance_overview.csv'), 'utf8'));
    expect(ov[0]).toEqual([...UC_OVERVIEW_COLUMNS]);
    expect(ov.slice(1).map((r) => [r[2], r[3], r[5]])).toEqual([['R-1', 'dsar', 'ann.lee@example.com'], ['R-2', 'delete', 'bob.lee@example.com'], ['R-3', 'delete', '']]);
    expect(Number(ov[1]![14])).toBe(ann.length);

    // The CLI writes what the API's compliance.unified answers (the one path); the export holds
    // identities, so a viewer is refused and an analyst may read it; --case narrows it.
    const app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: globals.db! }, runEngine: false });
    try {
      const api = await app.call('compliance.unified', {}, { actor: 'cli' });
      expect(api.csv.unifiedCompliance).toBe(readFileSync(join(out, 'unified_compliance.csv'), 'utf8'));
      expect(api.csv.overview).toBe(readFileSync(join(out, 'unified_compliance_overview.csv'), 'utf8'));
      expect(api.rows).toEqual(rows);
      const one = await app.call('compliance.unified', { caseIds: [imported.run[1]!.caseId] }, { actor: 'cli' });
      expect(one.overview.map((r) => r['Request ID'])).toEqual(['R-2']);
      expect(requiredRole('compliance.unified', contract['compliance.unified'].kind)).toBe('analyst');
      await expect(app.call('compliance.unified', { caseIds: ['nope', ''] }, { actor: 'cli' })).rejects.toBeInstanceOf(ApiInputError);
    } finally {
      await app.close();
    }
  });

  it('with --all-or-nothing a bad row refuses the file: exit 2 naming the line and column, no case created', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'id,type,email\nR-1,dsar,ok@example.com\nR-2,wipe,x@example.com\nR-3,dsar,"not an email"\n');
    const refused = io();
    expect(await requests.import!([csv, '--all-or-nothing'], globals, refused)).toBe(2);
    expect(refused.err.join('')).toMatch(/bad\.csv: line 3: type: must be dsar, delete or delete_pii\nbad\.csv: line 4: email: must be a valid email address\n/u);
    const out = join(dir, 'uc');
    expect(await unifiedCompliance(['--out', out, '--json'], globals, io())).toBe(0);
    expect(readFileSync(join(out, 'unified_compliance_overview.csv'), 'utf8').trim().split(/\r?\n/u)).toHaveLength(1);
    // Without the flag the good row is imported and the exit status says some were refused.
    const partial = io();
    expect(await requests.import!([csv, '--json'], globals, partial)).toBe(3);
    expect(JSON.parse(partial.out.join(''))).toMatchObject({ imported: [{ line: 2, requestId: 'R-1' }], refused: [{ line: 3 }, { line: 4 }] });
    // A bad header still refuses the whole file.
    writeFileSync(csv, 'id,kind\nR-1,dsar\n');
    await expect(requests.import!([csv], globals, io())).rejects.toThrow(UsageError);
  });
});

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and newlines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere']]);
    expect(() => parseCsv('a\n"open')).toThrow(/line 2: unterminated/u);
  });
});
