// The legal clock: due dates, days left, extension and hold history, and the actions on it.
import { useState } from 'react';
import { EXTENSION_CATEGORIES, EXTENSION_PHRASES, type CaseView, type ExtensionCategory } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { useApi } from '../../api/context';
import { DaysLeft, Dl, ErrorNote, Section } from '../../components/ui';
import { EXTENSION_CATEGORY_LABEL, formatDate } from '../../format';

const CLOCK_ACTIONS = new Set(['case.extend', 'case.hold', 'case.resume', 'case.extended', 'case.held', 'case.resumed']);

/** The category of an extension in the history: what a status call said. */
function categoryNote(category: unknown): string {
  return typeof category === 'string' && category in EXTENSION_CATEGORY_LABEL
    ? ` (phone: ${EXTENSION_CATEGORY_LABEL[category as ExtensionCategory].toLowerCase()})` : '';
}

export function DeadlineCard({ c, audit, onChanged }: { c: CaseView; audit: AuditEntryView[]; onChanged: () => void }) {
  const { client } = useApi();
  const [mode, setMode] = useState<'none' | 'extend' | 'hold'>('none');
  const [text, setText] = useState('');
  const [category, setCategory] = useState<ExtensionCategory | ''>('');
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
        ['Clock', !open ? `Stopped (${c.status})` : c.deadlines.paused ? 'Paused' : 'Running'],
        ...(c.hold ? [['On hold', `${c.hold.reason.replace('_', ' ')} since ${formatDate(c.hold.since)}${c.hold.note ? ` — ${c.hold.note}` : ''}`] as [string, string]] : []),
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
            : client.call('cases.hold', { id: c.id, reason: 'legal_hold', note: text })));
        }}>
          <div className="field grow">
            <label htmlFor="clock-reason">{mode === 'extend' ? 'Reason for the extension (sent to the consumer)' : 'Why is the case on hold?'}</label>
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
