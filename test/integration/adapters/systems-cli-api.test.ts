// `privacy-desk systems list|hold` through the API (datamap.systems, datamap.systems.hold): the one
// legal-hold path sets and lifts the hold and audits it; an unknown system is a clear error (exit 2).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliGlobals, CliIO } from '../../../cli/command';
import { systems } from '../../../cli/commands/systems';
import { reportError } from '../../../cli/main';
import { openApp } from '../../../cli/open-app';
import { ApiForbiddenError } from '../../../shared/app/api';

let dir: string;
let globals: CliGlobals;
function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = []; const err: string[] = [];
  return { out, err, stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, isTTY: false };
}
const listed = async () => { const o = io(); expect(await systems.list!(['--json'], globals, o)).toBe(0); return JSON.parse(o.out.join('')) as Array<{ name: string; legalHold: string | null; engine: string; dataset: string }>; };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-systems-cli-'));
  globals = { db: join(dir, 'cases.sqlite'), dataDir: dir };
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('systems list and hold over the API', () => {
  it('lists, holds and releases, each audited once', async () => {
    expect(await listed()).toEqual([]);
    expect(await systems.demo!(['--dir', join(dir, 'shop')], globals, io())).toBe(0);
    expect(await listed()).toMatchObject([{ name: 'demo-shop', engine: 'sqlite', dataset: 'demo_shop', legalHold: null }]);
    const held = io();
    expect(await systems.hold!(['demo-shop', '--reason', 'litigation 2026-12'], globals, held)).toBe(0);
    expect(held.out.join('')).toBe('demo-shop: legal hold set\n');
    expect((await listed())[0]!.legalHold).toBe('litigation 2026-12');
    expect(await systems.hold!(['demo-shop', '--release'], globals, io())).toBe(0);
    expect((await listed())[0]!.legalHold).toBeNull();
    const app = await openApp(globals, { runEngine: false });
    try {
      const rows = await app.ctx.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action IN ('datamap.system.hold', 'datamap.system.release') ORDER BY seq");
      const actions = rows.map((r) => r.action);
      expect(actions).toEqual(['datamap.system.hold', 'datamap.system.release']);
    } finally { await app.close(); }
  });

  it('systems demo --dir goes through datamap.demo.register; a signed-in user may not choose the folder', async () => {
    const o = io();
    expect(await systems.demo!(['--dir', join(dir, 'shop2'), '--json'], globals, o)).toBe(0);
    expect(JSON.parse(o.out.join(''))).toEqual({ system: 'demo-shop', sqliteFile: join(dir, 'shop2', 'demo-shop.sqlite'), datamapFile: expect.stringContaining(join(dir, 'shop2')) });
    const app = await openApp(globals, { runEngine: false });
    try {
      await app.call('users.add', { name: 'ana', role: 'admin', password: 'ana-correct-horse' }, { actor: 'cli' });
      const user = { actor: 'staff:ana', user: 'ana' };
      await expect(app.call('datamap.demo.register', { dir: join(dir, 'elsewhere') }, user)).rejects.toBeInstanceOf(ApiForbiddenError);
      expect((await app.call('datamap.demo.register', {}, user)).sqliteFile).toBe(join(dir, 'demo-shop', 'demo-shop.sqlite'));
      const registered = await app.ctx.db.all<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'datamap.system%' ORDER BY seq");
      expect(registered.length).toBeGreaterThanOrEqual(2);
    } finally { await app.close(); }
  });

  it('an unknown system is refused with exit 2, naming it', async () => {
    const o = io();
    const code = await systems.hold!(['no-such', '--reason', 'x'], globals, o).catch((e: unknown) => reportError(e, o));
    expect(code).toBe(2);
    expect(o.err.join('')).toMatch(/no system no-such/u);
  });
});
