// The legal clock: due dates, days left, extension and hold history, and the actions on it.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { useApi } from '../../api/context';
import { DaysLeft, Dl, ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';

const CLOCK_ACTIONS = new Set(['case.extend', 'case.hold', 'case.resume', 'case.extended', 'case.held', 'case.resumed']);

export function DeadlineCard({ c, audit, onChanged }: { c: CaseView; audit: AuditEntryView[]; onChanged: () => void }) {
  const { client } = useApi();
  const [mode, setMode] = useState<'none' | 'extend' | 'hold'>('none');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const open = c.status !== 'closed' && c.status !== 'denied';
  const history = audit.filter((a) => CLOCK_ACTIONS.has(a.action) || /extend|hold|resume|pause/u.test(a.action));
  const run = async (fn: () => Promise<unknown>) => {
    try { await fn(); setMode('none'); setText(''); setError(null); onChanged(); } catch (e) { setError(e); }
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
          {history.map((h) => <li key={h.seq}><time>{formatDate(h.at)}</time> {h.action} by {h.actor}{typeof h.detail.reason === 'string' ? `: ${h.detail.reason}` : ''}</li>)}
        </ul>
      )}
      {mode !== 'none' && (
        <form className="inline-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => (mode === 'extend'
            ? client.call('cases.extend', { id: c.id, reason: text })
            : client.call('cases.hold', { id: c.id, reason: 'legal_hold', note: text })));
        }}>
          <div className="field grow">
            <label htmlFor="clock-reason">{mode === 'extend' ? 'Reason for the extension (sent to the consumer)' : 'Why is the case on hold?'}</label>
            <input id="clock-reason" value={text} onChange={(e) => setText(e.target.value)} autoFocus required maxLength={2000} />
          </div>
          <button type="submit" className="btn" disabled={!text.trim()}>{mode === 'extend' ? 'Extend deadline' : 'Put on hold'}</button>
          <button type="button" className="btn ghost" onClick={() => setMode('none')}>Cancel</button>
        </form>
      )}
      <ErrorNote error={error} />
    </Section>
  );
}
