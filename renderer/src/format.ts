// Labels and formats shown to staff (one place, so every screen says the same thing).
import type { CaseStatus, CaseType, Channel } from '../../shared/domain/case';

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
/** Statuses in which the back end is working on its own (the screen polls and shows progress). */
export const BUSY_STATUSES: ReadonlySet<CaseStatus> = new Set(['received', 'discovering', 'executing', 'checking', 'responding']);

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/u.test(iso)) return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return new Date(iso).toLocaleString('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
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
