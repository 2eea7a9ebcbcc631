// The consumer's appeal of a refusal (issue 14 item 2): its state, the answer's due date (the
// state's rule from the receipt date), the reason, and the actions: record an appeal on a refused
// case of a state that gives one, extend once where the state allows, answer granted or upheld.
import { useState, type ReactNode } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { AppealView } from '../../../../shared/app/contract/appeals';
import { appealRule } from '../../../../shared/domain/jurisdiction-rules';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { DaysLeft, Dl, ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';

const STATE_LABEL: Record<AppealView['status'], string> = { open: 'Open: awaiting our answer', granted: 'Granted: the request is redone', upheld: 'Upheld: the refusal stands' };

export function AppealCard({ c, onChanged }: { c: CaseView; onChanged: () => void }) {
  const { client } = useApi();
  const appeals = useAsync(() => client.call('appeals.forCase', { id: c.id }), [c.id, c.updatedAt]);
  const [mode, setMode] = useState<'none' | 'file' | 'extend' | 'granted' | 'upheld'>('none');
  const [text, setText] = useState('');
  const [receivedOn, setReceivedOn] = useState('');
  const [error, setError] = useState<unknown>(null);
  const rule = appealRule(c.jurisdiction);
  const refused = c.status === 'denied' || c.status === 'closed';
  const list = appeals.data ?? [];
  const a = list[list.length - 1];
  if (!rule || !refused || (c.denial?.reason === 'withdrawn' && !a)) return null;
  const run = async (fn: () => Promise<unknown>) => {
    try { await fn(); setMode('none'); setText(''); setReceivedOn(''); setError(null); appeals.reload(); onChanged(); } catch (e) { setError(e); }
  };
  const actions = !a
    ? <button type="button" className="btn ghost" onClick={() => setMode('file')}>Record appeal…</button>
    : a.status === 'open' && (<>
      {rule.extension && !a.extended && <button type="button" className="btn ghost" onClick={() => setMode('extend')}>Extend…</button>}
      <button type="button" className="btn ghost" onClick={() => setMode('granted')}>Grant…</button>
      <button type="button" className="btn ghost" onClick={() => setMode('upheld')}>Uphold…</button>
    </>);
  return (
    <Section title="Appeal" id="appeal" actions={actions}>
      {!a && <p className="muted small">{c.jurisdiction} law gives the consumer an appeal of this refusal: answer within {rule.respond.n} days of receipt{rule.extension ? `, once extendable by ${rule.extension.n}` : ''}.</p>}
      {a && (
        <Dl items={[
          ['State', <span data-testid="appeal-state">{STATE_LABEL[a.status]}</span>],
          ['Received', formatDate(a.receivedOn)],
          ['Answer by', <><strong data-testid="appeal-due">{formatDate(a.deadlines.respond)}</strong>{a.status === 'open' && <> · <DaysLeft daysLeft={a.daysLeft} status="in_review" /></>}{a.extended ? ` (extended from ${formatDate(a.deadlines.respondOriginal)})` : ''}</>],
          ['Reason', a.reason ?? ''],
          ...(a.decidedAt ? [['Answer', `${formatDate(a.decidedAt)} by ${a.decidedBy ?? ''}: ${a.decisionNote ?? ''}`] as [string, string]] : []),
          ...(a.reopenedCaseId ? [['Redone as', <a href={`#/case/${a.reopenedCaseId}`}>{a.reopenedCaseId}</a>] as [string, ReactNode]] : []),
          ...(a.status !== 'granted' ? [['If refused', `${a.attorneyGeneral.office} (${a.attorneyGeneral.website})`] as [string, string]] : []),
        ]} />
      )}
      {mode !== 'none' && (
        <form className="inline-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => (mode === 'file'
            ? client.call('appeals.file', { id: c.id, reason: text, ...(receivedOn ? { receivedOn } : {}) })
            : mode === 'extend'
              ? client.call('appeals.extend', { id: c.id, reason: text })
              : client.call('appeals.decide', { id: c.id, outcome: mode, note: text })));
        }}>
          {mode === 'file' && (
            <div className="field">
              <label htmlFor="appeal-received">Received on (blank: today)</label>
              <input id="appeal-received" type="date" value={receivedOn} onChange={(e) => setReceivedOn(e.target.value)} />
            </div>
          )}
          <div className="field grow">
            <label htmlFor="appeal-text">{mode === 'file' ? 'The consumer\'s reason' : mode === 'extend' ? 'Reason for the extension (sent to the consumer)' : 'Reasons for the answer (sent to the consumer)'}</label>
            <input id="appeal-text" value={text} onChange={(e) => setText(e.target.value)} autoFocus required maxLength={4000} />
          </div>
          <button type="submit" className="btn" disabled={!text.trim()}>
            {mode === 'file' ? 'Record appeal' : mode === 'extend' ? 'Extend answer' : mode === 'granted' ? 'Grant: redo the request' : 'Uphold the refusal'}
          </button>
          <button type="button" className="btn ghost" onClick={() => setMode('none')}>Cancel</button>
        </form>
      )}
      <ErrorNote error={error ?? appeals.error} />
    </Section>
  );
}
