// The privacy center: make a request, verify it with a one-time code, follow it on the status page.
// HTML pages for browsers (forms work without JavaScript) and the JSON contract of issue 17:
//   GET  /                       the form (choose a right, then ?type=… shows only what it needs)
//   POST /api/requests           {type, jurisdiction, email?, phone?, name?, address?, agent?} → 202 {reference}
//   POST /api/requests/verify    {reference, code} → 200 {reference, status, session} (422 for a wrong code)
//   POST /api/requests/code      {reference} → 202 (a new verification code)
//   GET  /api/challenge          a proof-of-work challenge {challenge, bits}
//   GET  /status                 the status page (reference, then a fresh code)
//   POST /api/status/code        {reference} → 202;  POST /api/status {reference, code} → 200 {status, session}
//   GET  /api/status             Authorization: Bearer <session> → 200 status
//   POST /api/status/declaration {session, phone?, postalCode?, birthDate?, declaration:{accepted,name}} → 200 / 422
//                                (§7062 higher verification; the no-JS form posts /status/declaration)
//   POST /api/status/appeal      {session, reason} → 200 {ok, respondBy, status} / 409 (not appealable, appealed already)
//                                (appeal a refusal; the no-JS form posts /status/appeal)
// The same answer whether an email or a reference is known; rate limits per address and identity; a
// honeypot field; a proof-of-work (a post without it counts three times against the address limit).
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiInputError } from '../../shared/app/api';
import { CASE_TYPES, type CaseType } from '../../shared/domain/case';
import { normalizeEmail, normalizePhone } from '../../shared/domain/identity';
import { SESSION_MINUTES } from '../../shared/app/public-session';
import type { PublicLocale, PublicStatus } from '../../shared/app/contract/public';
import { BodyTooLarge, parseMultipart, parseUrlEncoded, readBodyBytes, type FormFields, type FormFile } from '../public-http';
import { identityKey } from '../public-abuse';
import { localeOf, WORDS } from '../public-i18n';
import { codePage, homePage, messagePage, requestForm, statusLookupPage, statusPage, type FieldErrors, type Values } from '../public-pages';
import type { Route, RouteContext } from './context';

type Body = { kind: 'json'; data: Record<string, unknown> } | { kind: 'form'; fields: FormFields; files: Record<string, FormFile> };

class BadBody extends Error {}

async function readBody(rc: RouteContext, req: IncomingMessage): Promise<Body> {
  // The boundary is case-sensitive (Chromium's ----WebKitFormBoundaryAbC...): only the media type is compared lower-cased.
  const rawType = String(req.headers['content-type'] ?? '');
  const ctype = rawType.toLowerCase();
  const bytes = await readBodyBytes(req, rc.cfg.maxBodyBytes);
  if (ctype.startsWith('application/json')) {
    let data: unknown;
    try { data = JSON.parse(bytes.toString('utf8') || '{}'); } catch { throw new BadBody('request body: not valid JSON'); }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new BadBody('request body: must be a JSON object');
    return { kind: 'json', data: data as Record<string, unknown> };
  }
  if (ctype.startsWith('application/x-www-form-urlencoded')) return { kind: 'form', fields: parseUrlEncoded(bytes.toString('utf8')), files: {} };
  if (ctype.startsWith('multipart/form-data')) {
    try { return { kind: 'form', ...parseMultipart(bytes, rawType) }; } catch { throw new BadBody('request body: not valid multipart'); }
  }
  throw new BadBody('Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data');
}

const one = (f: FormFields, k: string): string | undefined => { const v = f[k]; const s = (Array.isArray(v) ? v[0] : v)?.trim(); return s ? s : undefined; };
const many = (f: FormFields, k: string): string[] => { const v = f[k]; return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(Boolean); };

/** The op's input from the no-JS form (empty fields are absent; only the fields of the chosen right). */
function fromForm(fields: FormFields, files: Record<string, FormFile>, locale: PublicLocale): Record<string, unknown> {
  const type = one(fields, 'type');
  const email = one(fields, 'email');
  const r: Record<string, unknown> = { type, jurisdiction: one(fields, 'jurisdiction'), email, phone: one(fields, 'phone'), name: one(fields, 'name'), locale };
  if (!email && one(fields, 'phone')) r.codeChannel = one(fields, 'codeChannel') ?? 'auto';
  if (type === 'access') r.specificPieces = one(fields, 'specificPieces') === '1';
  if (type === 'delete_pii') r.categories = many(fields, 'categories').length ? many(fields, 'categories') : undefined;
  if (type === 'correct') r.correction = { field: one(fields, 'correction.field') ?? '', value: one(fields, 'correction.value') ?? '' };
  if (one(fields, 'agent') === '1') {
    const doc = files['agent.document'];
    r.agent = {
      name: one(fields, 'agent.name') ?? '', email: one(fields, 'agent.email'), organization: one(fields, 'agent.organization'),
      document: doc ? { filename: doc.filename.slice(0, 200) || undefined, mediaType: doc.mediaType, contentBase64: doc.content.toString('base64') } : undefined,
    };
  }
  for (const k of Object.keys(r)) if (r[k] === undefined) delete r[k];
  return r;
}

/** A field key of the form for a zod issue path ("agent.document.mediaType" → "agent.document"). */
function fieldOf(path: string): string {
  if (path.startsWith('agent.document')) return 'agent.document';
  if (path.startsWith('address')) return 'address';
  if (path === '(input)' || path === 'identities') return 'email';
  return path.split('.').slice(0, path.startsWith('correction') || path.startsWith('agent') ? 2 : 1).join('.');
}

function fieldErrors(e: ApiInputError, locale: PublicLocale): FieldErrors {
  const out: FieldErrors = {};
  const words = WORDS[locale].errors;
  for (const i of e.issues.length ? e.issues : [{ path: 'email', message: e.message }]) {
    const k = fieldOf(i.path);
    if (!out[k]) out[k] = words[k] ?? i.message;
  }
  return out;
}

function fakeReference(): string {
  const d = new Date().toISOString().slice(0, 10).replace(/-/gu, '');
  const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `PD-${d}-${Array.from({ length: 6 }, () => abc[randomInt(abc.length)]).join('')}`;
}

function powOf(b: Body): { challenge: unknown; nonce: unknown } {
  if (b.kind === 'form') return { challenge: one(b.fields, 'pow_challenge'), nonce: one(b.fields, 'pow_nonce') };
  const p = b.data.pow as { challenge?: unknown; nonce?: unknown } | undefined;
  return { challenge: p?.challenge, nonce: p?.nonce };
}

export function centerRoutes(rc: RouteContext): Route {
  const tooMany = (res: ServerResponse, b: Body | null, locale: PublicLocale) => {
    if (b?.kind === 'json') rc.json(res, 429, { error: { type: 'rate_limited', message: WORDS.en.tooMany } }, { 'retry-after': '3600' });
    else { res.setHeader('retry-after', '3600'); rc.html(res, 429, messagePage(rc.cfg, locale, WORDS[locale].tooMany, WORDS[locale].tooMany)); }
  };
  const inputError = (res: ServerResponse, e: ApiInputError) => rc.json(res, 400, { error: { type: 'input', message: e.message, issues: e.issues } });
  const codeFailure = (locale: PublicLocale, r: { reason: string | null; attemptsLeft: number | null }): string => {
    const w = WORDS[locale];
    return r.reason === 'locked' ? w.lockedCode : w.wrongCode(r.attemptsLeft ?? 0);
  };
  const verifyPage = (locale: PublicLocale, reference: string, errors?: FieldErrors) => {
    const w = WORDS[locale];
    return codePage(rc.cfg, locale, { title: w.sentTitle, intro: w.sentBody(reference, w.sentByEmail), reference, action: '/requests/verify', resendAction: '/requests/code', errors });
  };
  const statusCodePage = (locale: PublicLocale, reference: string, errors?: FieldErrors) => {
    const w = WORDS[locale];
    return codePage(rc.cfg, locale, { title: w.statusTitle, intro: w.codeSentIfKnown, reference, action: '/status', resendAction: '/status/code', errors });
  };
  const showStatus = (res: ServerResponse, locale: PublicLocale, status: PublicStatus, session: string) => rc.html(res, 200, statusPage(rc.cfg, locale, status, session, SESSION_MINUTES));

  async function submit(req: IncomingMessage, res: ServerResponse, b: Body, locale: PublicLocale): Promise<void> {
    const pow = powOf(b);
    const solved = rc.pow.check(pow.challenge, pow.nonce);
    if (!rc.limits.requestsPerIp.take(rc.ip(req), solved ? 1 : 3)) return tooMany(res, b, locale);
    const raw = b.kind === 'json' ? { ...b.data } : fromForm(b.fields, b.files, locale);
    const honey = b.kind === 'json' ? raw.website : one(b.fields, 'website');
    delete raw.website; delete raw.pow;
    if (b.kind === 'json' && raw.locale === undefined && (raw as { lang?: unknown }).lang === undefined) raw.locale = locale;
    const type = (CASE_TYPES as readonly string[]).includes(String(raw.type)) ? (raw.type as CaseType) : null;
    if (honey !== undefined && honey !== '') {
      // A bot filled the field people never see: the usual answer, nothing opened.
      const reference = fakeReference();
      if (b.kind === 'json') return rc.json(res, 202, { reference });
      return rc.html(res, 200, type === 'opt_out' || type === 'limit' ? messagePage(rc.cfg, locale, WORDS[locale].noVerifyTitle, WORDS[locale].noVerifyBody(reference)) : verifyPage(locale, reference));
    }
    const email = typeof raw.email === 'string' ? normalizeEmail(raw.email) : '';
    const phone = typeof raw.phone === 'string' ? normalizePhone(raw.phone) ?? raw.phone : '';
    const who = email ? identityKey(rc.salt, 'email', email) : phone ? identityKey(rc.salt, 'phone', phone) : null;
    if (who && !rc.limits.requestsPerIdentity.take(who)) return tooMany(res, b, locale);
    try {
      const out = await rc.backend.call('public.submitRequest', raw as never, { actor: 'consumer:web' });
      if (b.kind === 'json') return rc.json(res, 202, { reference: out.reference });
      if (type === 'opt_out' || type === 'limit') return rc.html(res, 200, messagePage(rc.cfg, locale, WORDS[locale].noVerifyTitle, WORDS[locale].noVerifyBody(out.reference), `<p><a href="/status?lang=${locale}">${WORDS[locale].statusLink}</a></p>`));
      const w = WORDS[locale];
      const by = out.codeChannel === 'sms' ? w.sentBySms : out.codeChannel === 'voice' ? w.sentByVoice : w.sentByEmail;
      return rc.html(res, 200, codePage(rc.cfg, locale, { title: w.sentTitle, intro: w.sentBody(out.reference, by), reference: out.reference, action: '/requests/verify', resendAction: '/requests/code' }));
    } catch (e) {
      if (!(e instanceof ApiInputError)) throw e;
      if (b.kind === 'json') return inputError(res, e);
      if (!type) return rc.html(res, 400, homePage(rc.cfg, locale, { type: WORDS[locale].errors.type! }));
      const values: Values = { ...b.fields };
      return rc.html(res, 400, requestForm(rc.cfg, locale, { type, agent: one(b.fields, 'agent') === '1', values, errors: fieldErrors(e, locale), challenge: rc.pow.challenge(), powBits: rc.pow.bits }));
    }
  }

  /** reference + code from a body; null with the error answered. */
  function referenceAndCode(res: ServerResponse, b: Body, locale: PublicLocale, needCode: boolean): { reference: string; code: string } | null {
    const reference = String((b.kind === 'json' ? b.data.reference : one(b.fields, 'reference')) ?? '').trim().toUpperCase();
    const code = String((b.kind === 'json' ? b.data.code : one(b.fields, 'code')) ?? '').trim();
    const refOk = /^PD-\d{8}-[A-Z0-9]{4,16}$/u.test(reference);
    const codeOk = !needCode || /^[\d\s-]{4,20}$/u.test(code);
    if (refOk && codeOk) return { reference, code };
    if (b.kind === 'json') {
      rc.json(res, 400, { error: { type: 'input', message: !refOk ? 'reference: must be a request reference like PD-20260302-AB12CD' : 'code: the code is digits' } });
    } else if (!refOk) rc.html(res, 400, statusLookupPage(rc.cfg, locale, { reference }, { reference: WORDS[locale].errors.reference! }));
    else rc.html(res, 400, verifyPage(locale, reference, { code: WORDS[locale].errors.code! }));
    return null;
  }

  /**
   * A POST's body and the page's language (the form's lang field, the JSON's locale, else
   * Accept-Language); null when the body was refused, answered here: 413 over the size limit, 400
   * (API) or 415 (form) for a body that cannot be read.
   */
  async function bodyOf(req: IncomingMessage, res: ServerResponse, api: boolean): Promise<{ b: Body; lang: ReturnType<typeof localeOf> } | null> {
    let b: Body;
    try { b = await readBody(rc, req); } catch (e) {
      if (e instanceof BodyTooLarge) { res.setHeader('connection', 'close'); rc.json(res, 413, { error: { type: 'input', message: `request body: larger than ${rc.cfg.maxBodyBytes} bytes` } }); return null; }
      if (e instanceof BadBody) { rc.json(res, api ? 400 : 415, { error: { type: 'input', message: e.message } }); return null; }
      throw e;
    }
    const lang = localeOf(b.kind === 'form' ? one(b.fields, 'lang') : (typeof b.data.locale === 'string' ? b.data.locale : undefined), req.headers['accept-language']);
    return { b, lang };
  }

  /** §7062 from the status page: extra data points and the signed declaration (public.verifyHigher). */
  async function higher(req: IncomingMessage, res: ServerResponse, api: boolean): Promise<void> {
    const read = await bodyOf(req, res, api);
    if (!read) return;
    const { b, lang } = read;
    if (!rc.limits.codesPerIp.take(rc.ip(req))) return tooMany(res, b, lang);
    const input: Record<string, unknown> = b.kind === 'json' ? { ...b.data, locale: lang } : {
      session: one(b.fields, 'session') ?? '', phone: one(b.fields, 'phone'), postalCode: one(b.fields, 'postalCode'), birthDate: one(b.fields, 'birthDate'),
      declaration: { accepted: one(b.fields, 'declaration') === '1', name: one(b.fields, 'declarationName') ?? '' }, locale: lang,
    };
    for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
    const session = String(input.session ?? '');
    const w = WORDS[lang];
    try {
      const r = await rc.backend.call('public.verifyHigher', input as never, { actor: 'consumer:web' });
      if (api) { rc.json(res, r.ok ? 200 : 422, r); return; }
      const errors: FieldErrors = r.ok || r.reason === 'not-needed' ? {} : { phone: r.reason === 'locked' ? w.higherLocked : w.higherMismatch(r.attemptsLeft ?? 0) };
      rc.html(res, r.ok || r.reason === 'not-needed' ? 200 : 422, statusPage(rc.cfg, lang, r.status!, session, SESSION_MINUTES, { errors, values: b.kind === 'form' ? b.fields : {} }));
    } catch (e) {
      if (e instanceof ApiInputError) {
        if (api) return inputError(res, e);
        try {
          const status = await rc.backend.call('public.status', { session }, { actor: 'consumer:web' });
          const errors: FieldErrors = {};
          for (const i of e.issues) {
            const k = i.path.startsWith('declaration.name') ? 'declarationName' : i.path.startsWith('declaration') ? 'declaration' : i.path.split('.')[0]!;
            if (!errors[k]) errors[k] = w.higherErrors[k] ?? i.message;
          }
          // In the order of the form's fields (the error summary lists them top to bottom).
          const ordered: FieldErrors = {};
          for (const k of ['phone', 'postalCode', 'birthDate', 'declaration', 'declarationName', ...Object.keys(errors)]) if (errors[k] && !ordered[k]) ordered[k] = errors[k];
          rc.html(res, 400, statusPage(rc.cfg, lang, status, session, SESSION_MINUTES, { errors: ordered, values: b.kind === 'form' ? b.fields : {} }));
        } catch { rc.html(res, 401, statusLookupPage(rc.cfg, lang, {}, { reference: w.sessionNote(SESSION_MINUTES) })); }
        return;
      }
      if ((e as Error).name === 'ApiStateError') {
        if (api) { rc.json(res, 401, { error: { type: 'auth', message: (e as Error).message } }); return; }
        rc.html(res, 401, statusLookupPage(rc.cfg, lang, {}, { reference: w.sessionNote(SESSION_MINUTES) }));
        return;
      }
      throw e;
    }
  }

  /** Appeal a refusal from the status page (public.appeal): the session, the reason. */
  async function appeal(req: IncomingMessage, res: ServerResponse, api: boolean): Promise<void> {
    const read = await bodyOf(req, res, api);
    if (!read) return;
    const { b, lang } = read;
    if (!rc.limits.codesPerIp.take(rc.ip(req))) return tooMany(res, b, lang);
    const input: Record<string, unknown> = b.kind === 'json' ? { ...b.data, locale: lang }
      : { session: one(b.fields, 'session') ?? '', reason: one(b.fields, 'reason') ?? '', locale: lang };
    const session = String(input.session ?? '');
    const w = WORDS[lang];
    const expired = () => {
      if (api) rc.json(res, 401, { error: { type: 'auth', message: 'the status session has expired; ask for a new code' } });
      else rc.html(res, 401, statusLookupPage(rc.cfg, lang, {}, { reference: w.sessionNote(SESSION_MINUTES) }));
    };
    try {
      const r = await rc.backend.call('public.appeal', input as never, { actor: 'consumer:web' });
      if (api) { rc.json(res, r.ok ? 200 : 409, r); return; }
      const notice = r.ok ? undefined : r.reason === 'already-appealed' ? w.appealAlready : w.appealNotPossible;
      rc.html(res, r.ok ? 200 : 409, statusPage(rc.cfg, lang, r.status, session, SESSION_MINUTES, { notice }));
    } catch (e) {
      if (e instanceof ApiInputError) {
        if (api) return inputError(res, e);
        // The reason is the only field the consumer types: its error is tied to it (a bad session is told as expired).
        if (e.issues.some((i) => !i.path.startsWith('reason'))) return expired();
        try {
          const status = await rc.backend.call('public.status', { session }, { actor: 'consumer:web' });
          rc.html(res, 400, statusPage(rc.cfg, lang, status, session, SESSION_MINUTES, { errors: { reason: w.appealErrors.reason! }, values: b.kind === 'form' ? b.fields : {} }));
        } catch { expired(); }
        return;
      }
      if ((e as Error).name === 'ApiStateError') return expired();
      throw e;
    }
  }

  return async (req, res, url) => {
    const path = url.pathname;
    const locale = localeOf(url.searchParams.get('lang'), req.headers['accept-language']);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/') {
        const t = url.searchParams.get('type');
        if (t && (CASE_TYPES as readonly string[]).includes(t)) {
          rc.html(res, 200, requestForm(rc.cfg, locale, { type: t as CaseType, agent: url.searchParams.get('agent') === '1', values: {}, errors: {}, challenge: rc.pow.challenge(), powBits: rc.pow.bits }));
        } else rc.html(res, t ? 400 : 200, homePage(rc.cfg, locale, t ? { type: WORDS[locale].errors.type! } : {}, { gpc: String(req.headers['sec-gpc'] ?? '').trim() === '1' }));
        return true;
      }
      if (path === '/api/challenge') { rc.json(res, 200, { challenge: rc.pow.challenge(), bits: rc.pow.bits }); return true; }
      if (path === '/status') {
        const session = url.searchParams.get('session');
        if (!session) { rc.html(res, 200, statusLookupPage(rc.cfg, locale)); return true; }
        try {
          const status = await rc.backend.call('public.status', { session }, { actor: 'consumer:web' });
          showStatus(res, locale, status, session);
        } catch { rc.html(res, 401, statusLookupPage(rc.cfg, locale, {}, { reference: WORDS[locale].sessionNote(SESSION_MINUTES) })); }
        return true;
      }
      if (path === '/api/status') {
        const m = /^Bearer (\S{20,400})$/u.exec(String(req.headers.authorization ?? ''));
        if (!m) { rc.json(res, 401, { error: { type: 'auth', message: 'Authorization: Bearer <session> required' } }); return true; }
        try { rc.json(res, 200, await rc.backend.call('public.status', { session: m[1]! }, { actor: 'consumer:web' })); } catch { rc.json(res, 401, { error: { type: 'auth', message: 'the status session has expired; ask for a new code' } }); }
        return true;
      }
      return false;
    }
    if (req.method !== 'POST') return false;
    if (path === '/status/declaration' || path === '/api/status/declaration') { await higher(req, res, path.startsWith('/api/')); return true; }
    if (path === '/status/appeal' || path === '/api/status/appeal') { await appeal(req, res, path.startsWith('/api/')); return true; }
    const routes = ['/api/requests', '/requests', '/api/requests/verify', '/requests/verify', '/api/requests/code', '/requests/code', '/api/status/code', '/status/code', '/api/status', '/status'];
    if (!routes.includes(path)) return false;
    const read = await bodyOf(req, res, path.startsWith('/api/'));
    if (!read) return true;
    const { b, lang } = read;
    if (path === '/api/requests' || path === '/requests') { await submit(req, res, b, lang); return true; }
    if (!rc.limits.codesPerIp.take(rc.ip(req))) { tooMany(res, b, lang); return true; }
    const isVerify = path.endsWith('/requests/verify');
    const isStatus = path === '/api/status' || path === '/status';
    const rcode = referenceAndCode(res, b, lang, isVerify || isStatus);
    if (!rcode) return true;
    if (isVerify || isStatus) {
      const r = await rc.backend.call(isVerify ? 'public.verify' : 'public.openStatus', rcode, { actor: 'consumer:web' });
      if (b.kind === 'json') {
        if (r.ok) rc.json(res, 200, { reference: rcode.reference, status: r.status, session: r.session });
        else rc.json(res, 422, { error: { type: 'code', reason: r.reason, attemptsLeft: r.attemptsLeft, message: codeFailure('en', r) } });
      } else if (r.ok) showStatus(res, lang, r.status!, r.session!);
      else rc.html(res, 422, (isVerify ? verifyPage : statusCodePage)(lang, rcode.reference, { code: codeFailure(lang, r) }));
      return true;
    }
    // A new code: the same answer whether the reference is known or not.
    const channel = b.kind === 'json' && typeof b.data.channel === 'string' ? b.data.channel : undefined;
    await rc.backend.call('public.sendCode', { reference: rcode.reference, purpose: path.includes('/requests/') ? 'verification' : 'status', channel: channel as never, locale: lang }, { actor: 'consumer:web' });
    if (b.kind === 'json') rc.json(res, 202, { sent: true });
    else rc.html(res, 200, path.includes('/requests/') ? verifyPage(lang, rcode.reference) : statusCodePage(lang, rcode.reference));
    return true;
  };
}
