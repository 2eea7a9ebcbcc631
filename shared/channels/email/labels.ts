// Words the templates need per locale that depend on the case (request type, denial reason).
// Add a locale: add its entries here and its template files under templates/<locale>/.
import type { CaseType, DenialReason } from '../../domain/case';

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

const ACTIONS: Record<Locale, Record<CaseType, string>> = {
  en: {
    access: 'know what personal information we hold about you',
    delete: 'delete your personal information',
    delete_pii: 'remove your personal details from our records',
    opt_out: 'opt out of the sale or sharing of your personal information',
    correct: 'correct your personal information',
    limit: 'limit the use of your sensitive personal information',
  },
  es: {
    access: 'saber qué información personal tenemos sobre usted',
    delete: 'eliminar su información personal',
    delete_pii: 'eliminar sus datos personales de nuestros registros',
    opt_out: 'excluirse de la venta o el intercambio de su información personal',
    correct: 'corregir su información personal',
    limit: 'limitar el uso de su información personal sensible',
  },
};

const DENIALS: Record<Locale, Record<DenialReason, string>> = {
  en: {
    unverifiable: 'we could not verify your identity with the information provided',
    exempt: 'the information is covered by a legal exemption',
    duplicate: 'this request repeats one we have already answered',
    withdrawn: 'the request was withdrawn',
  },
  es: {
    unverifiable: 'no pudimos verificar su identidad con la información facilitada',
    exempt: 'la información está cubierta por una excepción legal',
    duplicate: 'esta solicitud repite otra que ya respondimos',
    withdrawn: 'la solicitud fue retirada',
  },
};

const FOOTERS: Record<Locale, string> = {
  en: 'This message is about your privacy request. We will never ask for your password.',
  es: 'Este mensaje trata de su solicitud de privacidad. Nunca le pediremos su contraseña.',
};

const SCOPES: Record<Locale, Record<'categories' | 'specific-pieces', string>> = {
  en: {
    'specific-pieces': 'It also lists the specific pieces of information we found.',
    categories: 'It does not include the specific pieces of information: to send those we must first verify your identity to a higher degree (three matching details and a signed declaration). Reply to this email if you want them.',
  },
  es: {
    'specific-pieces': 'También incluye los datos concretos que encontramos.',
    categories: 'No incluye los datos concretos: para enviarlos debemos verificar antes su identidad con mayor certeza (tres datos coincidentes y una declaración firmada). Responda a este correo si los desea.',
  },
};

export function asLocale(value: string | undefined | null): Locale {
  const v = (value ?? 'en').toLowerCase().slice(0, 2);
  return (LOCALES as readonly string[]).includes(v) ? (v as Locale) : 'en';
}
export const requestAction = (type: CaseType, locale: Locale): string => ACTIONS[locale][type];
export const denialReasonText = (reason: DenialReason, locale: Locale): string => DENIALS[locale][reason];
export const footerText = (locale: Locale): string => FOOTERS[locale];
export const reportScopeText = (scope: 'categories' | 'specific-pieces', locale: Locale): string => SCOPES[locale][scope];

/** How the report reaches the consumer, in text and HTML (the link is escaped by the caller). */
export function reportDelivery(locale: Locale, link: { url: string; until: string } | null): { text: string; html: (escape: (s: string) => string) => string } {
  if (!link) {
    const t = locale === 'es'
      ? 'El informe va adjunto como página legible (HTML) y como archivos JSON y CSV.'
      : 'The report is attached as a readable page (HTML) and as JSON and CSV files.';
    return { text: t, html: () => `<p>${t}</p>` };
  }
  if (locale === 'es') {
    return {
      text: `El informe es demasiado grande para adjuntarlo. Descárguelo aquí (el enlace funciona hasta el ${link.until}): ${link.url}`,
      html: (e) => `<p>El informe es demasiado grande para adjuntarlo. <a href="${e(link.url)}">Descargue su informe</a> (el enlace funciona hasta el ${e(link.until)}).</p>`,
    };
  }
  return {
    text: `The report is too large to attach. Download it here (the link works until ${link.until}): ${link.url}`,
    html: (e) => `<p>The report is too large to attach. <a href="${e(link.url)}">Download your report</a> (the link works until ${e(link.until)}).</p>`,
  };
}
