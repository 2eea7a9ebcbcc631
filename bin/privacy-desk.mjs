#!/usr/bin/env node
// The privacy-desk command: runs cli/main.ts through tsx (TypeScript, no build step).
import { register } from 'tsx/esm/api';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

register();
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { main, processIO } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
const code = await main(process.argv.slice(2), processIO);
process.exit(code);
