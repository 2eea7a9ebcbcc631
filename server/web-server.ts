// Web mode: the console in a browser. node:http on 127.0.0.1, serving the built renderer and
// `POST /api/<op>` over the same App.callUnknown the Electron IPC uses. Every API call needs this
// server's own Host/Origin (see request-guard.ts) and a signed-in staff user: the session cookie
// set by /auth/login, /auth/link or /auth/oidc/callback (server/auth-routes.ts), stored hashed in
// the database so it survives a restart. The app checks the user's role on every call.
// Automation (tests, benchmarks) may instead pass `actor`: a per-start Bearer token then acts as
// that trusted actor (never in `npm start`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ApiInputError, type CallMeta } from '../shared/app/api';
import { errorResponse } from './api-errors';
import { allowedHosts, checkHostAndOrigin, checkToken, newSessionToken } from './request-guard';
import { serveStatic, securityHeaders } from './static-files';
import { handleAuth, sessionUser } from './auth-routes';
import { cookieName } from './session-cookie';
import type { OidcSignIn } from './oidc-sign-in';

/** What the server needs from the app: the untyped entry that validates op names and inputs. */
export interface ApiBackend {
  callUnknown(op: string, input: unknown, meta: CallMeta): Promise<unknown>;
}

export interface WebServerOptions {
  backend: ApiBackend;
  /** Folder with the built renderer (index.html + assets). */
  staticDir: string;
  /** Automation only: a Bearer token (`token`) acting as this trusted actor (e.g. "staff:bench"); unset in web mode. */
  actor?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Fixed token (tests); default a random 256-bit one per start. */
  token?: string;
  /** Largest accepted request body (a permission document travels base64 in JSON). */
  maxBodyBytes?: number;
  /** Where unexpected errors are reported (never sent to the page). */
  onError?: (op: string, e: unknown) => void;
  /** Sign-in with the identity provider (server/oidc-sign-in.ts); absent: passwords and links only. */
  oidc?: OidcSignIn | null;
  /** Mark cookies Secure (the console is served over HTTPS by a proxy). */
  secureCookies?: boolean;
}

export interface WebServer {
  server: Server;
  port: number;
  token: string;
  /** Base URL without the token. */
  origin: string;
  /** What automation opens (the Bearer token in the fragment); without `actor`, the sign-in page. */
  url: string;
  /** The session cookie's name (pd_session_<port>). */
  cookie: string;
  close(): Promise<void>;
}

export const OpNameSchema = z.string().regex(/^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/u, 'operation names look like "cases.list"').max(80);
const JsonBodySchema = z.record(z.string(), z.unknown());

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > max) { reject(new BodyTooLarge()); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return; // read and drop the rest, so the 413 reaches the client instead of a reset
      size += c.length;
      if (size > max) { over = true; chunks.length = 0; reject(new BodyTooLarge()); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!over) resolveBody(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

/** The answer to an oversize body: 413, then the connection closes once the client stopped sending. */
function sendTooLarge(req: IncomingMessage, res: ServerResponse, max: number): void {
  res.setHeader('Connection', 'close');
  sendJson(res, 413, { error: { type: 'input', message: `request body: larger than ${max} bytes` } });
  // Drain what the client still sends (up to a bound), then close; a socket destroyed while the
  // client writes is a TCP reset and the client never sees the 413.
  let drained = 0;
  req.on('data', (c: Buffer) => { drained += c.length; if (drained > 64 * 1024 * 1024) req.destroy(); });
  req.resume();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text),
    ...securityHeaders(),
  });
  res.end(text);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newSessionToken();
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  let hosts = new Set<string>();
  let cookie = '';
  let origin = '';
  const onError = opts.onError ?? ((op, e) => {
    const err = e as Error;
    process.stderr.write(`privacy-desk web: ${op} failed: ${err?.name ?? 'Error'}: ${err?.message ?? String(e)}\n`);
  });

  async function handleApi(req: IncomingMessage, res: ServerResponse, opName: string): Promise<void> {
    const guard = checkHostAndOrigin(req, hosts);
    if (!guard.ok) return sendJson(res, guard.status, { error: { type: 'auth', message: guard.message } });
    let meta: CallMeta;
    if (opts.actor !== undefined && req.headers.authorization !== undefined) {
      const auth = checkToken(req, token);
      if (!auth.ok) return sendJson(res, auth.status, { error: { type: 'auth', message: auth.message } });
      meta = { actor: opts.actor };
    } else {
      const user = await sessionUser(opts.backend, req, cookie);
      if (!user) {
        return sendJson(res, 401, { error: { type: 'auth', message: opts.actor !== undefined ? 'unauthorized: session token required' : 'not signed in (or the session ended): sign in again' } });
      }
      meta = { actor: `staff:${user}`, user };
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendJson(res, 405, { error: { type: 'input', message: 'use POST' } });
    }
    const ctype = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/iu.test(ctype)) return sendJson(res, 415, { error: { type: 'input', message: 'Content-Type must be application/json' } });
    const name = OpNameSchema.safeParse(opName);
    if (!name.success) return sendJson(res, 404, { error: { type: 'not_found', message: `unknown operation` } });
    let input: unknown;
    try {
      const text = await readBody(req, maxBody);
      const parsed = JsonBodySchema.safeParse(text.trim() === '' ? {} : JSON.parse(text));
      if (!parsed.success) throw new ApiInputError('request body: must be a JSON object');
      input = parsed.data;
    } catch (e) {
      if (e instanceof BodyTooLarge) return sendTooLarge(req, res, maxBody);
      if (e instanceof ApiInputError) return sendJson(res, 400, { error: { type: 'input', message: e.message } });
      return sendJson(res, 400, { error: { type: 'input', message: 'request body: not valid JSON' } });
    }
    try {
      const out = await opts.backend.callUnknown(name.data, input, meta);
      sendJson(res, 200, { result: out ?? null });
    } catch (e) {
      const mapped = errorResponse(e);
      if (/^unknown operation/u.test(mapped.body.error.message)) return sendJson(res, 404, { error: { type: 'not_found', message: mapped.body.error.message } });
      if (mapped.status === 500) onError(name.data, e);
      sendJson(res, mapped.status, mapped.body);
    }
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const work = path.startsWith('/api/')
      ? handleApi(req, res, path.slice('/api/'.length))
      : path.startsWith('/auth/')
      ? handleAuth(req, res, { backend: opts.backend, hosts, cookie, origin, oidc: opts.oidc ?? null, secure: opts.secureCookies ?? false, readBody: (r) => readBody(r, 64 * 1024) })
      : (async () => {
        // The Fetch Metadata resource-isolation policy: a top-level GET navigation to the page may
        // come from another site (the identity provider's redirect back ends here, a bookmark on an
        // intranet page); the page is not framable (frame-ancestors 'none') and its API calls are
        // same-origin. Everything else still needs this server's Host and a same-origin request.
        const navigation = req.method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
        const guard = checkHostAndOrigin(req, hosts, { allowCrossSite: navigation });
        if (!guard.ok) return sendJson(res, guard.status, { error: { type: 'auth', message: guard.message } });
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { type: 'input', message: 'use GET' } });
        await serveStatic(opts.staticDir, path, res);
      })();
    work.catch((e) => {
      onError('http', e);
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  server.requestTimeout = 120_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolveListen(); });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  cookie = cookieName(port);
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    server, port, token, origin, cookie,
    url: opts.actor !== undefined ? `${origin}/#token=${token}` : `${origin}/`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
