// The words of the result messages (deletion-result, opt-out-confirmation, request-result) per
// locale, from a ResultSummary (shared/domain/report/result-summary.ts): what was applied and
// checked, never the plan. Text and HTML say the same; everything in the HTML is escaped.
import type { CaseType } from '../../domain/case';
import { ccpaCategoryOf, type CcpaCategory } from '../../domain/report/ccpa-categories';
import type { KeptGroup, ResultLine, ResultSummary } from '../../domain/report/result-summary';
import { escapeHtml } from '../../domain/report/report-html';
import type { Locale } from './labels';

export interface ResultText { text: string; html: string }

type Block = { p: string } | { list: string[]; intro?: string };

function render(blocks: Block[]): ResultText {
  const text: string[] = [];
  const html: string[] = [];
  for (const b of blocks) {
    if ('p' in b) {
      text.push(b.p);
      html.push(`<p>${escapeHtml(b.p)}</p>`);
    } else if (b.list.length) {
      text.push([...(b.intro ? [b.intro] : []), ...b.list.map((i) => `- ${i}`)].join('\n'));
      html.push(`${b.intro ? `<p>${escapeHtml(b.intro)}</p>` : ''}<ul>${b.list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
    }
  }
  return { text: text.join('\n\n'), html: html.join('\n') };
}

// --- categories in plain words -----------------------------------------------------------------

/** Most specific fideslang prefix first; what is not here falls back to its CCPA category's words. */
const CATEGORY_WORDS: Record<Locale, Array<[prefix: string, words: string]>> = {
  en: [
    ['user.contact.email', 'your email address'], ['user.contact.phone_number', 'your phone number'], ['user.contact.address', 'your postal address'],
    ['user.contact', 'your contact details'], ['user.name', 'your name'], ['user.demographic.date_of_birth', 'your date of birth'],
    ['user.demographic', 'your personal characteristics (such as age or gender)'], ['user.government_id', 'your government identification number'],
    ['user.financial', 'your financial details'], ['user.payment', 'your payment details'], ['user.account', 'your account details'],
    ['user.unique_id', 'your customer or account number'], ['user.authorization', 'your sign-in details'], ['user.device', 'your device details'],
    ['user.location', 'your location'], ['user.commercial', 'your purchase history'], ['user.workplace', 'your employment details'],
    ['user.employment', 'your employment details'], ['user.education', 'your education details'], ['user.health_and_medical', 'your health information'],
    ['user.biometric', 'your biometric information'], ['user.content', 'messages and other content you gave us'], ['user.behavior', 'your activity on our services'],
    ['user.inference', 'the profile we inferred about you'], ['user.privacy_preferences', 'your privacy choices'],
  ],
  es: [
    ['user.contact.email', 'su dirección de correo electrónico'], ['user.contact.phone_number', 'su número de teléfono'], ['user.contact.address', 'su dirección postal'],
    ['user.contact', 'sus datos de contacto'], ['user.name', 'su nombre'], ['user.demographic.date_of_birth', 'su fecha de nacimiento'],
    ['user.demographic', 'sus características personales (como la edad o el género)'], ['user.government_id', 'su número de identificación oficial'],
    ['user.financial', 'sus datos financieros'], ['user.payment', 'sus datos de pago'], ['user.account', 'los datos de su cuenta'],
    ['user.unique_id', 'su número de cliente o de cuenta'], ['user.authorization', 'sus datos de acceso'], ['user.device', 'los datos de su dispositivo'],
    ['user.location', 'su ubicación'], ['user.commercial', 'su historial de compras'], ['user.workplace', 'sus datos profesionales'],
    ['user.employment', 'sus datos profesionales'], ['user.education', 'sus datos de formación'], ['user.health_and_medical', 'su información de salud'],
    ['user.biometric', 'su información biométrica'], ['user.content', 'los mensajes y otros contenidos que nos facilitó'], ['user.behavior', 'su actividad en nuestros servicios'],
    ['user.inference', 'el perfil que dedujimos sobre usted'], ['user.privacy_preferences', 'sus preferencias de privacidad'],
  ],
};

/** The CCPA categories (§1798.140(v)(1)) in plain words, for what the table above does not name. */
const CCPA_WORDS: Record<Locale, Record<CcpaCategory, string>> = {
  en: {
    A: 'your identifiers', B: 'your customer records', C: 'your personal characteristics', D: 'your commercial information', E: 'your biometric information',
    F: 'your internet or network activity', G: 'your location', H: 'your audio, video or similar information', I: 'your employment details',
    J: 'your education details', K: 'the profile we inferred about you', L: 'your sensitive personal information',
  },
  es: {
    A: 'sus identificadores', B: 'sus registros de cliente', C: 'sus características personales', D: 'su información comercial', E: 'su información biométrica',
    F: 'su actividad en internet o en redes', G: 'su ubicación', H: 'su información de audio, vídeo o similar', I: 'sus datos profesionales',
    J: 'sus datos de formación', K: 'el perfil que dedujimos sobre usted', L: 'su información personal sensible',
  },
};

/** A fideslang data category in the consumer's words ("user.contact.email" -> "your email address"). */
export function categoryWords(category: string, locale: Locale): string {
  const c = category.trim().toLowerCase();
  const hit = CATEGORY_WORDS[locale].find(([prefix]) => c === prefix || c.startsWith(`${prefix}.`));
  if (hit) return hit[1];
  const letter = ccpaCategoryOf(c);
  return letter ? CCPA_WORDS[locale][letter] : (locale === 'es' ? 'sus datos' : 'your details');
}

// --- the words ---------------------------------------------------------------------------------

interface Words {
  and: string;
  records(n: number): string;
  /** "Acme Shop (orders, customers)". */
  place(system: string, collections: string[]): string;
  deleted(n: number): string;
  masked(n: number): string;
  updated(n: number): string;
  controlRows(n: number): string;
  inTotal(parts: string[]): string;
  nothingFound(type: CaseType): string;
  nothingRemoved: string;
  didIntro: string;
  keptIntro(type: CaseType): string;
  checked(type: CaseType): string;
  processorsTold: string;
  corrected(categories: string): string;
  correctedGeneric: string;
  correctedWhere: string;
  updatedTotal(n: number): string;
  limitWhere: string;
  limitEffect: string;
  optOutWhere: string;
  optOutNoSetting: string;
  optOutNotFound: string;
  optOutRecorded: string;
  optOutEffect: string;
  kept(g: KeptGroup, where: string, type: CaseType): string;
}

/** ": <the exemption's words>" without a closing full stop of its own, or nothing. */
const reasonText = (g: KeptGroup) => { const r = (g.reason ?? '').trim().replace(/[.\s]+$/u, ''); return r ? `: ${r}` : ''; };
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
function joinAnd(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)!}`;
}

const EN: Words = {
  and: 'and',
  records: (n) => `${n} ${plural(n, 'record', 'records')}`,
  place: (s, cols) => `${s} (${cols.join(', ')})`,
  deleted: (n) => `${EN.records(n)} deleted`,
  masked: (n) => `your personal details removed from ${EN.records(n)}`,
  updated: (n) => `${EN.records(n)} updated`,
  controlRows: (n) => `set on ${EN.records(n)}`,
  inTotal: (parts) => `In total: ${joinAnd(parts, 'and')}.`,
  nothingFound: (type) => (type === 'delete_pii' ? 'We did not find any of your personal details to remove in our systems.' : 'We did not find any personal information about you to delete in our systems.'),
  nothingRemoved: 'We did not remove anything: everything we found is kept, for the reasons below.',
  didIntro: 'This is what we did:',
  keptIntro: (type) => (type === 'delete' || type === 'delete_pii' ? 'What we kept, and why:' : 'What we could not change, and why:'),
  checked: (type) => `We checked our systems again afterwards: ${
    type === 'correct' ? 'the corrected information is in place' : type === 'limit' ? 'the limit is in place' : type === 'opt_out' ? 'your opt-out is in place' : 'the information we removed is no longer there'}.`,
  processorsTold: 'We have also told our service providers and contractors to do the same.',
  corrected: (cats) => `We corrected ${cats}.`,
  correctedGeneric: 'We corrected your personal information as you asked.',
  correctedWhere: 'Where we made the change:',
  updatedTotal: (n) => `In total we updated ${EN.records(n)}.`,
  limitWhere: 'We have set the limit in these systems:',
  limitEffect: 'In these systems we now use your sensitive personal information only for the purposes the law allows (CCPA §1798.121(a)), such as providing the goods or services you ask us for.',
  optOutWhere: 'We have set your opt-out in these systems:',
  optOutNoSetting: 'None of our systems keeps a setting for this choice, so there was nothing to change in them.',
  optOutNotFound: 'We did not find any records about you in the systems that keep this setting, so there was nothing to change in them.',
  optOutRecorded: 'Your choice is recorded with your request, and we will not sell or share your personal information.',
  optOutEffect: 'From now on we do not sell or share your personal information.',
  kept: (g, where, type) => {
    const fields = g.fields.length;
    const many = fields ? fields > 1 : g.rows > 1;
    const subject = fields
      ? `The ${joinAnd(g.fields, 'and')} ${plural(fields, 'field', 'fields')} of ${EN.records(g.rows)} in ${where}`
      : `${EN.records(g.rows)} in ${where}`;
    const it = many ? 'them' : 'it';
    const be = many ? 'are' : 'is';
    const erasure = type === 'delete' || type === 'delete_pii';
    switch (g.kind) {
      case 'exempt': return erasure
        ? `${subject} ${be} kept because the law allows it${reasonText(g)}.`
        : `${subject} ${many ? 'were' : 'was'} not changed because the law allows us to keep ${it} as ${many ? 'they are' : 'it is'}${reasonText(g)}.`;
      case 'legal_hold': return erasure
        ? `${subject} ${be} kept because the law requires us to preserve ${it} for a legal matter (a legal hold).`
        : `${subject} ${many ? 'were' : 'was'} not changed because the law requires us to preserve ${it} as ${many ? 'they are' : 'it is'} for a legal matter (a legal hold).`;
      case 'shared': return erasure
        ? `${subject} also ${many ? 'belong' : 'belongs'} to another person: ${many ? 'they are' : 'it is'} kept until our staff review ${it}.`
        : `${subject} also ${many ? 'belong' : 'belongs'} to another person: our staff will review ${it} before changing anything.`;
      case 'staff': {
        const act = type === 'correct' ? `correct ${it}` : type === 'opt_out' || type === 'limit' ? `apply your choice to ${it}` : `remove ${it}`;
        return `${subject} could not be changed in place: our staff will ${act}.`;
      }
      case 'skipped': return `${subject} ${many ? 'were' : 'was'} not changed in this request.`;
      case 'no_control': return `${subject} could not be changed automatically: our staff will handle ${it}.`;
    }
  },
};

const ES: Words = {
  and: 'y',
  records: (n) => `${n} ${plural(n, 'registro', 'registros')}`,
  place: (s, cols) => `${s} (${cols.join(', ')})`,
  deleted: (n) => `${ES.records(n)} ${plural(n, 'eliminado', 'eliminados')}`,
  masked: (n) => `sus datos personales quitados de ${ES.records(n)}`,
  updated: (n) => `${ES.records(n)} ${plural(n, 'actualizado', 'actualizados')}`,
  controlRows: (n) => `aplicada en ${ES.records(n)}`,
  inTotal: (parts) => `En total: ${joinAnd(parts, 'y')}.`,
  nothingFound: (type) => (type === 'delete_pii' ? 'No encontramos en nuestros sistemas ningún dato personal suyo que quitar.' : 'No encontramos en nuestros sistemas ninguna información personal suya que eliminar.'),
  nothingRemoved: 'No eliminamos nada: conservamos todo lo que encontramos, por los motivos que se indican abajo.',
  didIntro: 'Esto es lo que hicimos:',
  keptIntro: (type) => (type === 'delete' || type === 'delete_pii' ? 'Lo que conservamos, y por qué:' : 'Lo que no pudimos cambiar, y por qué:'),
  checked: (type) => `Después volvimos a comprobar nuestros sistemas: ${
    type === 'correct' ? 'la información corregida está en su lugar' : type === 'limit' ? 'la limitación está aplicada' : type === 'opt_out' ? 'su exclusión está aplicada' : 'la información que eliminamos ya no está'}.`,
  processorsTold: 'También hemos pedido a nuestros proveedores de servicios y contratistas que hagan lo mismo.',
  corrected: (cats) => `Corregimos ${cats}.`,
  correctedGeneric: 'Corregimos su información personal como nos pidió.',
  correctedWhere: 'Dónde hicimos el cambio:',
  updatedTotal: (n) => `En total actualizamos ${ES.records(n)}.`,
  limitWhere: 'Hemos aplicado la limitación en estos sistemas:',
  limitEffect: 'En estos sistemas ahora usamos su información personal sensible solo para los fines que permite la ley (CCPA §1798.121(a)), como prestarle los bienes o servicios que nos pide.',
  optOutWhere: 'Hemos aplicado su exclusión en estos sistemas:',
  optOutNoSetting: 'Ninguno de nuestros sistemas guarda un ajuste para esta elección, así que no había nada que cambiar en ellos.',
  optOutNotFound: 'No encontramos registros suyos en los sistemas que guardan este ajuste, así que no había nada que cambiar en ellos.',
  optOutRecorded: 'Su elección queda registrada con su solicitud, y no venderemos ni compartiremos su información personal.',
  optOutEffect: 'A partir de ahora no vendemos ni compartimos su información personal.',
  kept: (g, where, type) => {
    const fields = g.fields.length;
    const many = fields ? fields > 1 : g.rows > 1;
    const subject = fields
      ? `${many ? 'Los campos' : 'El campo'} ${joinAnd(g.fields, 'y')} de ${ES.records(g.rows)} en ${where}`
      : `${ES.records(g.rows)} en ${where}`;
    const lo = many ? 'los' : 'lo';
    const n = (one: string, more: string) => (many ? more : one);
    const erasure = type === 'delete' || type === 'delete_pii';
    switch (g.kind) {
      case 'exempt': return erasure
        ? `${subject} ${n('se conserva', 'se conservan')} porque la ley lo permite${reasonText(g)}.`
        : `${subject} no se ${n('cambió', 'cambiaron')} porque la ley nos permite ${n('conservarlo', 'conservarlos')} tal como ${n('está', 'están')}${reasonText(g)}.`;
      case 'legal_hold': return erasure
        ? `${subject} ${n('se conserva', 'se conservan')} porque la ley nos obliga a ${n('preservarlo', 'preservarlos')} para un asunto legal (retención legal).`
        : `${subject} no se ${n('cambió', 'cambiaron')} porque la ley nos obliga a ${n('preservarlo', 'preservarlos')} tal como ${n('está', 'están')} para un asunto legal (retención legal).`;
      case 'shared': return erasure
        ? `${subject} también ${n('pertenece', 'pertenecen')} a otra persona: ${n('se conserva', 'se conservan')} hasta que nuestro personal ${lo} revise.`
        : `${subject} también ${n('pertenece', 'pertenecen')} a otra persona: nuestro personal ${lo} revisará antes de cambiar nada.`;
      case 'staff': {
        const act = type === 'correct' ? `${lo} corregirá` : type === 'opt_out' || type === 'limit' ? 'aplicará su elección' : `${lo} eliminará`;
        return `${subject} no se ${n('pudo', 'pudieron')} cambiar directamente: nuestro personal ${act}.`;
      }
      case 'skipped': return `${subject} no se ${n('cambió', 'cambiaron')} en esta solicitud.`;
      case 'no_control': return `${subject} no se ${n('pudo', 'pudieron')} cambiar automáticamente: nuestro personal se encargará.`;
    }
  },
};

const WORDS: Record<Locale, Words> = { en: EN, es: ES };

function where(w: Words, places: KeptGroup['places']): string {
  const bySystem = new Map<string, string[]>();
  for (const p of places) bySystem.set(p.systemName, [...(bySystem.get(p.systemName) ?? []), p.collection]);
  return joinAnd([...bySystem].map(([s, cols]) => w.place(s, cols)), w.and);
}

function changeParts(w: Words, c: { deleted: number; masked: number; updated: number }): string[] {
  return [...(c.deleted ? [w.deleted(c.deleted)] : []), ...(c.masked ? [w.masked(c.masked)] : []), ...(c.updated ? [w.updated(c.updated)] : [])];
}

const lineText = (w: Words, l: ResultLine, parts: string) => `${w.place(l.systemName, [l.collection])}: ${parts}.`;

function keptBlock(w: Words, s: ResultSummary): Block {
  return { intro: w.keptIntro(s.type), list: s.kept.map((g) => w.kept(g, where(w, g.places), s.type)) };
}

/** The deletion result (delete, delete_pii): what was deleted or had its personal details removed, what was kept and why. */
export function deletionResultText(s: ResultSummary, locale: Locale, opts: { processorsTold: boolean }): ResultText {
  const w = WORDS[locale];
  const blocks: Block[] = [];
  if (s.lines.length) {
    blocks.push({ intro: w.didIntro, list: s.lines.map((l) => lineText(w, l, changeParts(w, l).join('; '))) });
    if (s.lines.length > 1) blocks.push({ p: w.inTotal(changeParts(w, s.totals)) });
    if (s.verified) blocks.push({ p: w.checked(s.type) });
  } else {
    blocks.push({ p: s.kept.length ? w.nothingRemoved : w.nothingFound(s.type) });
  }
  if (s.kept.length) blocks.push(keptBlock(w, s));
  if (opts.processorsTold) blocks.push({ p: w.processorsTold });
  return render(blocks);
}

/** The correction result: which kinds of information changed, where, and the applied count. */
export function correctionResultText(s: ResultSummary, locale: Locale): ResultText {
  const w = WORDS[locale];
  const cats = [...new Set(s.categories.map((c) => categoryWords(c, locale)))];
  const blocks: Block[] = [{ p: cats.length ? w.corrected(joinAnd(cats, w.and)) : w.correctedGeneric }];
  blocks.push({ intro: w.correctedWhere, list: s.lines.map((l) => lineText(w, l, w.updated(l.updated))) });
  if (s.lines.length > 1) blocks.push({ p: w.updatedTotal(s.totals.updated) });
  if (s.verified) blocks.push({ p: w.checked(s.type) });
  if (s.kept.length) blocks.push(keptBlock(w, s));
  return render(blocks);
}

/** The limit result: the systems where the limit was set (applied counts). */
export function limitResultText(s: ResultSummary, locale: Locale): ResultText {
  const w = WORDS[locale];
  const blocks: Block[] = [{ intro: w.limitWhere, list: s.lines.map((l) => lineText(w, l, w.controlRows(l.updated))) }, { p: w.limitEffect }];
  if (s.verified) blocks.push({ p: w.checked(s.type) });
  if (s.kept.length) blocks.push(keptBlock(w, s));
  return render(blocks);
}

/** The opt-out confirmation: where the flag was set, or (nothing set anywhere) that the choice is recorded. */
export function optOutResultText(s: ResultSummary, locale: Locale): ResultText {
  const w = WORDS[locale];
  const blocks: Block[] = [];
  if (s.lines.length) {
    blocks.push({ intro: w.optOutWhere, list: s.lines.map((l) => lineText(w, l, w.controlRows(l.updated))) });
    if (s.verified) blocks.push({ p: w.checked(s.type) });
    blocks.push({ p: w.optOutEffect });
  } else {
    blocks.push({ p: `${s.controlMapped ? w.optOutNotFound : w.optOutNoSetting} ${w.optOutRecorded}` });
  }
  if (s.kept.length) blocks.push(keptBlock(w, s));
  return render(blocks);
}
