// A tiny HTTP client for the sign-in tests (test/integration/accounts, test/support/oidc-provider.ts):
// plain node:http, no cookie jar, no redirect following, so every Set-Cookie and Location is seen
// and checked by the test itself (Jar below: a minimal one for driving the identity provider).
import { request } from 'node:http';

export interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: () => any }

export function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const u = new URL(url);
  return new Promise((resolveRes, reject) => {
    const req = request({
      agent: false, host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: opts.method ?? 'GET',
      headers: { host: u.host, ...opts.headers },
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolveRes({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export function setCookies(r: Res): string[] {
  const h = r.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

/** The Set-Cookie line for this cookie name. */
export function setCookie(r: Res, name: string): string | undefined {
  return setCookies(r).find((c) => c.startsWith(`${name}=`));
}

/** "name=value" of a Set-Cookie line (what a browser sends back). */
export function cookiePair(line: string): string {
  return line.split(';')[0]!.trim();
}

/** A cookie jar good enough for one host: name -> value, updated from responses. */
export class Jar {
  private readonly cookies = new Map<string, string>();
  take(r: Res): void {
    for (const line of setCookies(r)) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/Max-Age=0\b/iu.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  has(name: string): boolean { return this.cookies.has(name); }
}
