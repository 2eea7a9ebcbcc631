// Bundles each Lambda (lambdas/<name>/handler.ts) into ES modules for the Node.js 22 runtime:
// connect-flows/dist/lambdas/<name>/handler.mjs and its chunks/ (the folder is the template's
// CodeUri). What a handler imports dynamically is a chunk of its own, parsed only when used. Native modules
// are replaced by stubs that fail when used: better-sqlite3 (PostgreSQL in AWS) and DuckDB (no
// lake scans in a Connect Lambda); so are packages of other channels (STUBBED). A createRequire banner lets bundled CommonJS packages require
// Node built-ins. Two trims for the cold start: zod's locales other than English (the default
// error map; no Lambda sets another) and pg's Cloudflare Workers probe (node-streams.cjs).
// Usage: npx tsx connect-flows/deploy/bundle-lambdas.ts [OUT_DIR]
import { build, type Plugin } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's target: the template's runtime (nodejs22.x), whatever Node the build machine runs. */
export const LAMBDA_NODE_TARGET = 'node22';
export const LAMBDAS = ['crm-lookup', 'intake', 'opt-out', 'sms-inbound'] as const;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/**
 * Packages the app imports for other channels that no phone Lambda calls: replaced by a stub whose
 * exports fail when used (module-unavailable.cjs). Keeps the bundle small and the cold start short.
 */
export const STUBBED = [
  'mysql2', 'mysql2/promise', 'nodemailer', '@aws-sdk/client-connect', '@aws-sdk/client-s3', '@aws-sdk/client-sesv2',
  '@aws-sdk/client-pinpoint-sms-voice-v2', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-athena',
  // YAML is read from a data-map file or the demo shop's map (CLI, console); a Lambda reads the
  // registered systems from the case store. ~115 KB less to parse at the first invocation.
  'yaml',
] as const;

const STUB_RE = new RegExp(`^(${STUBBED.map((m) => m.replace(/[.]/gu, '\\.')).join('|')})(/.*)?$`);
const stubPlugin: Plugin = {
  name: 'phone-stubs',
  setup(b) { b.onResolve({ filter: STUB_RE }, () => ({ path: join(here, 'module-unavailable.cjs') })); },
};

/**
 * zod's `locales` namespace (every language, ~200 KB of the bundle) becomes English only: zod
 * configures English itself and no Lambda picks another locale. pg's `./stream` becomes the Node
 * socket functions it chooses on Node anyway, without the Cloudflare Workers probe, which on a
 * runtime without `navigator` builds a fetch Response (loading undici) while the module loads.
 */
const trimPlugin: Plugin = {
  name: 'phone-trims',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) => (/[\\/]zod[\\/]v4[\\/]/u.test(a.importer) ? { path: join(here, 'zod-locales-en.mjs') } : undefined));
    b.onResolve({ filter: /^\.\/stream$/ }, (a) => (/[\\/]node_modules[\\/]pg[\\/]lib[\\/]/u.test(a.importer) ? { path: join(here, 'pg-node-streams.cjs') } : undefined));
  },
};

export interface BundleOptions {
  /** 'stub' (default, for AWS) or 'external' (resolve better-sqlite3 from node_modules: local benchmarks). */
  sqlite?: 'stub' | 'external';
  only?: ReadonlyArray<(typeof LAMBDAS)[number]>;
  /** false: one file per function, no chunks (the benchmark's comparison). Default true. */
  split?: boolean;
}

/** One function's bundle: the entry file, every file written (entry and chunks), their total size and the entry's. */
export interface LambdaBundle { name: string; file: string; files: string[]; bytes: number; entryBytes: number }

export async function bundleLambdas(outDir = join(here, '..', 'dist', 'lambdas'), o: BundleOptions = {}): Promise<LambdaBundle[]> {
  const out: LambdaBundle[] = [];
  for (const name of o.only ?? LAMBDAS) {
    const dir = join(outDir, name);
    const file = join(dir, 'handler.mjs');
    const r = await build({
      // Code splitting: what a handler imports dynamically (the app, the Encryption SDK) is its own
      // chunk, loaded (parsed) only when an invocation needs it: opt-out never loads the SDK.
      entryPoints: { handler: join(root, 'lambdas', name, 'handler.ts') }, outdir: dir, splitting: o.split ?? true,
      entryNames: '[name]', chunkNames: 'chunks/[name]-[hash]', outExtension: { '.js': '.mjs' },
      bundle: true, platform: 'node', target: LAMBDA_NODE_TARGET, format: 'esm', minify: true, sourcemap: false,
      alias: {
        '@duckdb/node-api': join(here, 'duckdb-unavailable.ts'),
        ...(o.sqlite === 'external' ? {} : { 'better-sqlite3': join(here, 'sqlite-unavailable.ts') }),
      },
      plugins: [stubPlugin, trimPlugin],
      external: o.sqlite === 'external' ? ['pg-native', 'better-sqlite3'] : ['pg-native'], metafile: true, logLevel: 'error',
      banner: { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" },
    });
    const outputs = Object.entries(r.metafile!.outputs); // paths relative to the working directory
    out.push({
      name, file, files: outputs.map(([f]) => resolve(f)),
      bytes: outputs.reduce((a, [, x]) => a + x.bytes, 0),
      entryBytes: outputs.find(([f]) => resolve(f) === resolve(file))?.[1].bytes ?? 0,
    });
  }
  return out;
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  bundleLambdas(process.argv[2] ? resolve(process.argv[2]) : undefined).then((rs) => {
    for (const r of rs) process.stdout.write(`${r.name}: ${r.file} (${(r.entryBytes / 1e3).toFixed(0)} KB; with its ${r.files.length - 1} chunks ${(r.bytes / 1e6).toFixed(1)} MB)\n`);
  }, (e: unknown) => { process.stderr.write(`${(e as Error).message}\n`); process.exitCode = 1; });
}
