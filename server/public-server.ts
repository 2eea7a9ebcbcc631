// The public server (`privacy-desk links serve`): what people outside the business reach, behind
// the business's TLS reverse proxy (docs/PRIVACY-CENTER.md). The privacy center, the GPC endpoint,
// report downloads and processor confirmations. It holds only a PublicBackend (public.* operations),
// never the App, so it cannot reach a staff operation. No cookies; strict CSP with a configurable
// frame-ancestors so the center can be embedded.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiInputError } from '../shared/app/api';
import type { PublicBackend } from './public-backend';
import { CenterConfigSchema, type CenterConfig, type CenterConfigInput } from './public-config';
import { ProofOfWork, RateLimiter } from './public-abuse';
import { clientIp, send } from './public-http';
import { localeOf, WORDS } from './public-i18n';
import { messagePage } from './public-pages';
import type { Route, RouteContext } from './public-routes/context';
import { linkRoutes } from './public-routes/links';
import { centerRoutes } from './public-routes/center';
import { gpcRoutes } from './public-routes/gpc';

const CSS = readFileSync(new URL('./public-assets/center.css', import.meta.url), 'utf8');
const JS = readFileSync(new URL('./public-assets/center.js', import.meta.url));

export interface PublicServerOptions {
  backend: PublicBackend;
  config?: CenterConfigInput | CenterConfig;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Time for the rate-limit windows and challenges (tests). */
  now?: () => number;
  onError?: (where: string, e: unknown) => void;
}

export interface PublicServer { server: Server; port: number; origin: string; config: CenterConfig; close(): Promise<void> }

export function contentSecurityPolicy(cfg: CenterConfig): string {
  return [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
    "form-action 'self'", "base-uri 'none'", `frame-ancestors ${cfg.frameAncestors.length ? cfg.frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

export function publicRequestHandler(opts: PublicServerOptions): { handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>; config: CenterConfig } {
  const cfg = CenterConfigSchema.parse(opts.config ?? {});
  const now = opts.now ?? Date.now;
  const onError = opts.onError ?? ((where, e) => {
    const err = e as Error;
    process.stderr.write(`privacy-desk public: ${where} failed: ${err?.name ?? 'Error'}: ${err?.message ?? String(e)}\n`);
  });
  const base: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(cfg), 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin', 'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    ...(cfg.frameAncestors.length ? {} : { 'x-frame-options': 'DENY' }),
  };
  const rc: RouteContext = {
    backend: opts.backend, cfg,
    pow: new ProofOfWork(cfg.powBits, 10 * 60_000, now),
    limits: {
      requestsPerIp: new RateLimiter(cfg.limits.requestsPerIpPerHour, 3_600_000, now),
      requestsPerIdentity: new RateLimiter(cfg.limits.requestsPerIdentityPerDay, 86_400_000, now),
      codesPerIp: new RateLimiter(cfg.limits.codesPerIpPerHour, 3_600_000, now),
      gpcPerIp: new RateLimiter(cfg.limits.gpcPerIpPerHour, 3_600_000, now),
    },
    salt: randomBytes(32),
    ip: (req) => clientIp(req, cfg.trustProxy),
    html: (res, status, page) => send(res, status, { ...base, 'content-type': 'text/html; charset=utf-8' }, page),
    json: (res, status, body, extra = {}) => send(res, status, { ...base, 'content-type': 'application/json; charset=utf-8', ...extra }, JSON.stringify(body)),
    onError,
  };
  const theme = `${CSS}\n:root { --accent: ${cfg.accent}; }\n`;
  const assets: Route = async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const cache = { ...base, 'cache-control': 'public, max-age=300' };
    if (url.pathname === '/center.css') { send(res, 200, { ...cache, 'content-type': 'text/css; charset=utf-8' }, theme); return true; }
    if (url.pathname === '/center.js') { send(res, 200, { ...cache, 'content-type': 'text/javascript; charset=utf-8' }, JS); return true; }
    if (url.pathname === '/logo' && cfg.logo) { send(res, 200, { ...cache, 'content-type': cfg.logo.mediaType }, cfg.logo.content); return true; }
    if (url.pathname === '/healthz') { send(res, 200, { ...base, 'content-type': 'text/plain' }, 'ok'); return true; }
    return false;
  };
  const routes: Route[] = [assets, gpcRoutes(rc), linkRoutes(rc), centerRoutes(rc)];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try { url = new URL(req.url ?? '/', 'http://public.invalid'); } catch { return rc.json(res, 400, { error: { type: 'input', message: 'bad URL' } }); }
    try {
      for (const r of routes) if (await r(req, res, url)) return;
      const locale = localeOf(url.searchParams.get('lang'), req.headers['accept-language']);
      if (url.pathname.startsWith('/api/')) return rc.json(res, 404, { error: { type: 'not_found', message: 'not found' } });
      rc.html(res, 404, messagePage(cfg, locale, WORDS[locale].notFound, WORDS[locale].notFound));
    } catch (e) {
      if (res.headersSent) { res.destroy(); return; }
      if (e instanceof ApiInputError) return rc.json(res, 400, { error: { type: 'input', message: e.message, issues: e.issues } });
      onError(url.pathname, e);
      const locale = localeOf(url.searchParams.get('lang'), req.headers['accept-language']);
      if (url.pathname.startsWith('/api/') || url.pathname === '/gpc') return rc.json(res, 500, { error: { type: 'internal', message: 'internal error' } });
      rc.html(res, 500, messagePage(cfg, locale, WORDS[locale].failed, WORDS[locale].failed));
    }
  };
  return { handle, config: cfg };
}

export async function startPublicServer(opts: PublicServerOptions): Promise<PublicServer> {
  const { handle, config } = publicRequestHandler(opts);
  const server = createServer((req, res) => { void handle(req, res); });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolveListen(); });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server, port, config, origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
