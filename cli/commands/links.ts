// privacy-desk links serve [--host 127.0.0.1] [--port 4781]: the consumer- and processor-facing
// pages behind the links Responses sends (put it behind your TLS reverse proxy at
// PRIVACY_DESK_PUBLIC_URL):
//   GET  /reports/<token>                 list the files of a report download link
//   GET  /reports/<token>/<file>          download one file (audited)
//   GET  /processors/confirm/<token>      a page with a confirm button (GET never changes anything:
//   POST /processors/confirm/<token>      mail scanners prefetch links), POST records the confirmation
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandGroup } from '../command';
import { UsageError } from '../command';
import { openApp } from '../open-app';
import { parse } from '../args';
import type { App } from '../../shared/app/app';
import { escapeHtml } from '../../shared/domain/report/report-html';

const HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { ...HEADERS, 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 -apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2433;max-width:640px;margin:40px auto;padding:0 20px}a,button{color:#2457c5}button{font:inherit;padding:8px 16px}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function statusOf(e: unknown): number {
  const name = (e as Error)?.name;
  return name === 'ApiNotFoundError' ? 404 : name === 'ApiStateError' ? 410 : name === 'ApiInputError' ? 400 : 500;
}

export function linksHandler(app: App): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const actor = { actor: 'link' };
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    try {
      if (parts[0] === 'reports' && (parts.length === 2 || parts.length === 3) && req.method === 'GET') {
        const token = parts[1]!;
        if (parts.length === 2) {
          const info = await app.call('reports.files', { token }, actor);
          const items = info.files.map((f) => `<li><a href="/reports/${encodeURIComponent(token)}/${encodeURIComponent(f.name)}">${escapeHtml(f.name)}</a> (${Math.ceil(f.bytes / 1024)} KB)</li>`).join('');
          return page(res, 200, 'Your personal information report', `<p>Reference ${escapeHtml(info.caseId)}. This link works until ${escapeHtml(info.expiresAt.slice(0, 10))}.</p><ul>${items}</ul>`);
        }
        const f = await app.call('reports.download', { token, file: parts[2]! }, actor);
        const body = Buffer.from(f.base64, 'base64');
        res.writeHead(200, { ...HEADERS, 'content-type': f.contentType, 'content-length': body.length, 'content-disposition': `attachment; filename="${f.name.replace(/[^A-Za-z0-9._-]/gu, '_')}"` });
        res.end(body);
        return;
      }
      if (parts[0] === 'processors' && parts[1] === 'confirm' && parts.length === 3) {
        const token = parts[2]!;
        if (req.method === 'GET') {
          return page(res, 200, 'Confirm the deletion', `<p>Press the button to confirm that you deleted the personal information named in our request.</p><form method="post"><button type="submit">I confirm the deletion</button></form>`);
        }
        if (req.method === 'POST') {
          const n = await app.call('processors.confirm', { token }, { actor: 'processor-link' });
          return page(res, 200, 'Thank you', `<p>Your confirmation for request ${escapeHtml(n.caseId)} is recorded.</p>`);
        }
      }
      return page(res, 404, 'Not found', '<p>There is nothing here.</p>');
    } catch (e) {
      const status = statusOf(e);
      const message = status === 500 ? 'Something went wrong; please try again later.' : (e as Error).message;
      return page(res, status, status === 410 ? 'Link no longer valid' : status === 500 ? 'Error' : 'Link not valid', `<p>${escapeHtml(message)}</p>`);
    }
  };
}

export const links: CommandGroup = {
  serve: async (argv, globals, io) => {
    const { values } = parse(argv, { host: { type: 'string' }, port: { type: 'string' } }, false);
    const port = values.port === undefined ? 4781 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port: a TCP port number');
    const app = await openApp(globals, { runEngine: false });
    const handle = linksHandler(app);
    const server = createServer((req, res) => { void handle(req, res); });
    await new Promise<void>((r) => server.listen(port, values.host ?? '127.0.0.1', () => r()));
    io.stderr(`serving report and confirmation links on http://${values.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port} (Ctrl-C to stop)\n`);
    await new Promise<void>((r) => { process.once('SIGINT', r); process.once('SIGTERM', r); });
    await new Promise<void>((r) => server.close(() => r()));
    await app.close();
    return 0;
  },
};
export default links;
