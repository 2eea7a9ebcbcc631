#!/usr/bin/env node
// The privacy-desk command: runs cli/main.ts through tsx (TypeScript, no build step).
import { register } from 'tsx/esm/api';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

register();
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { main, processIO } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
const code = await main(process.argv.slice(2), processIO);
// Never process.exit() before stdout and stderr have drained: a pipe (`| wc -c`) would get only what
// the first write flushed (64 KiB). Set the status and wait for both streams; exit once they have.
process.exitCode = code;
const flushed = (stream) => new Promise((resolveFlush) => {
  if (stream.destroyed || !stream.writable) return resolveFlush();
  stream.write('', () => resolveFlush());
});
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
