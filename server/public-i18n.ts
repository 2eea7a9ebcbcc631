// The privacy center's words in English and Spanish (the email locales). Pages pick the locale from
// ?lang=, the form's hidden field, else Accept-Language; every text a page shows comes from here.
import { JURISDICTIONS, type CaseStatus, type CaseType, type Jurisdiction } from '../shared/domain/case';
import { JURISDICTION_RULES } from '../shared/domain/jurisdiction-rules';
import type { PublicLocale } from '../shared/app/contract/public';
import { DELETE_CATEGORIES } from '../shared/app/contract/public';

type Cat = (typeof DELETE_CATEGORIES)[number];

export interface Words {
  langName: string; otherLang: string; title: string; intro: string; chooseRight: string; continue: string;
  rights: Record<CaseType, { title: string; hint: string }>;
  appealLink: string; statusLink: string; gpcBanner: string; gpcButton: string; gpcTitle: string; gpcEmailHint: string; gpcDoneTitle: string; gpcDoneBody: string; gpcNoSignal: string;
  formTitle: (right: string) => string; back: string; aboutYou: string;
  jurisdiction: string; jurisdictionHint: string; email: string; emailHint: string; phone: string; phoneHint: string;
  codeBy: string; codeBySms: string; codeByVoice: string; name: string; optional: string;
  specificPieces: string; specificPiecesHint: string; categories: string; categoryNames: Record<Cat, string>;
  correctionField: string; correctionValue: string;
  agentLink: string; agentTitle: string; agentIntro: string; agentName: string; agentEmail: string; agentOrg: string;
  agentDoc: string; agentDocHint: string; honeypot: string; submit: string; working: string;
  errorSummary: string; errors: Record<string, string>;
  sentTitle: string; sentBody: (ref: string, by: string) => string; sentBySms: string; sentByVoice: string; sentByEmail: string;
  noVerifyTitle: string; noVerifyBody: (ref: string) => string; reference: string; code: string; codeHint: string; verify: string; resend: string;
  wrongCode: (left: number) => string; lockedCode: string;
  statusTitle: string; statusIntro: string; sendCode: string; codeSentIfKnown: string; open: string;
  statusFields: { type: string; status: string; received: string; respondBy: string; extended: string; pending: string; messages: string; none: string };
  pending: { verify: string; awaiting_consumer: string };
  statuses: Record<CaseStatus, string>; sessionNote: (minutes: number) => string; refresh: string;
  tooMany: string; notFound: string; failed: string; reportTitle: string; reportBody: (ref: string, until: string) => string;
  confirmTitle: string; confirmBody: string; confirmButton: string; thanks: string; thanksBody: (ref: string) => string;
  linkInvalid: string; linkGone: string; skip: string; yes: string; no: string;
  /** The jurisdiction selector's empty first choice. */
  chooseJurisdiction: string;
  higherTitle: string; higherIntro: string; postalCode: string; birthDate: string; birthDateHint: string; declarationName: string; higherSubmit: string;
  higherMismatch: (left: number) => string; higherLocked: string; higherErrors: Record<string, string>;
  /** Names of the messages sent, by template (the status page); others show as their template id in words. */
  messageNames: Record<string, string>;
  /** Appealing a refusal on the status page. */
  appealTitle: string; appealIntro: (days: number) => string; appealReason: string; appealReasonHint: string; appealSubmit: string;
  appealFiledTitle: string; appealFiledBody: (due: string) => string; appealReceived: string; appealRespondBy: string;
  appealStatuses: Record<'open' | 'granted' | 'upheld', string>; appealAlready: string; appealNotPossible: string; appealReopened: (ref: string) => string;
  appealErrors: Record<string, string>; noAppealTitle: string;
}

const en: Words = {
  langName: 'English', otherLang: 'Español', title: 'Your privacy choices',
  intro: 'Ask us what personal information we hold about you, to delete or correct it, or to stop selling or sharing it. We answer within the time the law gives us and never charge for it.',
  chooseRight: 'What would you like to do?', continue: 'Continue',
  rights: {
    access: { title: 'Know and get a copy of my personal information', hint: 'We send you a report of what we hold, where it came from and who we shared it with.' },
    delete: { title: 'Delete my personal information', hint: 'We delete what we hold about you, except what the law requires us to keep.' },
    delete_pii: { title: 'Delete some kinds of my personal information', hint: 'Choose the categories to delete; we keep the rest.' },
    opt_out: { title: 'Do not sell or share my personal information', hint: 'No verification needed. Opt out of sale, sharing and targeted advertising.' },
    correct: { title: 'Correct my personal information', hint: 'Tell us what is wrong and the correct value.' },
    limit: { title: 'Limit the use of my sensitive personal information', hint: 'No verification needed. We use it only for what you asked for.' },
  },
  appealLink: 'Appeal a decision on an earlier request', statusLink: 'Check a request you made',
  gpcBanner: 'Your browser sends the Global Privacy Control signal. We treat it as a request to opt out of sale and sharing.',
  gpcButton: 'Opt out now', gpcTitle: 'Your browser asks us not to sell or share',
  gpcEmailHint: 'So we can apply the opt-out to your account and the records we hold under this address. No code is needed.',
  gpcDoneTitle: 'Your opt-out is recorded', gpcDoneBody: 'We stop selling or sharing the personal information we hold under this address. We honour the signal of your browser on our site as well.',
  gpcNoSignal: 'Your browser did not send the Global Privacy Control signal. Use the request "Do not sell or share my personal information" below instead.',
  formTitle: (r) => r, back: 'Choose another request', aboutYou: 'About you',
  jurisdiction: 'Where do you live?', jurisdictionHint: 'Your state or country decides the rules and deadlines of your request.',
  email: 'Email address', emailHint: 'We send a one-time code to this address to confirm the request is yours.',
  phone: 'Phone number', phoneHint: 'Only if you have no email: international format, e.g. +1 415 555 0123.',
  codeBy: 'Without email, send the code by', codeBySms: 'Text message', codeByVoice: 'Voice call (landlines)',
  name: 'Full name', optional: '(optional)',
  specificPieces: 'I want the specific pieces of information, not only the categories',
  specificPiecesHint: 'This needs a stronger check of your identity and a signed declaration.',
  categories: 'Which kinds of information should we delete?',
  categoryNames: { contact: 'Contact details', orders: 'Order history', marketing: 'Marketing preferences and profiles', support: 'Support conversations', device: 'Device and browsing data', location: 'Location data' },
  correctionField: 'What is wrong?', correctionValue: 'The correct value',
  agentLink: 'I am an authorized agent making this request for someone else',
  agentTitle: 'Authorized agent', agentIntro: 'The details above are those of the person you act for. Upload their signed permission.',
  agentName: 'Your name (the agent)', agentEmail: 'Your email', agentOrg: 'Organization', agentDoc: 'Signed permission',
  agentDocHint: 'PDF, PNG or JPEG, at most 10 MB. It is stored encrypted.',
  honeypot: 'Leave this field empty', submit: 'Send request', working: 'Sending…',
  errorSummary: 'Please correct the following', errors: {
    email: 'Enter a valid email address, or a phone number.', phone: 'Enter a valid phone number in international format, e.g. +14155550123.',
    jurisdiction: 'Choose where you live.', type: 'Choose a request.', categories: 'Choose at least one category.',
    'correction.field': 'Say what is wrong.', 'correction.value': 'Give the correct value.', correction: 'Say what is wrong and give the correct value.',
    'agent.name': 'Enter your name.', 'agent.email': 'Enter a valid email address.', 'agent.document': 'Upload the signed permission (PDF, PNG or JPEG, at most 10 MB).',
    name: 'Enter your name.', code: 'Enter the code from the message we sent.', reference: 'Enter a reference like PD-20260302-AB12CD.',
  },
  sentTitle: 'Check your messages', sentBody: (ref, by) => `Your request has the reference ${ref}. We sent a one-time code ${by}. Enter it below to confirm the request is yours; it is valid for 10 minutes.`,
  sentBySms: 'by text message', sentByVoice: 'in a phone call', sentByEmail: 'by email',
  noVerifyTitle: 'We received your request', noVerifyBody: (ref) => `Your request has the reference ${ref}. We act on it without asking you to prove who you are. Keep the reference to check on it.`,
  reference: 'Request reference', code: 'One-time code', codeHint: 'Six digits.', verify: 'Confirm', resend: 'Send a new code',
  wrongCode: (n) => `That code is not right or no longer valid. ${n} ${n === 1 ? 'try' : 'tries'} left; you can ask for a new code.`, lockedCode: 'Too many wrong codes. Our staff will contact you to verify your request another way.',
  statusTitle: 'Check a request', statusIntro: 'Enter your reference. We send a fresh one-time code to the email or phone of the request; nothing is shown without it.',
  sendCode: 'Send me a code', codeSentIfKnown: 'If the reference is ours, we sent a one-time code to the email or phone number of the request.', open: 'Show the status',
  statusFields: { type: 'Request', status: 'Status', received: 'Received', respondBy: 'We answer by', extended: 'Deadline extended', pending: 'Waiting for you', messages: 'Messages we sent', none: 'Nothing' },
  pending: { verify: 'Confirm the request with the code we sent you.', awaiting_consumer: 'We asked you for something by email; please answer it.' },
  statuses: {
    received: 'Received', acknowledged: 'Received', verifying: 'Waiting for you to confirm your identity', verified: 'Identity confirmed',
    discovering: 'Finding your information', in_review: 'Being reviewed', approved: 'Approved', executing: 'Being carried out', checking: 'Being checked',
    responding: 'Preparing our answer', closed: 'Completed', denied: 'Declined', on_hold: 'Paused',
  },
  sessionNote: (m) => `This page stays open for ${m} minutes. After that, ask for a new code.`, refresh: 'Refresh',
  tooMany: 'Too many requests from your connection. Please wait an hour and try again.', notFound: 'There is nothing here.',
  failed: 'Something went wrong on our side. Please try again later.', reportTitle: 'Your personal information report',
  reportBody: (ref, until) => `Reference ${ref}. This link works until ${until}.`,
  confirmTitle: 'Confirm the deletion', confirmBody: 'Press the button to confirm that you deleted the personal information named in our request.',
  confirmButton: 'I confirm the deletion', thanks: 'Thank you', thanksBody: (ref) => `Your confirmation for request ${ref} is recorded.`,
  linkInvalid: 'Link not valid', linkGone: 'Link no longer valid', skip: 'Skip to the form', yes: 'Yes', no: 'No',
  chooseJurisdiction: 'Choose your state or country',
  higherTitle: 'Confirm your identity further', higherIntro: 'Your request asks for the specific pieces of information we hold, so the law asks us to check more than the code: give one or more details we hold about you, and sign the declaration.',
  postalCode: 'Postal code', birthDate: 'Date of birth', birthDateHint: 'As on your account, e.g. 1990-04-21.', declarationName: 'Your full name (your signature)', higherSubmit: 'Sign and confirm',
  higherMismatch: (n) => `These details do not match what we hold. ${n} ${n === 1 ? 'try' : 'tries'} left.`,
  higherLocked: 'The details did not match too many times. Our staff will contact you to verify your request another way.',
  higherErrors: { phone: 'Give at least one more detail we hold about you.', birthDate: 'Enter a date like 1990-04-21.', declaration: 'Tick the declaration to sign it.', declarationName: 'Type your full name to sign.' },
  messageNames: {
    acknowledgement: 'We received your request', 'access-report': 'Your personal information report', 'deletion-result': 'The result of your deletion request',
    'request-result': 'The result of your request', 'opt-out-confirmation': 'Your opt-out is recorded', 'extension-notice': 'We need more time (deadline extended)',
    'hold-notice': 'Your request is paused', denial: 'We could not grant your request', 'appeal-granted': 'Your appeal was granted',
    'appeal-upheld': 'Your appeal was decided', 'appeal-extension': 'We need more time for your appeal',
  },
  appealTitle: 'Appeal this decision',
  appealIntro: (n) => `If you disagree with our decision, you can appeal it. Tell us why, and we answer you in writing within ${n} days of receiving your appeal.`,
  appealReason: 'Why do you disagree?', appealReasonHint: 'At most 2000 characters. Do not include passwords or card numbers.', appealSubmit: 'Send my appeal',
  appealFiledTitle: 'Your appeal', appealFiledBody: (due) => `We received your appeal and will answer you in writing by ${due}.`,
  appealReceived: 'Appeal received', appealRespondBy: 'We answer your appeal by',
  appealStatuses: { open: 'Being reviewed', granted: 'Granted: we are handling your request again', upheld: 'Decided: our decision stands' },
  appealAlready: 'You have already appealed this decision; its answer is shown below.', appealReopened: (ref) => `We are handling your request again under reference ${ref}; you can follow it on this page with that reference.`, appealNotPossible: 'This decision cannot be appealed here.',
  appealErrors: { reason: 'Tell us why you disagree (at most 2000 characters).' },
  noAppealTitle: 'If you disagree with our decision',
};

const es: Words = {
  langName: 'Español', otherLang: 'English', title: 'Sus opciones de privacidad',
  intro: 'Pídanos saber qué información personal tenemos sobre usted, eliminarla o corregirla, o dejar de venderla o compartirla. Respondemos en el plazo que fija la ley y sin costo.',
  chooseRight: '¿Qué desea hacer?', continue: 'Continuar',
  rights: {
    access: { title: 'Saber qué información personal tienen y obtener una copia', hint: 'Le enviamos un informe de lo que tenemos, de dónde viene y con quién lo compartimos.' },
    delete: { title: 'Eliminar mi información personal', hint: 'Eliminamos lo que tenemos sobre usted, salvo lo que la ley nos obliga a conservar.' },
    delete_pii: { title: 'Eliminar algunos tipos de mi información personal', hint: 'Elija las categorías a eliminar; conservamos el resto.' },
    opt_out: { title: 'No vender ni compartir mi información personal', hint: 'Sin verificación. Excluirse de la venta, el intercambio y la publicidad dirigida.' },
    correct: { title: 'Corregir mi información personal', hint: 'Díganos qué está mal y el valor correcto.' },
    limit: { title: 'Limitar el uso de mi información personal sensible', hint: 'Sin verificación. La usamos solo para lo que usted pidió.' },
  },
  appealLink: 'Apelar una decisión sobre una solicitud anterior', statusLink: 'Consultar una solicitud que hizo',
  gpcBanner: 'Su navegador envía la señal Global Privacy Control. La tratamos como una solicitud de no vender ni compartir.',
  gpcButton: 'Excluirme ahora', gpcTitle: 'Su navegador nos pide no vender ni compartir',
  gpcEmailHint: 'Para aplicar la exclusión a su cuenta y a los registros que tenemos con esta dirección. No hace falta ningún código.',
  gpcDoneTitle: 'Su exclusión quedó registrada', gpcDoneBody: 'Dejamos de vender o compartir la información personal que tenemos con esta dirección. También respetamos la señal de su navegador en nuestro sitio.',
  gpcNoSignal: 'Su navegador no envió la señal Global Privacy Control. Use la solicitud «No vender ni compartir mi información personal» de abajo.',
  formTitle: (r) => r, back: 'Elegir otra solicitud', aboutYou: 'Sus datos',
  jurisdiction: '¿Dónde vive?', jurisdictionHint: 'Su estado o país decide las reglas y los plazos de su solicitud.',
  email: 'Correo electrónico', emailHint: 'Enviamos un código de un solo uso a esta dirección para confirmar que la solicitud es suya.',
  phone: 'Número de teléfono', phoneHint: 'Solo si no tiene correo: formato internacional, p. ej. +1 415 555 0123.',
  codeBy: 'Sin correo, enviar el código por', codeBySms: 'Mensaje de texto', codeByVoice: 'Llamada de voz (teléfonos fijos)',
  name: 'Nombre completo', optional: '(opcional)',
  specificPieces: 'Quiero los datos concretos, no solo las categorías',
  specificPiecesHint: 'Esto requiere una verificación más estricta de su identidad y una declaración firmada.',
  categories: '¿Qué tipos de información debemos eliminar?',
  categoryNames: { contact: 'Datos de contacto', orders: 'Historial de pedidos', marketing: 'Preferencias y perfiles de marketing', support: 'Conversaciones de soporte', device: 'Datos de dispositivo y navegación', location: 'Datos de ubicación' },
  correctionField: '¿Qué está mal?', correctionValue: 'El valor correcto',
  agentLink: 'Soy un agente autorizado y hago esta solicitud por otra persona',
  agentTitle: 'Agente autorizado', agentIntro: 'Los datos de arriba son los de la persona a quien representa. Suba su permiso firmado.',
  agentName: 'Su nombre (el agente)', agentEmail: 'Su correo electrónico', agentOrg: 'Organización', agentDoc: 'Permiso firmado',
  agentDocHint: 'PDF, PNG o JPEG, máximo 10 MB. Se guarda cifrado.',
  honeypot: 'Deje este campo vacío', submit: 'Enviar solicitud', working: 'Enviando…',
  errorSummary: 'Corrija lo siguiente', errors: {
    email: 'Escriba un correo electrónico válido o un número de teléfono.', phone: 'Escriba un número válido en formato internacional, p. ej. +14155550123.',
    jurisdiction: 'Elija dónde vive.', type: 'Elija una solicitud.', categories: 'Elija al menos una categoría.',
    'correction.field': 'Diga qué está mal.', 'correction.value': 'Escriba el valor correcto.', correction: 'Diga qué está mal y el valor correcto.',
    'agent.name': 'Escriba su nombre.', 'agent.email': 'Escriba un correo electrónico válido.', 'agent.document': 'Suba el permiso firmado (PDF, PNG o JPEG, máximo 10 MB).',
    name: 'Escriba su nombre.', code: 'Escriba el código del mensaje que le enviamos.', reference: 'Escriba una referencia como PD-20260302-AB12CD.',
  },
  sentTitle: 'Revise sus mensajes', sentBody: (ref, by) => `Su solicitud tiene la referencia ${ref}. Le enviamos un código de un solo uso ${by}. Escríbalo abajo para confirmar que la solicitud es suya; vale 10 minutos.`,
  sentBySms: 'por mensaje de texto', sentByVoice: 'en una llamada', sentByEmail: 'por correo electrónico',
  noVerifyTitle: 'Recibimos su solicitud', noVerifyBody: (ref) => `Su solicitud tiene la referencia ${ref}. La atendemos sin pedirle que demuestre quién es. Guarde la referencia para consultarla.`,
  reference: 'Referencia de la solicitud', code: 'Código de un solo uso', codeHint: 'Seis dígitos.', verify: 'Confirmar', resend: 'Enviar un código nuevo',
  wrongCode: (n) => `El código no es correcto o ya no es válido. Le ${n === 1 ? 'queda 1 intento' : `quedan ${n} intentos`}; puede pedir un código nuevo.`, lockedCode: 'Demasiados códigos incorrectos. Nuestro personal le contactará para verificar su solicitud de otra forma.',
  statusTitle: 'Consultar una solicitud', statusIntro: 'Escriba su referencia. Enviamos un código nuevo al correo o teléfono de la solicitud; sin él no se muestra nada.',
  sendCode: 'Enviarme un código', codeSentIfKnown: 'Si la referencia es nuestra, enviamos un código de un solo uso al correo o teléfono de la solicitud.', open: 'Ver el estado',
  statusFields: { type: 'Solicitud', status: 'Estado', received: 'Recibida', respondBy: 'Respondemos antes del', extended: 'Plazo ampliado', pending: 'Pendiente de usted', messages: 'Mensajes enviados', none: 'Nada' },
  pending: { verify: 'Confirme la solicitud con el código que le enviamos.', awaiting_consumer: 'Le pedimos algo por correo; por favor responda.' },
  statuses: {
    received: 'Recibida', acknowledged: 'Recibida', verifying: 'Esperando que confirme su identidad', verified: 'Identidad confirmada',
    discovering: 'Buscando su información', in_review: 'En revisión', approved: 'Aprobada', executing: 'En ejecución', checking: 'En comprobación',
    responding: 'Preparando nuestra respuesta', closed: 'Completada', denied: 'Rechazada', on_hold: 'En pausa',
  },
  sessionNote: (m) => `Esta página queda abierta ${m} minutos. Después, pida un código nuevo.`, refresh: 'Actualizar',
  tooMany: 'Demasiadas solicitudes desde su conexión. Espere una hora e inténtelo de nuevo.', notFound: 'Aquí no hay nada.',
  failed: 'Algo falló de nuestro lado. Inténtelo más tarde.', reportTitle: 'Su informe de información personal',
  reportBody: (ref, until) => `Referencia ${ref}. Este enlace funciona hasta el ${until}.`,
  confirmTitle: 'Confirmar la eliminación', confirmBody: 'Pulse el botón para confirmar que eliminó la información personal indicada en nuestra solicitud.',
  confirmButton: 'Confirmo la eliminación', thanks: 'Gracias', thanksBody: (ref) => `Su confirmación para la solicitud ${ref} quedó registrada.`,
  linkInvalid: 'Enlace no válido', linkGone: 'El enlace ya no es válido', skip: 'Ir al formulario', yes: 'Sí', no: 'No',
  chooseJurisdiction: 'Elija su estado o país',
  higherTitle: 'Confirme su identidad con más datos', higherIntro: 'Su solicitud pide los datos concretos que tenemos, por lo que la ley nos pide comprobar más que el código: indique uno o más datos que tengamos sobre usted y firme la declaración.',
  postalCode: 'Código postal', birthDate: 'Fecha de nacimiento', birthDateHint: 'Como en su cuenta, p. ej. 1990-04-21.', declarationName: 'Su nombre completo (su firma)', higherSubmit: 'Firmar y confirmar',
  higherMismatch: (n) => `Estos datos no coinciden con los que tenemos. Le ${n === 1 ? 'queda 1 intento' : `quedan ${n} intentos`}.`,
  higherLocked: 'Los datos no coincidieron demasiadas veces. Nuestro personal le contactará para verificar su solicitud de otra forma.',
  higherErrors: { phone: 'Indique al menos otro dato que tengamos sobre usted.', birthDate: 'Escriba una fecha como 1990-04-21.', declaration: 'Marque la declaración para firmarla.', declarationName: 'Escriba su nombre completo para firmar.' },
  messageNames: {
    acknowledgement: 'Recibimos su solicitud', 'access-report': 'Su informe de información personal', 'deletion-result': 'El resultado de su solicitud de eliminación',
    'request-result': 'El resultado de su solicitud', 'opt-out-confirmation': 'Su exclusión quedó registrada', 'extension-notice': 'Necesitamos más tiempo (plazo ampliado)',
    'hold-notice': 'Su solicitud está en pausa', denial: 'No pudimos atender su solicitud', 'appeal-granted': 'Su apelación fue aceptada',
    'appeal-upheld': 'Su apelación fue resuelta', 'appeal-extension': 'Necesitamos más tiempo para su apelación',
  },
  appealTitle: 'Apelar esta decisión',
  appealIntro: (n) => `Si no está de acuerdo con nuestra decisión, puede apelarla. Díganos por qué, y le respondemos por escrito en un plazo de ${n} días desde que recibamos su apelación.`,
  appealReason: '¿Por qué no está de acuerdo?', appealReasonHint: 'Como máximo 2000 caracteres. No incluya contraseñas ni números de tarjeta.', appealSubmit: 'Enviar mi apelación',
  appealFiledTitle: 'Su apelación', appealFiledBody: (due) => `Recibimos su apelación y le responderemos por escrito antes del ${due}.`,
  appealReceived: 'Apelación recibida', appealRespondBy: 'Respondemos a su apelación antes del',
  appealStatuses: { open: 'En revisión', granted: 'Aceptada: volvemos a tramitar su solicitud', upheld: 'Resuelta: mantenemos nuestra decisión' },
  appealAlready: 'Ya apeló esta decisión; su respuesta se muestra abajo.', appealReopened: (ref) => `Volvemos a tramitar su solicitud con la referencia ${ref}; puede consultarla en esta página con esa referencia.`, appealNotPossible: 'Esta decisión no se puede apelar aquí.',
  appealErrors: { reason: 'Díganos por qué no está de acuerdo (como máximo 2000 caracteres).' },
  noAppealTitle: 'Si no está de acuerdo con nuestra decisión',
};

export const WORDS: Record<PublicLocale, Words> = { en, es };

/** Spanish names where they differ from the law's English name (jurisdiction-rules.ts). */
const SPANISH_NAMES: Partial<Record<Jurisdiction, string>> = {
  NH: 'Nuevo Hampshire', NJ: 'Nueva Jersey', OR: 'Oregón', EU: 'Unión Europea', UK: 'Reino Unido',
};

/**
 * Names of the jurisdictions in the selector, derived from shared/domain/jurisdiction-rules.ts so
 * that a state added there (Florida was) is offered here without a second list.
 */
export const JURISDICTION_NAMES: Record<PublicLocale, Record<Jurisdiction, string>> = {
  en: Object.fromEntries(JURISDICTIONS.map((j) => [j, JURISDICTION_RULES[j].name])) as Record<Jurisdiction, string>,
  es: Object.fromEntries(JURISDICTIONS.map((j) => [j, SPANISH_NAMES[j] ?? JURISDICTION_RULES[j].name])) as Record<Jurisdiction, string>,
};

export function localeOf(query: string | null | undefined, acceptLanguage: string | undefined): PublicLocale {
  if (query === 'es' || query === 'en') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('es') ? 'es' : 'en';
}
