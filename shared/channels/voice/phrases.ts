// The words a status call may speak beyond the flow's own prompts, as contact attributes. Each is a
// fixed phrase chosen by code from a closed set (a category, a denial reason, a date): never text
// typed by staff or the consumer, so nothing personal can reach Connect, Polly or the call logs.
// English only, like the outbound flow; each phrase reads after "because ".
import type { DenialReason } from '../../domain/case';
import { denialReasonText } from '../email/labels';

/** What the call says after "because " for an extension (defined in the domain: the console shows it too). */
export { EXTENSION_PHRASES } from '../../domain/case';

/** What the call says after "because " for a denial: the denial email's own words (English). */
export const denialPhrase = (reason: DenialReason): string => denialReasonText(reason, 'en');

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A local date (YYYY-MM-DD) as words the text-to-speech reads one way only: "May 1, 2026". */
export function spokenDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) throw new Error(`not a date YYYY-MM-DD: ${date}`);
  return `${month} ${Number(m[3])}, ${m[1]}`;
}
