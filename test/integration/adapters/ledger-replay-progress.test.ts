// `privacy-desk ledger replay` in a terminal shows its progress on stderr (one line per collection
// scanned) while it runs through the API (datamap.ledger.replay); piped, stderr stays quiet and
// stdout holds only the result.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliGlobals, CliIO } from '../../../cli/command';
import { systems } from '../../../cli/commands/systems';
import { dsr } from '../../../cli/commands/dsr';
import { ledger } from '../../../cli/commands/ledger';

let dir: string;
let globals: CliGlobals;
function io(isTTY: boolean): CliIO & { out: string[]; err: string[] } {
  const out: string[] = []; const err: string[] = [];
  return { out, err, stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); }, isTTY };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-replay-progress-'));
  globals = { db: join(dir, 'cases.sqlite'), dataDir: dir };
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('ledger replay progress', () => {
  it('prints a progress line per collection on stderr in a terminal, none when piped', async () => {
    expect(await systems.demo!(['--dir', join(dir, 'shop')], globals, io(false))).toBe(0);
    expect(await dsr.delete!(['--email', 'ann.lee@example.com', '--signed-name', 'Ann Lee', '--signed-on', '2026-11-20', '--json'], globals, io(false))).toBe(0);
    const tty = io(true);
    expect(await ledger.replay!([], globals, tty)).toBe(0);
    expect(tty.err.join('')).toMatch(/demo-shop\.\w+: \d+ rows scanned, \d+ matched\n/u);
    expect(tty.out.join('')).toMatch(/^demo-shop: scanned \d+, came back 0, deleted 0, masked 0\n/mu);
    const piped = io(false);
    expect(await ledger.replay!(['--json'], globals, piped)).toBe(0);
    expect(piped.err).toEqual([]);
    expect(JSON.parse(piped.out.join(''))).toMatchObject({ dryRun: false, systems: [{ system: 'demo-shop' }] });
  });
});
