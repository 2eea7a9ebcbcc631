// Which way a code reaches a phone: a text for numbers that can take one, a call for fixed lines.
// Only E.164 numbers are accepted ("+" and the country code, as stored on the case); the line type
// is libphonenumber's (full metadata). Numbers it cannot tell apart (FIXED_LINE_OR_MOBILE, most of
// North America) get a text: a landline that cannot take it is one staff click from a voice code.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type PhoneCodeChannel = 'sms' | 'voice';
export type LineType = 'fixed-line' | 'mobile' | 'fixed-line-or-mobile' | 'other';

const E164 = /^\+[1-9]\d{6,14}$/u;

export function isE164(phone: string): boolean { return E164.test(phone); }

/** The line type of a valid E.164 number; throws for anything else (no national formats, no guessing a country). */
export function lineType(phone: string): LineType {
  if (!isE164(phone)) throw new Error('the phone number must be in E.164 form (+ and the country code, digits only)');
  const p = parsePhoneNumberFromString(phone);
  if (!p?.isValid()) throw new Error('the phone number is not a valid number');
  const t = p.getType();
  if (t === 'FIXED_LINE') return 'fixed-line';
  if (t === 'MOBILE') return 'mobile';
  if (t === 'FIXED_LINE_OR_MOBILE' || t === undefined) return 'fixed-line-or-mobile';
  return 'other';
}

/** Voice for fixed lines, a text for everything else. */
export function codeChannelFor(phone: string): PhoneCodeChannel {
  return lineType(phone) === 'fixed-line' ? 'voice' : 'sms';
}
