#!/usr/bin/env node
// `npm start`: the desktop console when the Electron binary is installed, otherwise web mode.
// Options: --data-dir DIR (or PRIVACY_DESK_DATA_DIR; default the user data folder:
// $XDG_DATA_HOME/privacy-desk or ~/.local/share/privacy-desk), --port N (web mode; default 4817,
// 0 = any free port), --host ADDR (default 127.0.0.1), --no-demo (skip demo data on an empty store).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch { return null; }
}

/** Newest modification time under a folder (files only). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function rendererStale() {
  const built = join(root, 'renderer', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(newest(join(root, 'renderer', 'src')), statSync(join(root, 'renderer', 'index.html')).mtimeMs);
  return sources > statSync(built).mtimeMs;
}

function run(cmd, args) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolveRun(code ?? 1));
  });
}

const electron = electronBinary();
if (electron && !argv.includes('--web')) {
  if (rendererStale() || !existsSync(join(root, 'electron', 'dist', 'main.js'))) {
    const code = await run(process.execPath, [join(root, 'scripts', 'build-electron.mjs')]);
    if (code !== 0) process.exit(code);
  }
  const code = await run(electron, [join(root, 'electron', 'dist', 'main.js'), ...argv]);
  process.exit(code);
}

if (rendererStale()) {
  console.log('Building the console (renderer/dist)…');
  const code = await run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts']);
  if (code !== 0) process.exit(code);
}
const { register } = await import('tsx/esm/api');
register();
const { runWebMode } = await import(pathToFileURL(join(root, 'server', 'start-web.ts')).href);
await runWebMode(argv, process.env);
