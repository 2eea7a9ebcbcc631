// What gets deployed: each Lambda bundled into ES modules (esbuild: an entry and its chunks), loaded by plain Node the
// way the Lambda runtime loads it, answering a Connect event; and the packaged template pointing
// at those bundles.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { bundleLambdas, LAMBDA_NODE_TARGET, LAMBDAS } from '../../../connect-flows/deploy/bundle-lambdas';
import { packageTemplate } from '../../../connect-flows/deploy/package-template';
import { parseTemplate } from '../../../connect-flows/lib/template';
import { connectEvent } from '../../../connect-flows/simulator/simulate';

const out = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
let bundles: Awaited<ReturnType<typeof bundleLambdas>>;
beforeAll(async () => { bundles = await bundleLambdas(out); }, 120_000);
afterAll(() => { rmSync(out, { recursive: true, force: true }); });

describe('Lambda bundles', () => {
  it('builds one handler.mjs per function, for the template\'s Node, without the packages a phone Lambda never uses', () => {
    expect(bundles.map((b) => b.name)).toEqual([...LAMBDAS]);
    expect(LAMBDA_NODE_TARGET).toBe('node22');
    for (const b of bundles) {
      expect(b.bytes).toBeGreaterThan(10_000);
      expect(b.bytes).toBeLessThan(4_000_000); // was 6-8 MB with every channel's AWS client, MySQL and mail in it
      expect(b.files).toContain(b.file);
      for (const f of b.files) {
        expect(f.startsWith(join(out, b.name))).toBe(true); // everything inside the function's CodeUri folder
        expect(readFileSync(f, 'utf8')).not.toMatch(/mysql2|nodemailer|client-pinpoint|@aws-sdk\/client-s3"/u);
      }
    }
  });

  it('loads at start only the handler: the app and the Encryption SDK are chunks of their own, parsed when used', () => {
    for (const b of bundles) {
      expect(b.entryBytes).toBeLessThan(100_000);
      expect(b.files.length).toBeGreaterThan(1);
      // The entry's static imports never reach the Encryption SDK (only a dynamic import does).
      const entry = readFileSync(b.file, 'utf8');
      expect(entry).not.toMatch(/AmazonConnect|FORBID_ENCRYPT_ALLOW_DECRYPT|REQUIRE_ENCRYPT_REQUIRE_DECRYPT/u);
      // Every file the entry loads statically, transitively (`from"./x.mjs"` / `import"./x.mjs"`; never `import(`).
      const loaded = new Set<string>();
      const visit = (file: string) => {
        for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.mjs)"/gu)) {
          const next = join(dirname(file), m[1]!);
          if (!loaded.has(next)) { loaded.add(next); visit(next); }
        }
      };
      visit(b.file);
      expect(loaded.size).toBeGreaterThan(0);
      for (const f of loaded) expect(readFileSync(f, 'utf8')).not.toMatch(/FORBID_ENCRYPT_ALLOW_DECRYPT|REQUIRE_ENCRYPT_REQUIRE_DECRYPT/u);
    }
  });

  /** Loads a bundle in plain Node (as the Lambda runtime does) and invokes its handler once. */
  function invoke(file: string, event: unknown): Record<string, string> {
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
      const r = await handler(JSON.parse(process.argv[1])); process.stdout.write('\\n' + JSON.stringify(r));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(event)], { cwd: tmpdir(), encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, string>;
  }

  it('each bundle loads in plain Node and answers a malformed event with a safe string map', () => {
    for (const b of bundles) expect(invoke(b.file, { Name: 'Nope' }).reason).toBe('bad_event');
  });

  it('crm-lookup from the bundle answers an anonymous caller with found=false', () => {
    expect(invoke(bundles[0]!.file, connectEvent({ contactId: 'b-1', caller: null, attributes: {} }, { lookup: 'crm' }))).toMatchObject({ found: 'false', reason: 'anonymous' });
  });

  it('the packaged template points each function at its bundle folder, by absolute path', () => {
    const t = parseTemplate(packageTemplate('connect-flows/template.yaml'));
    for (const [id, name] of [['CrmLookupFunction', 'crm-lookup'], ['IntakeFunction', 'intake'], ['OptOutFunction', 'opt-out'], ['SmsInboundFunction', 'sms-inbound']] as const) {
      const uri = String(t.resources.get(id)!.Properties.CodeUri).replace(/\/$/u, '');
      expect(isAbsolute(uri)).toBe(true);
      expect(uri.endsWith(join('connect-flows', 'dist', 'lambdas', name))).toBe(true);
    }
  });
});
