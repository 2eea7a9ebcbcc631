// Web mode hardening (issue 13, part 7): a body over the limit gets 413 (not a TCP reset), bad YAML
// in datamap.systems.add is a 400 naming the line and never reaches the log, and web mode opens
// the store --db / --database-url / PRIVACY_DESK_DB name (never a silent empty one elsewhere).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../../shared/app/app';
import { startWebServer, type WebServer } from '../../../server/web-server';
import { parseStartArgs } from '../../../server/start-web';

function post(web: WebServer, op: string, chunks: Buffer[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolveRes, reject) => {
    const req = request({
      host: '127.0.0.1', port: web.port, path: `/api/${op}`, method: 'POST',
      headers: { host: `127.0.0.1:${web.port}`, 'content-type': 'application/json', authorization: `Bearer ${web.token}`, ...headers },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolveRes({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    (async () => {
      for (const c of chunks) if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      req.end();
    })().catch(reject);
  });
}

describe('web server limits and errors', () => {
  let dir: string;
  let app: App;
  let web: WebServer;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pd-webh-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html>');
    app = await createApp({ dataDir: dir, db: { kind: 'sqlite', file: join(dir, 'cases.sqlite') }, runEngine: false });
    web = await startWebServer({ backend: app, staticDir: join(dir, 'dist'), actor: 'staff:tester', port: 0, onError: (op, e) => logged.push(`${op}: ${String((e as Error)?.message ?? e)}`) });
  });
  afterAll(async () => {
    await web?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 413 to a 17 MB body, streamed without a length and with one', async () => {
    const mb = Buffer.alloc(1024 * 1024, 0x20);
    const chunked = await post(web, 'cases.list', Array.from({ length: 17 }, () => mb));
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.message).toMatch(/larger than 16777216 bytes/u);
    const declared = await post(web, 'cases.list', Array.from({ length: 17 }, () => mb), { 'content-length': String(17 * mb.length) });
    expect(declared.status).toBe(413);
    // The server still answers afterwards.
    expect((await post(web, 'cases.list', [Buffer.from('{}')])).status).toBe(200);
  }, 30_000);

  it('bad YAML in datamap.systems.add is a 400 naming the line; its text never reaches the log', async () => {
    const yaml = 'dataset:\n  - fides_key: shop\n    description: "owner secret.person@example.com\n   collections: [\n';
    const r = await post(web, 'datamap.systems.add', [Buffer.from(JSON.stringify({ name: 'shop', engine: 'sqlite', location: join(dir, 'x.sqlite'), fidesYaml: yaml }))]);
    expect(r.status).toBe(400);
    const msg = JSON.parse(r.body).error.message as string;
    expect(msg).toMatch(/^fidesYaml: not valid YAML at line \d+, column \d+/u);
    expect(msg).not.toContain('secret.person');
    expect(logged.join('\n')).not.toContain('secret.person');
  });
});

describe('web mode opens the store it is told to', () => {
  it('parses --db and --database-url (not both)', () => {
    expect(parseStartArgs(['--db', '/tmp/x.sqlite', '--port', '0'])).toMatchObject({ db: '/tmp/x.sqlite', port: 0 });
    expect(parseStartArgs(['--database-url', 'postgres://u@h/db'])).toMatchObject({ databaseUrl: 'postgres://u@h/db' });
    expect(() => parseStartArgs(['--db', 'a', '--database-url', 'postgres://h/db'])).toThrow(/either --db or --database-url/u);
  });

  const runWeb = (args: string[], env: Record<string, string>): Promise<string> => new Promise((resolveRun, reject) => {
    const script = `import { register } from 'tsx/esm/api'; register(); const { runWebMode } = await import(${JSON.stringify(join(process.cwd(), 'server', 'start-web.ts'))}); await runWebMode(${JSON.stringify(args)}, process.env);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), env: { ...process.env, ...env } });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`web mode did not start: ${out}`)); }, 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Open: /u.test(out)) { clearTimeout(timer); child.kill('SIGTERM'); resolveRun(out); }
    });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('exit', () => { clearTimeout(timer); resolveRun(out); });
  });

  it('--db FILE and PRIVACY_DESK_DB are the store web mode opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-webdb-'));
    try {
      const file = join(dir, 'elsewhere', 'team.sqlite');
      const out = await runWeb(['--data-dir', join(dir, 'data'), '--db', file, '--port', '0', '--no-demo'], {});
      expect(out).toContain(`store: ${file}`);
      expect(existsSync(file)).toBe(true);
      expect(existsSync(join(dir, 'data', 'privacy-desk.sqlite'))).toBe(false);
      const fromEnv = join(dir, 'env.sqlite');
      const out2 = await runWeb(['--data-dir', join(dir, 'data'), '--port', '0', '--no-demo'], { PRIVACY_DESK_DB: fromEnv });
      expect(out2).toContain(`store: ${fromEnv}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
