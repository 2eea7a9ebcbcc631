// Serves the built renderer (renderer/dist) with a strict Content-Security-Policy. Paths are
// resolved inside the root only; unknown paths fall back to index.html (hash routing needs none).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.json': 'application/json', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** The page may load only its own scripts and talk only to its own origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const base = resolve(root);
  let rel: string;
  try { rel = decodeURIComponent(urlPath.split('?')[0]!); } catch { rel = '/'; }
  let file = resolve(join(base, normalize(rel)));
  if (file !== base && !file.startsWith(base + sep)) file = join(base, 'index.html');
  let info = await stat(file).catch(() => null);
  if (!info || info.isDirectory()) {
    file = join(base, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() });
    res.end('The console is not built: run `npm run build:renderer` (npm start does it for you).');
    return;
  }
  const body = await readFile(file);
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const cache = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': cache, ...securityHeaders() });
  res.end(body);
}
