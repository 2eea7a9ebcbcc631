// The pages behind the links Responses sends: report downloads and processor confirmations.
//   GET  /reports/<token>                 list the files of a report download link
//   GET  /reports/<token>/<file>          download one file (audited)
//   GET  /processors/confirm/<token>      a page with a confirm button (GET never changes anything:
//   POST /processors/confirm/<token>      mail scanners prefetch links), POST records the confirmation
import { escapeHtml } from '../../shared/domain/report/report-html';
import { localeOf, WORDS } from '../public-i18n';
import { messagePage } from '../public-pages';
import type { Route, RouteContext } from './context';

export function statusOfError(e: unknown): number {
  const name = (e as Error)?.name;
  return name === 'ApiNotFoundError' ? 404 : name === 'ApiStateError' ? 410 : name === 'ApiInputError' ? 400 : 500;
}

export function linkRoutes(rc: RouteContext): Route {
  return async (req, res, url) => {
    const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    const isReport = parts[0] === 'reports' && (parts.length === 2 || parts.length === 3) && req.method === 'GET';
    const isConfirm = parts[0] === 'processors' && parts[1] === 'confirm' && parts.length === 3 && (req.method === 'GET' || req.method === 'POST');
    if (!isReport && !isConfirm) return false;
    const locale = localeOf(url.searchParams.get('lang'), req.headers['accept-language']);
    const w = WORDS[locale];
    try {
      if (isReport) {
        const token = parts[1]!;
        if (parts.length === 2) {
          const info = await rc.backend.call('public.reportFiles', { token }, { actor: 'link' });
          const items = info.files.map((f) => `<li><a href="/reports/${encodeURIComponent(token)}/${encodeURIComponent(f.name)}">${escapeHtml(f.name)}</a> (${Math.ceil(f.bytes / 1024)} KB)</li>`).join('');
          rc.html(res, 200, messagePage(rc.cfg, locale, w.reportTitle, w.reportBody(info.caseId, info.expiresAt.slice(0, 10)), `<ul>${items}</ul>`));
          return true;
        }
        const f = await rc.backend.call('public.reportDownload', { token, file: parts[2]! }, { actor: 'link' });
        const body = Buffer.from(f.base64, 'base64');
        res.writeHead(200, {
          'content-security-policy': "default-src 'none'; sandbox", 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store',
          'content-type': f.contentType, 'content-length': body.length, 'content-disposition': `attachment; filename="${f.name.replace(/[^A-Za-z0-9._-]/gu, '_')}"`,
        });
        res.end(body);
        return true;
      }
      const token = parts[2]!;
      if (req.method === 'GET') {
        rc.html(res, 200, messagePage(rc.cfg, locale, w.confirmTitle, w.confirmBody, `<form method="post"><button type="submit">${escapeHtml(w.confirmButton)}</button></form>`));
        return true;
      }
      const n = await rc.backend.call('public.confirmProcessor', { token }, { actor: 'processor-link' });
      rc.html(res, 200, messagePage(rc.cfg, locale, w.thanks, w.thanksBody(n.caseId)));
      return true;
    } catch (e) {
      const status = statusOfError(e);
      if (status === 500) rc.onError(url.pathname.split('/')[1] ?? 'links', e);
      const message = status === 500 ? w.failed : (e as Error).message;
      rc.html(res, status, messagePage(rc.cfg, locale, status === 410 ? w.linkGone : status === 500 ? w.failed : w.linkInvalid, message));
      return true;
    }
  };
}
