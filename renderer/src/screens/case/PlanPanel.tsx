// The plan (dry run): per system and collection, what would be deleted, masked or updated and what
// is kept (set aside, exempt); then Approve, and the executed changes once it has run.
import { useState } from 'react';
import type { CaseView } from '../../../../shared/domain/case';
import { useApi } from '../../api/context';
import { useAsync } from '../../hooks';
import { Dl, ErrorNote, Section } from '../../components/ui';
import { formatDate } from '../../format';

export interface StepResult { at: string; result: Record<string, unknown> }
const n = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en-US') : '—');

export function PlanPanel({ c, refreshKey, executed, onChanged }: { c: CaseView; refreshKey: number; executed: StepResult | null; onChanged: () => void }) {
  const { client } = useApi();
  const plan = useAsync(() => client.call('datamap.plan', { id: c.id }), [c.id, c.status, refreshKey]);
  const [error, setError] = useState<unknown>(null);
  const erases = c.type === 'delete' || c.type === 'delete_pii';
  const p = plan.data?.plan;
  const approve = async () => {
    try { await client.call('cases.approve', { id: c.id }); setError(null); onChanged(); } catch (e) { setError(e); }
  };
  return (
    <Section title={erases ? 'Deletion plan' : 'Plan'} id="plan" actions={c.status === 'in_review' && (
      <button type="button" className="btn primary" onClick={() => void approve()}>{erases ? 'Approve deletion' : 'Approve'}</button>
    )}>
      {p && p.collections.length > 0 && (<>
        <p className="muted small">{executed ? 'Planned (dry run):' : 'Dry run: nothing has changed yet.'}</p>
        <table className="grid">
          <thead><tr><th scope="col">System · collection</th><th scope="col">Delete</th><th scope="col">Mask</th><th scope="col">Update</th><th scope="col">Set aside</th><th scope="col">Exempt</th></tr></thead>
          <tbody>
            {p.collections.filter((col) => col.deleted + col.masked + col.updated + col.setAside + col.exempt > 0).map((col) => (
              <tr key={`${col.system}/${col.collection}`}>
                <td>{col.system} · {col.collection}{col.fields.length ? <span className="muted small"> ({col.fields.join(', ')})</span> : null}</td>
                <td>{col.deleted || '—'}</td><td>{col.masked || '—'}</td><td>{col.updated || '—'}</td><td>{col.setAside || '—'}</td><td>{col.exempt || '—'}</td>
              </tr>
            ))}
            <tr className="totals"><th scope="row">Total</th><td>{p.totals.deleted}</td><td>{p.totals.masked}</td><td>{p.totals.updated}</td><td>{p.totals.setAside}</td><td>{p.totals.exempt}</td></tr>
          </tbody>
        </table>
      </>)}
      {!p && !executed && <p className="muted">{c.status === 'in_review' ? 'Nothing to change in any system.' : 'The plan is drawn up after discovery.'}</p>}
      {executed && (<>
        <h3 className="sub">Executed</h3>
        <Dl items={[
          ['Deleted rows', n(executed.result.deleted)], ['Masked rows', n(executed.result.masked)],
          ['Updated rows', n(executed.result.updated)], ['Errors', n(executed.result.errors)], ['Executed at', formatDate(executed.at)],
        ]} />
      </>)}
      <ErrorNote error={error ?? plan.error} />
    </Section>
  );
}
