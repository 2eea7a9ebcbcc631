// The work on the data: discovery result, review of shared/exempt rows, the deletion plan with
// approve, the execution and the verify (re-query) result, and messages sent. Step results come
// from the audit trail (every step's result is journalled there); per-row review comes from the
// data-map ops when the back end offers them (ReviewPanel).
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import type { AuditEntryView } from '../../../../shared/app/contract/cases';
import { useApi } from '../../api/context';
import { Dl, ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';
import { ReviewPanel } from './ReviewPanel';
import { MessagesPanel } from './MessagesPanel';

function lastStep(audit: AuditEntryView[], step: string): { at: string; result: Record<string, unknown> } | null {
  for (let i = audit.length - 1; i >= 0; i -= 1) {
    const a = audit[i]!;
    if (a.action === 'step.completed' && typeof a.detail.step === 'string' && a.detail.step.startsWith(`${step}#`)) {
      return { at: a.at, result: (a.detail.result ?? {}) as Record<string, unknown> };
    }
  }
  return null;
}
const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : '—');

export function WorkCard({ c, audit, onChanged }: { c: CaseView; audit: AuditEntryView[]; onChanged: () => void }) {
  const { client } = useApi();
  const [error, setError] = useState<unknown>(null);
  const discover = lastStep(audit, 'discover');
  const execute = lastStep(audit, 'execute');
  const check = lastStep(audit, 'checkResult');
  const approve = async () => {
    try { await client.call('cases.approve', { id: c.id }); setError(null); onChanged(); } catch (e) { setError(e); }
  };
  const erases = c.type === 'delete' || c.type === 'delete_pii';
  return (
    <>
      <Section title="Discovery" id="discovery">
        {discover ? (
          <Dl items={[
            ['Rows found', n(discover.result.rows)],
            ['Awaiting review (shared)', n(discover.result.review)],
            ['Exempt (kept)', n(discover.result.exempt)],
            ['Systems with errors', n(discover.result.errors)],
            ['Run at', formatDate(discover.at)],
          ]} />
        ) : <p className="muted">{c.status === 'verified' ? 'Ready: run discovery to find this person\'s data in every system of the data map.' : 'Discovery runs once the identity is verified.'}</p>}
      </Section>
      <ReviewPanel c={c} onChanged={onChanged} />
      <Section title={erases ? 'Deletion plan' : 'Plan'} id="plan" actions={c.status === 'in_review' && (
        <button type="button" className="btn primary" onClick={() => void approve()}>{erases ? 'Approve deletion' : 'Approve'}</button>
      )}>
        {c.status === 'in_review' && <p>Dry run ready: review shared and exempt rows, then approve to {erases ? 'erase the rest' : 'carry out the request'}.</p>}
        {execute ? (
          <Dl items={[
            ['Deleted rows', n(execute.result.deleted)], ['Masked rows', n(execute.result.masked)],
            ['Updated rows', n(execute.result.updated)], ['Errors', n(execute.result.errors)], ['Executed at', formatDate(execute.at)],
          ]} />
        ) : c.status !== 'in_review' && <p className="muted">No plan executed yet.</p>}
        <ErrorNote error={error} />
      </Section>
      <Section title="Verify result" id="verify-result">
        {check ? (
          <p className={check.result.ok ? 'ok-text' : 'bad-text'} data-testid="verify-result">
            {check.result.ok ? `Verified: nothing left (re-queried ${formatDate(check.at)})` : `${n(check.result.remaining)} row(s) still found`}
          </p>
        ) : <p className="muted">Checked after execution by re-querying every system.</p>}
      </Section>
      <MessagesPanel c={c} audit={audit} />
    </>
  );
}
