// The daily "due soon" digest (issue 16): which open requests each assignee must act on (overdue,
// or due within `days`), grouped per recipient. Pure: the cases, the addresses and today come in.
import type { CaseView } from './case';

export interface DueCase { id: string; type: string; respondBy: string; daysLeft: number; paused: boolean; status: string }
export interface DigestGroup {
  /** The address the digest goes to. */
  to: string;
  /** Assignees whose cases are in it ("(unassigned)" for cases nobody has). */
  assignees: string[];
  cases: DueCase[];
}

export const UNASSIGNED = '(unassigned)';

/** Open cases overdue or due within `days` (paused ones too: they are listed as paused). */
export function dueSoon(cases: readonly CaseView[], days: number): DueCase[] {
  return cases
    .filter((c) => c.status !== 'closed' && c.status !== 'denied' && c.daysLeft <= days)
    .map((c) => ({ id: c.id, type: c.type, respondBy: c.deadlines.respond, daysLeft: c.daysLeft, paused: c.deadlines.paused, status: c.status }))
    .sort((a, b) => a.daysLeft - b.daysLeft || (a.id < b.id ? -1 : 1));
}

/**
 * One group per address: each assignee's cases go to the address `addressOf` gives them; cases of
 * assignees without one, and unassigned cases, go to `fallback` (the configured staff address), or
 * are returned in `undelivered` when there is none.
 */
export function groupDigest(
  cases: ReadonlyArray<DueCase & { assignee: string | null }>,
  addressOf: ReadonlyMap<string, string | null>,
  fallback: string | null,
): { groups: DigestGroup[]; undelivered: DueCase[] } {
  const groups = new Map<string, DigestGroup>();
  const undelivered: DueCase[] = [];
  for (const c of cases) {
    const who = c.assignee ?? UNASSIGNED;
    const to = (c.assignee ? addressOf.get(c.assignee) : null) ?? fallback;
    const { assignee: _drop, ...due } = c;
    if (!to) { undelivered.push(due); continue; }
    const g = groups.get(to) ?? { to, assignees: [], cases: [] };
    if (!g.assignees.includes(who)) g.assignees.push(who);
    g.cases.push(due);
    groups.set(to, g);
  }
  return { groups: [...groups.values()].sort((a, b) => (a.to < b.to ? -1 : 1)), undelivered };
}

export function dueLine(c: DueCase): string {
  const when = c.daysLeft < 0 ? `${-c.daysLeft} day(s) overdue` : c.daysLeft === 0 ? 'due today' : `due in ${c.daysLeft} day(s)`;
  return `${c.id} · ${c.type.replace('_', ' ')} · respond by ${c.respondBy} · ${when}${c.paused ? ' (clock paused)' : ''}`;
}

export function summaryLine(cases: readonly DueCase[]): string {
  const overdue = cases.filter((c) => c.daysLeft < 0).length;
  return `${cases.length} request(s)${overdue ? `, ${overdue} overdue` : ''}`;
}
