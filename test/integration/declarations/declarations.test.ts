// Signed declarations stored encrypted with the case (issue 14 item 5): declarations.store keeps
// the signed statement (or a scan) as an encrypted document linked to the case by a hash-chained
// audit entry; cases.verify names it (declarationId) to reach the high level; a declaration of
// another case or none is refused; no byte of the data folder holds the signed name in clear.
// API and CLI on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';

const staff = { actor: 'staff:ann' };
let dir: string;
let app: App;

function allBytes(folder: string): string {
  let out = '';
  for (const f of readdirSync(folder)) {
    const p = join(folder, f);
    out += statSync(p).isDirectory() ? allBytes(p) : readFileSync(p).toString('latin1');
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-declarations-'));
  app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, { clock: () => new Date('2026-11-20T18:00:00Z') });
});
afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('signed declarations', () => {
  it('are stored encrypted with the case and named by the verification that reaches the high level', async () => {
    const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'decl@example.com' }, specificPieces: true }, staff);
    await app.settle(c.id);
    expect(c.requiredLevel).toBe('high');
    const other = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'other@example.com' } }, staff);
    const d = await app.call('declarations.store', { id: c.id, signedName: 'Zelda Quimby-Declarant', signedOn: '2026-11-19' }, staff);
    expect(d).toMatchObject({ caseId: c.id, signedOn: '2026-11-19', mediaType: 'text/plain', storedBy: 'staff:ann' });
    expect(await app.call('declarations.forCase', { id: c.id }, staff)).toEqual([d]);
    expect(await app.call('declarations.forCase', { id: other.id }, staff)).toEqual([]);

    await expect(app.call('cases.verify', { id: other.id, method: 'staff', note: 'x', dataPoints: 3, declarationId: d.documentId }, staff))
      .rejects.toThrow(/no signed declaration .* is stored with case/u);
    const v = await app.call('cases.verify', { id: c.id, method: 'staff', note: 'three data points', dataPoints: 3, declarationId: d.documentId }, staff);
    expect(v.verification).toMatchObject({ level: 'high', signedDeclaration: true });
    const audit = await app.call('cases.audit', { id: c.id }, staff);
    expect(audit.find((e) => e.action === 'case.verify')?.detail).toMatchObject({ signedDeclaration: true, declarationId: d.documentId });
    expect(audit.find((e) => e.action === 'declaration.stored')?.detail).toMatchObject({ documentId: d.documentId, note: 'signed by Zelda Quimby-Declarant' });

    const opened = await app.call('declarations.read', { id: c.id, documentId: d.documentId }, staff);
    const text = Buffer.from(opened.contentBase64, 'base64').toString('utf8');
    expect(text).toContain('I declare under penalty of perjury');
    expect(text).toContain('Signed: Zelda Quimby-Declarant');
    expect((await app.call('cases.audit', { id: c.id }, staff)).map((e) => e.action)).toContain('declaration.viewed');
    await expect(app.call('declarations.store', { id: c.id, signedName: 'x', signedOn: '2026-11-19', mediaType: 'application/pdf' }, staff)).rejects.toThrow(/give the scan with its mediaType/u);

    await app.close();
    expect(allBytes(dir)).not.toContain('Quimby');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, { clock: () => new Date('2026-11-20T18:00:00Z') });
  });

  it('through the CLI: request declaration --file, then request verify --declaration', async () => {
    const c = await app.call('cases.create', { type: 'access', jurisdiction: 'CA', identities: { email: 'decl.cli@example.com' }, specificPieces: true }, staff);
    await app.settle(c.id);
    await app.close();
    const scan = join(dir, 'declaration.png');
    writeFileSync(scan, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const run = (...args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'bin/privacy-desk.mjs'), '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, 'request', ...args],
      { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-20T18:00:00Z' } });
    const stored = run('declaration', c.id, '--signed-name', 'Cli Signer', '--signed-on', '2026-11-20', '--file', scan, '--json');
    expect(stored.stderr).toBe('');
    const d = JSON.parse(stored.stdout);
    expect(d).toMatchObject({ mediaType: 'image/png', bytes: 16 });
    const v = run('verify', c.id, '--method', 'staff', '--note', 'three points', '--data-points', '3', '--declaration', d.documentId, '--json');
    expect(v.stderr).toBe('');
    expect(JSON.parse(v.stdout).verification.level).toBe('high');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') } }, { clock: () => new Date('2026-11-20T18:00:00Z') });
  });
});
