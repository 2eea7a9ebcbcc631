// Global Privacy Control (CCPA regs §7025, the universal opt-outs of CO, CT, NJ, OR, TX, MT...):
//   POST /gpc     {email} | {phone} | {customKey[, keyName]} with `Sec-GPC: 1` → 202, an opt-out
//                 case (channel gpc, no verification); a repeat while it stands opens nothing new.
//                 Without the header: 400. From a browser, only the configured origins (CORS).
//   GET  /gpc.js  the script a business includes on its pages (reads navigator.globalPrivacyControl).
//   POST /gpc/opt-out  the center's one-click offer (form: email, gpc=1 as center.js read the signal,
//                 or Sec-GPC: 1): the same public.gpc opt-out, answered with a page.
// The answer is the same for a new and a repeated signal (nothing learnt about the identity).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiInputError } from '../../shared/app/api';
import { BodyTooLarge, parseUrlEncoded, readBodyBytes } from '../public-http';
import { localeOf, WORDS } from '../public-i18n';
import { homePage, messagePage } from '../public-pages';
import type { Route, RouteContext } from './context';

const SCRIPT = readFileSync(new URL('../public-assets/gpc.js', import.meta.url));

export function gpcRoutes(rc: RouteContext): Route {
  const allowed = new Set(rc.cfg.gpcOrigins);
  const cors = (origin: string | undefined): Record<string, string> => (origin && allowed.has(origin)
    ? { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600', vary: 'Origin' }
    : { vary: 'Origin' });
  /** The privacy center's GPC banner: one email field, one button; the same answer new or repeated. */
  const centerOptOut = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    let fields: Record<string, string | string[]>;
    try { fields = parseUrlEncoded((await readBodyBytes(req, 16 * 1024)).toString('utf8')); } catch (e) {
      if (e instanceof BodyTooLarge) { rc.json(res, 413, { error: { type: 'input', message: 'request body: too large' } }); return; }
      throw e;
    }
    const field = (k: string) => { const v = fields[k]; return String((Array.isArray(v) ? v[0] : v) ?? '').trim(); };
    const locale = localeOf(field('lang') || url.searchParams.get('lang'), req.headers['accept-language']);
    const w = WORDS[locale];
    const signalled = field('gpc') === '1' || String(req.headers['sec-gpc'] ?? '').trim() === '1';
    if (!signalled) { rc.html(res, 400, messagePage(rc.cfg, locale, w.gpcTitle, w.gpcNoSignal, `<p><a href="/?type=opt_out&amp;lang=${locale}">${w.rights.opt_out.title}</a></p>`)); return; }
    if (!rc.limits.gpcPerIp.take(rc.ip(req))) { res.setHeader('retry-after', '3600'); rc.html(res, 429, messagePage(rc.cfg, locale, w.tooMany, w.tooMany)); return; }
    try {
      await rc.backend.call('public.gpc', { identity: { email: field('email') }, jurisdiction: rc.cfg.gpcJurisdiction as never }, { actor: 'gpc' });
    } catch (e) {
      if (!(e instanceof ApiInputError)) throw e;
      rc.html(res, 400, homePage(rc.cfg, locale, { 'gpc-email': w.errors['agent.email']! }, { gpc: true }));
      return;
    }
    rc.html(res, 200, messagePage(rc.cfg, locale, w.gpcDoneTitle, w.gpcDoneBody, `<p><a href="/?lang=${locale}">${w.back}</a></p>`));
  };
  return async (req, res, url) => {
    if (url.pathname === '/gpc.js' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8', 'content-length': SCRIPT.length, 'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'cross-origin',
      });
      res.end(req.method === 'HEAD' ? undefined : SCRIPT);
      return true;
    }
    if (url.pathname === '/gpc/opt-out' && req.method === 'POST') { await centerOptOut(req, res, url); return true; }
    if (url.pathname !== '/gpc') return false;
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS') {
      const h = cors(origin);
      res.writeHead(origin && allowed.has(origin) ? 204 : 403, h);
      res.end();
      return true;
    }
    if (req.method !== 'POST') { rc.json(res, 405, { error: { type: 'input', message: 'use POST' } }, { allow: 'POST, OPTIONS' }); return true; }
    const h = cors(origin);
    // A browser page of another site may post only when its origin is listed; server-to-server posts carry no Origin.
    if (origin !== undefined && !allowed.has(origin)) { rc.json(res, 403, { error: { type: 'auth', message: 'forbidden: this origin may not send GPC signals here' } }, h); return true; }
    if (String(req.headers['sec-gpc'] ?? '').trim() !== '1') {
      rc.json(res, 400, { error: { type: 'input', message: 'no Global Privacy Control signal: the Sec-GPC: 1 header is required' } }, h);
      return true;
    }
    if (!/^application\/json\b/iu.test(String(req.headers['content-type'] ?? ''))) { rc.json(res, 415, { error: { type: 'input', message: 'Content-Type must be application/json' } }, h); return true; }
    if (!rc.limits.gpcPerIp.take(rc.ip(req))) { rc.json(res, 429, { error: { type: 'rate_limited', message: 'too many signals from this address' } }, { ...h, 'retry-after': '3600' }); return true; }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse((await readBodyBytes(req, 16 * 1024)).toString('utf8') || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not an object');
      body = parsed as Record<string, unknown>;
    } catch (e) {
      if (e instanceof BodyTooLarge) { rc.json(res, 413, { error: { type: 'input', message: 'request body: too large' } }, h); return true; }
      rc.json(res, 400, { error: { type: 'input', message: 'request body: must be a JSON object' } }, h);
      return true;
    }
    const { keyName, ...identity } = body;
    try {
      await rc.backend.call('public.gpc', {
        identity: identity as never, ...(typeof keyName === 'string' ? { customKeyName: keyName } : {}), jurisdiction: rc.cfg.gpcJurisdiction as never,
      }, { actor: 'gpc' });
      rc.json(res, 202, { accepted: true }, h);
    } catch (e) {
      if (e instanceof ApiInputError) { rc.json(res, 400, { error: { type: 'input', message: e.message, issues: e.issues } }, h); return true; }
      throw e;
    }
    return true;
  };
}
