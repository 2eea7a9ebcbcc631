// The Electron shell: one locked-down window, the back end (shared/app) in this main process,
// the renderer served from a privileged custom scheme with a strict Content-Security-Policy.
// Nothing runs on import (tests load this file with the electron module replaced); the app starts
// when this file runs inside Electron.
import { app, BrowserWindow, ipcMain, net, protocol, session, type BrowserWindowConstructorOptions, type Session, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CHANNEL } from './ipc-contract';
import { makeIpcHandler, type IpcBackend, type SessionKeeper } from './ipc-handler';

export const SCHEME = 'privacy-desk';
export const APP_ORIGIN = `${SCHEME}://app`;
export const START_URL = `${APP_ORIGIN}/index.html`;

/** The renderer may load only its own files and talk to nothing (the API goes over IPC). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "frame-src 'none'",
].join('; ');

const here = dirname(fileURLToPath(import.meta.url));

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#f4f6f9',
    title: 'PrivacyDesk',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  };
}

export function isTrustedUrl(url: string): boolean {
  return url === START_URL || url.startsWith(`${APP_ORIGIN}/`);
}

/** Deny every permission, add the CSP to every response. */
export function lockDownSession(s: Session): void {
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

/** No navigation away from the app, no new windows, no webviews. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => { if (!isTrustedUrl(url)) event.preventDefault(); });
  contents.on('will-redirect', (event, url) => { if (!isTrustedUrl(url)) event.preventDefault(); });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Serves renderer/dist under privacy-desk://app/ (paths confined to the folder). */
export function registerAppProtocol(rendererDir: string): void {
  const root = resolve(rendererDir);
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    const file = resolve(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (file !== root && !file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

/** Without `sessions` every call acts as the trusted `actor` (tests); the app passes a keeper (sign-in). */
export function registerIpc(backend: IpcBackend, actor: string, sessions?: SessionKeeper): void {
  const handle = makeIpcHandler(backend, actor, isTrustedUrl, (m) => process.stderr.write(`privacy-desk: ${m}\n`), sessions);
  ipcMain.handle(IPC_CHANNEL, (event, payload: unknown) => handle(event.senderFrame?.url, payload));
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preloadPath));
  lockDownContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(START_URL);
  return win;
}

/**
 * Where the data lives: --data-dir, else the same user data folder the CLI and web mode use
 * ($PRIVACY_DESK_DATA_DIR, $XDG_DATA_HOME/privacy-desk or ~/.local/share/privacy-desk), so the
 * desktop app, `npm start` in a browser and the privacy-desk command share one case store.
 */
async function dataDirFrom(argv: string[]): Promise<string> {
  const i = argv.indexOf('--data-dir');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]!);
  const { defaultDataDir } = await import('../shared/app/config-from-env');
  return defaultDataDir(process.env);
}

export async function main(): Promise<void> {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);
  app.on('web-contents-created', (_e, contents) => lockDownContents(contents));
  if (!app.requestSingleInstanceLock()) { app.quit(); return; }
  await app.whenReady();
  lockDownSession(session.defaultSession);
  const rendererDir = [join(here, '..', '..', 'renderer', 'dist'), join(here, '..', 'renderer', 'dist'), join(here, 'renderer')].find((d) => existsSync(join(d, 'index.html')));
  if (!rendererDir) throw new Error('renderer build not found: run npm run build:renderer');
  registerAppProtocol(rendererDir);
  const { createApp } = await import('../shared/app/app');
  const { loadDemoDataIfEmpty } = await import('../shared/app/demo-data');
  const dataDir = await dataDirFrom(process.argv);
  const backend = await createApp({ dataDir, db: { kind: 'sqlite', file: join(dataDir, 'privacy-desk.sqlite') } });
  await loadDemoDataIfEmpty(backend);
  const { fileSessionKeeper, desktopBootstrap } = await import('./desktop-sign-in');
  const sessions = fileSessionKeeper(join(dataDir, 'desktop-session'));
  await desktopBootstrap(backend, sessions);
  registerIpc(backend, `staff:${userInfo().username}`, sessions);
  const preload = join(here, 'preload.cjs');
  createMainWindow(preload);
  app.on('window-all-closed', () => { void backend.close().finally(() => app.quit()); });
}

if (process.versions.electron && process.type === 'browser') {
  main().catch((e: unknown) => {
    process.stderr.write(`privacy-desk: failed to start: ${(e as Error)?.message ?? String(e)}\n`);
    app.exit(1);
  });
}
