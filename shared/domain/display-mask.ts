// Values from a data system shown to staff on a case (review rows, planned writes): personal data
// masked by its fideslang category, so a screen names what a row holds without showing it. Pure.
import { maskIdentity } from './identity';

/** Categories that are not about a person (ids, timestamps the system keeps): shown as they are. */
function plain(category: string | undefined): boolean {
  return !category || category.startsWith('system.') || category === 'user.unique_id';
}

export function maskValue(category: string | undefined, value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  if (plain(category)) return text;
  if (typeof value === 'boolean') return String(value);
  if (category!.includes('email')) return maskIdentity('email', text.toLowerCase());
  if (category!.includes('phone')) { const digits = text.replace(/\D/gu, ''); return digits.length > 4 ? `•••${digits.slice(-4)}` : '••••'; }
  if (category!.includes('credit_card') || category!.includes('financial.account')) { const digits = text.replace(/\D/gu, ''); return digits.length >= 4 ? `•••• ${digits.slice(-4)}` : '••••'; }
  if (text.length <= 2) return '••';
  return `${text.slice(0, 1)}${'•'.repeat(Math.min(6, text.length - 1))}`;
}

/** Every field of a row, masked by its category. */
export function maskRow(values: Record<string, unknown>, categories: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([f, v]) => [f, maskValue(categories[f], v)]));
}
