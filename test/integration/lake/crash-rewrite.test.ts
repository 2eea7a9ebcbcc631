// Kill the process while a Parquet file is being rewritten: the table stays whole (every file is
// the old one or the new one, never a part) and a restarted erasure completes.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetLakeSource } from '../../../shared/adapters/lake/parquet-lake';
import { DuckSession, quoteLiteral } from '../../../shared/adapters/lake/duckdb-session';
import { BIG_ROWS, VICTIM, VICTIM_ROWS, crashLakeConfig, writeCrashLake } from './crash-lake';

const child = join(import.meta.dirname, 'crash-rewrite-child.ts');
let dir: string;

function scratchFiles(): string[] {
  const d = join(dir, 'events/day=2024-01-01');
  return readdirSync(d).filter((f) => f.startsWith('.privacydesk-tmp-')).map((f) => join(d, f));
}

/** Run the child and SIGKILL it when `killWhen` says so; resolves with what it printed. */
function runAndKill(mode: string, killWhen: (out: string) => boolean): Promise<{ out: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    const check = () => {
      if (!killed && killWhen(out)) { killed = true; p.kill('SIGKILL'); }
    };
    const poll = setInterval(check, 5);
    p.stdout.on('data', (d) => { out += String(d); check(); });
    p.stderr.on('data', (d) => { err += String(d); });
    p.on('error', reject);
    p.on('exit', () => {
      clearInterval(poll);
      if (!killed && !out.includes('DONE')) reject(new Error(`child failed: ${err}`));
      else resolve({ out, killed });
    });
  });
}

async function tableState(): Promise<{ total: number; victims: number; files: number }> {
  const duck = await DuckSession.open(1);
  try {
    // every visible data file must read whole: a half-written file would fail here
    const files = ['events/day=2024-01-01/big.parquet', 'events/day=2024-01-02/small.parquet'].map((f) => join(dir, f));
    let total = 0;
    let victims = 0;
    for (const f of files) {
      const [r] = await duck.all(`SELECT count(*) AS n, count(*) FILTER (WHERE email = ${quoteLiteral(VICTIM)}) AS v FROM read_parquet(${quoteLiteral(f)})`);
      total += Number(r!.n);
      victims += Number(r!.v);
    }
    return { total, victims, files: files.length };
  } finally {
    duck.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lake-crash-'));
  await writeCrashLake(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function restartAndFinish(): Promise<void> {
  const lake = ParquetLakeSource.open(crashLakeConfig(dir));
  try {
    const res = await lake.eraseBatch('events', [{ id: 'victim', matches: [{ field: 'email', values: [VICTIM] }] }]);
    expect(res.errors).toEqual([]);
    expect(res.rowsDeleted).toBe(VICTIM_ROWS);
    expect(await lake.find('events', [{ field: 'email', values: [VICTIM] }])).toEqual([]);
  } finally {
    await lake.close();
  }
  expect(await tableState()).toEqual({ total: BIG_ROWS + 100 - VICTIM_ROWS, victims: 0, files: 2 });
  expect(scratchFiles()).toEqual([]);
}

describe('crash while a Parquet file is rewritten', () => {
  it('killed while the new file is being written: old file intact, restart completes the erasure', async () => {
    const { killed } = await runAndKill('during-write', (out) => out.includes('WRITING') && scratchFiles().some((f) => statSync(f, { throwIfNoEntry: false })?.size));
    expect(killed).toBe(true);
    const state = await tableState();
    // the swap never happened: the old file, whole, with the victim's rows still in it
    expect(state).toEqual({ total: BIG_ROWS + 100, victims: VICTIM_ROWS, files: 2 });
    await restartAndFinish();
  });

  it('killed after the new file is written but before the swap: old file intact, restart completes', async () => {
    const { killed, out } = await runAndKill('before-swap', (o) => o.includes('WRITTEN'));
    expect(killed).toBe(true);
    expect(out).toContain('WRITTEN');
    expect(scratchFiles().length).toBe(1);
    expect(await tableState()).toEqual({ total: BIG_ROWS + 100, victims: VICTIM_ROWS, files: 2 });
    await restartAndFinish();
  });
});
