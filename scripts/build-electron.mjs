#!/usr/bin/env node
// Bundles the Electron shell: electron/main.ts -> electron/dist/main.js (ESM, Node packages kept
// external so native modules load from node_modules) and electron/preload.ts ->
// electron/dist/preload.cjs (CommonJS: sandboxed preloads cannot be ES modules). Uses esbuild
// (installed with tsx). Builds the renderer too unless --no-renderer.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning', absWorkingDir: root };
await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'electron/dist/main.js', format: 'esm', packages: 'external' });
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'electron/dist/preload.cjs', format: 'cjs', external: ['electron'] });
console.log('electron: built electron/dist/main.js and electron/dist/preload.cjs');
if (!process.argv.includes('--no-renderer')) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
