// Labels and formats shown to staff (one place, so every screen says the same thing).
import type { CaseStatus, CaseType, Channel, ExtensionCategory, Jurisdiction } from '../../shared/domain/case';
import { localDateInZone } from '../../shared/domain/deadlines-calendar';

export const TYPE_LABEL: Record<CaseType, string> = {
  access: 'Access', delete: 'Delete', delete_pii: 'Delete PII', opt_out: 'Opt-out', correct: 'Correct', limit: 'Limit use',
};
export const STATUS_LABEL: Record<CaseStatus, string> = {
  received: 'Received', acknowledged: 'Acknowledged', verifying: 'Verifying', verified: 'Verified', discovering: 'Discovering',
  in_review: 'In review', approved: 'Approved', executing: 'Executing', checking: 'Checking', responding: 'Responding',
  closed: 'Closed', denied: 'Denied', on_hold: 'On hold',
};
export const CHANNEL_LABEL: Record<Channel, string> = {
  phone: 'Phone', email: 'Email', web: 'Web', staff: 'In person / staff', gpc: 'GPC signal', mail: 'Mail',
};
/** The extension's category (cases.extend): what a status call tells a consumer we reach only by phone. */
export const EXTENSION_CATEGORY_LABEL: Record<ExtensionCategory, string> = {
  complexity: 'Complex request', many_systems: 'Many systems to search', volume: 'Unusually many requests',
  archived_records: 'Records in archives',
};
/** Statuses in which the back end is working on its own (the screen polls and shows progress). */
export const BUSY_STATUSES: ReadonlySet<CaseStatus> = new Set(['received', 'discovering', 'executing', 'checking', 'responding']);

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/u.test(iso)) return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return new Date(iso).toLocaleString('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The day of an instant, in the zone formatDate shows times in (not the UTC date of the ISO string). */
export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

export type Urgency = 'overdue' | 'soon' | 'ok' | 'done';
export function urgencyOf(daysLeft: number, status: CaseStatus): Urgency {
  if (status === 'closed' || status === 'denied') return 'done';
  if (daysLeft < 0) return 'overdue';
  if (daysLeft <= 7) return 'soon';
  return 'ok';
}
export function daysLeftText(daysLeft: number, status: CaseStatus): string {
  if (status === 'closed' || status === 'denied') return STATUS_LABEL[status];
  if (daysLeft < 0) return `${-daysLeft} d overdue`;
  if (daysLeft === 0) return 'due today';
  return `${daysLeft} d left`;
}

/** The zone the console shows times in (formatDate's): the browser's, or the desktop's. */
export function consoleTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "America/Los_Angeles" -> "Los Angeles time". */
export function zoneName(timeZone: string): string {
  return timeZone === 'UTC' ? 'UTC' : `${(timeZone.split('/').pop() ?? timeZone).replace(/_/gu, ' ')} time`;
}

/**
 * The dashboard counts overdue / due in 7 days by today in each case's jurisdiction zone. Says
 * which zones and dates, where they are not the console's own date at `at`; null when none differ.
 */
export function countingZonesNote(at: string, zones: ReadonlyArray<{ timeZone: string; date: string; jurisdictions: readonly Jurisdiction[] }>, ownZone: string): string | null {
  const own = localDateInZone(at, ownZone);
  const byDate = new Map<string, string[]>();
  for (const z of zones) {
    if (z.date === own) continue;
    const list = byDate.get(z.date) ?? [];
    list.push(`${zoneName(z.timeZone)} (${z.jurisdictions.join(', ')})`);
    byDate.set(z.date, list);
  }
  if (!byDate.size) return null;
  const parts = [...byDate].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, where]) => `${formatDate(date)} in ${where.join(', ')}`);
  return `Overdue and due in the next 7 days count each case by today's date in its jurisdiction's time zone. `
    + `Today is ${formatDate(own)} in ${zoneName(ownZone)}, but ${parts.join('; ')}.`;
}
