// Starts the console in web mode exactly as `npm start` does (node bin/start.mjs, a child process)
// on a free port with a temp data folder, and drives it with Debian's Chromium via playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'];

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds renderer/dist when missing or older than its sources (bin/start.mjs would too). */
export function ensureRendererBuilt(): void {
  const built = join(ROOT, 'renderer', 'dist', 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'renderer', 'src'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'], {
    // A production build whatever NODE_ENV the caller runs under (vitest sets it to "test", which
    // would leave a development bundle that benches run after the tests would then measure).
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`renderer build failed:\n${r.stdout}\n${r.stderr}`);
}

export function tempDataDir(prefix = 'pd-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface WebMode { url: string; origin: string; token: string; child: ChildProcess; stop(): Promise<void> }

/**
 * `node bin/start.mjs --web --port 0 --data-dir DIR`; resolves with the printed URL. `env` adds
 * variables (e.g. PRIVACY_DESK_CLOCK to start the app's clock at a chosen instant).
 */
export async function startWebMode(dataDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<WebMode> {
  ensureRendererBuilt();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'start.mjs'), '--web', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PRIVACY_DESK_DATA_DIR: '', ...env },
  });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Open: (http:\/\/\S+)/u.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('exit', (code) => reject(new Error(`web mode exited with ${code}:\n${out}\n${err}`)));
  });
  const u = new URL(url);
  return {
    url, origin: u.origin, token: u.hash.replace(/^#token=/u, ''), child,
    stop: () => new Promise<void>((r) => {
      if (child.exitCode !== null) { r(); return; }
      child.once('exit', () => r());
      child.kill('SIGTERM');
    }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A 1280x800 page on the console; `timezoneId` sets the browser's zone (the zone times are shown in). */
export async function openConsole(browser: Browser, url: string, options: { timezoneId?: string } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
  await page.goto(url);
  return page;
}

/**
 * A full-page screenshot taken from the top of the page (the sidebar is sticky: captured while
 * scrolled it would show half way down); the scroll position is restored afterwards.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const y = await page.evaluate(() => { const at = window.scrollY; window.scrollTo(0, 0); return at; });
  try {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  } finally {
    await page.evaluate((at) => window.scrollTo(0, at), y);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface ConsoleSession { dataDir: string; web: WebMode; browser: Browser; page: Page }

/**
 * One console for a describe block: a temp data folder (`prepare` fills it first, e.g. a database
 * to discover or 100k generated cases), web mode as `npm start` runs it, Chromium and a page on the
 * console; all torn down after the block. The returned object is filled in by its beforeAll, which
 * runs before any beforeAll registered after this call.
 */
export function useConsole(options: {
  args?: string[]; env?: Record<string, string>; timezoneId?: string; prepare?: (dataDir: string) => Promise<void> | void;
} = {}): ConsoleSession {
  const session = {} as ConsoleSession;
  beforeAll(async () => {
    session.dataDir = tempDataDir();
    await options.prepare?.(session.dataDir);
    session.web = await startWebMode(session.dataDir, options.args ?? [], options.env ?? {});
    session.browser = await launchBrowser();
    session.page = await openConsole(session.browser, session.web.url, options.timezoneId ? { timezoneId: options.timezoneId } : {});
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.web?.stop();
    if (session.dataDir) removeDir(session.dataDir);
  });
  return session;
}
