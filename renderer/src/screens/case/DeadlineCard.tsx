// The legal clock: due dates, days left, extension and hold history, and the actions on it.
import { useState } from 'react';
import { EXTENSION_CATEGORIES, EXTENSION_PHRASES, HOLD_REASONS, type CaseView, type ExtensionCategory, type HoldReason } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { useApi } from '../../api/context';
import { DaysLeft, Dl, ErrorNote, Section } from '../../components/ui';
import { EXTENSION_CATEGORY_LABEL, formatDate } from '../../format';
import { HOLD_REASON_HINT, HOLD_REASON_LABEL } from './words';

const CLOCK_ACTIONS = new Set(['case.extend', 'case.hold', 'case.resume', 'case.extended', 'case.held', 'case.resumed']);

/** The category of an extension in the history: what a status call said. */
function categoryNote(category: unknown): string {
  return typeof category === 'string' && category in EXTENSION_CATEGORY_LABEL
    ? ` (phone: ${EXTENSION_CATEGORY_LABEL[category as ExtensionCategory].toLowerCase()})` : '';
}

/** The clock in words: paused only where the law pauses it for this hold reason (deadlines.paused). */
function clockText(c: CaseView, open: boolean): string {
  if (!open) return `Stopped (${c.status})`;
  if (c.hold && c.deadlines.paused) return `Paused since ${formatDate(c.hold.since)}: ${HOLD_REASON_LABEL[c.hold.reason].toLowerCase()} stops the clock in ${c.jurisdiction}; each paused day moves the due date`;
  if (c.hold) return `Running: ${c.jurisdiction} law does not pause the clock for ${HOLD_REASON_LABEL[c.hold.reason].toLowerCase()}; the due date stands`;
  return c.deadlines.paused ? 'Paused' : 'Running';
}

export function DeadlineCard({ c, audit, onChanged }: { c: CaseView; audit: AuditEntryView[]; onChanged: () => void }) {
  const { client } = useApi();
  const [mode, setMode] = useState<'none' | 'extend' | 'hold'>('none');
  const [text, setText] = useState('');
  const [category, setCategory] = useState<ExtensionCategory | ''>('');
  const [holdReason, setHoldReason] = useState<HoldReason>('awaiting_consumer');
  const [error, setError] = useState<unknown>(null);
  const open = c.status !== 'closed' && c.status !== 'denied';
  const history = audit.filter((a) => CLOCK_ACTIONS.has(a.action) || /extend|hold|resume|pause/u.test(a.action));
  const run = async (fn: () => Promise<unknown>) => {
    try { await fn(); setMode('none'); setText(''); setCategory(''); setError(null); onChanged(); } catch (e) { setError(e); }
  };
  return (
    <Section title="Deadline" id="deadline" actions={open && (<>
      {!c.extended && <button type="button" className="btn ghost" onClick={() => setMode('extend')}>Extend…</button>}
      {c.status === 'on_hold'
        ? <button type="button" className="btn ghost" onClick={() => void run(() => client.call('cases.resume', { id: c.id }))}>Resume</button>
        : <button type="button" className="btn ghost" onClick={() => setMode('hold')}>Hold…</button>}
    </>)}>
      <Dl items={[
        ['Respond by', <><strong>{formatDate(c.deadlines.respond)}</strong> · <DaysLeft daysLeft={c.daysLeft} status={c.status} paused={c.deadlines.paused} /></>],
        ['Acknowledge by', formatDate(c.deadlines.acknowledge)],
        ['Original due date', formatDate(c.deadlines.respondOriginal)],
        ['Extension', c.extended ? `Extended: ${c.extensionReason ?? ''}` : 'Not extended'],
        ['Clock', <span data-testid="clock-state">{clockText(c, open)}</span>],
        ...(c.hold ? [['On hold', `${HOLD_REASON_LABEL[c.hold.reason]} since ${formatDate(c.hold.since)}${c.hold.note ? ` — ${c.hold.note}` : ''}`] as [string, string]] : []),
      ]} />
      {history.length > 0 && (
        <ul className="history" aria-label="Pause and extension history">
          {history.map((h) => <li key={h.seq}><time>{formatDate(h.at)}</time> {h.action} by {h.actor}{typeof h.detail.reason === 'string' ? `: ${h.detail.reason}` : ''}{categoryNote(h.detail.category)}</li>)}
        </ul>
      )}
      {mode !== 'none' && (
        <form className="inline-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => (mode === 'extend'
            ? client.call('cases.extend', { id: c.id, reason: text, ...(category ? { category } : {}) })
            : client.call('cases.hold', { id: c.id, reason: holdReason, note: text })));
        }}>
          {mode === 'hold' && (<>
            <div className="field">
              <label htmlFor="hold-reason">Hold reason</label>
              <select id="hold-reason" value={holdReason} aria-describedby="hold-reason-hint" onChange={(e) => setHoldReason(e.target.value as HoldReason)}>
                {HOLD_REASONS.map((r) => <option key={r} value={r}>{HOLD_REASON_LABEL[r]}</option>)}
              </select>
            </div>
            <small id="hold-reason-hint" className="hint full">{HOLD_REASON_HINT[holdReason]} Whether the legal clock stops depends on the law of {c.jurisdiction}: the card says so once the hold starts.</small>
          </>)}
          <div className="field grow">
            <label htmlFor="clock-reason">{mode === 'extend' ? 'Reason for the extension (sent to the consumer)' : holdReason === 'awaiting_consumer' ? 'What are we waiting for? (told to the consumer)' : 'Note for the file (not sent to the consumer)'}</label>
            <input id="clock-reason" value={text} onChange={(e) => setText(e.target.value)} autoFocus required maxLength={2000} />
          </div>
          {mode === 'extend' && (<>
            <div className="field">
              <label htmlFor="clock-category">Category (told to phone callers)</label>
              <select id="clock-category" value={category} aria-describedby="clock-category-hint"
                onChange={(e) => setCategory(e.target.value as ExtensionCategory | '')}>
                <option value="">General (complexity or number of requests)</option>
                {EXTENSION_CATEGORIES.map((k) => <option key={k} value={k}>{EXTENSION_CATEGORY_LABEL[k]}</option>)}
              </select>
            </div>
            <small id="clock-category-hint" className="hint full">
              A consumer we can reach only by phone gets a status call saying the deadline was extended
              because {EXTENSION_PHRASES[category || 'general']}. The reason goes only into the email.
            </small>
          </>)}
          <button type="submit" className="btn" disabled={!text.trim()}>{mode === 'extend' ? 'Extend deadline' : 'Put on hold'}</button>
          <button type="button" className="btn ghost" onClick={() => setMode('none')}>Cancel</button>
        </form>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}
