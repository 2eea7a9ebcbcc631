#!/usr/bin/env node
// Runs one test suite with vitest and ends with the plain line CI reads: "N passed, N failed".
// Suites: unit (unit + integration: SQLite, embedded PostgreSQL, npm emulators), e2e (Chromium),
// external (reads ../shared/fixtures), mysql (a private MariaDB server: test/mysql and the exact-erasure
// contract suite on engine mysql). Extra arguments are passed to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const suites = {
  unit: ['test/unit', 'test/integration'],
  e2e: ['test/e2e'],
  external: ['test/external'],
  mysql: ['test/mysql', 'test/integration/exact-erasure'],
};
const [suite = 'unit', ...rest] = process.argv.slice(2);
const dirs = suites[suite];
if (!dirs) {
  console.error(`unknown suite "${suite}"; expected one of ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
mkdirSync('.tmp', { recursive: true });
const out = join('.tmp', `vitest-${suite}.json`);
if (existsSync(out)) rmSync(out);
const args = ['vitest', 'run', '--config', 'vitest.config.ts', '--project', suite,
  '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...rest];
const r = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } });
let passed = 0;
let failed = 0;
if (existsSync(out)) {
  const j = JSON.parse(readFileSync(out, 'utf8'));
  passed = j.numPassedTests ?? 0;
  failed = (j.numFailedTests ?? 0) + (j.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
} else if (r.status !== 0) {
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 ? 0 : 1);
