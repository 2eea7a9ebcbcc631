#!/usr/bin/env node
// Makes Electron's real type definitions available to `tsc -p electron/tsconfig.json` without the
// Electron binary (it cannot be downloaded here, and npm skips the optional `electron` package on
// Node < 22.12). Uses node_modules/electron when npm installed it; otherwise fetches the package
// tarball of the pinned version with `npm pack` (no install scripts run) into
// .tmp/electron-types/electron. electron/tsconfig.json maps "electron" to whichever exists.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const wanted = (pkg.optionalDependencies?.electron ?? '41.10.7').replace(/^[\^~]/u, '');
const installed = join(root, 'node_modules', 'electron', 'electron.d.ts');
const target = join(root, '.tmp', 'electron-types', 'electron');
const targetDts = join(target, 'electron.d.ts');

function versionAt(dir) {
  try { return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version; } catch { return null; }
}

if (existsSync(installed)) {
  console.log(`electron types: node_modules/electron ${versionAt(join(root, 'node_modules', 'electron'))}`);
} else if (existsSync(targetDts) && versionAt(target) === wanted) {
  console.log(`electron types: .tmp/electron-types/electron ${wanted} (cached)`);
} else {
  const work = join(root, '.tmp', 'electron-types');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', `electron@${wanted}`, '--silent', '--pack-destination', work], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(work, out), '-C', work]);
  renameSync(join(work, 'package'), target);
  rmSync(join(work, out), { force: true });
  if (!existsSync(targetDts)) { console.error('electron types: electron.d.ts missing from the package'); process.exit(1); }
  console.log(`electron types: fetched electron ${wanted} into .tmp/electron-types/electron`);
}
