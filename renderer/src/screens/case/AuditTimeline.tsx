// The case's audit timeline (hash-chained log): who did what, when, grouped by the step of the
// work it belongs to (intake, verification, discovery, review, the change, the response, the
// clock), each group folded (the newest open) until opened, with a filter by step and by words.
import { useMemo, useState } from 'react';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { Section } from '../../components/ui';
import { formatDate } from '../../format';

function summary(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v)))
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return parts.join(' · ');
}

export const STEPS = ['intake', 'verification', 'discovery', 'review', 'change', 'response', 'clock', 'other'] as const;
export type Step = (typeof STEPS)[number];
export const STEP_LABEL: Record<Step, string> = {
  intake: 'Intake', verification: 'Verification', discovery: 'Discovery', review: 'Review', change: 'Change (approve, execute, check)',
  response: 'Messages and response', clock: 'Deadline and hold', other: 'Other',
};

/** Which step of the work an audit entry belongs to (engine steps by their name, staff actions by theirs). */
const STATUS_STEP: Record<string, Step> = {
  received: 'intake', acknowledged: 'intake', verifying: 'verification', verified: 'verification', discovering: 'discovery',
  in_review: 'review', approved: 'change', executing: 'change', checking: 'change', responding: 'response', closed: 'response',
  denied: 'response', on_hold: 'clock',
};

export function stepOf(e: AuditEntryView): Step {
  const a = e.action;
  // The engine's status changes belong to the step they enter; the data map's to its own step.
  if (a === 'case.status' && typeof e.detail.to === 'string') return STATUS_STEP[e.detail.to] ?? 'other';
  if (a === 'datamap.discovered') return 'discovery';
  if (/^datamap\.review/u.test(a)) return 'review';
  if (/^datamap\.(system\.(executed|applying)|executed|execute\.failed|verified)$/u.test(a)) return 'change';
  const step = typeof e.detail.step === 'string' ? e.detail.step.replace(/#.*$/u, '') : '';
  const template = typeof e.detail.template === 'string' ? e.detail.template : '';
  if (step === 'discover' || a === 'case.discover') return 'discovery';
  if (step === 'execute' || step === 'checkResult' || a === 'case.approve') return 'change';
  if (step === 'acknowledge' || template === 'acknowledgement') return 'intake';
  if (step === 'respond') return 'response';
  if (/^(case\.(extend|hold|resume|extended|held|resumed))$/u.test(a)) return 'clock';
  if (/^review\./u.test(a) || a === 'datamap.options.set') return 'review';
  if (/verif|^codes?\.|^declaration\.|identities\.revealed/u.test(a) || template === 'verification-code' || template === 'staff-verification-locked') return 'verification';
  if (/^message\./u.test(a) || /^report|^responses?\.|^processor/u.test(a)) return 'response';
  if (a === 'case.created' || a === 'case.assign' || a === 'document.stored' || a === 'case.acknowledged') return 'intake';
  if (a === 'case.deny' || a === 'case.retry' || a === 'case.pii_purged') return a === 'case.deny' ? 'response' : 'other';
  return 'other';
}

export function AuditTimeline({ entries }: { entries: AuditEntryView[] }) {
  const [step, setStep] = useState<Step | 'all'>('all');
  const [text, setText] = useState('');
  const [opened, setOpened] = useState<ReadonlySet<Step>>(new Set());
  const [closed, setClosed] = useState<ReadonlySet<Step>>(new Set());
  const newest = entries.length ? entries[entries.length - 1]!.seq : -1;
  const groups = useMemo(() => {
    const q = text.trim().toLowerCase();
    const out = new Map<Step, AuditEntryView[]>();
    for (const e of entries) {
      const s = stepOf(e);
      if (step !== 'all' && s !== step) continue;
      if (q && !`${e.action} ${e.actor} ${summary(e.detail)}`.toLowerCase().includes(q)) continue;
      out.set(s, [...(out.get(s) ?? []), e]);
    }
    return STEPS.filter((s) => out.has(s)).map((s) => ({ step: s, entries: out.get(s)! }));
  }, [entries, step, text]);
  const filtering = step !== 'all' || text.trim() !== '';
  /** Opened by staff, or closed by staff (the newest step's group starts open). */
  const toggle = (s: Step, open: boolean) => {
    setOpened((o) => { const n = new Set(o); if (open) n.add(s); else n.delete(s); return n; });
    setClosed((o) => { const n = new Set(o); if (open) n.delete(s); else n.add(s); return n; });
  };
  return (
    <Section title="Audit timeline" id="audit" actions={<span className="muted small">{entries.length} entries</span>}>
      {entries.length === 0 ? <p className="muted">No entries yet.</p> : (<>
        <div className="row audit-filter" role="search" aria-label="Filter the audit timeline">
          <div className="field">
            <label htmlFor="audit-step">Step</label>
            <select id="audit-step" value={step} onChange={(e) => setStep(e.target.value as Step | 'all')}>
              <option value="all">All steps</option>
              {STEPS.map((s) => <option key={s} value={s}>{STEP_LABEL[s]}</option>)}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="audit-text">Contains</label>
            <input id="audit-text" value={text} onChange={(e) => setText(e.target.value)} placeholder="action, actor or detail" />
          </div>
        </div>
        {groups.length === 0 && <p className="muted">No entry matches the filter.</p>}
        <div data-testid="audit-timeline">
          {groups.map((g) => {
            const last = g.entries[g.entries.length - 1]!;
            const isOpen = filtering || opened.has(g.step) || (!closed.has(g.step) && last.seq === newest);
            return (
              <details key={g.step} className="tl-group" open={isOpen}
                onToggle={(e) => { const now = (e.currentTarget as HTMLDetailsElement).open; if (now !== isOpen) toggle(g.step, now); }}>
                <summary>
                  <strong>{STEP_LABEL[g.step]}</strong>
                  <span className="muted small"> · {g.entries.length} {g.entries.length === 1 ? 'entry' : 'entries'} · {formatDate(g.entries[0]!.at)}{g.entries.length > 1 ? ` – ${formatDate(last.at)}` : ''} · last: {last.action}</span>
                </summary>
                <ol className="timeline">
                  {g.entries.map((e) => (
                    <li key={e.seq}>
                      <time dateTime={e.at}>{formatDate(e.at)}</time>
                      <span className="tl-action">{e.action}</span>
                      <span className="tl-actor">{e.actor}</span>
                      <span className="tl-detail muted">{summary(e.detail)}</span>
                    </li>
                  ))}
                </ol>
              </details>
            );
          })}
        </div>
      </>)}
    </Section>
  );
}
