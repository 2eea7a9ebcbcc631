// The Electron shell's security settings, checked with the electron module replaced (the binary
// cannot run here). Loads electron/main.ts and electron/preload.ts as they are.
import { describe, it, expect, vi, beforeEach } from 'vitest';

const calls = vi.hoisted(() => ({
  exposed: [] as Array<{ key: string; api: unknown }>,
  invoked: [] as Array<{ channel: string; payload: unknown }>,
  handlers: new Map<string, (...a: unknown[]) => unknown>(),
  contentsEvents: new Map<string, (...a: unknown[]) => unknown>(),
  windowOpen: null as null | ((d: unknown) => unknown),
  permission: null as null | ((...a: unknown[]) => unknown),
  permissionCheck: null as null | ((...a: unknown[]) => unknown),
  headers: null as null | ((d: unknown, cb: (r: unknown) => void) => void),
}));

vi.mock('electron', () => {
  const contents = {
    on: (ev: string, fn: (...a: unknown[]) => unknown) => { calls.contentsEvents.set(ev, fn); },
    setWindowOpenHandler: (fn: (d: unknown) => unknown) => { calls.windowOpen = fn; },
  };
  class BrowserWindow {
    webContents = contents;
    constructor(readonly options: unknown) {}
    once() {}
    loadURL() { return Promise.resolve(); }
  }
  return {
    app: { isPackaged: true, on: vi.fn(), getPath: () => '/tmp' },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: (...a: unknown[]) => unknown) => calls.handlers.set(ch, fn) },
    ipcRenderer: { invoke: (channel: string, payload: unknown) => { calls.invoked.push({ channel, payload }); return Promise.resolve({ ok: true, result: 'pong' }); } },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => calls.exposed.push({ key, api }) },
    protocol: { handle: vi.fn(), registerSchemesAsPrivileged: vi.fn() },
    net: { fetch: vi.fn() },
    session: { defaultSession: {} },
  };
});

// Paths kept out of the root type-check (electron/ has its own tsconfig with Electron's types).
const MAIN = '../../../electron/main.ts';
const PRELOAD = '../../../electron/preload.ts';
const IPC = '../../../electron/ipc-contract.ts';
const ELECTRON = 'electron';

type MainModule = typeof import('./main-shape');

describe('electron/main.ts', () => {
  beforeEach(() => { calls.contentsEvents.clear(); calls.handlers.clear(); });

  it('opens one window with context isolation, sandbox, no Node, web security and the preload', async () => {
    const main = (await import(/* @vite-ignore */ MAIN)) as MainModule;
    const o = main.windowOptions('/app/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true,
      allowRunningInsecureContent: false, webviewTag: false, experimentalFeatures: false, devTools: false,
    });
    expect(o.width).toBe(1280);
    expect(o.height).toBe(800);
  });

  it('has a strict CSP: no remote code, no eval, no connections', async () => {
    const main = (await import(/* @vite-ignore */ MAIN)) as MainModule;
    const csp = main.CONTENT_SECURITY_POLICY;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/u);
  });

  it('blocks navigation away, new windows and webviews', async () => {
    const main = (await import(/* @vite-ignore */ MAIN)) as MainModule;
    const win = main.createMainWindow('/p.cjs') as unknown as { options: unknown };
    expect(win.options).toMatchObject({ webPreferences: { sandbox: true } });
    const nav = calls.contentsEvents.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    nav(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    nav(inside, `${main.APP_ORIGIN}/index.html#/queue`);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const redirect = { preventDefault: vi.fn() };
    calls.contentsEvents.get('will-redirect')!(redirect, 'file:///etc/passwd');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    calls.contentsEvents.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(calls.windowOpen!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and adds the CSP header to responses', async () => {
    const main = (await import(/* @vite-ignore */ MAIN)) as MainModule;
    const fakeSession = {
      setPermissionRequestHandler: (fn: (...a: unknown[]) => unknown) => { calls.permission = fn; },
      setPermissionCheckHandler: (fn: (...a: unknown[]) => unknown) => { calls.permissionCheck = fn; },
      webRequest: { onHeadersReceived: (fn: (d: unknown, cb: (r: unknown) => void) => void) => { calls.headers = fn; } },
    };
    main.lockDownSession(fakeSession as never);
    const cb = vi.fn();
    calls.permission!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(calls.permissionCheck!({}, 'geolocation')).toBe(false);
    let headers: Record<string, string[]> = {};
    calls.headers!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => { headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders; });
    expect(headers['Content-Security-Policy']).toEqual([main.CONTENT_SECURITY_POLICY]);
    expect(headers['X-Other']).toEqual(['1']);
  });

  it('validates every IPC call with zod on the main side and refuses untrusted frames', async () => {
    const main = (await import(/* @vite-ignore */ MAIN)) as MainModule;
    const seen: Array<{ op: string; input: unknown; actor: string }> = [];
    main.registerIpc({ callUnknown: async (op, input, meta) => { seen.push({ op, input, actor: meta.actor }); return { ok: 1 }; } }, 'staff:test');
    const { IPC_CHANNEL } = (await import(/* @vite-ignore */ IPC)) as { IPC_CHANNEL: string };
    const handler = calls.handlers.get(IPC_CHANNEL)!;
    const trusted = { senderFrame: { url: `${main.APP_ORIGIN}/index.html` } };
    expect(await handler(trusted, { op: 'cases.list', input: { limit: 5 } })).toEqual({ ok: true, result: { ok: 1 } });
    expect(seen).toEqual([{ op: 'cases.list', input: { limit: 5 }, actor: 'staff:test' }]);
    const bad = await handler(trusted, { op: 'rm -rf', input: {} }) as { ok: boolean; error: { type: string; message: string } };
    expect(bad).toMatchObject({ ok: false, error: { type: 'input' } });
    expect(bad.error.message).toMatch(/^op: /u);
    expect(await handler(trusted, { op: 'cases.list', input: {}, extra: 1 })).toMatchObject({ ok: false, error: { type: 'input' } });
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, { op: 'cases.list', input: {} })).toMatchObject({ ok: false, error: { type: 'auth' } });
    expect(seen).toHaveLength(1);
  });
});

describe('electron/preload.ts', () => {
  it('exposes exactly one object with one method that forwards to the validated channel', async () => {
    await import(/* @vite-ignore */ PRELOAD);
    const { IPC_CHANNEL } = (await import(/* @vite-ignore */ IPC)) as { IPC_CHANNEL: string };
    expect(calls.exposed).toHaveLength(1);
    const { key, api } = calls.exposed[0]!;
    expect(key).toBe('privacyDesk');
    expect(Object.keys(api as object)).toEqual(['call']);
    expect(Object.isFrozen(api)).toBe(true);
    const out = await (api as { call(op: string, input: unknown): Promise<unknown> }).call('cases.get', { id: 'PD-1' });
    expect(out).toEqual({ ok: true, result: 'pong' });
    expect(calls.invoked).toEqual([{ channel: IPC_CHANNEL, payload: { op: 'cases.get', input: { id: 'PD-1' } } }]);
    await expect((api as { call(op: unknown, input: unknown): Promise<unknown> }).call(42, {})).rejects.toThrow(/op must be a string/u);
  });
});

describe('electron/main.ts app protocol', () => {
  it('serves only files inside the renderer build, with the CSP header', async () => {
    const main = (await import(/* @vite-ignore */ MAIN)) as MainModule & { registerAppProtocol(dir: string): void };
    const electron = (await import(/* @vite-ignore */ ELECTRON)) as unknown as { protocol: { handle: { mock: { calls: unknown[][] } } }; net: { fetch: { mockImplementation(f: (u: string) => Promise<Response>): void } } };
    const fetched: string[] = [];
    electron.net.fetch.mockImplementation(async (u: string) => { fetched.push(u); return new Response('<html></html>', { status: 200, headers: { 'Content-Type': 'text/html' } }); });
    main.registerAppProtocol('/opt/privacy-desk/renderer/dist');
    const calls = electron.protocol.handle.mock.calls;
    const [scheme, handler] = calls[calls.length - 1] as [string, (r: Request) => Promise<Response>];
    expect(scheme).toBe('privacy-desk');
    const ok = await handler(new Request('privacy-desk://app/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Content-Security-Policy')).toBe(main.CONTENT_SECURITY_POLICY);
    expect(fetched).toEqual(['file:///opt/privacy-desk/renderer/dist/index.html']);
    expect((await handler(new Request('privacy-desk://app/..%2F..%2F..%2Fetc%2Fpasswd'))).status).toBe(403);
    expect((await handler(new Request('privacy-desk://elsewhere/index.html'))).status).toBe(404);
    expect(fetched).toHaveLength(1);
  });
});
