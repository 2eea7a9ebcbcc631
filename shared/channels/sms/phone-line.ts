// Which way a code reaches a phone: a text for numbers that can take one, a call for fixed lines.
// Only E.164 numbers are accepted ("+" and the country code, as stored on the case); the line type
// is libphonenumber's (full metadata). Numbers it cannot tell apart (FIXED_LINE_OR_MOBILE, most of
// North America) get a text: a landline that cannot take it is one staff click from a voice code.
// The full metadata (about 150 KB) is loaded at the first look-up: a process that never sends a
// code to a phone (a phone Lambda's cold start) never parses it. Only the metadata is imported
// lazily (the parser is libphonenumber's core, as for the min metadata): importing the package's
// `max` entry would keep its every export (the as-you-type formatter, the matcher) alive and load
// them with the parser.
import { parsePhoneNumberFromString } from 'libphonenumber-js/core';

export type PhoneCodeChannel = 'sms' | 'voice';
export type LineType = 'fixed-line' | 'mobile' | 'fixed-line-or-mobile' | 'other';

const E164 = /^\+[1-9]\d{6,14}$/u;

export function isE164(phone: string): boolean { return E164.test(phone); }

/** The line type of a valid E.164 number; throws for anything else (no national formats, no guessing a country). */
export async function lineType(phone: string): Promise<LineType> {
  if (!isE164(phone)) throw new Error('the phone number must be in E.164 form (+ and the country code, digits only)');
  const metadata = (await import('libphonenumber-js/max/metadata')).default;
  const p = parsePhoneNumberFromString(phone, metadata);
  if (!p?.isValid()) throw new Error('the phone number is not a valid number');
  const t = p.getType();
  if (t === 'FIXED_LINE') return 'fixed-line';
  if (t === 'MOBILE') return 'mobile';
  if (t === 'FIXED_LINE_OR_MOBILE' || t === undefined) return 'fixed-line-or-mobile';
  return 'other';
}

/** Voice for fixed lines, a text for everything else. */
export function channelForLine(kind: LineType): PhoneCodeChannel {
  return kind === 'fixed-line' ? 'voice' : 'sms';
}

/** The channel for a phone number (its line type, then channelForLine). */
export async function codeChannelFor(phone: string): Promise<PhoneCodeChannel> {
  return channelForLine(await lineType(phone));
}
