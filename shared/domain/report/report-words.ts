// The access report's words in English and Spanish: the page's sentences, the CCPA category names
// and the fideslang data categories' own names ("user.contact.email" -> "Email address"), the
// labels a field gets when the data map declares none. Pure.
import type { CcpaCategory } from './ccpa-categories';

export const REPORT_LOCALES = ['en', 'es'] as const;
export type ReportLocale = (typeof REPORT_LOCALES)[number];
export const asReportLocale = (v: string | null | undefined): ReportLocale => ((REPORT_LOCALES as readonly string[]).includes(v ?? '') ? v as ReportLocale : 'en');

/** fideslang category -> its name, most specific first (looked up by longest prefix). */
const CATEGORY_NAMES: Record<ReportLocale, Record<string, string>> = {
  en: {
    'user.account': 'Account details', 'user.account.settings': 'Account settings', 'user.account.username': 'Username',
    'user.authorization': 'Sign-in details', 'user.authorization.credentials': 'Password or security answer', 'user.authorization.password': 'Password',
    'user.behavior': 'Activity', 'user.behavior.browsing_history': 'Pages you visited', 'user.behavior.media_consumption': 'What you watched or listened to',
    'user.behavior.purchase_history': 'Purchase history', 'user.behavior.search_history': 'Searches',
    'user.biometric': 'Biometric data', 'user.biometric.fingerprint': 'Fingerprint', 'user.biometric.health': 'Biometric health data',
    'user.childrens': 'Information about a child',
    'user.contact': 'Contact details', 'user.contact.address': 'Postal address', 'user.contact.address.street': 'Street address',
    'user.contact.address.city': 'City', 'user.contact.address.state': 'State or province', 'user.contact.address.postal_code': 'Postal code',
    'user.contact.address.country': 'Country', 'user.contact.email': 'Email address', 'user.contact.fax_number': 'Fax number',
    'user.contact.organization': 'Organization', 'user.contact.phone_number': 'Phone number', 'user.contact.url': 'Web address',
    'user.content': 'Content you gave us', 'user.content.private': 'Messages you sent us', 'user.content.public': 'What you posted publicly',
    'user.content.self_image': 'Photos or videos of you',
    'user.criminal_history': 'Criminal history',
    'user.demographic': 'Personal characteristics', 'user.demographic.age_range': 'Age range', 'user.demographic.date_of_birth': 'Date of birth',
    'user.demographic.gender': 'Gender', 'user.demographic.language': 'Language', 'user.demographic.marital_status': 'Marital status',
    'user.demographic.political_opinion': 'Political opinion', 'user.demographic.profile': 'Profile', 'user.demographic.race_ethnicity': 'Race or ethnicity',
    'user.demographic.religious_belief': 'Religious belief', 'user.demographic.sexual_orientation': 'Sexual orientation',
    'user.device': 'Device information', 'user.device.browser': 'Browser', 'user.device.cookie': 'Cookie', 'user.device.cookie_id': 'Cookie identifier',
    'user.device.device_id': 'Device identifier', 'user.device.ip_address': 'IP address',
    'user.education': 'Education', 'user.employment': 'Employment', 'user.job_title': 'Job title', 'user.workplace': 'Workplace',
    'user.financial': 'Financial information', 'user.financial.account_number': 'Account number', 'user.financial.bank_account': 'Bank account number',
    'user.financial.credit_card': 'Payment card number',
    'user.genetic': 'Genetic data',
    'user.government_id': 'Government-issued identification number', 'user.government_id.drivers_license_number': "Driver's licence number",
    'user.government_id.national_identification_number': 'National identification number', 'user.government_id.passport_number': 'Passport number',
    'user.government_id.immigration': 'Immigration status',
    'user.health_and_medical': 'Health information',
    'user.inference': 'What we inferred about you', 'user.inference.profile': 'Profile we inferred',
    'user.location': 'Location', 'user.location.imprecise': 'Approximate location', 'user.location.precise': 'Precise location',
    'user.name': 'Name', 'user.name.first': 'First name', 'user.name.last': 'Last name',
    'user.payment': 'Payment information', 'user.privacy_preferences': 'Privacy choices', 'user.sensor': 'Sensor data',
    'user.social': 'Social media activity', 'user.telemetry': 'How you used our app',
    'user.commercial': 'Purchases', 'user.commercial.purchase': 'Purchase',
    'user.unique_id': 'Customer number', 'user.unique_id.pseudonymous': 'Pseudonymous identifier',
  },
  es: {
    'user.account': 'Datos de la cuenta', 'user.account.settings': 'Ajustes de la cuenta', 'user.account.username': 'Nombre de usuario',
    'user.authorization': 'Datos de acceso', 'user.authorization.credentials': 'Contraseña o respuesta de seguridad', 'user.authorization.password': 'Contraseña',
    'user.behavior': 'Actividad', 'user.behavior.browsing_history': 'Páginas que visitó', 'user.behavior.media_consumption': 'Lo que vio o escuchó',
    'user.behavior.purchase_history': 'Historial de compras', 'user.behavior.search_history': 'Búsquedas',
    'user.biometric': 'Datos biométricos', 'user.biometric.fingerprint': 'Huella dactilar', 'user.biometric.health': 'Datos biométricos de salud',
    'user.childrens': 'Información sobre un menor',
    'user.contact': 'Datos de contacto', 'user.contact.address': 'Dirección postal', 'user.contact.address.street': 'Dirección',
    'user.contact.address.city': 'Ciudad', 'user.contact.address.state': 'Estado o provincia', 'user.contact.address.postal_code': 'Código postal',
    'user.contact.address.country': 'País', 'user.contact.email': 'Correo electrónico', 'user.contact.fax_number': 'Número de fax',
    'user.contact.organization': 'Organización', 'user.contact.phone_number': 'Número de teléfono', 'user.contact.url': 'Dirección web',
    'user.content': 'Contenido que nos dio', 'user.content.private': 'Mensajes que nos envió', 'user.content.public': 'Lo que publicó',
    'user.content.self_image': 'Fotos o vídeos suyos',
    'user.criminal_history': 'Antecedentes penales',
    'user.demographic': 'Características personales', 'user.demographic.age_range': 'Franja de edad', 'user.demographic.date_of_birth': 'Fecha de nacimiento',
    'user.demographic.gender': 'Género', 'user.demographic.language': 'Idioma', 'user.demographic.marital_status': 'Estado civil',
    'user.demographic.political_opinion': 'Opinión política', 'user.demographic.profile': 'Perfil', 'user.demographic.race_ethnicity': 'Raza u origen étnico',
    'user.demographic.religious_belief': 'Creencias religiosas', 'user.demographic.sexual_orientation': 'Orientación sexual',
    'user.device': 'Información del dispositivo', 'user.device.browser': 'Navegador', 'user.device.cookie': 'Cookie', 'user.device.cookie_id': 'Identificador de cookie',
    'user.device.device_id': 'Identificador del dispositivo', 'user.device.ip_address': 'Dirección IP',
    'user.education': 'Formación', 'user.employment': 'Empleo', 'user.job_title': 'Puesto de trabajo', 'user.workplace': 'Lugar de trabajo',
    'user.financial': 'Información financiera', 'user.financial.account_number': 'Número de cuenta', 'user.financial.bank_account': 'Número de cuenta bancaria',
    'user.financial.credit_card': 'Número de tarjeta de pago',
    'user.genetic': 'Datos genéticos',
    'user.government_id': 'Número de identificación oficial', 'user.government_id.drivers_license_number': 'Número de permiso de conducir',
    'user.government_id.national_identification_number': 'Número de identificación nacional', 'user.government_id.passport_number': 'Número de pasaporte',
    'user.government_id.immigration': 'Situación migratoria',
    'user.health_and_medical': 'Información de salud',
    'user.inference': 'Lo que dedujimos sobre usted', 'user.inference.profile': 'Perfil deducido',
    'user.location': 'Ubicación', 'user.location.imprecise': 'Ubicación aproximada', 'user.location.precise': 'Ubicación precisa',
    'user.name': 'Nombre', 'user.name.first': 'Nombre de pila', 'user.name.last': 'Apellidos',
    'user.payment': 'Información de pago', 'user.privacy_preferences': 'Opciones de privacidad', 'user.sensor': 'Datos de sensores',
    'user.social': 'Actividad en redes sociales', 'user.telemetry': 'Cómo usó nuestra aplicación',
    'user.commercial': 'Compras', 'user.commercial.purchase': 'Compra',
    'user.unique_id': 'Número de cliente', 'user.unique_id.pseudonymous': 'Identificador seudónimo',
  },
};

/** The name of a fideslang category (its most specific named ancestor), or null when none is named (system.*, unknown). */
export function categoryName(fidesCategory: string, locale: ReportLocale): string | null {
  const names = CATEGORY_NAMES[locale];
  let c = fidesCategory.trim().toLowerCase();
  while (c) {
    const hit = names[c];
    if (hit) return hit;
    const dot = c.lastIndexOf('.');
    if (dot <= 0) return null;
    c = c.slice(0, dot);
  }
  return null;
}

export const CCPA_LABELS_ES: Record<CcpaCategory, string> = {
  A: 'Identificadores',
  B: 'Registros de cliente (Cal. Civ. Code §1798.80(e))',
  C: 'Características de clasificaciones protegidas',
  D: 'Información comercial',
  E: 'Información biométrica',
  F: 'Actividad en internet u otras redes electrónicas',
  G: 'Datos de geolocalización',
  H: 'Información sonora, electrónica, visual, térmica, olfativa o similar',
  I: 'Información profesional o laboral',
  J: 'Información educativa',
  K: 'Inferencias para crear un perfil',
  L: 'Información personal sensible',
};

/** The §7024(d) kinds (withheld-pieces.ts) in Spanish; English uses the kind's own label. */
export const WITHHELD_KINDS_ES: Record<string, string> = {
  government_id: 'un número de identificación oficial (como un número de la Seguridad Social, de permiso de conducir o de pasaporte)',
  financial_account: 'un número de cuenta financiera o de tarjeta de pago',
  medical_id: 'un número de identificación médica o de seguro de salud',
  credentials: 'una contraseña o una pregunta y respuesta de seguridad',
  biometric: 'datos biométricos únicos',
};

export interface ReportWords {
  title(business: string): string; heading(business: string): string;
  reference: string; received: string; generated: string; timesIn: (zone: string) => string;
  introPieces: string; introCategories: string;
  cardCategories: string; cardSystems: string; cardRecords: string; cardPieces: string;
  sharedNote: (n: number) => string; withheldIntro: string; withheldTail: (many: boolean) => string; unavailable: (n: number, names: string) => string;
  whatWeHold: string; nothingFound: string; categoriesHeading: string; categoriesCaption: string;
  colLetter: string; colCategory: string; colCollected: string; colWhat: string; notCollected: string; yes: string; no: string;
  sources: string; purposes: string; recipients: string; categoriesOf: string; noRecipients: string; notDeclared: string;
  record: (i: number, n: number) => string; records: (n: number) => string; colInformation: string; colValue: string; colRecords: string;
  recordDetails: string; categoriesOnlyNote: string; footer: (ref: string) => string; staffNote: string;
  withheldValue: string;
  /** Sold / shared / disclosed for a business purpose (§1798.115). */
  disclosedHeading: string; disclosedCaption: string; colSold: string; colShared: string; colBusinessPurpose: string;
  notSold: string; notShared: string; notDisclosed: string; notItemised: (recipients: string) => string;
}

const EN: ReportWords = {
  title: (b) => `Your personal information - ${b}`,
  heading: (b) => `Your personal information held by ${b}`,
  reference: 'Request reference', received: 'received', generated: 'report generated', timesIn: (z) => `Times are shown in your time zone (${z}).`,
  introPieces: 'This report answers your request to know what personal information we hold about you: what we hold in each of our systems, where we got it, why we use it, who we disclosed it to, and the specific pieces of information we found.',
  introCategories: 'This report answers your request to know what personal information we hold about you: the kinds of information we hold in each of our systems, where we got it, why we use it and who we disclosed it to.',
  cardCategories: 'categories of personal information', cardSystems: 'systems', cardRecords: 'records', cardPieces: 'pieces of information',
  sharedNote: (n) => `${n} record${n === 1 ? '' : 's'} also concern${n === 1 ? 's' : ''} another person and ${n === 1 ? 'is' : 'are'} not included, to protect that person's privacy. Contact us if you need more information about ${n === 1 ? 'it' : 'them'}.`,
  withheldIntro: 'We hold',
  withheldTail: (many) => `The law does not let us send ${many ? 'these' : 'it'} in a report, so that a lost or stolen report cannot be used to take over your identity or accounts; ${many ? 'they are' : 'it is'} listed below without ${many ? 'their values' : 'its value'}.`,
  unavailable: (n, names) => `${n} system${n === 1 ? '' : 's'} could not be searched when this report was generated (${names}); we will send you an update.`,
  whatWeHold: 'What we hold about you', nothingFound: 'We found no personal information about you in our systems.',
  categoriesHeading: 'Categories of personal information', categoriesCaption: 'The categories of personal information the California Consumer Privacy Act names, and whether we hold information of each kind about you.',
  colLetter: 'Cat.', colCategory: 'Category', colCollected: 'We hold it', colWhat: 'What it is', notCollected: 'Not collected', yes: 'Yes', no: 'No',
  sources: 'Where we got it', purposes: 'Why we use it', recipients: 'Who we disclosed it to', categoriesOf: 'Categories',
  noRecipients: 'We did not disclose it to anyone', notDeclared: 'Not declared yet (staff must declare it before the report is sent)',
  record: (i, n) => `Record ${i} of ${n}`, records: (n) => `${n} record${n === 1 ? '' : 's'}`, colInformation: 'Information', colValue: 'What we hold', colRecords: 'Records',
  recordDetails: 'Record details',
  categoriesOnlyNote: 'This report lists the kinds of personal information we hold about you and where. To receive the specific pieces of information, we must first verify your identity to a higher degree (3 matching data points and a signed declaration, CCPA regulations §7062). Contact us (the details are in our privacy notice) if you want them.',
  footer: (ref) => `Machine-readable copies of this report are attached as JSON and CSV (request ${ref}).`,
  staffNote: 'Staff copy: the data-map field of each piece is shown beside its label. The consumer\'s copy shows the labels only.',
  withheldValue: 'Not shown: for your security this is never sent',
  disclosedHeading: 'Sold, shared or disclosed for a business purpose',
  disclosedCaption: 'For each category of personal information we hold about you: whether we sold it, shared it for cross-context behavioral advertising, or disclosed it for a business purpose in the past 12 months, and to which categories of recipients (California Civil Code §1798.115).',
  colSold: 'Sold to', colShared: 'Shared for cross-context behavioral advertising with', colBusinessPurpose: 'Disclosed for a business purpose to',
  notSold: 'Not sold', notShared: 'Not shared', notDisclosed: 'Not disclosed',
  notItemised: (r) => `Disclosed to ${r}; we have not yet stated which of these applies`,
};

const ES: ReportWords = {
  title: (b) => `Su información personal - ${b}`,
  heading: (b) => `Su información personal en ${b}`,
  reference: 'Referencia de la solicitud', received: 'recibida', generated: 'informe generado', timesIn: (z) => `Las horas se muestran en su zona horaria (${z}).`,
  introPieces: 'Este informe responde a su solicitud de saber qué información personal tenemos sobre usted: qué tenemos en cada uno de nuestros sistemas, de dónde la obtuvimos, para qué la usamos, a quién la comunicamos y los datos concretos que encontramos.',
  introCategories: 'Este informe responde a su solicitud de saber qué información personal tenemos sobre usted: los tipos de información que tenemos en cada uno de nuestros sistemas, de dónde la obtuvimos, para qué la usamos y a quién la comunicamos.',
  cardCategories: 'categorías de información personal', cardSystems: 'sistemas', cardRecords: 'registros', cardPieces: 'datos',
  sharedNote: (n) => `${n} registro${n === 1 ? '' : 's'} también ${n === 1 ? 'se refiere' : 'se refieren'} a otra persona y no se ${n === 1 ? 'incluye' : 'incluyen'}, para proteger su privacidad. Contáctenos si necesita más información.`,
  withheldIntro: 'Tenemos',
  withheldTail: (many) => `La ley no nos permite enviar${many ? 'los' : 'lo'} en un informe, para que un informe perdido o robado no sirva para suplantar su identidad o acceder a sus cuentas; ${many ? 'se listan' : 'se lista'} abajo sin su valor.`,
  unavailable: (n, names) => `No se ${n === 1 ? 'pudo' : 'pudieron'} consultar ${n} sistema${n === 1 ? '' : 's'} al generar este informe (${names}); le enviaremos una actualización.`,
  whatWeHold: 'Qué tenemos sobre usted', nothingFound: 'No encontramos información personal sobre usted en nuestros sistemas.',
  categoriesHeading: 'Categorías de información personal', categoriesCaption: 'Las categorías de información personal que nombra la Ley de Privacidad del Consumidor de California y si tenemos información de cada tipo sobre usted.',
  colLetter: 'Cat.', colCategory: 'Categoría', colCollected: 'La tenemos', colWhat: 'Qué es', notCollected: 'No recopilada', yes: 'Sí', no: 'No',
  sources: 'De dónde la obtuvimos', purposes: 'Para qué la usamos', recipients: 'A quién la comunicamos', categoriesOf: 'Categorías',
  noRecipients: 'No la comunicamos a nadie', notDeclared: 'Aún no declarado (el equipo debe declararlo antes de enviar el informe)',
  record: (i, n) => `Registro ${i} de ${n}`, records: (n) => `${n} registro${n === 1 ? '' : 's'}`, colInformation: 'Información', colValue: 'Lo que tenemos', colRecords: 'Registros',
  recordDetails: 'Datos del registro',
  categoriesOnlyNote: 'Este informe indica los tipos de información personal que tenemos sobre usted y dónde. Para recibir los datos concretos, antes debemos verificar su identidad con más seguridad (3 datos coincidentes y una declaración firmada, reglamento de la CCPA §7062). Contáctenos (los datos están en nuestro aviso de privacidad) si los desea.',
  footer: (ref) => `Se adjuntan copias legibles por máquina de este informe en JSON y CSV (solicitud ${ref}).`,
  staffNote: 'Copia para el equipo: junto a cada dato se muestra su campo del mapa de datos. La copia del consumidor muestra solo las etiquetas.',
  withheldValue: 'No se muestra: por su seguridad nunca se envía',
  disclosedHeading: 'Vendida, compartida o comunicada con un fin empresarial',
  disclosedCaption: 'Para cada categoría de información personal que tenemos sobre usted: si la vendimos, la compartimos para publicidad conductual entre contextos o la comunicamos con un fin empresarial en los últimos 12 meses, y a qué categorías de destinatarios (Código Civil de California §1798.115).',
  colSold: 'Vendida a', colShared: 'Compartida para publicidad conductual entre contextos con', colBusinessPurpose: 'Comunicada con un fin empresarial a',
  notSold: 'No vendida', notShared: 'No compartida', notDisclosed: 'No comunicada',
  notItemised: (r) => `Comunicada a ${r}; aún no hemos indicado cuál de estos casos corresponde`,
};

export const reportWords = (locale: ReportLocale): ReportWords => (locale === 'es' ? ES : EN);
