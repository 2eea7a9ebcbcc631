// Server-rendered pages of the privacy center: they work without JavaScript (center.js only adds
// the proof-of-work, GPC detection and a busy state). Accessible by construction: one h1, labels
// on every control, hints and errors tied with aria-describedby, an error summary that takes focus,
// a skip link, visible focus, text at least 4.5:1.
import { escapeHtml as h } from '../shared/domain/report/report-html';
import { JURISDICTIONS, type CaseType } from '../shared/domain/case';
import { DECLARATION_TEXT, DELETE_CATEGORIES, type PublicLocale, type PublicStatus } from '../shared/app/contract/public';
import type { CenterConfig } from './public-config';
import { JURISDICTION_NAMES, WORDS, type Words } from './public-i18n';
import { noAppealText } from '../shared/domain/appeal-text';
import { rulesFor } from '../shared/domain/jurisdiction-rules';

export type FieldErrors = Record<string, string>;
export type Values = Record<string, string | string[] | undefined>;

const RIGHT_ORDER: CaseType[] = ['access', 'delete', 'delete_pii', 'correct', 'opt_out', 'limit'];

export function layout(cfg: CenterConfig, locale: PublicLocale, title: string, body: string, opts: { langSwitch?: string } = {}): string {
  const w = WORDS[locale];
  const logo = cfg.logo ? `<img src="/logo" alt="" class="logo">` : '';
  const other = locale === 'en' ? 'es' : 'en';
  const sw = opts.langSwitch === undefined ? '' : `<a class="lang" href="${h(opts.langSwitch)}${opts.langSwitch.includes('?') ? '&amp;' : '?'}lang=${other}" lang="${other}" hreflang="${other}">${h(w.otherLang)}</a>`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)} · ${h(cfg.businessName)}</title><link rel="stylesheet" href="/center.css"><script src="/center.js" defer></script></head>
<body><a class="skip" href="#main">${h(w.skip)}</a><header class="top"><div class="brand">${logo}<span>${h(cfg.businessName)}</span></div>${sw}</header>
<main id="main" tabindex="-1"><h1>${h(title)}</h1>${body}</main></body></html>`;
}

function hint(id: string, text: string): string {
  return `<p class="hint" id="${id}-hint">${h(text)}</p>`;
}
function err(id: string, errors: FieldErrors): string {
  return errors[id] ? `<p class="error" id="${id}-error"><span class="visually-hidden">Error: </span>${h(errors[id]!)}</p>` : '';
}
function described(id: string, hasHint: boolean, errors: FieldErrors): string {
  const ids = [hasHint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
  return `${ids ? ` aria-describedby="${ids}"` : ''}${errors[id] ? ' aria-invalid="true"' : ''}`;
}
const val = (v: Values, k: string): string => { const x = v[k]; return Array.isArray(x) ? x[0] ?? '' : x ?? ''; };
const has = (v: Values, k: string, item: string): boolean => { const x = v[k]; return Array.isArray(x) ? x.includes(item) : x === item; };

function input(id: string, label: string, v: Values, errors: FieldErrors, o: { type?: string; hint?: string; optional?: string; autocomplete?: string; required?: boolean; inputmode?: string } = {}): string {
  return `<div class="field${errors[id] ? ' invalid' : ''}"><label for="${id}">${h(label)}${o.optional ? ` <span class="opt">${h(o.optional)}</span>` : ''}</label>
${o.hint ? hint(id, o.hint) : ''}${err(id, errors)}<input id="${id}" name="${id}" type="${o.type ?? 'text'}" value="${h(val(v, id))}"${o.autocomplete ? ` autocomplete="${o.autocomplete}"` : ''}${o.inputmode ? ` inputmode="${o.inputmode}"` : ''}${o.required ? ' required' : ''}${described(id, !!o.hint, errors)}></div>`;
}

function errorSummary(w: Words, errors: FieldErrors): string {
  const keys = Object.keys(errors);
  if (!keys.length) return '';
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus><h2 id="error-summary-title">${h(w.errorSummary)}</h2><ul>${keys.map((k) => `<li><a href="#${h(k)}">${h(errors[k]!)}</a></li>`).join('')}</ul></div>`;
}

/**
 * The Global Privacy Control offer: shown when the browser sends the signal (Sec-GPC: 1 with the
 * page, or navigator.globalPrivacyControl read by center.js); one field and one button file the
 * opt-out through the GPC path (POST /gpc/opt-out → public.gpc, channel gpc, no verification).
 */
function gpcBanner(w: Words, locale: PublicLocale, signalled: boolean, e: FieldErrors): string {
  return `<section class="gpc-banner" id="gpc-banner" aria-labelledby="gpc-title"${signalled ? '' : ' hidden'}><h2 id="gpc-title">${h(w.gpcTitle)}</h2><p>${h(w.gpcBanner)}</p>
<form method="post" action="/gpc/opt-out"><input type="hidden" name="lang" value="${locale}"><input type="hidden" name="gpc" id="gpc-flag" value="${signalled ? '1' : ''}">
<div class="field${e['gpc-email'] ? ' invalid' : ''}"><label for="gpc-email">${h(w.email)}</label>${hint('gpc-email', w.gpcEmailHint)}${err('gpc-email', e)}<input id="gpc-email" name="email" type="email" autocomplete="email" required${described('gpc-email', true, e)}></div>
<button type="submit">${h(w.gpcButton)}</button></form></section>`;
}

export function homePage(cfg: CenterConfig, locale: PublicLocale, errors: FieldErrors = {}, o: { gpc?: boolean } = {}): string {
  const w = WORDS[locale];
  const radios = RIGHT_ORDER.map((t) => `<div class="choice"><input type="radio" id="type-${t}" name="type" value="${t}" aria-describedby="type-${t}-hint"${t === 'access' ? ' required' : ''}>
<label for="type-${t}">${h(w.rights[t].title)}</label><p class="hint" id="type-${t}-hint">${h(w.rights[t].hint)}</p></div>`).join('');
  const body = `${errorSummary(w, errors)}<p>${h(w.intro)}</p>
${gpcBanner(w, locale, !!o.gpc, errors)}
<form method="get" action="/" class="card"><input type="hidden" name="lang" value="${locale}"><fieldset${errors.type ? ' aria-describedby="type-error"' : ''}><legend>${h(w.chooseRight)}</legend>${err('type', errors)}${radios}</fieldset>
<button type="submit">${h(w.continue)}</button></form>
<ul class="links"><li><a href="/status?lang=${locale}">${h(w.statusLink)}</a></li><li><a href="/status?lang=${locale}#appeal">${h(w.appealLink)}</a></li></ul>`;
  return layout(cfg, locale, w.title, body, { langSwitch: '/' });
}

export interface FormState { type: CaseType; agent: boolean; values: Values; errors: FieldErrors; challenge: string; powBits: number }

export function requestForm(cfg: CenterConfig, locale: PublicLocale, s: FormState): string {
  const w = WORDS[locale];
  const { type, values: v, errors: e } = s;
  const names = JURISDICTION_NAMES[locale];
  const options = [...JURISDICTIONS].sort((a, b) => names[a].localeCompare(names[b], locale))
    .map((j) => `<option value="${j}"${val(v, 'jurisdiction') === j ? ' selected' : ''}>${h(names[j])}</option>`).join('');
  const jur = `<div class="field${e.jurisdiction ? ' invalid' : ''}"><label for="jurisdiction">${h(w.jurisdiction)}</label>${hint('jurisdiction', w.jurisdictionHint)}${err('jurisdiction', e)}
<select id="jurisdiction" name="jurisdiction" required${described('jurisdiction', true, e)}><option value="">${h(w.chooseJurisdiction)}</option>${options}</select></div>`;
  const contact = input('email', w.email, v, e, { type: 'email', hint: w.emailHint, autocomplete: 'email' })
    + input('phone', w.phone, v, e, { type: 'tel', hint: w.phoneHint, autocomplete: 'tel', optional: w.optional })
    + `<fieldset class="inline"><legend>${h(w.codeBy)}</legend>
<div class="choice"><input type="radio" id="codeChannel-sms" name="codeChannel" value="sms"${has(v, 'codeChannel', 'voice') ? '' : ' checked'}><label for="codeChannel-sms">${h(w.codeBySms)}</label></div>
<div class="choice"><input type="radio" id="codeChannel-voice" name="codeChannel" value="voice"${has(v, 'codeChannel', 'voice') ? ' checked' : ''}><label for="codeChannel-voice">${h(w.codeByVoice)}</label></div></fieldset>`;
  const needsName = type === 'access' || type === 'delete' || type === 'correct' || type === 'delete_pii';
  let extra = '';
  if (needsName) extra += input('name', w.name, v, e, { autocomplete: 'name', optional: w.optional });
  if (type === 'access') {
    extra += `<div class="choice"><input type="checkbox" id="specificPieces" name="specificPieces" value="1" aria-describedby="specificPieces-hint"${val(v, 'specificPieces') ? ' checked' : ''}><label for="specificPieces">${h(w.specificPieces)}</label><p class="hint" id="specificPieces-hint">${h(w.specificPiecesHint)}</p></div>`;
  }
  if (type === 'delete_pii') {
    extra += `<fieldset id="categories" tabindex="-1"${e.categories ? ' aria-describedby="categories-error"' : ''}><legend>${h(w.categories)}</legend>${err('categories', e)}${DELETE_CATEGORIES.map((c) => `<div class="choice"><input type="checkbox" id="cat-${c}" name="categories" value="${c}"${has(v, 'categories', c) ? ' checked' : ''}><label for="cat-${c}">${h(w.categoryNames[c])}</label></div>`).join('')}</fieldset>`;
  }
  if (type === 'correct') {
    extra += input('correction.field', w.correctionField, v, e, { required: true });
    extra += `<div class="field${e['correction.value'] ? ' invalid' : ''}"><label for="correction.value">${h(w.correctionValue)}</label>${err('correction.value', e)}<textarea id="correction.value" name="correction.value" rows="3" required${described('correction.value', false, e)}>${h(val(v, 'correction.value'))}</textarea></div>`;
  }
  const agent = s.agent
    ? `<fieldset><legend>${h(w.agentTitle)}</legend><p>${h(w.agentIntro)}</p><input type="hidden" name="agent" value="1">
${input('agent.name', w.agentName, v, e, { required: true, autocomplete: 'name' })}${input('agent.email', w.agentEmail, v, e, { type: 'email', optional: w.optional })}${input('agent.organization', w.agentOrg, v, e, { optional: w.optional, autocomplete: 'organization' })}
<div class="field${e['agent.document'] ? ' invalid' : ''}"><label for="agent.document">${h(w.agentDoc)}</label>${hint('agent.document', w.agentDocHint)}${err('agent.document', e)}<input id="agent.document" name="agent.document" type="file" accept="application/pdf,image/png,image/jpeg" required${described('agent.document', true, e)}></div></fieldset>`
    : `<p><a href="/?type=${type}&amp;agent=1&amp;lang=${locale}">${h(w.agentLink)}</a></p>`;
  const body = `${errorSummary(w, e)}<p class="hint">${h(w.rights[type].hint)}</p>
<form method="post" action="/requests" class="card" id="request-form" data-pow-bits="${s.powBits}" novalidate${s.agent ? ' enctype="multipart/form-data"' : ''}>
<input type="hidden" name="type" value="${type}"><input type="hidden" name="lang" value="${locale}">
<input type="hidden" name="pow_challenge" value="${h(s.challenge)}"><input type="hidden" name="pow_nonce" value="">
<fieldset><legend>${h(w.aboutYou)}</legend>${jur}${contact}${extra}</fieldset>${agent}
<div class="hp" aria-hidden="true"><label for="website">${h(w.honeypot)}</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit" data-working="${h(w.working)}">${h(w.submit)}</button></form>
<p><a href="/?lang=${locale}">${h(w.back)}</a></p>`;
  return layout(cfg, locale, w.rights[type].title, body, { langSwitch: `/?type=${type}${s.agent ? '&agent=1' : ''}` });
}

/** The code form: after a request (verification) or on the status page (a status code). */
export function codePage(cfg: CenterConfig, locale: PublicLocale, o: { title: string; intro: string; reference: string; action: string; resendAction: string; errors?: FieldErrors }): string {
  const w = WORDS[locale];
  const e = o.errors ?? {};
  const body = `${errorSummary(w, e)}<p>${h(o.intro)}</p>
<form method="post" action="${o.action}" class="card"><input type="hidden" name="lang" value="${locale}"><input type="hidden" name="reference" value="${h(o.reference)}">
${input('code', w.code, { code: '' }, e, { hint: w.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', required: true })}
<button type="submit">${h(w.verify)}</button></form>
<form method="post" action="${o.resendAction}" class="inline-form"><input type="hidden" name="lang" value="${locale}"><input type="hidden" name="reference" value="${h(o.reference)}"><button type="submit" class="secondary">${h(w.resend)}</button></form>`;
  return layout(cfg, locale, o.title, body);
}

export function messagePage(cfg: CenterConfig, locale: PublicLocale, title: string, text: string, more = ''): string {
  return layout(cfg, locale, title, `<p>${h(text)}</p>${more}`);
}

export function statusLookupPage(cfg: CenterConfig, locale: PublicLocale, v: Values = {}, errors: FieldErrors = {}): string {
  const w = WORDS[locale];
  const body = `${errorSummary(w, errors)}<p>${h(w.statusIntro)}</p><form method="post" action="/status/code" class="card"><input type="hidden" name="lang" value="${locale}">
${input('reference', w.reference, v, errors, { required: true, autocomplete: 'off' })}<button type="submit">${h(w.sendCode)}</button></form>`;
  return layout(cfg, locale, w.statusTitle, body, { langSwitch: '/status' });
}

/** §7062: the extra details and the signed declaration, on the status page after the code. */
function higherForm(w: Words, locale: PublicLocale, session: string, v: Values, e: FieldErrors): string {
  return `<section class="card" aria-labelledby="higher-title"><h2 id="higher-title">${h(w.higherTitle)}</h2><p>${h(w.higherIntro)}</p>
<form method="post" action="/status/declaration" novalidate><input type="hidden" name="lang" value="${locale}"><input type="hidden" name="session" value="${h(session)}">
${input('phone', w.phone, v, e, { type: 'tel', autocomplete: 'tel', optional: w.optional })}${input('postalCode', w.postalCode, v, e, { autocomplete: 'postal-code', optional: w.optional })}
${input('birthDate', w.birthDate, v, e, { type: 'date', hint: w.birthDateHint, autocomplete: 'bday', optional: w.optional })}
<div class="field${e.declaration ? ' invalid' : ''}">${err('declaration', e)}<div class="choice"><input type="checkbox" id="declaration" name="declaration" value="1"${val(v, 'declaration') === '1' ? ' checked' : ''}${described('declaration', false, e)}><label for="declaration">${h(DECLARATION_TEXT[locale])}</label></div></div>
${input('declarationName', w.declarationName, v, e, { autocomplete: 'name', required: true })}
<button type="submit">${h(w.higherSubmit)}</button></form></section>`;
}

/**
 * Appealing a refusal: the filed appeal and its answer's due date; else the form (a labelled reason,
 * its error tied to it; a normal POST without JavaScript) where the state gives an appeal; else,
 * refused where the law gives none, where else to turn (the denial email's words).
 */
function appealSection(w: Words, locale: PublicLocale, s: PublicStatus, session: string, date: (iso: string) => string, v: Values, e: FieldErrors, notice?: string): string {
  const note = notice ? `<p role="status">${h(notice)}</p>` : '';
  const f = s.appeal.filed;
  if (f) {
    return `<section class="card" id="appeal" aria-labelledby="appeal-title"><h2 id="appeal-title">${h(w.appealFiledTitle)}</h2>${note}
${f.status === 'open' ? `<p>${h(w.appealFiledBody(date(f.respondBy)))}</p>` : ''}${f.reopenedReference ? `<p>${h(w.appealReopened(f.reopenedReference))}</p>` : ''}<dl class="status">
<dt>${h(w.statusFields.status)}</dt><dd><strong data-appeal-status="${f.status}">${h(w.appealStatuses[f.status])}</strong></dd>
<dt>${h(w.appealReceived)}</dt><dd>${h(date(f.receivedOn))}</dd>
<dt>${h(w.appealRespondBy)}</dt><dd data-appeal-due="${h(f.respondBy)}">${h(date(f.respondBy))}${f.extended ? ` (${h(w.statusFields.extended)})` : ''}</dd></dl></section>`;
  }
  if (s.appeal.available) {
    const days = rulesFor(s.jurisdiction).appeal?.respond.n ?? 0;
    return `<section class="card" id="appeal" aria-labelledby="appeal-title"><h2 id="appeal-title">${h(w.appealTitle)}</h2>${note}<p>${h(w.appealIntro(days))}</p>
<form method="post" action="/status/appeal" novalidate><input type="hidden" name="lang" value="${locale}"><input type="hidden" name="session" value="${h(session)}">
<div class="field${e.reason ? ' invalid' : ''}"><label for="reason">${h(w.appealReason)}</label>${hint('reason', w.appealReasonHint)}${err('reason', e)}<textarea id="reason" name="reason" rows="5" maxlength="2000" required${described('reason', true, e)}>${h(val(v, 'reason'))}</textarea></div>
<button type="submit">${h(w.appealSubmit)}</button></form></section>`;
  }
  if (s.appeal.noAppealInLaw) {
    return `<section class="card" id="appeal" aria-labelledby="appeal-title"><h2 id="appeal-title">${h(w.noAppealTitle)}</h2>${note}<p>${h(noAppealText(s.jurisdiction, locale))}</p></section>`;
  }
  return note ? `<section class="card" id="appeal">${note}</section>` : '';
}

export function statusPage(cfg: CenterConfig, locale: PublicLocale, s: PublicStatus, session: string, sessionMinutes: number, o: { errors?: FieldErrors; values?: Values; notice?: string } = {}): string {
  const w = WORDS[locale];
  const f = w.statusFields;
  const date = (iso: string) => new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso).toLocaleDateString(locale === 'es' ? 'es-US' : 'en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const pending = s.pendingOnConsumer.length ? `<ul>${s.pendingOnConsumer.map((p) => `<li>${h(p === 'verify' && s.higherVerification ? w.higherTitle : w.pending[p])}</li>`).join('')}</ul>` : h(f.none);
  const msgs = s.messages.length ? `<ul>${s.messages.map((m) => `<li>${h(w.messageNames[m.template] ?? m.template.replace(/-/gu, ' '))}${m.sentAt ? ` · ${h(date(m.sentAt))}` : ''}</li>`).join('')}</ul>` : h(f.none);
  const body = `${errorSummary(w, o.errors ?? {})}<dl class="status card" id="status">
<dt>${h(w.reference)}</dt><dd>${h(s.reference)}</dd>
<dt>${h(f.type)}</dt><dd>${h(w.rights[s.type].title)}</dd>
<dt>${h(f.status)}</dt><dd><strong data-status="${s.status}">${h(w.statuses[s.status])}</strong></dd>
<dt>${h(f.received)}</dt><dd>${h(date(s.receivedAt))}</dd>
<dt>${h(f.respondBy)}</dt><dd>${h(date(s.respondBy))}${s.extended ? ` (${h(f.extended)})` : ''}</dd>
<dt>${h(f.pending)}</dt><dd>${pending}</dd>
<dt>${h(f.messages)}</dt><dd>${msgs}</dd></dl>
${s.higherVerification ? higherForm(w, locale, session, o.values ?? {}, o.errors ?? {}) : ''}
${appealSection(w, locale, s, session, date, o.values ?? {}, o.errors ?? {}, o.notice)}
<p class="hint">${h(w.sessionNote(sessionMinutes))}</p><p><a href="/status?session=${encodeURIComponent(session)}&amp;lang=${locale}">${h(w.refresh)}</a></p>`;
  return layout(cfg, locale, w.statusTitle, body);
}
