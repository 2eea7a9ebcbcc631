import { describe, it, expect } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { allowedHosts, checkHostAndOrigin, checkToken, newSessionToken } from '../../../server/request-guard';
import { OpNameSchema } from '../../../server/web-server';
import { errorResponse } from '../../../server/api-errors';
import { ApiInputError, ApiNotFoundError, ApiStateError } from '../../../shared/app/api';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('web-mode request guard', () => {
  const hosts = allowedHosts('127.0.0.1', 4817);
  it('accepts only its own loopback Host (no DNS rebinding)', () => {
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:4817' }), hosts)).toEqual({ ok: true });
    expect(checkHostAndOrigin(req({ host: 'localhost:4817' }), hosts)).toEqual({ ok: true });
    expect(checkHostAndOrigin(req({ host: 'evil.example:4817' }), hosts)).toMatchObject({ ok: false, status: 403 });
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:9999' }), hosts)).toMatchObject({ ok: false, status: 403 });
    expect(checkHostAndOrigin(req({}), hosts)).toMatchObject({ ok: false });
  });
  it('refuses other origins and cross-site fetches', () => {
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:4817', origin: 'http://127.0.0.1:4817' }), hosts)).toEqual({ ok: true });
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:4817', origin: 'http://localhost:3000' }), hosts)).toMatchObject({ ok: false, status: 403 });
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:4817', origin: 'null' }), hosts)).toMatchObject({ ok: false });
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:4817', 'sec-fetch-site': 'cross-site' }), hosts)).toMatchObject({ ok: false });
  });
  it('needs the exact session token as a bearer token', () => {
    const t = newSessionToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(newSessionToken()).not.toBe(t);
    expect(checkToken(req({ authorization: `Bearer ${t}` }), t)).toEqual({ ok: true });
    expect(checkToken(req({}), t)).toMatchObject({ ok: false, status: 401 });
    expect(checkToken(req({ authorization: `Bearer ${t.slice(0, -1)}x` }), t)).toMatchObject({ ok: false, status: 401 });
    expect(checkToken(req({ authorization: `Basic ${t}` }), t)).toMatchObject({ ok: false, status: 401 });
  });
  it('maps app errors to 400/404/409/500 without leaking internal messages', () => {
    expect(errorResponse(new ApiInputError('type: bad', [{ path: 'type', message: 'bad' }]))).toMatchObject({ status: 400, body: { error: { type: 'input', issues: [{ path: 'type' }] } } });
    expect(errorResponse(new ApiNotFoundError('case PD-X not found')).status).toBe(404);
    expect(errorResponse(new ApiStateError('cannot approve')).status).toBe(409);
    expect(errorResponse(new Error('SQLITE_BUSY at /home/x/data.sqlite'))).toEqual({ status: 500, body: { error: { type: 'internal', message: 'internal error (see the server log)' } } });
  });
  it('accepts only well-formed operation names', () => {
    expect(OpNameSchema.safeParse('cases.list').success).toBe(true);
    expect(OpNameSchema.safeParse('../etc/passwd').success).toBe(false);
    expect(OpNameSchema.safeParse('cases').success).toBe(false);
  });
});
