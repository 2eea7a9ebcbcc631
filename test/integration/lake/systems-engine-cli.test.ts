// `privacy-desk systems add NAME --engine parquet --engine-config FILE.json --datamap FILE` and a DSR
// against the registered lake, as real child processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ordersConfig, writeOrders } from './make-lake';

const bin = join(process.cwd(), 'bin/privacy-desk.mjs');
let dir: string;
function pd(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, '--db', join(dir, 'cases.sqlite'), '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, PRIVACY_DESK_CLOCK: '2026-11-23T18:00:00Z' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const DATAMAP = `datamap:
  dataset: lake
  collections:
    - name: orders
      erasure: delete
      fields:
        - { name: id, primaryKey: true }
        - { name: email, categories: [user.contact.email], identity: email }
        - { name: phone, categories: [user.contact.phone_number], identity: phone }
        - { name: name, categories: [user.name] }
        - { name: amount }
        - { name: ordered_at }
        - { name: region }
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pd-engine-cli-'));
  await writeOrders(join(dir, 'lake'));
  writeFileSync(join(dir, 'lake.json'), JSON.stringify(ordersConfig(join(dir, 'lake'), { mode: 'delete' }, ['id'])));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ location: join(dir, 'lake'), tables: [{ name: 'orders', path: 'orders', identities: [] }] }));
  writeFileSync(join(dir, 'lake.yml'), DATAMAP);
  writeFileSync(join(dir, 'nested.yml'), DATAMAP.replace('- { name: name, categories: [user.name] }', '- { name: name, fields: [{ name: first, categories: [user.name] }, { name: last, categories: [user.name] }] }'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('systems add --engine', () => {
  it('registers a Parquet lake and answers a DSR from it; a bad engine config is refused naming the field', () => {
    const bad = pd('systems', 'add', 'lake', '--engine', 'parquet', '--engine-config', join(dir, 'bad.json'), '--datamap', join(dir, 'lake.yml'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--engine-config: tables\.0\.identities: a lake table needs at least one identity column/u);
    expect(pd('systems', 'add', 'lake', '--engine', 'mongo', '--engine-config', join(dir, 'lake.json'), '--datamap', join(dir, 'lake.yml')).code).toBe(2);

    // A map feature the engine cannot honour is refused before anything is opened, naming the field and the feature.
    const nested = pd('systems', 'add', 'lake', '--engine', 'parquet', '--engine-config', join(dir, 'lake.json'), '--datamap', join(dir, 'nested.yml'));
    expect(nested.code).toBe(2);
    expect(nested.err).toMatch(/--datamap: lake\.orders\.name: nested fields \(name\.first, name\.last\) are not supported on engine parquet/u);
    expect(JSON.parse(pd('systems', 'list', '--json').out)).toEqual([]);

    const add = pd('systems', 'add', 'lake', '--engine', 'parquet', '--engine-config', join(dir, 'lake.json'), '--datamap', join(dir, 'lake.yml'), '--json');
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ name: 'lake', engine: 'parquet', dataset: 'lake' });

    const access = pd('dsr', 'access', '--email', 'Alice@Example.com', '--json');
    expect(access.code).toBe(0);
    const out = JSON.parse(access.out) as { results: Record<string, Array<{ id: number }>>; errors: unknown[] };
    expect(out.errors).toEqual([]);
    expect(out.results['lake:orders']!.map((r) => r.id).sort()).toEqual([1, 6]);
  }, 600_000);
});
