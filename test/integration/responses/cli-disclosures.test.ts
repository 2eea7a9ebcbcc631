// privacy-desk disclosures set with --sold / --shared / --business-purpose (a category of
// recipients, optionally ':' and the CCPA letters it concerns) and --none-sold-shared-disclosed,
// through the real CLI on SQLite; list shows them, JSON carries them, bad letters are a usage error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRIVACY_DESK_')));
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'pd-cli-discl-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('privacy-desk disclosures set: sold, shared, business purpose', () => {
  it('declares, lists and refuses letters outside A-L', () => {
    const set = pd('disclosures', 'set', '--system', 'shop', '--source', 'You', '--purpose', 'Orders', '--third-party', 'AdNet',
      '--sold', 'Data brokers:A,f', '--shared', 'Advertising networks', '--business-purpose', 'Delivery services:A, B');
    expect(set.err).toBe('');
    expect(set.out).toBe('shop: 1 source(s), 1 purpose(s), 1 third part(ies), 3 sold/shared/business-purpose declaration(s)\n');
    expect(pd('disclosures', 'set', '--system', 'hr', '--source', 'You', '--purpose', 'Recruiting', '--none-sold-shared-disclosed').code).toBe(0);
    expect(pd('disclosures', 'set', '--system', 'crm', '--source', 'You', '--purpose', 'Support').code).toBe(0);
    const bad = pd('disclosures', 'set', '--system', 'x', '--source', 'You', '--purpose', 'R', '--sold', 'Brokers:Z');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("--sold Brokers:Z: the CCPA letters after ':' are A to L");
    const list = JSON.parse(pd('disclosures', 'list', '--json').out) as Array<{ system: string; transfers: unknown }>;
    expect(list.map((d) => [d.system, d.transfers])).toEqual([
      ['crm', null],
      ['hr', []],
      ['shop', [
        { kind: 'sold', recipients: ['Data brokers'], categories: ['A', 'F'] },
        { kind: 'shared', recipients: ['Advertising networks'] },
        { kind: 'business_purpose', recipients: ['Delivery services'], categories: ['A', 'B'] },
      ]],
    ]);
    const text = pd('disclosures', 'list').out;
    expect(text).toContain('  sold / shared / business purpose: sold to Data brokers (A,F); shared with Advertising networks; disclosed for a business purpose to Delivery services (A,B)\n');
    expect(text).toContain('hr\n  sources: You\n  purposes: Recruiting\n  third parties: -\n  sold / shared / business purpose: none\n');
    expect(text).toContain('  sold / shared / business purpose: not itemised\n');
  }, 120_000);
});
