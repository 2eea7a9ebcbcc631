// What a refusal tells the consumer about the next step, per jurisdiction and locale (issue 14
// items 2 and 5): how to appeal where the state law gives an appeal (with that state's answer
// period), where else to turn where it gives none; a denied deletion offers the opt-out of sale
// and sharing (11 CCR §7022(f)(3)); the answer to an appeal (granted, or upheld naming the office
// the statute names). Pure text; the templates insert it escaped.
import type { CaseType, ConsumerLocale as Locale, Jurisdiction } from './case';
import { rulesFor } from './jurisdiction-rules';

const OTHER_ROUTE: Partial<Record<Jurisdiction, Record<Locale, string>>> = {
  CA: {
    en: 'California law gives no appeal to us, but you may reply to this email if you think we are wrong, and you may file a complaint with the California Privacy Protection Agency (https://cppa.ca.gov) or the California Attorney General (https://oag.ca.gov/privacy).',
    es: 'La ley de California no prevé una apelación ante nosotros, pero puede responder a este correo si cree que nos equivocamos, y puede presentar una queja ante la Agencia de Protección de la Privacidad de California (https://cppa.ca.gov) o el Fiscal General de California (https://oag.ca.gov/privacy).',
  },
  EU: {
    en: 'You may lodge a complaint with a data protection supervisory authority and seek a judicial remedy.',
    es: 'Puede presentar una reclamación ante una autoridad de control de protección de datos y ejercer acciones judiciales.',
  },
  UK: {
    en: 'You may complain to us by replying to this email, and to the Information Commissioner\'s Office (https://ico.org.uk), and you may seek a judicial remedy.',
    es: 'Puede reclamar respondiendo a este correo, y ante la Information Commissioner\'s Office (https://ico.org.uk), y ejercer acciones judiciales.',
  },
  UT: {
    en: 'Utah law gives no appeal of this decision; you may reply to this email if you think we are wrong, or contact the Utah Division of Consumer Protection (https://dcp.utah.gov).',
    es: 'La ley de Utah no prevé apelar esta decisión; puede responder a este correo si cree que nos equivocamos, o dirigirse a la Utah Division of Consumer Protection (https://dcp.utah.gov).',
  },
};

/** Where else to turn where the law gives no appeal (the denial email's words; also the privacy center's status page). */
export function noAppealText(jurisdiction: Jurisdiction, locale: Locale): string {
  return OTHER_ROUTE[jurisdiction]?.[locale] ?? OTHER_ROUTE.EU![locale];
}

/** The denial email's paragraph on appealing (or, with no appeal in the law, where else to turn). */
export function denialAppealText(jurisdiction: Jurisdiction, locale: Locale, contact: string, caseRef: string): string {
  const rule = rulesFor(jurisdiction).appeal;
  if (!rule) return noAppealText(jurisdiction, locale);
  const n = rule.respond.n;
  return locale === 'es'
    ? `Cómo apelar: responda a este correo o escriba a ${contact} indicando ${caseRef} y explíquenos por qué no está de acuerdo. Responderemos a su apelación por escrito en un plazo de ${n} días desde que la recibamos${rule.extension ? ` (ampliable una vez en ${rule.extension.n} días, avisándole antes)` : ''}. Si rechazamos su apelación, le indicaremos cómo presentar una queja ante ${rule.attorneyGeneral.office}.`
    : `How to appeal: reply to this email or write to ${contact}, quoting ${caseRef}, and tell us why you disagree. We will answer your appeal in writing within ${n} days of receiving it${rule.extension ? ` (once extendable by ${rule.extension.n} days, with notice to you first)` : ''}. If we deny your appeal, we will tell you how to submit a complaint to the ${rule.attorneyGeneral.office}.`;
}

/** A denied deletion offers the opt-out of sale and sharing (11 CCR §7022(f)(3)); other types: empty. */
export function denialOptOutText(type: CaseType, locale: Locale, contact: string): string {
  if (type !== 'delete' && type !== 'delete_pii') return '';
  return locale === 'es'
    ? `Aunque no podamos eliminar su información, puede pedirnos que no la vendamos ni la compartamos: responda a este correo o escriba a ${contact} con las palabras «no vender ni compartir».`
    : `Even though we cannot delete your information, you can ask us not to sell or share it: reply to this email or write to ${contact} with the words "do not sell or share".`;
}

/** The answer to an appeal, in the consumer's words. */
export function appealOutcomeText(outcome: 'granted' | 'upheld', jurisdiction: Jurisdiction, locale: Locale, newCaseRef: string | null): string {
  if (outcome === 'granted') {
    return locale === 'es'
      ? `Hemos aceptado su apelación y volvemos a tramitar su solicitud con la referencia ${newCaseRef ?? ''}. Le escribiremos con el resultado.`
      : `We have granted your appeal and are handling your request again under reference ${newCaseRef ?? ''}. We will write to you with the result.`;
  }
  const ag = rulesFor(jurisdiction).appeal?.attorneyGeneral;
  const where = ag ? `${ag.office} (${ag.website})` : '';
  return locale === 'es'
    ? `Hemos revisado su apelación y mantenemos nuestra decisión. Si no está de acuerdo, puede presentar una queja ante ${where}.`
    : `We have reviewed your appeal and our decision stands. If you have concerns about this result, you may submit a complaint to the ${where}.`;
}
